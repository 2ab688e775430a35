import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { effectScope, nextTick, ref } from "vue";
import { useDebounced } from "./useDebounced";

describe("useDebounced", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("follows the source only after it has been quiet for the delay", async () => {
    const scope = effectScope();
    const typed = ref("");
    const query = scope.run(() => useDebounced(() => typed.value, 300))!;

    typed.value = "ra";
    await nextTick();
    vi.advanceTimersByTime(200);
    typed.value = "rad";
    await nextTick();
    vi.advanceTimersByTime(200);
    expect(query.value).toBe(""); // still typing

    vi.advanceTimersByTime(100);
    expect(query.value).toBe("rad");

    typed.value = "radi";
    await nextTick();
    scope.stop(); // a page left while typing sets nothing later
    vi.advanceTimersByTime(1000);
    expect(query.value).toBe("rad");
  });
});
