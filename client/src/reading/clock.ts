// The reader's clock, as the MarkIt paper defines reading time: a case's time runs from the image
// being completely loaded to the click on submit; each label's time is the moment of its click;
// motionless stretches (no pointer, key or wheel activity for longer than a threshold) are kept so
// statistics can tell thinking from being away. Durations come from a monotonic clock
// (performance.now), never from wall-clock differences, so a changed system clock cannot skew them.

export interface LabelClick {
  labelId: string;
  /** Seconds since the image was completely loaded. */
  atSeconds: number;
  value: boolean;
  confidence: number;
}

export interface IdleStretch {
  /** Seconds since load when the reader stopped moving. */
  startSeconds: number;
  seconds: number;
}

export interface ReadingTiming {
  /** Wall-clock time of the load, ISO 8601 (for the record; durations do not use it). */
  loadedAt: string;
  /** Load to now (to the submit click, when taken at submit). */
  caseSeconds: number;
  labelClicks: LabelClick[];
  idle: IdleStretch[];
  /** Pointer clicks on the viewer and panel while reading. */
  clicks: number;
  idleThresholdSeconds: number;
}

export const DEFAULT_IDLE_THRESHOLD_SECONDS = 5;

const round3 = (n: number) => Math.round(n * 1000) / 1000;

export class ReadingClock {
  private loadedMono: number | null = null;
  private loadedWall: number | null = null;
  private lastActivity = 0;
  private readonly clicksOnLabels: LabelClick[] = [];
  private readonly stretches: IdleStretch[] = [];
  private clickCount = 0;

  constructor(
    private readonly idleThresholdSeconds = DEFAULT_IDLE_THRESHOLD_SECONDS,
    private readonly mono: () => number = () => performance.now(),
    private readonly wall: () => number = () => Date.now(),
  ) {}

  /** The image is completely loaded and shown: the case's time starts (once). */
  loaded(): void {
    if (this.loadedMono !== null) return;
    this.loadedMono = this.mono();
    this.loadedWall = this.wall();
    this.lastActivity = this.loadedMono;
  }

  get isLoaded(): boolean {
    return this.loadedMono !== null;
  }

  private seconds(at: number): number {
    return (at - this.loadedMono!) / 1000;
  }

  /** Any sign of the reader: pointer move, wheel, key. Closes a motionless stretch when there was one. */
  activity(): void {
    if (this.loadedMono === null) return;
    const now = this.mono();
    const gap = (now - this.lastActivity) / 1000;
    if (gap > this.idleThresholdSeconds) this.stretches.push({ startSeconds: round3(this.seconds(this.lastActivity)), seconds: round3(gap) });
    this.lastActivity = now;
  }

  /** A pointer click anywhere in the reading view. */
  click(): void {
    this.activity();
    if (this.loadedMono !== null) this.clickCount++;
  }

  /** A label set (by click or shortcut): its moment, value and confidence. */
  label(labelId: string, value: boolean, confidence: number): void {
    if (this.loadedMono === null) return;
    this.activity();
    this.clicksOnLabels.push({ labelId, atSeconds: round3(this.seconds(this.mono())), value, confidence });
  }

  /** The timing so far; taken at the submit click, caseSeconds is the paper's case time. */
  snapshot(): ReadingTiming | null {
    if (this.loadedMono === null) return null;
    const now = this.mono();
    // A stretch still open at the snapshot counts too: the reader was away until now.
    const open = (now - this.lastActivity) / 1000;
    const idle = open > this.idleThresholdSeconds ? [...this.stretches, { startSeconds: round3(this.seconds(this.lastActivity)), seconds: round3(open) }] : [...this.stretches];
    return {
      loadedAt: new Date(this.loadedWall!).toISOString(),
      caseSeconds: round3(this.seconds(now)),
      labelClicks: [...this.clicksOnLabels],
      idle,
      clicks: this.clickCount,
      idleThresholdSeconds: this.idleThresholdSeconds,
    };
  }
}

/**
 * Seconds spent on each label: from the previous label click (or the load) to this label's last
 * click, as in the paper's per-label time. A label set twice counts the time before each setting.
 */
export function secondsPerLabel(clicks: readonly LabelClick[]): Map<string, number> {
  const out = new Map<string, number>();
  let previous = 0;
  for (const c of [...clicks].sort((a, b) => a.atSeconds - b.atSeconds)) {
    out.set(c.labelId, round3((out.get(c.labelId) ?? 0) + (c.atSeconds - previous)));
    previous = c.atSeconds;
  }
  return out;
}
