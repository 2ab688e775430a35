// Image first: while a case's first image is on its way (from the reader's press on the case, see
// viewer/casePreload.ts, until the viewer has drawn it), the case page's GraphQL queries and
// subscriptions wait, so the image's metadata and frame have the server, the connection slots and
// the page's main thread to themselves. A reader looks at the image first; the side panel (labels,
// report, others' work, presence, AI suggestions) follows a few tens of milliseconds later instead
// of racing the image for the same single-threaded server (bench/first-image.mjs: about ten
// requests at a case's opening).
//
// Mutations are not held (a save must not wait on an image), except those that ask to be with
// AFTER_IMAGE in their context (a presence beat: the case page says "I am here" once its image is up). A hold ends when the viewer says the
// image is drawn or could not be (its release), or after MAX_HOLD_MS whatever happens: a slow image
// delays the panel by at most that, and a press not followed by an open costs nothing later. Held
// operations go on in the order they were asked for, so a query and the subscription that follows
// it keep their order; one unsubscribed while held is never sent.

import { ApolloLink, Observable, type FetchResult, type Operation } from "@apollo/client/core";
import { getMainDefinition } from "@apollo/client/utilities";

export const MAX_HOLD_MS = 800;

/** Context for a mutation that may wait for the image like a read. */
export const AFTER_IMAGE = { afterImage: true } as const;

const holds = new Set<symbol>();
const waiting: Array<() => void> = [];

/** Starts a hold; the function it answers ends it (once; later calls do nothing). */
export function holdForImage(maxMs = MAX_HOLD_MS): () => void {
  const token = Symbol("image hold");
  holds.add(token);
  const timer = setTimeout(() => release(), maxMs);
  const release = () => {
    clearTimeout(timer);
    if (!holds.delete(token)) return;
    if (holds.size === 0) for (const go of waiting.splice(0)) go();
  };
  return release;
}

/** Ends every hold now (a page that cannot show its image before its own query answers). */
export function releaseImageHolds(): void {
  holds.clear();
  for (const go of waiting.splice(0)) go();
}

/** Whether GraphQL reads are being held for an image. */
export function holdingForImage(): boolean {
  return holds.size > 0;
}

const isMutation = (operation: Operation) => {
  const definition = getMainDefinition(operation.query);
  return definition.kind === "OperationDefinition" && definition.operation === "mutation";
};

export const imageFirstLink = new ApolloLink((operation, forward) => {
  if (holds.size === 0 || (isMutation(operation) && !operation.getContext().afterImage)) return forward(operation);
  return new Observable<FetchResult>((observer) => {
    let cancelled = false;
    let subscription: { unsubscribe(): void } | null = null;
    const go = () => {
      if (!cancelled) subscription = forward(operation).subscribe(observer);
    };
    waiting.push(go);
    return () => {
      cancelled = true;
      const at = waiting.indexOf(go);
      if (at >= 0) waiting.splice(at, 1);
      subscription?.unsubscribe();
    };
  });
});
