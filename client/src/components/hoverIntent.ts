// A pointer resting on something for a moment (hover intent): a mouse that stays `delayMs` on a
// case in a list is likely to press it, so its image can start loading. A sweep across the list,
// a touch (no hover) or a pen does nothing.

export interface HoverIntent {
  enter(event: PointerEvent, act: () => void): void;
  leave(): void;
}

export function hoverIntent(delayMs: number): HoverIntent {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const leave = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return {
    enter(event, act) {
      leave();
      if (event.pointerType !== "mouse") return;
      timer = setTimeout(() => {
        timer = null;
        act();
      }, delayMs);
    },
    leave,
  };
}
