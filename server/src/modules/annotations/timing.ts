import type { FieldProblem } from "../../errors.js";
import { isUuid } from "../../access/access.js";

// Reading time as the MarkIt paper defines it: per case, from the image being completely loaded to
// the click on submit; per label, the time of each click; and motionless (idle) stretches.
//
// What is trusted: the client measures every duration with performance.now(), counted from its own
// "image loaded" moment, so they are monotonic and immune to its wall clock. Only the client can see
// when the image finished loading and when a label was clicked, so those numbers are taken as
// measured, within what the server itself saw pass. A session (one page load) may claim no more
// seconds than the server's clock advanced since the latest of: the version being opened (the
// nextCase claim; without one, OPEN_GRACE_SECONDS before the draft's first save) and the last
// report of an earlier session (a reload ends the page that sent it); plus CLOCK_SLACK_SECONDS.
// Beyond that its seconds are cut to what the server saw and the annotation is marked clamped
// (statistics may leave it out). The client's wall-clock loadedAt is stored as reported, for
// reference only; submittedAt is the server's clock.

/** Motionless stretches shorter than this are not recorded. A project-wide constant for now; clients send it back so the data says which threshold it used. */
export const IDLE_THRESHOLD_SECONDS = 5;
export const CONFIDENCE_GRADES = [0, 20, 40, 60, 80, 100] as const;
/** Network and timer jitter we forgive when comparing a client's durations with our clock. */
export const CLOCK_SLACK_SECONDS = 2;
/** Without a claim from nextCase, how long before its first save a draft's image may have loaded. */
export const OPEN_GRACE_SECONDS = 10 * 60;
export const MAX_LABEL_CLICKS = 10_000;
export const MAX_IDLE_PERIODS = 10_000;
/** Float tolerance for comparing client offsets with the session's elapsed time. */
const EPS = 0.01;

export interface LabelClick {
  labelId: string;
  /** Seconds since this session's image was loaded. */
  atSeconds: number;
  value: boolean;
  confidence: number | null;
}

export interface IdlePeriod {
  startSeconds: number;
  seconds: number;
}

/** What a client reports of one session (page load) with every save: everything so far, not a delta. */
export interface TimingReport {
  sessionId: string;
  /** Client wall clock when the image was completely loaded; stored, not trusted. */
  loadedAt: Date;
  /** performance.now() seconds from the image load to this save (for a submit: to the submit click). */
  caseSeconds: number;
  /** Every pointer click in the session (labels, tools, drawing). */
  clicks: number;
  idleThresholdSeconds: number;
  labelClicks: Array<Omit<LabelClick, "confidence"> & { confidence?: number | null | undefined }>;
  idle: IdlePeriod[];
}

/** A session as stored. */
export interface StoredSession {
  sessionId: string;
  position: number;
  frozen: boolean;
  loadedAt: Date;
  startedAt: Date;
  reportedAt: Date;
  reportedSeconds: number;
  seconds: number;
  clickCount: number;
  clamped: boolean;
  labelClicks: LabelClick[];
  idle: IdlePeriod[];
}

export const isGrade = (n: number) => (CONFIDENCE_GRADES as readonly number[]).includes(n);
export const gradeMessage = `must be one of ${CONFIDENCE_GRADES.join(", ")}`;

/**
 * Problems with a timing report, as field errors under `path`. `classificationLabels` holds the
 * project's classification labels (archived ones too: a click is history).
 */
export function timingProblems(t: TimingReport, classificationLabels: ReadonlySet<string>, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const at = (field: string, message: string) => problems.push({ field: `${path}.${field}`, message });
  if (!isUuid(t.sessionId)) at("sessionId", "must be a UUID the client makes for each page load");
  if (!(t.loadedAt instanceof Date) || Number.isNaN(t.loadedAt.getTime())) at("loadedAt", "must be a date and time");
  if (!Number.isFinite(t.caseSeconds) || t.caseSeconds < 0) at("caseSeconds", "must be a number of seconds, 0 or more");
  if (Math.abs(t.idleThresholdSeconds - IDLE_THRESHOLD_SECONDS) > 1e-9) {
    at("idleThresholdSeconds", `must be ${IDLE_THRESHOLD_SECONDS}, the project's idle threshold`);
  }
  // Not compared with labelClicks: a label may be set by a keyboard shortcut.
  if (!Number.isInteger(t.clicks) || t.clicks < 0) at("clicks", "must be a whole number, 0 or more");
  const limit = Number.isFinite(t.caseSeconds) ? t.caseSeconds + EPS : Infinity;

  if (t.labelClicks.length > MAX_LABEL_CLICKS) at("labelClicks", `must have at most ${MAX_LABEL_CLICKS} clicks`);
  else {
    t.labelClicks.forEach((c, i) => {
      if (!classificationLabels.has(c.labelId)) at(`labelClicks[${i}].labelId`, "is not a classification label of this project");
      if (!Number.isFinite(c.atSeconds) || c.atSeconds < 0 || c.atSeconds > limit) at(`labelClicks[${i}].atSeconds`, "must lie between the image load (0) and caseSeconds");
      if (c.confidence != null && !isGrade(c.confidence)) at(`labelClicks[${i}].confidence`, gradeMessage);
    });
  }

  if (t.idle.length > MAX_IDLE_PERIODS) at("idle", `must have at most ${MAX_IDLE_PERIODS} periods`);
  else {
    let end = -Infinity;
    const order = t.idle.map((p, i) => ({ p, i })).sort((a, b) => a.p.startSeconds - b.p.startSeconds);
    for (const { p, i } of order) {
      if (!Number.isFinite(p.startSeconds) || p.startSeconds < 0) at(`idle[${i}].startSeconds`, "must be a number of seconds, 0 or more");
      else if (!Number.isFinite(p.seconds) || p.seconds < IDLE_THRESHOLD_SECONDS - EPS) at(`idle[${i}].seconds`, `must be at least the idle threshold, ${IDLE_THRESHOLD_SECONDS} s`);
      else if (p.startSeconds + p.seconds > limit) at(`idle[${i}]`, "must end by caseSeconds");
      else if (p.startSeconds < end - EPS) at(`idle[${i}]`, "overlaps another idle period");
      else end = p.startSeconds + p.seconds;
    }
  }
  return problems;
}

export type MergeOutcome = { kind: "stale" } | { kind: "frozen" } | { kind: "merged"; session: StoredSession };

/**
 * Folds a report into the stored sessions of a version. Reports are cumulative, so an autosave sent
 * twice changes nothing, and one that arrives after a later one of the same session (less elapsed
 * time) is stale and must change nothing either.
 */
export function mergeSession(existing: StoredSession | undefined, others: readonly StoredSession[], report: TimingReport, now: Date, openedAt: Date): MergeOutcome {
  if (existing?.frozen) return { kind: "frozen" };
  if (existing && report.caseSeconds < existing.reportedSeconds) return { kind: "stale" };
  // Our estimate of the load on our clock: when the client says, but not before the version was
  // opened, nor before the last report of an earlier session (a reload ends the page that sent it).
  const anchor = Math.max(openedAt.getTime(), ...others.map((s) => s.reportedAt.getTime()));
  const startedAt = existing?.startedAt ?? new Date(Math.max(anchor, now.getTime() - report.caseSeconds * 1000));
  const seen = Math.max(0, (now.getTime() - startedAt.getTime()) / 1000) + CLOCK_SLACK_SECONDS;
  const clamped = report.caseSeconds > seen;
  const seconds = clamped ? seen : report.caseSeconds;
  return {
    kind: "merged",
    session: {
      sessionId: report.sessionId,
      position: existing?.position ?? Math.max(-1, ...others.map((s) => s.position)) + 1,
      frozen: false,
      loadedAt: report.loadedAt,
      startedAt,
      reportedAt: now,
      reportedSeconds: report.caseSeconds,
      seconds,
      clickCount: report.clicks,
      clamped,
      labelClicks: report.labelClicks
        .map((c) => ({ labelId: c.labelId, atSeconds: c.atSeconds, value: c.value, confidence: c.confidence ?? null }))
        .sort((a, b) => a.atSeconds - b.atSeconds),
      idle: report.idle.map((p) => ({ startSeconds: p.startSeconds, seconds: p.seconds })).sort((a, b) => a.startSeconds - b.startSeconds),
    },
  };
}

export interface TimingSummary {
  caseSeconds: number | null;
  loadedAt: Date | null;
  clickCount: number;
  labelClickCount: number;
  idleCount: number;
  idleSeconds: number;
  sessionCount: number;
  clamped: boolean;
  /** Per label: the seconds from the previous click (or the load) to each click on it, summed, and its clicks. */
  labels: Map<string, { seconds: number; clicks: number }>;
}

/**
 * The derived numbers statistics read. A label's time is the sum of the stretches that end in a
 * click on it, each from the previous label click of the same session (or from the image load);
 * motionless time inside a stretch counts (looking is reading), and is reported separately as idle.
 * Offsets beyond a clamped session's seconds are cut to them, so no label takes longer than its case.
 */
export function summarise(sessions: readonly StoredSession[]): TimingSummary {
  const ordered = [...sessions].sort((a, b) => a.position - b.position);
  const labels = new Map<string, { seconds: number; clicks: number }>();
  let caseSeconds = 0;
  let clickCount = 0;
  let labelClickCount = 0;
  let idleCount = 0;
  let idleSeconds = 0;
  for (const s of ordered) {
    caseSeconds += s.seconds;
    clickCount += s.clickCount;
    let previous = 0;
    for (const c of [...s.labelClicks].sort((a, b) => a.atSeconds - b.atSeconds)) {
      const at = Math.min(c.atSeconds, s.seconds);
      const entry = labels.get(c.labelId) ?? { seconds: 0, clicks: 0 };
      entry.seconds += Math.max(0, at - previous);
      entry.clicks += 1;
      labels.set(c.labelId, entry);
      labelClickCount += 1;
      previous = at;
    }
    for (const p of s.idle) {
      const seconds = Math.max(0, Math.min(p.startSeconds + p.seconds, s.seconds) - p.startSeconds);
      if (seconds <= 0) continue;
      idleCount += 1;
      idleSeconds += seconds;
    }
  }
  return {
    caseSeconds: ordered.length ? caseSeconds : null,
    loadedAt: ordered[0]?.loadedAt ?? null,
    clickCount,
    labelClickCount,
    idleCount,
    idleSeconds,
    sessionCount: ordered.length,
    clamped: ordered.some((s) => s.clamped),
    labels,
  };
}
