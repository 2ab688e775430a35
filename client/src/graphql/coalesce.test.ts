import { effectScope } from "vue";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useCoalescedRefetch } from "./coalesce";

describe("useCoalescedRefetch", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once for a burst of events, after the delay", async () => {
    const run = vi.fn(async () => {});
    const r = useCoalescedRefetch(run, 300);
    r.soon();
    r.soon();
    r.soon();
    await vi.advanceTimersByTimeAsync(299);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("runs once more when asked while a run is in flight, never two at once", async () => {
    let release!: () => void;
    let inFlight = 0;
    let most = 0;
    const run = vi.fn(async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => (release = resolve));
      inFlight--;
    });
    const r = useCoalescedRefetch(run);
    const first = r.now();
    void r.now();
    void r.now();
    release();
    await vi.waitFor(() => expect(run).toHaveBeenCalledTimes(2));
    release();
    await first;
    expect(run).toHaveBeenCalledTimes(2);
    expect(most).toBe(1);
  });

  it("keeps going after a failed run", async () => {
    const run = vi.fn().mockRejectedValueOnce(new Error("offline")).mockResolvedValue(undefined);
    const r = useCoalescedRefetch(run);
    await r.now();
    await r.now();
    expect(run).toHaveBeenCalledTimes(2);
  });

  it("drops a pending run with its scope", async () => {
    const run = vi.fn(async () => {});
    const scope = effectScope();
    const r = scope.run(() => useCoalescedRefetch(run, 300))!;
    r.soon();
    scope.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).not.toHaveBeenCalled();
  });
});
