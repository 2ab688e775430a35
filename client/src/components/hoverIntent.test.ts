import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hoverIntent } from "./hoverIntent";

const pointer = (pointerType: string) => ({ pointerType }) as PointerEvent;

describe("hover intent", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("acts once a mouse has rested for the delay, not before", () => {
    const intent = hoverIntent(100);
    const act = vi.fn();
    intent.enter(pointer("mouse"), act);
    vi.advanceTimersByTime(99);
    expect(act).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(act).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(act).toHaveBeenCalledTimes(1);
  });

  it("does nothing for a mouse that leaves first, and only for the last thing entered in a sweep", () => {
    const intent = hoverIntent(100);
    const first = vi.fn();
    const second = vi.fn();
    intent.enter(pointer("mouse"), first);
    vi.advanceTimersByTime(60);
    intent.leave();
    vi.advanceTimersByTime(200);
    expect(first).not.toHaveBeenCalled();
    intent.enter(pointer("mouse"), first);
    vi.advanceTimersByTime(50);
    intent.enter(pointer("mouse"), second);
    vi.advanceTimersByTime(100);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it("ignores touch and pen, which do not hover", () => {
    const intent = hoverIntent(100);
    const act = vi.fn();
    intent.enter(pointer("touch"), act);
    intent.enter(pointer("pen"), act);
    vi.advanceTimersByTime(500);
    expect(act).not.toHaveBeenCalled();
  });
});
