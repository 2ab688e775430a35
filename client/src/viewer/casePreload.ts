// A case the reader is about to open: from the moment they press on it in a list, its metadata and
// first frame are asked for and that frame decoded, while the app changes page and the case page
// asks for the case. The viewer then takes what is on its way (takePreloadedCase) instead of
// asking again.
//
// While it loads, the page's GraphQL reads wait (graphql/imageFirst.ts) until the viewer has drawn
// the image (caseImageSettled) or a short while has passed: the image has the server to itself.
//
// Lists import this small module; it knows nothing of Cornerstone. The viewer's code registers the
// loader when it is loaded (the data page loads it in the background): before that, a press does
// nothing and the viewer opens the case itself.

import { holdForImage } from "../graphql/imageFirst";
import type { CaseImages } from "./dicomweb";
import type { StackImage } from "./stack";

type CaseLoader = (ref: CaseImages, options?: { background?: boolean }) => Promise<StackImage[]>;

/** A preload not taken by then was not followed by an open (the reader pressed and moved away). */
const KEEP_MS = 30_000;
/** A case loaded ahead while the reader reads another (prefetchCase): kept while they read it. */
const AHEAD_MS = 15 * 60_000;

let loader: CaseLoader | null = null;
const pending = new Map<string, Promise<StackImage[]>>();
/** Loads that have finished: a press on such a case has nothing to wait for. */
const finished = new WeakSet<Promise<StackImage[]>>();
/** The GraphQL hold of each case being preloaded, until its image is drawn. */
const holds = new Map<string, () => void>();

const keyOf = (ref: CaseImages) => [ref.projectId, ref.studyInstanceUid, ref.seriesInstanceUid ?? "", ref.sopInstanceUid ?? ""].join("/");

export function registerCasePreloader(load: CaseLoader): void {
  loader = load;
}

/** Starts loading the case and keeps what is on its way for the viewer to take, for `keepMs`. */
function startLoading(load: CaseLoader, ref: CaseImages, key: string, keepMs: number, options?: { background: true }): void {
  const stack = options ? load(ref, options) : load(ref);
  stack.then(
    () => finished.add(stack),
    () => {}, // the viewer asks again if it fails
  );
  pending.set(key, stack);
  setTimeout(() => {
    if (pending.get(key) === stack) pending.delete(key);
  }, keepMs);
}

/**
 * Starts loading the case's images, once per case however often the reader presses on it. A case
 * loading in the background (prefetchCase: the list's hover) goes on loading, and the page's reads
 * wait for its image all the same; one loaded already has nothing to wait for.
 */
export function preloadCase(ref: CaseImages): void {
  const key = keyOf(ref);
  if (!loader) return;
  const loading = pending.get(key);
  if (!loading) startLoading(loader, ref, key, KEEP_MS);
  else if (finished.has(loading)) return;
  holds.get(key)?.();
  const release = holdForImage();
  holds.set(key, release);
  setTimeout(() => {
    if (holds.get(key) === release) holds.delete(key);
  }, KEEP_MS);
}

let ahead: string | null = null;

/**
 * Loads the case the reader will probably open next (the queue's next case) while they read the
 * current one: its metadata, and its first image decoded into Cornerstone's cache, at background
 * priority and without holding the page's reads. Opening it then takes what is there. One case
 * is kept ahead at a time.
 */
export function prefetchCase(ref: CaseImages): void {
  const key = keyOf(ref);
  if (!loader || pending.has(key)) return;
  if (ahead && ahead !== key) pending.delete(ahead);
  startLoading(loader, ref, key, AHEAD_MS, { background: true });
  ahead = key;
}

/** The case's stack if it is being loaded ahead (each preload is taken once), else null. */
export function takePreloadedCase(ref: CaseImages): Promise<StackImage[]> | null {
  const key = keyOf(ref);
  const stack = pending.get(key) ?? null;
  pending.delete(key);
  if (ahead === key) ahead = null;
  return stack;
}

/** The viewer has drawn the case's first image, or could not: the page's held reads go on. */
export function caseImageSettled(ref: CaseImages): void {
  const key = keyOf(ref);
  holds.get(key)?.();
  holds.delete(key);
}
