import { randomUUID } from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRANT_ROLE, Subscription, buildLabel, buildTeam, buildTeamProject, errorCode, trackSubscriptions, type Account, type Team } from "../../testing/fixtures.js";
import { Caller, buildUser, startTestServer, type GqlResult } from "../../testing/harness.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { EXPORT_COLUMNS, annotationChannel } from "./annotations.service.js";
import { CLOCK_SLACK_SECONDS, IDLE_THRESHOLD_SECONDS } from "./timing.js";

const ANNOTATION = `id caseId readerId version status submittedAt
  labels { labelId value confidence implicit seconds clicks }
  rois { id classId kind points sopInstanceUid frame }
  timing { caseSeconds clickCount labelClickCount idleCount idleSeconds idleThresholdSeconds clamped loadedAt submittedAt
    sessions { sessionId seconds reportedSeconds clickCount clamped }
    labelClicks { labelId session atSeconds value confidence }
    idle { session startSeconds seconds } }`;
const UPCOMING = `query($projectId: ID!, $after: ID) { upcomingCase(projectId: $projectId, after: $after) { id key } }`;
const NEXT = `mutation($projectId: ID!) { nextCase(projectId: $projectId) { case { id key } annotation { id version } leaseExpiresAt } }`;
const SAVE = `mutation($caseId: ID!, $input: AnnotationInput!) { saveDraft(caseId: $caseId, input: $input) { ${ANNOTATION} } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { ${ANNOTATION} } }`;
const REVISE = `mutation($caseId: ID!) { reviseAnnotation(caseId: $caseId) { ${ANNOTATION} } }`;
const MINE = `query($caseId: ID!) { myAnnotation(caseId: $caseId) { ${ANNOTATION} } }`;
const HISTORY = `query($caseId: ID!, $readerId: ID) { annotationHistory(caseId: $caseId, readerId: $readerId) { ${ANNOTATION} } }`;
const OTHERS = `query($caseId: ID!) { caseAnnotations(caseId: $caseId) { ${ANNOTATION} } }`;
const PROGRESS = `query($projectId: ID!) { readerProgress(projectId: $projectId) {
  totalCases completeCases readersPerCase
  readers { readerId name casesDone drafts medianCaseSeconds caseSeconds medianLabelSeconds labels { labelId labelName count medianSeconds seconds } }
  labels { labelId labelName count medianSeconds seconds } } }`;
const EVENTS = `subscription($projectId: ID!) { annotationEvents(projectId: $projectId) { kind projectId caseId readerId version } }`;
const EXPORT_SIZE = `query($projectId: ID!, $allVersions: Boolean!) { exportSize(projectId: $projectId, allVersions: $allVersions) { annotations labelRows roiRows } }`;

interface LabelValue {
  labelId: string;
  value: boolean;
  confidence: number | null;
  implicit: boolean;
  seconds: number | null;
  clicks: number;
}
interface Annotation {
  id: string;
  caseId: string;
  readerId: string;
  version: number;
  status: "DRAFT" | "SUBMITTED";
  submittedAt: string | null;
  labels: LabelValue[];
  rois: Array<{ id: string; classId: string; kind: string; points: number[][]; sopInstanceUid: string; frame: number }>;
  timing: {
    caseSeconds: number | null;
    clickCount: number;
    labelClickCount: number;
    idleCount: number;
    idleSeconds: number;
    idleThresholdSeconds: number | null;
    clamped: boolean;
    loadedAt: string | null;
    submittedAt: string | null;
    sessions: Array<{ sessionId: string; seconds: number; reportedSeconds: number; clickCount: number; clamped: boolean }>;
    labelClicks: Array<{ labelId: string; session: number; atSeconds: number; value: boolean; confidence: number | null }>;
    idle: Array<{ session: number; startSeconds: number; seconds: number }>;
  };
}
interface Assignment {
  case: { id: string; key: string };
  annotation: { id: string; version: number } | null;
  leaseExpiresAt: string;
}
interface LabelTimes {
  labelId: string;
  labelName: string;
  count: number;
  medianSeconds: number | null;
  seconds: number[];
}

const fieldsOf = (r: GqlResult) => ((r.errors?.[0]?.extensions?.fields ?? []) as Array<{ field: string }>).map((f) => f.field);
const byLabel = (a: Annotation) => Object.fromEntries(a.labels.map((l) => [l.labelId, l]));

/** A timing report for one session. */
const timing = (sessionId: string, caseSeconds: number, labelClicks: Array<[string, number, boolean, number | null]> = [], idle: Array<[number, number]> = [], clicks = labelClicks.length) => ({
  sessionId,
  loadedAt: "2026-01-01T09:00:00.000Z",
  caseSeconds,
  clicks,
  idleThresholdSeconds: IDLE_THRESHOLD_SECONDS,
  labelClicks: labelClicks.map(([labelId, atSeconds, value, confidence]) => ({ labelId, atSeconds, value, confidence })),
  idle: idle.map(([startSeconds, seconds]) => ({ startSeconds, seconds })),
});

describe("annotations", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let stranger: Account;
  /** More annotators than one team has: the queue needs several readers. */
  let readers: Account[];
  let subscriptions: ReturnType<typeof trackSubscriptions>;
  const owner = () => team.OWNER.caller;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => server.platform.db.dataSource.query(text, params);

  interface Fixture {
    projectId: string;
    /** Case ids by key, in upload (= age) order. */
    cases: Record<string, string>;
    sop: Record<string, string>;
    l1: string;
    l2: string;
    rect: string;
    free: string;
  }

  /** A project of the team (plus the extra readers as annotators) with 16x12 PNG cases, two labels and two ROI classes. */
  const projectWith = async (keys: string[], input: Record<string, unknown> = {}): Promise<Fixture> => {
    const projectId = await buildTeamProject(team, input);
    await Promise.all(readers.map((r) => owner().ok(GRANT_ROLE, { projectId, input: { email: r.email, role: "ANNOTATOR" } })));
    await stowOk(server, projectId, owner(), keys.map((k, i) => ({ name: `${k}.png`, bytes: chestPng(16, 12, i) })));
    const rows = await sql<{ id: string; key: string; sop: string }>(
      `SELECT c.id, c.key, i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1 ORDER BY c.created_at`,
      [projectId],
    );
    const l1 = await buildLabel(owner(), projectId, { name: "Effusion" });
    const l2 = await buildLabel(owner(), projectId, { name: "Nodule, solitary" });
    const rect = await buildLabel(owner(), projectId, { name: "Box", kind: "ROI", roiShape: "RECTANGLE" });
    const free = await buildLabel(owner(), projectId, { name: "Outline", kind: "ROI", roiShape: "FREEHAND" });
    return { projectId, cases: Object.fromEntries(rows.map((r) => [r.key, r.id])), sop: Object.fromEntries(rows.map((r) => [r.key, r.sop])), l1, l2, rect, free };
  };

  const next = async (c: Caller, projectId: string) => (await c.ok<{ nextCase: Assignment | null }>(NEXT, { projectId })).nextCase;
  const save = async (c: Caller, caseId: string, input: Record<string, unknown>) => (await c.ok<{ saveDraft: Annotation }>(SAVE, { caseId, input })).saveDraft;
  const submit = async (c: Caller, caseId: string, input: Record<string, unknown> = {}) =>
    (await c.ok<{ submitAnnotation: Annotation }>(SUBMIT, { caseId, input: { labels: [], rois: [], ...input } })).submitAnnotation;
  const mine = async (c: Caller, caseId: string) => (await c.ok<{ myAnnotation: Annotation | null }>(MINE, { caseId })).myAnnotation;
  /** Moves every stored server time of the reader's drafts of a case back, as if `seconds` had passed. */
  const letTimePass = async (caseId: string, readerId: string, seconds: number) => {
    await sql(`UPDATE annotations SET opened_at = opened_at - make_interval(secs => $3) WHERE case_id = $1 AND reader_id = $2`, [caseId, readerId, seconds]);
    await sql(
      `UPDATE annotation_sessions s SET started_at = started_at - make_interval(secs => $3), reported_at = reported_at - make_interval(secs => $3)
         FROM annotations a WHERE a.id = s.annotation_id AND a.case_id = $1 AND a.reader_id = $2`,
      [caseId, readerId, seconds],
    );
  };

  beforeAll(async () => {
    server = await startTestServer();
    subscriptions = trackSubscriptions(server.platform.bus);
    const [t, s, ...r] = await Promise.all([buildTeam(server), buildUser(server, "stranger"), ...[1, 2, 3, 4].map((i) => buildUser(server, `reader${i}`))]);
    team = t;
    stranger = s;
    readers = r;
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  describe("the queue", () => {
    it("hands each case to readers_per_case readers: own draft or claim first, then fewest readers, then oldest; never a case the reader submitted", async () => {
      const f = await projectWith(["a", "b", "c"], { readersPerCase: 2 });
      const [r1, r2, r3, r4] = readers.map((r) => r.caller);
      const key = async (c: Caller) => (await next(c, f.projectId))?.case.key ?? null;

      expect(await key(r1!)).toBe("a"); // all empty: the oldest
      expect(await key(r1!)).toBe("a"); // asking again keeps the claim, takes no second case
      expect(await key(r2!)).toBe("b"); // a has one reader (r1's claim): b has fewer
      expect(await key(r3!)).toBe("c");
      await submit(r1!, f.cases.a!);
      // r1 submitted a: b and c have one reader each, a is done for r1; the oldest of the rest.
      expect(await key(r1!)).toBe("b");
      // b is now full (r2 and r1 hold it): r4 gets a (one submission) over c (one claim) by age.
      expect(await key(r4!)).toBe("a");
      await submit(r4!, f.cases.a!);
      // a is complete; b is full; only c has a slot.
      expect(await key(team.ANNOTATOR.caller)).toBe("c");
      // Nothing left for a reader when every case is full or submitted by them.
      expect(await key(team.REVIEWER.caller)).toBeNull();
      expect((await sql(`SELECT count(*)::int AS n FROM case_claims WHERE case_id = $1`, [f.cases.a])).at(0)).toEqual({ n: 0 });

      // A claim that runs out frees its slot.
      await sql(`UPDATE case_claims SET expires_at = now() - interval '1 second' WHERE case_id = $1 AND reader_id = $2`, [f.cases.b, readers[1]!.id]);
      expect(await key(team.REVIEWER.caller)).toBe("b");
    });

    it("names the case nextCase will hand out after the one being read, holding nothing", async () => {
      const f = await projectWith(["a", "b", "c"], { readersPerCase: 1 });
      const [r1, r2] = readers.map((r) => r.caller);
      const upcoming = async (c: Caller, after: string | null) =>
        (await c.ok<{ upcomingCase: { id: string; key: string } | null }>(UPCOMING, { projectId: f.projectId, after })).upcomingCase?.key ?? null;

      expect((await next(r1!, f.projectId))!.case.key).toBe("a");
      // Reading a: its own claim would come first; after a, the queue's next is b.
      expect(await upcoming(r1!, f.cases.a!)).toBe("b");
      expect(await upcoming(r1!, null)).toBe("a");
      // Naming b held none of its slot: with one reader per case, r2 still gets b.
      expect((await sql(`SELECT count(*)::int AS n FROM case_claims WHERE case_id = $1`, [f.cases.b])).at(0)).toEqual({ n: 0 });
      expect((await next(r2!, f.projectId))!.case.key).toBe("b");
      // Now b is r2's: after a, r1 would get c, and that is what nextCase hands r1 once a is submitted.
      expect(await upcoming(r1!, f.cases.a!)).toBe("c");
      await submit(r1!, f.cases.a!);
      expect((await next(r1!, f.projectId))!.case.key).toBe("c");
      // Nothing after the last case; an unknown case to leave out changes nothing.
      expect(await upcoming(r1!, f.cases.c!)).toBeNull();
      expect(await upcoming(r1!, "not-a-case")).toBe("c");
      // Not a reader of the project: not found, as for nextCase.
      expect(errorCode(await stranger.caller.gql(UPCOMING, { projectId: f.projectId, after: null }))).toBe("NOT_FOUND");
    });

    it("prefers the case the reader has a draft of, even over emptier cases", async () => {
      const f = await projectWith(["a", "b", "c"], { readersPerCase: 3 });
      const [r1, r2] = readers.map((r) => r.caller);
      await submit(r2!, f.cases.c!);
      // r1 opened c directly (no nextCase) and saved a draft; a and b are emptier and older.
      await save(r1!, f.cases.c!, { labels: [{ labelId: f.l1, value: true, confidence: 60 }], rois: [] });
      await sql(`DELETE FROM case_claims WHERE reader_id = $1`, [readers[0]!.id]);
      const a = await next(r1!, f.projectId);
      expect(a!.case.key).toBe("c");
      expect(a!.annotation?.version).toBe(1);
    });

    it("never gives the last slot of a case to two readers asking at once", async () => {
      const callers = [...readers.map((r) => r.caller), team.ANNOTATOR.caller, team.REVIEWER.caller];
      for (const [perCase, expected] of [
        [1, 1],
        [2, 2],
      ] as const) {
        for (let round = 0; round < 3; round++) {
          const f = await projectWith(["only"], { readersPerCase: perCase });
          const got = await Promise.all(callers.map((c) => next(c, f.projectId)));
          expect(got.filter((g) => g !== null).length, `readersPerCase ${perCase}, round ${round}`).toBe(expected);
          expect((await sql(`SELECT count(*)::int AS n FROM case_claims WHERE case_id = $1`, [f.cases.only])).at(0)).toEqual({ n: expected });
        }
      }
    });
  });

  describe("drafts, submissions and versions", () => {
    it("autosave is idempotent, replaces content, ignores a stale save and adds up the timing of every page load", async () => {
      const f = await projectWith(["a"]);
      const r = readers[0]!;
      const caseId = f.cases.a!;
      const s1 = randomUUID();
      const first = {
        labels: [{ labelId: f.l1, value: true, confidence: 80 }],
        rois: [{ classId: f.rect, kind: "RECTANGLE", points: [[12, 9], [2, 3]] }],
        timing: timing(s1, 12, [[f.l1, 4, true, 80]], [[5, 6]], 3),
      };
      const a1 = await save(r.caller, caseId, first);
      expect([a1.version, a1.status, a1.readerId]).toEqual([1, "DRAFT", r.id]);
      expect(a1.labels).toEqual([{ labelId: f.l1, value: true, confidence: 80, implicit: false, seconds: 4, clicks: 1 }]);
      expect(a1.rois).toEqual([{ id: expect.any(String), classId: f.rect, kind: "RECTANGLE", points: [[2, 3], [12, 9]], sopInstanceUid: f.sop.a, frame: 1 }]);
      expect(a1.timing).toMatchObject({ caseSeconds: 12, clickCount: 3, labelClickCount: 1, idleCount: 1, idleSeconds: 6, idleThresholdSeconds: 5, clamped: false, loadedAt: "2026-01-01T09:00:00.000Z", submittedAt: null });

      // The same save again changes nothing.
      const again = await save(r.caller, caseId, first);
      expect({ ...again, rois: again.rois.map(({ id: _id, ...rest }) => rest) }).toEqual({ ...a1, rois: a1.rois.map(({ id: _id, ...rest }) => rest) });
      const counts = async () =>
        (await sql(
          `SELECT (SELECT count(*) FROM annotations WHERE case_id = $1)::int AS annotations,
                  (SELECT count(*) FROM annotation_sessions s JOIN annotations a ON a.id = s.annotation_id WHERE a.case_id = $1)::int AS sessions,
                  (SELECT count(*) FROM annotation_label_clicks s JOIN annotations a ON a.id = s.annotation_id WHERE a.case_id = $1)::int AS clicks`,
          [caseId],
        ))[0];
      expect(await counts()).toEqual({ annotations: 1, sessions: 1, clicks: 1 });

      // An autosave that was overtaken (same session, less time) is ignored whole.
      const stale = await save(r.caller, caseId, { labels: [], rois: [], timing: timing(s1, 8) });
      expect([stale.labels.length, stale.rois.length, stale.timing.caseSeconds]).toEqual([1, 1, 12]);

      // An hour later the reader reloads: a second session, whose time adds up.
      await letTimePass(caseId, r.id, 3600);
      const s2 = randomUUID();
      const a2 = await save(r.caller, caseId, {
        labels: [
          { labelId: f.l1, value: true, confidence: 80 },
          { labelId: f.l2, value: false, confidence: 100 },
        ],
        rois: [{ id: a1.rois[0]!.id, classId: f.free, kind: "FREEHAND", points: [[1, 1], [10, 1], [5, 8]] }],
        timing: timing(s2, 7, [[f.l2, 3, false, 100]], [], 2),
      });
      expect(a2.version).toBe(1);
      expect(a2.timing).toMatchObject({ caseSeconds: 19, clickCount: 5, labelClickCount: 2, idleCount: 1, idleSeconds: 6, clamped: false });
      expect(a2.timing.sessions.map((s) => [s.sessionId, s.seconds])).toEqual([
        [s1, 12],
        [s2, 7],
      ]);
      expect(a2.timing.labelClicks).toEqual([
        { labelId: f.l1, session: 0, atSeconds: 4, value: true, confidence: 80 },
        { labelId: f.l2, session: 1, atSeconds: 3, value: false, confidence: 100 },
      ]);
      expect(byLabel(a2)[f.l2]).toMatchObject({ value: false, confidence: 100, seconds: 3, clicks: 1 });
      expect(a2.rois).toEqual([{ id: a1.rois[0]!.id, classId: f.free, kind: "FREEHAND", points: [[1, 1], [10, 1], [5, 8]], sopInstanceUid: f.sop.a, frame: 1 }]);
      const [stored] = await sql<{ case_seconds: number; click_count: number }>(`SELECT case_seconds, click_count FROM annotations WHERE case_id = $1`, [caseId]);
      expect(stored).toEqual({ case_seconds: 19, click_count: 5 });

      // A third page load that claims far more time than the server has seen pass is cut to what it saw.
      const a3 = await save(r.caller, caseId, { labels: [], rois: [], timing: timing(randomUUID(), 500) });
      expect(a3.timing.clamped).toBe(true);
      expect(a3.timing.sessions[2]!.reportedSeconds).toBe(500);
      expect(a3.timing.caseSeconds!).toBeGreaterThan(19);
      expect(a3.timing.caseSeconds!).toBeLessThan(19 + CLOCK_SLACK_SECONDS + 3);
    });

    it("a save or submit without rois (absent or null) keeps the draft's regions; an empty list clears them", async () => {
      const f = await projectWith(["a", "b"]);
      const r = readers[0]!;
      const box = { classId: f.rect, kind: "RECTANGLE", points: [[2, 3], [12, 9]] };
      const a1 = await save(r.caller, f.cases.a!, { labels: [], rois: [box] });
      expect(a1.rois).toHaveLength(1);
      const kept = await save(r.caller, f.cases.a!, { labels: [{ labelId: f.l1, value: true, confidence: 40 }] });
      expect([kept.labels.length, kept.rois]).toEqual([1, a1.rois]);
      expect((await save(r.caller, f.cases.a!, { labels: [], rois: null })).rois).toEqual(a1.rois);
      const submitted = (await r.caller.ok<{ submitAnnotation: Annotation }>(SUBMIT, { caseId: f.cases.a!, input: { labels: [] } })).submitAnnotation;
      expect([submitted.status, submitted.rois]).toEqual(["SUBMITTED", a1.rois]);

      await save(r.caller, f.cases.b!, { labels: [], rois: [box] });
      expect((await save(r.caller, f.cases.b!, { labels: [], rois: [] })).rois).toEqual([]);
    });

    it("submits (unticked labels recorded as negative), refuses changes to a submission, revises into version 2 and keeps the history", async () => {
      const f = await projectWith(["a"]);
      const archivedLabel = await buildLabel(owner(), f.projectId, { name: "Old label" });
      await owner().ok(`mutation($id: ID!) { archiveLabel(id: $id) { id } }`, { id: archivedLabel });
      const r = readers[1]!;
      const caseId = f.cases.a!;
      const s1 = randomUUID();
      const v1 = await submit(r.caller, caseId, {
        labels: [{ labelId: f.l1, value: true, confidence: 100 }],
        rois: [{ classId: f.rect, kind: "RECTANGLE", points: [[1, 1], [4, 4]] }],
        timing: timing(s1, 9, [[f.l1, 2.5, true, 100]]),
      });
      expect([v1.version, v1.status, typeof v1.submittedAt, v1.timing.submittedAt]).toEqual([1, "SUBMITTED", "string", v1.submittedAt]);
      expect(v1.labels).toEqual([
        { labelId: f.l1, value: true, confidence: 100, implicit: false, seconds: 2.5, clicks: 1 },
        { labelId: f.l2, value: false, confidence: null, implicit: true, seconds: null, clicks: 0 },
      ]);

      // A submitted version does not change.
      for (const doc of [SAVE, SUBMIT]) {
        const res = await r.caller.gql(doc, { caseId, input: { labels: [], rois: [] } });
        expect(errorCode(res)).toBe("CONFLICT");
      }
      expect(await mine(r.caller, caseId)).toEqual(v1);

      // Revising opens version 2, copied from version 1, timing included.
      const v2 = await r.caller.ok<{ reviseAnnotation: Annotation }>(REVISE, { caseId }).then((d) => d.reviseAnnotation);
      expect([v2.version, v2.status, v2.submittedAt]).toEqual([2, "DRAFT", null]);
      expect(v2.labels).toEqual(v1.labels);
      expect(v2.rois).toEqual(v1.rois);
      expect(v2.timing.caseSeconds).toBe(9);
      // Asking again gives the same draft.
      expect((await r.caller.ok<{ reviseAnnotation: Annotation }>(REVISE, { caseId })).reviseAnnotation.id).toBe(v2.id);
      // The first version's page load is over: its session cannot be reported into the new version.
      const reused = await r.caller.gql(SAVE, { caseId, input: { labels: [], rois: [], timing: timing(s1, 20) } });
      expect([errorCode(reused), fieldsOf(reused)]).toEqual(["BAD_USER_INPUT", ["input.timing.sessionId"]]);

      const v2s = await submit(r.caller, caseId, { labels: [{ labelId: f.l1, value: false, confidence: 40 }], rois: [], timing: timing(randomUUID(), 2, [[f.l1, 1, false, 40]]) });
      expect([v2s.id, v2s.version, v2s.status]).toEqual([v2.id, 2, "SUBMITTED"]);
      expect(v2s.timing.caseSeconds).toBe(11);
      expect(byLabel(v2s)[f.l1]).toMatchObject({ value: false, confidence: 40, seconds: 3.5, clicks: 2 });

      const history = (await r.caller.ok<{ annotationHistory: Annotation[] }>(HISTORY, { caseId })).annotationHistory;
      expect(history.map((a) => [a.version, a.status])).toEqual([
        [2, "SUBMITTED"],
        [1, "SUBMITTED"],
      ]);
      expect(history[1]).toEqual(v1);
      expect((await mine(r.caller, caseId))!.id).toBe(v2.id);

      // Nothing to revise for a reader who has not submitted.
      expect(errorCode(await readers[2]!.caller.gql(REVISE, { caseId }))).toBe("CONFLICT");
    });

    it("names every problem of an annotation by its field and stores nothing", async () => {
      const f = await projectWith(["a", "b"]);
      const archivedLabel = await buildLabel(owner(), f.projectId, { name: "Gone" });
      await owner().ok(`mutation($id: ID!) { archiveLabel(id: $id) { id } }`, { id: archivedLabel });
      const res = await readers[0]!.caller.gql(SAVE, {
        caseId: f.cases.a,
        input: {
          labels: [
            { labelId: randomUUID(), value: true },
            { labelId: f.rect, value: true },
            { labelId: archivedLabel, value: true },
            { labelId: f.l1, value: true, confidence: 50 },
            { labelId: f.l1, value: false },
          ],
          rois: [
            { classId: f.l1, kind: "RECTANGLE", points: [[1, 1], [2, 2]] },
            { classId: f.free, kind: "RECTANGLE", points: [[1, 1], [2, 2]] },
            { classId: f.rect, kind: "RECTANGLE", points: [[1, 1], [40, 2]] },
            { classId: f.free, kind: "FREEHAND", points: [[1, 1], [2, 2]] },
            { classId: f.rect, kind: "RECTANGLE", points: [[1, 1], [2, 2]], frame: 2 },
            { classId: f.rect, kind: "RECTANGLE", points: [[1, 1], [2, 2]], sopInstanceUid: f.sop.b },
            { id: "not-a-uuid", classId: f.rect, kind: "RECTANGLE", points: [[1, 1], [2, 2]] },
          ],
          timing: { ...timing(randomUUID(), 10, [[f.l1, 11, true, 80]]), idleThresholdSeconds: 3 },
        },
      });
      expect(errorCode(res)).toBe("BAD_USER_INPUT");
      expect(fieldsOf(res)).toEqual([
        "input.labels[0].labelId",
        "input.labels[1].labelId",
        "input.labels[2].labelId",
        "input.labels[3].confidence",
        "input.labels[4].labelId",
        "input.rois[0].classId",
        "input.rois[1].kind",
        "input.rois[2].points[1]",
        "input.rois[3].points",
        "input.rois[4].frame",
        "input.rois[5].sopInstanceUid",
        "input.rois[6].id",
        "input.timing.idleThresholdSeconds",
        "input.timing.labelClicks[0].atSeconds",
      ]);
      expect(res.errors![0]!.message).toContain("input.rois[2].points[1]: lies outside the 16x12 image");
      expect(await mine(readers[0]!.caller, f.cases.a!)).toBeNull();
      // Unknown or foreign cases do not exist.
      for (const caseId of [randomUUID(), "nope"]) expect(errorCode(await readers[0]!.caller.gql(SAVE, { caseId, input: { labels: [] } }))).toBe("NOT_FOUND");
      expect(errorCode(await stranger.caller.gql(SAVE, { caseId: f.cases.a, input: { labels: [] } }))).toBe("NOT_FOUND");
      expect(errorCode(await team.VIEWER.caller.gql(SAVE, { caseId: f.cases.a, input: { labels: [] } }))).toBe("NOT_FOUND");
    });
  });

  describe("who sees whose work", () => {
    it("points (landmarks): a POINT class takes one point on the image, stored as given; an area class takes no point, a point class no area", async () => {
      const f = await projectWith(["a"]);
      const point = await buildLabel(owner(), f.projectId, { name: "Apex", kind: "ROI", roiShape: "POINT" });
      const refused = await readers[0]!.caller.gql(SAVE, {
        caseId: f.cases.a,
        input: {
          labels: [],
          rois: [
            { classId: point, kind: "POINT", points: [[1, 1], [2, 2]] },
            { classId: point, kind: "POINT", points: [[16.5, 3]] },
            { classId: point, kind: "RECTANGLE", points: [[1, 1], [2, 2]] },
            { classId: f.rect, kind: "POINT", points: [[3, 3]] },
          ],
        },
      });
      expect(errorCode(refused)).toBe("BAD_USER_INPUT");
      expect(fieldsOf(refused)).toEqual(["input.rois[0].points", "input.rois[1].points[0]", "input.rois[2].kind", "input.rois[3].kind"]);
      // No margin for a point: 16.5 is past the 16-pixel-wide image's edge (an area may overshoot by 5 %).
      expect(refused.errors![0]!.message).toContain("input.rois[1].points[0]: lies outside the 16x12 image");
      expect(refused.errors![0]!.message).toContain('input.rois[3].kind: must be RECTANGLE, the shape of "Box"');
      expect(await mine(readers[0]!.caller, f.cases.a!)).toBeNull();

      const saved = await save(readers[0]!.caller, f.cases.a!, { labels: [], rois: [{ classId: point, kind: "POINT", points: [[16, 0]] }, { classId: f.free, kind: "FREEHAND", points: [[1, 1], [10, 1], [5, 8]] }] });
      expect(saved.rois.map((r) => [r.kind, r.points])).toEqual([
        ["POINT", [[16, 0]]],
        ["FREEHAND", [[1, 1], [10, 1], [5, 8]]],
      ]);
      expect((await mine(readers[0]!.caller, f.cases.a!))!.rois[0]).toMatchObject({ classId: point, kind: "POINT", points: [[16, 0]], sopInstanceUid: f.sop.a, frame: 1 });
    });

    it("lines (stored lengths): a LINE class takes two ends on the image, stored as drawn; no other class takes a line", async () => {
      const f = await projectWith(["a"]);
      const line = await buildLabel(owner(), f.projectId, { name: "Long axis", kind: "ROI", roiShape: "LINE" });
      const refused = await readers[0]!.caller.gql(SAVE, {
        caseId: f.cases.a,
        input: {
          labels: [],
          rois: [
            { classId: line, kind: "LINE", points: [[1, 1]] },
            { classId: line, kind: "LINE", points: [[1, 1], [16.5, 3]] },
            { classId: line, kind: "FREEHAND", points: [[1, 1], [10, 1], [5, 8]] },
            { classId: f.free, kind: "LINE", points: [[1, 1], [3, 3]] },
            { classId: line, kind: "LINE", points: [[2, 2], [9, 9]], suggestedBy: randomUUID() },
          ],
        },
      });
      expect(errorCode(refused)).toBe("BAD_USER_INPUT");
      expect(fieldsOf(refused)).toEqual(["input.rois[0].points", "input.rois[1].points[1]", "input.rois[2].kind", "input.rois[3].kind", "input.rois[4].suggestedBy"]);
      expect(refused.errors![0]!.message).toContain("input.rois[4].suggestedBy: must be absent on a line");
      expect(await mine(readers[0]!.caller, f.cases.a!)).toBeNull();

      const saved = await save(readers[0]!.caller, f.cases.a!, { labels: [], rois: [{ classId: line, kind: "LINE", points: [[15, 11], [0.5, 2]] }] });
      expect(saved.rois.map((r) => [r.kind, r.points])).toEqual([["LINE", [[15, 11], [0.5, 2]]]]);
      const submitted = await submit(readers[0]!.caller, f.cases.a!, { rois: [{ classId: line, kind: "LINE", points: [[15, 11], [0.5, 2]] }] });
      expect(submitted.rois[0]).toMatchObject({ classId: line, kind: "LINE", points: [[15, 11], [0.5, 2]], sopInstanceUid: f.sop.a, frame: 1 });
    });

    it("in blind reading, an annotator sees others' annotations of a case, in queries and events, only after submitting it", async () => {
      const f = await projectWith(["a", "b", "c"], { blindReading: true });
      const other = readers[0]!;
      const me = team.ANNOTATOR;
      const sub = new Subscription<{ annotationEvents: { kind: string; projectId: string; caseId: string; readerId: string; version: number } }>(me.caller, EVENTS, { projectId: f.projectId });
      try {
        await subscriptions.waitFor(annotationChannel(f.projectId));
        await submit(other.caller, f.cases.a!, { labels: [{ labelId: f.l1, value: true, confidence: 80 }] });
        await submit(other.caller, f.cases.b!, { labels: [{ labelId: f.l1, value: true, confidence: 80 }] });
        await save(other.caller, f.cases.c!, { labels: [{ labelId: f.l2, value: true }] });

        expect(errorCode(await me.caller.gql(OTHERS, { caseId: f.cases.a }))).toBe("NOT_FOUND");
        expect(errorCode(await me.caller.gql(HISTORY, { caseId: f.cases.a, readerId: other.id }))).toBe("NOT_FOUND");

        await submit(me.caller, f.cases.a!, { labels: [{ labelId: f.l1, value: false, confidence: 20 }] });
        // The other reader's two submissions were not told: the first event is the annotator's own.
        expect((await sub.nextData()).annotationEvents).toEqual({ kind: "SUBMITTED", projectId: f.projectId, caseId: f.cases.a, readerId: me.id, version: 1 });
        const seen = (await me.caller.ok<{ caseAnnotations: Annotation[] }>(OTHERS, { caseId: f.cases.a })).caseAnnotations;
        expect(seen.map((a) => [a.readerId, a.labels[0]!.value])).toEqual([[other.id, true]]);
        // On a case the annotator has submitted, others' later submissions are told.
        await other.caller.ok(REVISE, { caseId: f.cases.a });
        await submit(other.caller, f.cases.a!, { labels: [{ labelId: f.l1, value: false, confidence: 60 }] });
        expect((await sub.nextData()).annotationEvents).toEqual({ kind: "SUBMITTED", projectId: f.projectId, caseId: f.cases.a, readerId: other.id, version: 2 });
        const history = (await me.caller.ok<{ annotationHistory: Annotation[] }>(HISTORY, { caseId: f.cases.a, readerId: other.id })).annotationHistory;
        expect(history.map((a) => [a.version, a.status])).toEqual([
          [2, "SUBMITTED"],
          [1, "SUBMITTED"],
        ]);
        // Still nothing about b.
        expect(errorCode(await me.caller.gql(OTHERS, { caseId: f.cases.b }))).toBe("NOT_FOUND");
      } finally {
        await sub.close();
      }

      // Reviewers and managers always see submissions, never drafts; trainees never see others'.
      for (const who of [team.REVIEWER, team.MANAGER, team.VIEWER]) {
        const onB = (await who.caller.ok<{ caseAnnotations: Annotation[] }>(OTHERS, { caseId: f.cases.b })).caseAnnotations;
        expect(onB.map((a) => a.readerId)).toEqual([other.id]);
        expect((await who.caller.ok<{ caseAnnotations: Annotation[] }>(OTHERS, { caseId: f.cases.c })).caseAnnotations).toEqual([]);
        const drafts = (await who.caller.ok<{ annotationHistory: Annotation[] }>(HISTORY, { caseId: f.cases.c, readerId: other.id })).annotationHistory;
        expect(drafts).toEqual([]);
      }
      expect(errorCode(await team.TRAINEE.caller.gql(OTHERS, { caseId: f.cases.b }))).toBe("NOT_FOUND");
      expect(errorCode(await stranger.caller.gql(OTHERS, { caseId: f.cases.b }))).toBe("NOT_FOUND");
    });

    it("in open reading, an annotator sees others' submissions at once, and hears of them", async () => {
      const f = await projectWith(["a"], { blindReading: false });
      const sub = new Subscription<{ annotationEvents: { kind: string; caseId: string; readerId: string } }>(team.ANNOTATOR.caller, EVENTS, { projectId: f.projectId });
      try {
        await subscriptions.waitFor(annotationChannel(f.projectId));
        await submit(readers[0]!.caller, f.cases.a!, { labels: [{ labelId: f.l1, value: true }] });
        expect((await sub.nextData()).annotationEvents).toMatchObject({ kind: "SUBMITTED", caseId: f.cases.a, readerId: readers[0]!.id });
        const seen = (await team.ANNOTATOR.caller.ok<{ caseAnnotations: Annotation[] }>(OTHERS, { caseId: f.cases.a })).caseAnnotations;
        expect(seen.map((a) => a.readerId)).toEqual([readers[0]!.id]);
      } finally {
        await sub.close();
      }
    });

    it("ends the event stream of a member who is removed", async () => {
      const f = await projectWith(["a"], { blindReading: false });
      const sub = new Subscription<{ annotationEvents: { kind: string } }>(team.VIEWER.caller, EVENTS, { projectId: f.projectId });
      try {
        await subscriptions.waitFor(annotationChannel(f.projectId));
        await owner().ok(`mutation($projectId: ID!, $userId: ID!) { revokeRole(projectId: $projectId, userId: $userId) }`, { projectId: f.projectId, userId: team.VIEWER.id });
        await submit(readers[0]!.caller, f.cases.a!, {});
        expect((await sub.nextData()).annotationEvents.kind).toBe("ACCESS_REVOKED");
        const end = await sub.next(2000);
        expect(end !== "timeout" && end.done).toBe(true);
      } finally {
        await sub.close();
      }
    });
  });

  describe("statistics", () => {
    it("readerProgress: cases done, median seconds per case and per label, and every case and label time, from latest submissions", async () => {
      const f = await projectWith(["a", "b", "c"], { readersPerCase: 2 });
      const [r1, r2] = readers;
      // r1: a 10 s (Effusion 2, Nodule 3), b 20 s (Effusion 4, Nodule 6), c 40 s (Effusion 6).
      await submit(r1!.caller, f.cases.a!, { labels: [{ labelId: f.l1, value: true }], timing: timing(randomUUID(), 10, [[f.l1, 2, true, null], [f.l2, 5, false, null]]) });
      await submit(r1!.caller, f.cases.b!, { timing: timing(randomUUID(), 20, [[f.l1, 4, true, null], [f.l2, 10, true, null]]) });
      await submit(r1!.caller, f.cases.c!, { timing: timing(randomUUID(), 40, [[f.l1, 6, false, 100]]) });
      // r2: a 30 s (Nodule 8), then revised: the latest submission (30 + 2 s, Nodule 8 + 2) is what counts.
      await submit(r2!.caller, f.cases.a!, { timing: timing(randomUUID(), 30, [[f.l2, 8, true, 60]]) });
      await r2!.caller.ok(REVISE, { caseId: f.cases.a });
      await submit(r2!.caller, f.cases.a!, { timing: timing(randomUUID(), 2, [[f.l2, 2, false, 60]]) });
      // An open draft counts as a draft, not as a case done.
      await save(r2!.caller, f.cases.b!, { labels: [], timing: timing(randomUUID(), 5, [[f.l1, 1, true, 20]]) });

      const p = (await team.MANAGER.caller.ok<{ readerProgress: Record<string, unknown> & { readers: Array<Record<string, unknown> & { labels: LabelTimes[] }>; labels: LabelTimes[] } }>(PROGRESS, { projectId: f.projectId })).readerProgress;
      expect([p.totalCases, p.completeCases, p.readersPerCase]).toEqual([3, 1, 2]);
      const of = (id: string) => p.readers.find((r) => r.readerId === id)!;
      expect(of(r1!.id)).toMatchObject({ casesDone: 3, drafts: 0, medianCaseSeconds: 20, caseSeconds: [10, 20, 40], medianLabelSeconds: 4 });
      expect(of(r1!.id).labels).toEqual([
        { labelId: f.l1, labelName: "Effusion", count: 3, medianSeconds: 4, seconds: [2, 4, 6] },
        { labelId: f.l2, labelName: "Nodule, solitary", count: 2, medianSeconds: 4.5, seconds: [3, 6] },
      ]);
      expect(of(r2!.id)).toMatchObject({ casesDone: 1, drafts: 1, medianCaseSeconds: 32, caseSeconds: [32], medianLabelSeconds: 10 });
      expect(of(r2!.id).labels).toEqual([{ labelId: f.l2, labelName: "Nodule, solitary", count: 1, medianSeconds: 10, seconds: [10] }]);
      // Members who may annotate are listed with nothing done yet.
      expect(of(team.ANNOTATOR.id)).toMatchObject({ casesDone: 0, drafts: 0, medianCaseSeconds: null, caseSeconds: [], medianLabelSeconds: null, labels: [] });
      expect(p.labels).toEqual([
        { labelId: f.l1, labelName: "Effusion", count: 3, medianSeconds: 4, seconds: [2, 4, 6] },
        { labelId: f.l2, labelName: "Nodule, solitary", count: 3, medianSeconds: 6, seconds: [3, 6, 10] },
      ]);
      for (const who of [team.ANNOTATOR, team.DATA_OWNER, stranger]) expect(errorCode(await who.caller.gql(PROGRESS, { projectId: f.projectId }))).toBe("NOT_FOUND");
    });
  });

  describe("CSV export", () => {
    let f: Fixture;
    const get = (path: string, who: { cookie?: string | undefined; token?: string | undefined } = {}) => {
      const headers: Record<string, string> = {};
      if (who.cookie) headers.cookie = who.cookie;
      if (who.token) headers.authorization = `Bearer ${who.token}`;
      return fetch(`${server.url}/export/projects/${f.projectId}/${path}`, { headers });
    };
    const rowsOf = async (res: Response) => parseCsv(await res.text(), { columns: true }) as Array<Record<string, string>>;

    beforeAll(async () => {
      f = await projectWith(["case-b", "case-a"]);
      const [r1, r2] = readers;
      await submit(r1!.caller, f.cases["case-a"]!, {
        labels: [
          { labelId: f.l1, value: true, confidence: 80 },
          { labelId: f.l2, value: false, confidence: 60 },
        ],
        rois: [
          { classId: f.rect, kind: "RECTANGLE", points: [[9, 8], [1, 2]] },
          { classId: f.free, kind: "FREEHAND", points: [[1, 1], [10, 1], [5.5, 8.25]] },
        ],
        timing: timing(randomUUID(), 12.5, [[f.l1, 3, true, 80], [f.l2, 7.5, false, 60]], [[6, 6]]),
      });
      await submit(r2!.caller, f.cases["case-a"]!, { labels: [{ labelId: f.l1, value: false, confidence: 40 }] });
      await submit(r1!.caller, f.cases["case-b"]!, { labels: [{ labelId: f.l2, value: true, confidence: 100 }] });
      await r1!.caller.ok(REVISE, { caseId: f.cases["case-b"] });
      await submit(r1!.caller, f.cases["case-b"]!, { labels: [{ labelId: f.l2, value: false, confidence: 100 }] });
      // Drafts are never exported.
      await save(readers[2]!.caller, f.cases["case-b"]!, { labels: [{ labelId: f.l1, value: true }] });
    });

    it("labels.csv: each reader's latest submission, one row per label, in the label import format's columns", async () => {
      const res = await get("labels.csv", owner());
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="concord-${f.projectId}-labels.csv"`);
      const text = await res.clone().text();
      expect(text.split("\r\n")[0]).toBe("case,label,annotator,value,seconds,confidence,implicit,version,submitted_at,case_seconds,idle_seconds,timing_clamped,label_id,group,split");
      const rows = await rowsOf(res);
      expect(Number(res.headers.get("x-total-rows"))).toBe(rows.length);
      const [r1, r2] = readers;
      const sorted = [r1!.id, r2!.id].sort();
      const pick = (r: Record<string, string>) => [r.case, r.label, r.annotator, r.value, r.seconds, r.confidence, r.implicit, r.version, r.case_seconds, r.idle_seconds, r.timing_clamped];
      const caseA = (reader: string) =>
        reader === r1!.id
          ? [
              ["case-a", "Effusion", r1!.id, "1", "3", "80", "0", "1", "12.5", "6", "0"],
              ["case-a", "Nodule, solitary", r1!.id, "0", "4.5", "60", "0", "1", "12.5", "6", "0"],
            ]
          : [
              ["case-a", "Effusion", r2!.id, "0", "", "40", "0", "1", "", "0", "0"],
              ["case-a", "Nodule, solitary", r2!.id, "0", "", "", "1", "1", "", "0", "0"],
            ];
      expect(rows.map(pick)).toEqual([
        ...sorted.flatMap(caseA),
        ["case-b", "Effusion", r1!.id, "0", "", "", "1", "2", "", "0", "0"],
        ["case-b", "Nodule, solitary", r1!.id, "0", "", "100", "0", "2", "", "0", "0"],
      ]);
      expect(rows.every((r) => !Number.isNaN(Date.parse(r.submitted_at!)))).toBe(true);
      expect(rows.find((r) => r.label === "Effusion")!.label_id).toBe(f.l1);
      expect(text).toContain(`"Nodule, solitary"`);

      // Every submitted version on request; the GraphQL count agrees with the header.
      const all = await get("labels.csv?versions=all", owner());
      const allRows = await rowsOf(all);
      expect(allRows.filter((r) => r.case === "case-b").map((r) => [r.version, r.value])).toEqual([
        ["1", "0"],
        ["1", "1"],
        ["2", "0"],
        ["2", "0"],
      ]);
      const size = (await owner().ok<{ exportSize: { annotations: number; labelRows: number; roiRows: number } }>(EXPORT_SIZE, { projectId: f.projectId, allVersions: true })).exportSize;
      expect(size).toEqual({ annotations: 4, labelRows: allRows.length, roiRows: 2 });
      expect(Number(all.headers.get("x-total-rows"))).toBe(allRows.length);
    });

    it("rois.csv: class, kind, points as JSON in image pixels, the image and frame", async () => {
      const res = await get("rois.csv", owner());
      expect(res.status).toBe(200);
      const rows = await rowsOf(res);
      expect(Object.keys(rows[0]!)).toEqual(EXPORT_COLUMNS.rois);
      expect(rows.map((r) => [r.case, r.annotator, r.class, r.kind, JSON.parse(r.points!), r.sop_instance_uid, r.frame, r.version])).toEqual([
        ["case-a", readers[0]!.id, "Box", "RECTANGLE", [[1, 2], [9, 8]], f.sop["case-a"], "1", "1"],
        ["case-a", readers[0]!.id, "Outline", "FREEHAND", [[1, 1], [10, 1], [5.5, 8.25]], f.sop["case-a"], "1", "1"],
      ]);
      expect(res.headers.get("x-total-rows")).toBe("2");
    });

    it("answers a data owner with an API token; everyone else who may not export, 404", async () => {
      const token = (await team.DATA_OWNER.caller.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "export" }) { token } }`)).createApiToken.token;
      const byToken = await get("labels.csv", { token });
      expect(byToken.status).toBe(200);
      expect((await rowsOf(byToken)).length).toBe(6);
      for (const who of [team.ANNOTATOR.caller, team.REVIEWER.caller, team.VIEWER.caller, stranger.caller, new Caller(server)]) {
        for (const path of ["labels.csv", "rois.csv"]) {
          const res = await get(path, who);
          expect(res.status, `${path} as ${who.cookie ?? "nobody"}`).toBe(404);
          expect(await res.json()).toEqual({ error: "not found" });
        }
      }
      expect((await get("labels.csv", { token: "not-a-token" })).status).toBe(404);
      expect((await get("labels.csv?versions=some", owner())).status).toBe(400);
      expect(errorCode(await team.ANNOTATOR.caller.gql(EXPORT_SIZE, { projectId: f.projectId, allVersions: false }))).toBe("NOT_FOUND");
    });

    it("streams in batches of annotations from one snapshot: the same rows whatever the batch size", async () => {
      const actor = { userId: team.OWNER.id, via: "session" as const };
      const collect = async (batchSize: number) => {
        const exp = await server.services.annotations.openExport(actor, f.projectId, "labels", { allVersions: true, batchSize });
        const batches: number[] = [];
        const rows: unknown[] = [];
        try {
          for await (const batch of exp.batches()) {
            batches.push(batch.length);
            rows.push(...batch);
          }
        } finally {
          await exp.close();
        }
        return { total: exp.totalRows, batches, rows };
      };
      const whole = await collect(500);
      const small = await collect(1);
      expect(small.rows).toEqual(whole.rows);
      expect(small.batches).toEqual([2, 2, 2, 2]);
      expect([whole.total, small.total]).toEqual([8, 8]);
    });
  });
});
