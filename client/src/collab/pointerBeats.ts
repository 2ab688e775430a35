// When presence beats go out: the regular beat every 2 s (the server forgets a user 6 s after
// their last), and, while the pointer moves over the image, one with the newest position at most
// every `moveEveryMs`. One beat at a time: a move during a beat in flight waits for it and goes out
// as the newest position only, so beats never overtake each other on the way (HTTP requests may)
// and a slow network sends fewer, not a backlog.

export interface PointerPosition {
  /** Image pixel coordinates (see viewer/imageCoordinates.ts). */
  x: number;
  y: number;
  sopInstanceUid: string | null;
  frame: number | null;
}

export interface PointerBeatsOptions {
  /** Sends one beat with this pointer (null: not on the image); resolves or rejects when done. */
  send(pointer: PointerPosition | null): Promise<unknown>;
  beatEveryMs?: number;
  moveEveryMs?: number;
  /** Clock and timers, replaceable in tests. */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export const BEAT_EVERY_MS = 2000;
export const MOVE_EVERY_MS = 150;

/** Rounded to 1/10 pixel: plenty for a pointer, and a still pointer sends the same numbers. */
const roundPointer = (p: PointerPosition): PointerPosition => ({ ...p, x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 });

const samePointer = (a: PointerPosition | null, b: PointerPosition | null) =>
  a === b || (!!a && !!b && a.x === b.x && a.y === b.y && a.sopInstanceUid === b.sopInstanceUid && a.frame === b.frame);

export class PointerBeats {
  private pointer: PointerPosition | null = null;
  /** The pointer of the last beat sent (or being sent). */
  private sent: PointerPosition | null = null;
  private lastSentAt = -Infinity;
  private inFlight = false;
  /** A beat is wanted as soon as the one in flight ends (and the move interval allows). */
  private wanted = false;
  private moveTimer: unknown = null;
  private beatTimer: unknown = null;
  private stopped = true;
  private readonly beatEveryMs: number;
  private readonly moveEveryMs: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: PointerBeatsOptions) {
    this.beatEveryMs = options.beatEveryMs ?? BEAT_EVERY_MS;
    this.moveEveryMs = options.moveEveryMs ?? MOVE_EVERY_MS;
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  /** Starts beating (one at once, then every beatEveryMs). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.beatNow();
  }

  stop(): void {
    this.stopped = true;
    this.wanted = false;
    if (this.moveTimer !== null) this.clearTimer(this.moveTimer);
    if (this.beatTimer !== null) this.clearTimer(this.beatTimer);
    this.moveTimer = this.beatTimer = null;
    this.pointer = this.sent = null;
    this.lastSentAt = -Infinity;
  }

  /** The pointer moved over the image (or left it: null). */
  move(pointer: PointerPosition | null): void {
    this.pointer = pointer ? roundPointer(pointer) : null;
    if (this.stopped || samePointer(this.pointer, this.sent)) return;
    this.wanted = true;
    this.pump();
  }

  private beatNow(): void {
    this.wanted = true;
    this.pump();
  }

  private pump(): void {
    if (this.stopped || !this.wanted || this.inFlight) return;
    const wait = this.lastSentAt + this.moveEveryMs - this.now();
    if (wait > 0) {
      this.moveTimer ??= this.setTimer(() => {
        this.moveTimer = null;
        this.pump();
      }, wait);
      return;
    }
    this.wanted = false;
    this.inFlight = true;
    this.sent = this.pointer;
    this.lastSentAt = this.now();
    // Every beat, a move's too, renews presence: the regular one counts from the last sent.
    if (this.beatTimer !== null) this.clearTimer(this.beatTimer);
    this.beatTimer = this.setTimer(() => {
      this.beatTimer = null;
      this.beatNow();
    }, this.beatEveryMs);
    const done = () => {
      this.inFlight = false;
      this.pump();
    };
    this.options.send(this.pointer).then(done, done);
  }
}
