import { getCurrentScope, onScopeDispose } from "vue";

/**
 * Refetching as events come in bursts: `soon()` runs `run` once, `delayMs` after the first event of a
 * burst; `now()` runs it at once. At most one run is in flight, and one more follows when asked for
 * meanwhile. A failed run is left to the query's own error to show. In a component or effect scope,
 * a pending run is dropped with it.
 */
export function useCoalescedRefetch(run: () => Promise<unknown>, delayMs = 300): { now: () => Promise<void>; soon: () => void } {
  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  async function now(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await run();
      } while (again);
    } catch {
      // The query's error shows it.
    } finally {
      running = false;
    }
  }
  function soon(): void {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void now();
    }, delayMs);
  }
  if (getCurrentScope()) {
    onScopeDispose(() => {
      if (timer) clearTimeout(timer);
    });
  }
  return { now, soon };
}
