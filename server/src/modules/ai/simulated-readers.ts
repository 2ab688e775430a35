import { normalSource, seededRandom } from "./synthetic-cxr.js";

// Simulated readers for the demo project and for tests of agreement, truth estimates and rewards:
// each reads a case's ground truth through a chosen sensitivity and specificity per label, grades
// its confidence (sure when right, less so when wrong, as real readers are on average), and takes
// a lognormal time per label, as reading times are skewed (the MarkIt paper's per-label means:
// cardiomegaly 4.6 s, pneumothorax 13.9 s, 6.2 s over its seven labels).
// A reading depends only on the reader's seed and the case's key, so readers can read cases in any
// order, or again, and answer the same.

export interface LabelProfile {
  /** P(positive | finding present). */
  sensitivity: number;
  /** P(negative | finding absent). */
  specificity: number;
  /** Lognormal seconds: the median and the standard deviation of the natural log. */
  timeSeconds: { median: number; spread: number };
}

export interface ReaderProfile {
  seed: number;
  labels: Record<string, LabelProfile>;
  /** Seconds from the image loading to the first label click (looking first). Default median 2 s, spread 0.4. */
  lookSeconds?: { median: number; spread: number };
}

export interface LabelReading {
  label: string;
  value: boolean;
  /** A confidence grade: 0, 20, 40, 60, 80 or 100 (how sure of the value given). */
  confidence: number;
  /** Seconds spent on this label: from the previous click (or the first look) to its click. */
  seconds: number;
  /** Seconds from the image load to the click on this label. */
  atSeconds: number;
}

export interface Reading {
  labels: LabelReading[];
  /** From the image load to the submit click. */
  caseSeconds: number;
  /** Motionless stretches (at least 5 s) inside the long label stretches. */
  idle: Array<{ startSeconds: number; seconds: number }>;
}

export interface SimulatedReader {
  readonly profile: ReaderProfile;
  /** The reading of one case; labels in the profile's order, absent truth read as negative. */
  read(caseKey: string | number, truth: Record<string, boolean>): Reading;
}

/** Idle stretches shorter than this are not recorded (the platform's threshold). */
const IDLE_SECONDS = 5;
/** Readers do not stare at one label forever: the most seconds one label takes. */
const MAX_LABEL_SECONDS = 60;

export function simulateReader(profile: ReaderProfile): SimulatedReader {
  for (const [label, p] of Object.entries(profile.labels)) {
    for (const key of ["sensitivity", "specificity"] as const) {
      if (!(p[key] >= 0 && p[key] <= 1)) throw new RangeError(`${label}.${key} must lie in [0, 1]`);
    }
    if (!(p.timeSeconds.median > 0) || !(p.timeSeconds.spread >= 0)) throw new RangeError(`${label}.timeSeconds needs a positive median and a spread of 0 or more`);
  }
  const look = profile.lookSeconds ?? { median: 2, spread: 0.4 };
  return {
    profile,
    read(caseKey, truth) {
      const rnd = seededRandom(mix(profile.seed, String(caseKey)));
      const gauss = normalSource(rnd);
      const lognormal = (t: { median: number; spread: number }) => t.median * Math.exp(t.spread * gauss());
      let at = Math.min(MAX_LABEL_SECONDS, lognormal(look));
      const labels: LabelReading[] = [];
      const idle: Reading["idle"] = [];
      for (const [label, p] of Object.entries(profile.labels)) {
        const present = truth[label] === true;
        const value = present ? rnd() < p.sensitivity : rnd() >= p.specificity;
        const seconds = Math.min(MAX_LABEL_SECONDS, Math.max(0.3, lognormal(p.timeSeconds)));
        // A long look holds still for a while: part of the stretch is idle.
        if (seconds >= IDLE_SECONDS + 2 && rnd() < 0.6) {
          const still = IDLE_SECONDS + rnd() * (seconds - IDLE_SECONDS - 1);
          idle.push({ startSeconds: round(at + 0.5), seconds: round(still) });
        }
        at += seconds;
        labels.push({ label, value, confidence: confidenceGrade(value === present, rnd), seconds: round(seconds), atSeconds: round(at) });
      }
      const caseSeconds = round(at + 0.5 + rnd() * 1.5); // the move to the submit button
      return { labels, caseSeconds, idle };
    },
  };
}

/** Right answers are mostly given with 80–100 %, wrong ones more often with 40–60 %. */
function confidenceGrade(right: boolean, rnd: () => number): number {
  const r = rnd();
  const grades = right ? [100, 100, 80, 80, 80, 60, 60, 40] : [80, 60, 60, 40, 40, 40, 20, 20];
  return grades[Math.min(grades.length - 1, Math.floor(r * grades.length))]!;
}

const round = (s: number) => Math.round(s * 1000) / 1000;

/** A 32-bit seed from the reader's seed and the case key (FNV-1a, then a final avalanche). */
function mix(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}
