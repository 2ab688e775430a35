import { ApolloLink, execute, gql, Observable, type FetchResult } from "@apollo/client/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AFTER_IMAGE, holdForImage, holdingForImage, imageFirstLink, releaseImageHolds } from "./imageFirst";

const QUERY = gql`
  query Case {
    case {
      id
    }
  }
`;
const SUBSCRIPTION = gql`
  subscription Presence {
    casePresence {
      kind
    }
  }
`;
const MUTATION = gql`
  mutation Save {
    saveDraft {
      id
    }
  }
`;

/** The image-first link in front of a terminating link that records what reached it. */
function chain() {
  const sent: string[] = [];
  const terminal = new ApolloLink(
    (operation) =>
      new Observable<FetchResult>((observer) => {
        sent.push(operation.operationName);
        observer.next({ data: { name: operation.operationName } });
        observer.complete();
      }),
  );
  const link = ApolloLink.from([imageFirstLink, terminal]);
  const run = (query: typeof QUERY, context: Record<string, unknown> = {}) => {
    const results: unknown[] = [];
    const subscription = execute(link, { query, context }).subscribe({ next: (r) => results.push((r.data as { name?: string } | null)?.name) });
    return { results, subscription };
  };
  return { sent, run };
}

afterEach(() => {
  releaseImageHolds();
  vi.useRealTimers();
});

describe("image first: GraphQL reads wait while a case's image loads", () => {
  it("sends everything at once when nothing is held", () => {
    const { sent, run } = chain();
    run(QUERY);
    run(SUBSCRIPTION);
    expect(sent).toEqual(["Case", "Presence"]);
  });

  it("holds queries, subscriptions and AFTER_IMAGE mutations, not other mutations, and sends them in order once released", async () => {
    const { sent, run } = chain();
    const release = holdForImage();
    expect(holdingForImage()).toBe(true);
    const query = run(QUERY);
    run(SUBSCRIPTION);
    run(MUTATION, AFTER_IMAGE);
    run(MUTATION);
    expect(sent).toEqual(["Save"]);
    expect(query.results).toEqual([]);
    release();
    expect(holdingForImage()).toBe(false);
    expect(sent).toEqual(["Save", "Case", "Presence", "Save"]);
    await vi.waitFor(() => expect(query.results).toEqual(["Case"]));
    release(); // a second call does nothing
    expect(sent).toHaveLength(4);
  });

  it("waits for every hold to end", () => {
    const { sent, run } = chain();
    const first = holdForImage();
    const second = holdForImage();
    run(QUERY);
    first();
    expect(sent).toEqual([]);
    second();
    expect(sent).toEqual(["Case"]);
  });

  it("ends a hold after its longest wait whatever happens", () => {
    vi.useFakeTimers();
    const { sent, run } = chain();
    holdForImage(500);
    run(QUERY);
    vi.advanceTimersByTime(499);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(["Case"]);
  });

  it("never sends an operation unsubscribed while it was held", () => {
    const { sent, run } = chain();
    const release = holdForImage();
    const gone = run(QUERY);
    run(SUBSCRIPTION);
    gone.subscription.unsubscribe();
    release();
    expect(sent).toEqual(["Presence"]);
  });

  it("lets a page end every hold (its image waits for its own query)", () => {
    const { sent, run } = chain();
    holdForImage();
    holdForImage();
    run(QUERY);
    releaseImageHolds();
    expect(sent).toEqual(["Case"]);
    run(SUBSCRIPTION);
    expect(sent).toEqual(["Case", "Presence"]);
  });
});
