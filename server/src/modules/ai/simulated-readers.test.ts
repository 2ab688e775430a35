import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IDLE_THRESHOLD_SECONDS, CONFIDENCE_GRADES, timingProblems } from "../annotations/timing.js";
import { simulateReader, type ReaderProfile } from "./simulated-readers.js";
import { seededRandom } from "./synthetic-cxr.js";

const PROFILE: ReaderProfile = {
  seed: 7,
  labels: {
    easy: { sensitivity: 0.95, specificity: 0.9, timeSeconds: { median: 4, spread: 0.4 } },
    hard: { sensitivity: 0.7, specificity: 0.97, timeSeconds: { median: 12, spread: 0.7 } },
  },
};

/** 2,000 cases, half with each finding present, shuffled by a seed. */
function cases(n = 2000) {
  const rnd = seededRandom(99);
  return Array.from({ length: n }, (_, i) => ({ key: `case-${i}`, truth: { easy: rnd() < 0.5, hard: rnd() < 0.5 } }));
}

describe("simulated readers", () => {
  it("answer the same for the same case and seed, whatever the order; another seed answers differently", () => {
    const a = simulateReader(PROFILE);
    const b = simulateReader({ ...PROFILE });
    const other = simulateReader({ ...PROFILE, seed: 8 });
    const all = cases(50);
    const forward = all.map((c) => a.read(c.key, c.truth));
    const backward = [...all].reverse().map((c) => b.read(c.key, c.truth)).reverse();
    expect(backward).toEqual(forward);
    expect(all.map((c) => other.read(c.key, c.truth))).not.toEqual(forward);
  });

  it("hit their sensitivity and specificity per label within tolerance over 2,000 cases", () => {
    const reader = simulateReader(PROFILE);
    const all = cases();
    for (const label of ["easy", "hard"] as const) {
      const p = PROFILE.labels[label]!;
      let tp = 0;
      let pos = 0;
      let tn = 0;
      let neg = 0;
      for (const c of all) {
        const value = reader.read(c.key, c.truth).labels.find((l) => l.label === label)!.value;
        if (c.truth[label]) {
          pos++;
          if (value) tp++;
        } else {
          neg++;
          if (!value) tn++;
        }
      }
      // About 1,000 of each: three binomial standard deviations are under 0.045.
      expect(Math.abs(tp / pos - p.sensitivity), `${label} sensitivity ${tp / pos}`).toBeLessThan(0.045);
      expect(Math.abs(tn / neg - p.specificity), `${label} specificity ${tn / neg}`).toBeLessThan(0.045);
    }
  });

  it("take lognormal seconds per label around the chosen median and spread", () => {
    const reader = simulateReader(PROFILE);
    for (const label of ["easy", "hard"] as const) {
      const { median, spread } = PROFILE.labels[label]!.timeSeconds;
      const logs = cases().map((c) => Math.log(reader.read(c.key, c.truth).labels.find((l) => l.label === label)!.seconds)).sort((x, y) => x - y);
      const m = logs.reduce((s, v) => s + v, 0) / logs.length;
      const sd = Math.sqrt(logs.reduce((s, v) => s + (v - m) ** 2, 0) / logs.length);
      expect(Math.exp(logs[logs.length / 2]!) / median, label).toBeGreaterThan(0.93);
      expect(Math.exp(logs[logs.length / 2]!) / median, label).toBeLessThan(1.07);
      expect(sd / spread, label).toBeGreaterThan(0.9);
      expect(sd / spread, label).toBeLessThan(1.1);
    }
  });

  it("grade their confidence, higher when right than when wrong", () => {
    const reader = simulateReader(PROFILE);
    const right: number[] = [];
    const wrong: number[] = [];
    for (const c of cases()) {
      for (const l of reader.read(c.key, c.truth).labels) {
        expect(CONFIDENCE_GRADES).toContain(l.confidence);
        (l.value === c.truth[l.label as "easy" | "hard"] ? right : wrong).push(l.confidence);
      }
    }
    const avg = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(wrong.length).toBeGreaterThan(100);
    expect(avg(right)).toBeGreaterThan(avg(wrong) + 15);
  });

  it("produce timing the platform accepts: clicks in order within the case, idle stretches of at least the threshold", () => {
    const reader = simulateReader(PROFILE);
    let idle = 0;
    for (const c of cases(300)) {
      const r = reader.read(c.key, c.truth);
      const ats = r.labels.map((l) => l.atSeconds);
      expect([...ats].sort((x, y) => x - y)).toEqual(ats);
      expect(r.caseSeconds).toBeGreaterThan(ats[ats.length - 1]!);
      idle += r.idle.length;
      const problems = timingProblems(
        {
          sessionId: randomUUID(),
          loadedAt: new Date(),
          caseSeconds: r.caseSeconds,
          clicks: r.labels.length,
          idleThresholdSeconds: IDLE_THRESHOLD_SECONDS,
          labelClicks: r.labels.map((l) => ({ labelId: l.label, atSeconds: l.atSeconds, value: l.value, confidence: l.confidence })),
          idle: r.idle,
        },
        new Set(["easy", "hard"]),
        "timing",
      );
      expect(problems).toEqual([]);
    }
    expect(idle).toBeGreaterThan(30);
  });

  it("refuses a sensitivity outside [0, 1]", () => {
    expect(() => simulateReader({ seed: 1, labels: { x: { sensitivity: 1.2, specificity: 0.9, timeSeconds: { median: 3, spread: 0.3 } } } })).toThrow(/sensitivity/);
  });
});
