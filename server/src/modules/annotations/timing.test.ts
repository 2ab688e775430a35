import { describe, expect, it } from "vitest";
import { normaliseRoi } from "./geometry.js";
import { CLOCK_SLACK_SECONDS, IDLE_THRESHOLD_SECONDS, mergeSession, summarise, timingProblems, type StoredSession, type TimingReport } from "./timing.js";

const L1 = "11111111-1111-4111-8111-111111111111";
const L2 = "22222222-2222-4222-8222-222222222222";
const S1 = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const S2 = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const T0 = new Date("2026-01-01T10:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const report = (over: Partial<TimingReport> = {}): TimingReport => ({
  sessionId: S1,
  loadedAt: T0,
  caseSeconds: 10,
  clicks: 3,
  idleThresholdSeconds: IDLE_THRESHOLD_SECONDS,
  labelClicks: [],
  idle: [],
  ...over,
});

const merged = (outcome: ReturnType<typeof mergeSession>): StoredSession => {
  if (outcome.kind !== "merged") throw new Error(`expected a merge, got ${outcome.kind}`);
  return outcome.session;
};

describe("timing", () => {
  it("counts a label's time from the previous label click (or the load) to each click on it, per session", () => {
    const s1 = merged(
      mergeSession(undefined, [], report({
        caseSeconds: 20,
        labelClicks: [
          { labelId: L1, atSeconds: 4, value: true, confidence: 80 },
          { labelId: L2, atSeconds: 10, value: true, confidence: 60 },
          { labelId: L1, atSeconds: 12.5, value: false, confidence: 100 },
        ],
        idle: [{ startSeconds: 13, seconds: 6 }],
      }), at(20), at(0)),
    );
    const s2 = merged(
      mergeSession(undefined, [s1], report({ sessionId: S2, caseSeconds: 3, clicks: 1, labelClicks: [{ labelId: L2, atSeconds: 2, value: false, confidence: null }] }), at(3600), at(0)),
    );
    const t = summarise([s2, s1]);
    expect(t.caseSeconds).toBe(23);
    expect(t.clickCount).toBe(4);
    expect(t.labelClickCount).toBe(4);
    expect(t.sessionCount).toBe(2);
    expect(t.loadedAt).toEqual(T0);
    // L1: 4 (load->4) + 2.5 (10->12.5); L2: 6 (4->10) + 2 (second session's load->2)
    expect(Object.fromEntries(t.labels)).toEqual({ [L1]: { seconds: 6.5, clicks: 2 }, [L2]: { seconds: 8, clicks: 2 } });
    expect([t.idleCount, t.idleSeconds, t.clamped]).toEqual([1, 6, false]);
    expect(summarise([]).caseSeconds).toBeNull();
  });

  it("trusts the client's durations only as far as the server's clock went", () => {
    // Opened 60 s ago: a first report of 30 s is believed, and dated to 30 s ago.
    const first = merged(mergeSession(undefined, [], report({ caseSeconds: 30 }), at(60), at(0)));
    expect([first.seconds, first.clamped, first.startedAt]).toEqual([30, false, at(30)]);
    // 10 s later the same session cannot claim 100 s.
    const later = merged(mergeSession(first, [], report({ caseSeconds: 100 }), at(70), at(0)));
    expect([later.seconds, later.clamped, later.reportedSeconds]).toEqual([40 + CLOCK_SLACK_SECONDS, true, 100]);
    // Nor can a first report claim more than the time since the version was opened.
    const greedy = merged(mergeSession(undefined, [], report({ caseSeconds: 500 }), at(60), at(0)));
    expect([greedy.seconds, greedy.clamped]).toEqual([60 + CLOCK_SLACK_SECONDS, true]);
    // A new session (a reload) starts after the previous session's last report.
    const reload = merged(mergeSession(undefined, [first], report({ sessionId: S2, caseSeconds: 50 }), at(65), at(0)));
    expect([reload.seconds, reload.clamped, reload.position]).toEqual([5 + CLOCK_SLACK_SECONDS, true, 1]);
    // Offsets past a clamped session's seconds are cut, so no label takes longer than the case.
    const cut = merged(mergeSession(undefined, [], report({ caseSeconds: 500, labelClicks: [{ labelId: L1, atSeconds: 400, value: true }] }), at(10), at(0)));
    expect(summarise([cut]).labels.get(L1)!.seconds).toBe(10 + CLOCK_SLACK_SECONDS);
  });

  it("ignores a stale report of a session and refuses one of a frozen session", () => {
    const first = merged(mergeSession(undefined, [], report({ caseSeconds: 30 }), at(60), at(0)));
    expect(mergeSession(first, [], report({ caseSeconds: 20 }), at(61), at(0)).kind).toBe("stale");
    expect(mergeSession(first, [], report({ caseSeconds: 30 }), at(61), at(0)).kind).toBe("merged");
    expect(mergeSession({ ...first, frozen: true }, [], report({ caseSeconds: 40 }), at(61), at(0)).kind).toBe("frozen");
  });

  it("names each problem of a timing report by its field", () => {
    const labels = new Set([L1]);
    expect(timingProblems(report(), labels, "input.timing")).toEqual([]);
    const problems = timingProblems(
      report({
        sessionId: "nope",
        caseSeconds: 10,
        clicks: -1,
        idleThresholdSeconds: 3,
        labelClicks: [
          { labelId: L2, atSeconds: 1, value: true },
          { labelId: L1, atSeconds: 11, value: true, confidence: 50 },
        ],
        idle: [
          { startSeconds: 0, seconds: 6 },
          { startSeconds: 5, seconds: 5 },
          { startSeconds: 8, seconds: 2 },
        ],
      }),
      labels,
      "input.timing",
    ).map((p) => p.field);
    expect(problems.sort()).toEqual(
      [
        "input.timing.sessionId",
        "input.timing.idleThresholdSeconds",
        "input.timing.clicks",
        "input.timing.labelClicks[0].labelId",
        "input.timing.labelClicks[1].atSeconds",
        "input.timing.labelClicks[1].confidence",
        "input.timing.idle[1]",
        "input.timing.idle[2].seconds",
      ].sort(),
    );
  });
});

describe("ROI geometry", () => {
  const size = { columns: 100, rows: 50 };
  const ok = (r: ReturnType<typeof normaliseRoi>) => {
    if ("problems" in r) throw new Error(JSON.stringify(r.problems));
    return r.points;
  };
  const fields = (r: ReturnType<typeof normaliseRoi>) => ("problems" in r ? r.problems.map((p) => `${p.field}: ${p.message}`) : []);

  it("stores a rectangle as its two normalised corners", () => {
    expect(ok(normaliseRoi("RECTANGLE", [[80, 40], [10, 5]], size, "p"))).toEqual([[10, 5], [80, 40]]);
    expect(ok(normaliseRoi("RECTANGLE", [[10, 40], [80, 40], [80, 5], [10, 5]], size, "p"))).toEqual([[10, 5], [80, 40]]);
    expect(fields(normaliseRoi("RECTANGLE", [[10, 5]], size, "p"))).toEqual(["p: a rectangle needs two opposite corners"]);
    expect(fields(normaliseRoi("RECTANGLE", [[10, 5], [10, 40]], size, "p"))).toEqual(["p: a rectangle must have a width and a height"]);
  });

  it("wants three points and an area for a freehand region, and points on (or just off) the image", () => {
    expect(ok(normaliseRoi("FREEHAND", [[1, 1], [20, 1], [10, 30]], size, "p"))).toEqual([[1, 1], [20, 1], [10, 30]]);
    expect(fields(normaliseRoi("FREEHAND", [[1, 1], [20, 1]], size, "p"))).toEqual(["p: a freehand region needs at least 3 points"]);
    expect(fields(normaliseRoi("FREEHAND", [[1, 1], [2, 2], [3, 3]], size, "p"))).toEqual(["p: a freehand region must enclose an area"]);
    // 5 % margin: -5..105 x -2.5..52.5
    expect(ok(normaliseRoi("FREEHAND", [[-4, 0], [104, 0], [50, 52]], size, "p"))).toHaveLength(3);
    expect(fields(normaliseRoi("FREEHAND", [[1, 1], [120, 1], [10, 30]], size, "p"))).toEqual(["p[1]: lies outside the 100x50 image"]);
    expect(fields(normaliseRoi("FREEHAND", [[1, 1], [2], [10, 30]], size, "p"))).toEqual(["p[1]: must be [x, y]"]);
    // Without a known size, only implausible numbers are refused.
    expect(ok(normaliseRoi("FREEHAND", [[1, 1], [5000, 1], [10, 3000]], null, "p"))).toHaveLength(3);
    expect(fields(normaliseRoi("FREEHAND", [[1, 1], [5e6, 1], [10, 30]], null, "p"))).toEqual(["p[1]: is not a plausible pixel coordinate"]);
  });

  it("takes one point for a POINT, on the image itself (its edges included)", () => {
    expect(ok(normaliseRoi("POINT", [[12.25, 7.5]], size, "p"))).toEqual([[12.25, 7.5]]);
    expect(ok(normaliseRoi("POINT", [[100, 50]], size, "p"))).toEqual([[100, 50]]);
    expect(ok(normaliseRoi("POINT", [[0, 0]], size, "p"))).toEqual([[0, 0]]);
    expect(fields(normaliseRoi("POINT", [], size, "p"))).toEqual(["p: a point is one [x, y]"]);
    expect(fields(normaliseRoi("POINT", [[1, 1], [2, 2]], size, "p"))).toEqual(["p: a point is one [x, y]"]);
    expect(fields(normaliseRoi("POINT", [[100.5, 10]], size, "p"))).toEqual(["p[0]: lies outside the 100x50 image"]);
    expect(fields(normaliseRoi("POINT", [[10, -0.1]], size, "p"))).toEqual(["p[0]: lies outside the 100x50 image"]);
    expect(ok(normaliseRoi("POINT", [[5000, 1]], null, "p"))).toEqual([[5000, 1]]);
  });

  it("takes two distinct ends for a LINE, on the image itself, in the order drawn", () => {
    expect(ok(normaliseRoi("LINE", [[90, 40], [10.5, 2]], size, "p"))).toEqual([[90, 40], [10.5, 2]]);
    expect(ok(normaliseRoi("LINE", [[0, 0], [100, 50]], size, "p"))).toEqual([[0, 0], [100, 50]]);
    expect(fields(normaliseRoi("LINE", [[1, 1]], size, "p"))).toEqual(["p: a line is two [x, y] ends"]);
    expect(fields(normaliseRoi("LINE", [[1, 1], [2, 2], [3, 3]], size, "p"))).toEqual(["p: a line is two [x, y] ends"]);
    expect(fields(normaliseRoi("LINE", [[4, 4], [4, 4]], size, "p"))).toEqual(["p: a line's two ends must differ"]);
    // No margin: a length is measured between places on the image (an area's drag may overshoot by 5 %).
    expect(fields(normaliseRoi("LINE", [[1, 1], [101, 10]], size, "p"))).toEqual(["p[1]: lies outside the 100x50 image"]);
    expect(fields(normaliseRoi("LINE", [[1, -1], [10, 10]], size, "p"))).toEqual(["p[0]: lies outside the 100x50 image"]);
    expect(ok(normaliseRoi("LINE", [[5000, 1], [1, 1]], null, "p"))).toEqual([[5000, 1], [1, 1]]);
  });
});
