import { afterEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import type { CollabMessage } from "./collab.hub.js";
import { CollabStream } from "./collab.service.js";

const doc = { caseId: "c", layer: "consensus" };
const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");

/** n updates from one writer, each setting one key, as messages. */
function messages(n: number): { source: Y.Doc; list: CollabMessage[] } {
  const source = new Y.Doc();
  const list: CollabMessage[] = [];
  source.on("update", (u: Uint8Array) => list.push({ hub: "h", ...doc, update: b64(u), clientId: "writer" }));
  for (let i = 0; i < n; i++) source.getMap("m").set(`k${i}`, i);
  return { source, list };
}

describe("a subscriber's stream", () => {
  it("merges what a slow subscriber has waiting instead of dropping any of it", async () => {
    const stream = new CollabStream(8, async () => true, null, doc);
    const { source, list } = messages(20);
    for (const m of list) stream.push(m);
    const target = new Y.Doc();
    const events = [];
    for (;;) {
      const r = await Promise.race([stream.next(), new Promise<"idle">((res) => setTimeout(() => res("idle"), 50))]);
      if (r === "idle") break;
      events.push(r.value);
      Y.applyUpdate(target, Buffer.from(r.value!.update!, "base64"));
    }
    expect(events.length).toBeLessThan(20);
    expect(events[0]).toMatchObject({ kind: "UPDATE", clientId: null });
    expect(target.getMap("m").toJSON()).toEqual(source.getMap("m").toJSON());
    await stream.return();
  });

  it("hands every stream of the document one event object per stored update (executed once for all of them)", async () => {
    const a = new CollabStream(8, async () => true, null, doc);
    const b = new CollabStream(8, async () => true, "other", doc);
    const { list } = messages(2);
    for (const s of [a, b]) s.push(list[0]!);
    const [ea, eb] = [(await a.next()).value, (await b.next()).value];
    expect(ea).toEqual({ kind: "UPDATE", ...doc, update: list[0]!.update, clientId: "writer" });
    expect(ea).toBe(eb);
    // Another update is another event.
    for (const s of [a, b]) s.push(list[1]!);
    const [na, nb] = [(await a.next()).value, (await b.next()).value];
    expect(na).toBe(nb);
    expect(na).not.toBe(ea);
    await Promise.all([a.return(), b.return()]);
  });

  it("checks access before each event, leaves out the excepted client, and ends with ACCESS_REVOKED", async () => {
    let allowed = true;
    let cleanups = 0;
    const stream = new CollabStream(8, async () => allowed, "me", doc, 0);
    stream.onEnd(async () => void cleanups++);
    const { list } = messages(3);
    stream.push({ ...list[0]!, clientId: "me" });
    stream.push(list[1]!);
    expect((await stream.next()).value).toMatchObject({ kind: "UPDATE", clientId: "writer", update: list[1]!.update });
    allowed = false;
    stream.push(list[2]!);
    expect((await stream.next()).value).toEqual({ kind: "ACCESS_REVOKED", ...doc, update: null, clientId: null });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(cleanups).toBe(1);
    await stream.return();
    expect(cleanups).toBe(1);
  });

  it("lets one access check serve the updates of a short while, but checks again at once when told (a membership changed)", async () => {
    let allowed = true;
    let checks = 0;
    const stream = new CollabStream(
      8,
      async () => {
        checks++;
        return allowed;
      },
      null,
      doc,
      60_000,
    );
    const { list } = messages(3);
    stream.push(list[0]!);
    stream.push(list[1]!);
    expect((await stream.next()).value).toMatchObject({ kind: "UPDATE" });
    expect((await stream.next()).value).toMatchObject({ kind: "UPDATE" });
    expect(checks).toBe(1);
    // A revoked role: the stream hears the membership change and ends before the next update.
    allowed = false;
    stream.recheck();
    stream.push(list[2]!);
    expect((await stream.next()).value).toEqual({ kind: "ACCESS_REVOKED", ...doc, update: null, clientId: null });
    expect(checks).toBe(2);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  describe("while updates flow", () => {
    afterEach(() => vi.useRealTimers());

    it("renews the access check in the background, so no update waits for it, and ends the stream when the renewal says no", async () => {
      vi.useFakeTimers({ toFake: ["performance"] });
      const asked: Array<number | undefined> = [];
      let answerRenewal: (allowed: boolean) => void = () => {};
      const stream = new CollabStream(
        8,
        (notBefore) => {
          asked.push(notBefore);
          // The first check and the recheck after the renewal's no answer at once; the renewal waits.
          return asked.length === 2 ? new Promise<boolean>((resolve) => (answerRenewal = resolve)) : Promise.resolve(asked.length === 1);
        },
        null,
        doc,
        1000,
      );
      const { list } = messages(3);
      stream.push(list[0]!);
      expect((await stream.next()).value).toMatchObject({ kind: "UPDATE" });
      // Past half the answer's life: the next update goes out at once and a renewal starts.
      vi.advanceTimersByTime(600);
      stream.push(list[1]!);
      expect((await stream.next()).value).toMatchObject({ kind: "UPDATE", update: list[1]!.update });
      expect(asked).toEqual([undefined, undefined]);
      // The renewal says no: the stream checks afresh (a check started after now) and ends.
      const now = performance.now();
      answerRenewal(false);
      await new Promise((resolve) => setImmediate(resolve));
      stream.push(list[2]!);
      expect((await stream.next()).value).toEqual({ kind: "ACCESS_REVOKED", ...doc, update: null, clientId: null });
      expect(asked.length).toBe(3);
      expect(asked[2]).toBeGreaterThanOrEqual(now);
    });

    it("keeps a membership recheck when a slow subscriber's updates are merged", async () => {
      let allowed = true;
      const stream = new CollabStream(2, async () => allowed, null, doc, 60_000);
      const { list } = messages(4);
      stream.push(list[0]!);
      expect((await stream.next()).value).toMatchObject({ kind: "UPDATE" });
      allowed = false;
      stream.recheck();
      for (const m of list.slice(1)) stream.push(m);
      expect((await stream.next()).value).toEqual({ kind: "ACCESS_REVOKED", ...doc, update: null, clientId: null });
    });
  });
});
