import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PointerBeats, type PointerPosition } from "./pointerBeats";

const at = (x: number, y = 10): PointerPosition => ({ x, y, sopInstanceUid: "1.2.3", frame: 1 });

/** A sender whose beats each take `latencyMs`, recording when each was sent and with what. */
function recorder(latencyMs = 0) {
  const sent: Array<{ t: number; pointer: PointerPosition | null }> = [];
  const send = (pointer: PointerPosition | null) => {
    sent.push({ t: Date.now(), pointer });
    return new Promise<void>((resolve) => setTimeout(resolve, latencyMs));
  };
  return { sent, send };
}

describe("presence beats with the pointer", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("beats at once and then every 2 s while the pointer is still", async () => {
    const r = recorder();
    const beats = new PointerBeats({ send: r.send, now: () => Date.now() });
    beats.start();
    await vi.advanceTimersByTimeAsync(6100);
    expect(r.sent.map((s) => s.t)).toEqual([0, 2000, 4000, 6000]);
    expect(r.sent.every((s) => s.pointer === null)).toBe(true);
    beats.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.sent).toHaveLength(4);
  });

  it("sends moves at most every 150 ms, the newest position last, and the regular beat carries it", async () => {
    const r = recorder();
    const beats = new PointerBeats({ send: r.send, now: () => Date.now() });
    beats.start();
    // A move every 10 ms for a second.
    for (let i = 1; i <= 100; i++) {
      await vi.advanceTimersByTimeAsync(10);
      beats.move(at(i));
    }
    await vi.advanceTimersByTimeAsync(200);
    const gaps = r.sent.slice(1).map((s, i) => s.t - r.sent[i]!.t);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150);
    // Not one per move, but enough to follow it: about one per 150 ms.
    expect(r.sent.length).toBeGreaterThanOrEqual(6);
    expect(r.sent.length).toBeLessThanOrEqual(9);
    expect(r.sent.at(-1)!.pointer).toEqual(at(100));
    const lastMove = r.sent.at(-1)!.t;
    await vi.advanceTimersByTimeAsync(2000);
    expect(r.sent.at(-1)).toEqual({ t: lastMove + 2000, pointer: at(100) });
  });

  it("keeps one beat in flight: moves during a slow beat go out once, as the newest position", async () => {
    const r = recorder(1000);
    const beats = new PointerBeats({ send: r.send, now: () => Date.now() });
    beats.start();
    for (let i = 1; i <= 50; i++) {
      await vi.advanceTimersByTimeAsync(10);
      beats.move(at(i));
    }
    await vi.advanceTimersByTimeAsync(600);
    expect(r.sent.map((s) => s.t)).toEqual([0, 1000]);
    expect(r.sent[1]!.pointer).toEqual(at(50));
  });

  it("says when the pointer leaves the image, and does not repeat an unchanged position", async () => {
    const r = recorder();
    const beats = new PointerBeats({ send: r.send, now: () => Date.now() });
    beats.start();
    await vi.advanceTimersByTimeAsync(500);
    beats.move(at(5.01));
    beats.move(at(5.04)); // the same to a tenth of a pixel
    await vi.advanceTimersByTimeAsync(500);
    beats.move(at(5.02));
    await vi.advanceTimersByTimeAsync(500);
    beats.move(null);
    await vi.advanceTimersByTimeAsync(100);
    expect(r.sent.map((s) => [s.t, s.pointer?.x ?? null])).toEqual([
      [0, null],
      [500, 5],
      [1500, null],
    ]);
  });

  it("goes on beating after a failed beat", async () => {
    let calls = 0;
    const beats = new PointerBeats({
      send: () => (++calls === 1 ? Promise.reject(new Error("offline")) : Promise.resolve()),
      now: () => Date.now(),
    });
    beats.start();
    await vi.advanceTimersByTimeAsync(4100);
    expect(calls).toBe(3);
  });
});
