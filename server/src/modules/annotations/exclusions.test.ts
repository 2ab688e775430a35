import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MATRIX } from "../../access/roles.js";
import { Subscription, buildReadingProject, buildTeam, errorCode, trackSubscriptions, type Account, type Team } from "../../testing/fixtures.js";
import { Caller, buildUser, startTestServer, type GqlResult } from "../../testing/harness.js";
import { canonicalSha256 } from "../ledger/canonical.js";
import { CASE_EXPORT_COLUMNS, annotationChannel } from "./annotations.service.js";

// Excluding a case: a manager takes a case out of the project (unusable, the wrong image, a
// duplicate, outside the inclusion criteria). It keeps its readings, but leaves the queue, the
// progress counts and the exports, and takes no more writes, until it is included again.

const NEXT = `mutation($projectId: ID!) { nextCase(projectId: $projectId) { case { id key } annotation { id } } }`;
const UPCOMING = `query($projectId: ID!, $after: ID) { upcomingCase(projectId: $projectId, after: $after) { key } }`;
const EXCLUDE = `mutation($caseId: ID!, $reason: ExclusionReason!, $note: String) {
  excludeCase(caseId: $caseId, reason: $reason, note: $note) { id key exclusion { reason note excludedAt excludedByName } }
}`;
const INCLUDE = `mutation($caseId: ID!) { includeCase(caseId: $caseId) { id exclusion { reason } } }`;
const CASE = `query($id: ID!) { case(id: $id) { key exclusion { reason note } } }`;
const CASES = `query($projectId: ID!, $filter: CaseFilter) { cases(projectId: $projectId, first: 50, filter: $filter) { totalCount edges { node { key exclusion { reason } } } } }`;
const SAVE = `mutation($caseId: ID!, $input: AnnotationInput!) { saveDraft(caseId: $caseId, input: $input) { id status } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const REVISE = `mutation($caseId: ID!) { reviseAnnotation(caseId: $caseId) { id version } }`;
const SKIP = `mutation($caseId: ID!, $reason: SkipReason!) { skipCase(caseId: $caseId, reason: $reason) { caseId } }`;
const MINE = `query($caseId: ID!) { myAnnotation(caseId: $caseId) { status labels { labelId value } } }`;
const PROGRESS = `query($projectId: ID!) {
  readerProgress(projectId: $projectId) {
    totalCases completeCases blockedCases unreadCases excludedCases excludedByReason { reason cases }
    readers { readerId casesDone drafts skipped }
  }
}`;
const EVENTS = `subscription($projectId: ID!) { annotationEvents(projectId: $projectId) { kind caseId readerId } }`;

interface Progress {
  totalCases: number;
  completeCases: number;
  blockedCases: number;
  unreadCases: number;
  excludedCases: number;
  excludedByReason: Array<{ reason: string; cases: number }>;
  readers: Array<{ readerId: string; casesDone: number; drafts: number; skipped: number }>;
}

describe("excluding a case from its project", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let readers: Account[];
  let subscriptions: ReturnType<typeof trackSubscriptions>;
  const owner = () => team.OWNER.caller;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => server.platform.db.dataSource.query(text, params);

  const projectWith = (keys: string[], input: Record<string, unknown> = {}) => buildReadingProject(server, team, readers, keys, input);
  const nextKey = async (c: Caller, projectId: string) =>
    (await c.ok<{ nextCase: { case: { key: string } } | null }>(NEXT, { projectId })).nextCase?.case.key ?? null;
  const exclude = (c: Caller, caseId: string, reason: string, note: string | null = null): Promise<GqlResult> => c.gql(EXCLUDE, { caseId, reason, note });
  const include = (c: Caller, caseId: string) => c.ok<{ includeCase: { exclusion: unknown } }>(INCLUDE, { caseId });
  const progress = async (projectId: string) => (await owner().ok<{ readerProgress: Progress }>(PROGRESS, { projectId })).readerProgress;
  const submit = (c: Caller, caseId: string, label: string, value = true) => c.gql(SUBMIT, { caseId, input: { labels: [{ labelId: label, value, confidence: 80 }] } });
  const labelsCsv = async (projectId: string) => {
    const res = await fetch(`${server.url}/export/projects/${projectId}/labels.csv`, { headers: { cookie: owner().cookie! } });
    expect(res.status).toBe(200);
    return (parseCsv(await res.text(), { columns: true }) as Array<Record<string, string>>).map((r) => `${r.case}:${r.annotator === readers[0]!.id ? "r1" : "r2"}`).sort();
  };

  beforeAll(async () => {
    server = await startTestServer();
    subscriptions = trackSubscriptions(server.platform.bus);
    const [t, ...r] = await Promise.all([buildTeam(server), ...[1, 2].map((i) => buildUser(server, `excluder${i}`))]);
    team = t;
    readers = r;
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("takes the case out of every reader's queue, ends the claims on it, and brings it back with the readers' drafts", async () => {
    const f = await projectWith(["a", "b", "c"], { readersPerCase: 1 });
    const [r1, r2] = readers as [Account, Account];
    expect(await nextKey(r1.caller, f.projectId)).toBe("a");
    await r1.caller.ok(SAVE, { caseId: f.cases.a, input: { labels: [{ labelId: f.label, value: true, confidence: 40 }] } });

    const excluded = (await owner().ok<{ excludeCase: { key: string; exclusion: Record<string, unknown> } }>(EXCLUDE, { caseId: f.cases.a, reason: "DUPLICATE", note: "  same study as b  " })).excludeCase;
    expect(excluded.key).toBe("a");
    expect(excluded.exclusion).toMatchObject({ reason: "DUPLICATE", note: "same study as b", excludedByName: expect.any(String) });
    expect(Number.isNaN(Date.parse(excluded.exclusion.excludedAt as string))).toBe(false);
    expect(await sql(`SELECT 1 FROM case_claims WHERE case_id = $1`, [f.cases.a])).toEqual([]);

    // Not r1's draft first any more, and not for anyone else; nor named as the case to load ahead.
    expect(await nextKey(r1.caller, f.projectId)).toBe("b");
    expect(await nextKey(r2.caller, f.projectId)).toBe("c");
    expect((await r1.caller.ok<{ upcomingCase: { key: string } | null }>(UPCOMING, { projectId: f.projectId, after: f.cases.b })).upcomingCase).toBeNull();
    // Every member still sees the case and why it is out; the draft is kept.
    expect((await team.VIEWER.caller.ok<{ case: unknown }>(CASE, { id: f.cases.a })).case).toEqual({ key: "a", exclusion: { reason: "DUPLICATE", note: "same study as b" } });
    expect((await r1.caller.ok<{ myAnnotation: { status: string } }>(MINE, { caseId: f.cases.a })).myAnnotation.status).toBe("DRAFT");

    expect((await include(team.MANAGER.caller, f.cases.a)).includeCase.exclusion).toBeNull();
    // Including a case that is in the project changes nothing.
    expect((await include(team.MANAGER.caller, f.cases.a)).includeCase.exclusion).toBeNull();
    // r1's draft comes first again.
    expect(await nextKey(r1.caller, f.projectId)).toBe("a");
  });

  it("takes no more writes to the case: saving, submitting, revising and skipping are refused and store nothing", async () => {
    const f = await projectWith(["a"], { readersPerCase: 2 });
    const [r1, r2] = readers as [Account, Account];
    expect(errorCode(await submit(r1.caller, f.cases.a, f.label))).toBeUndefined();
    expect(errorCode(await exclude(owner(), f.cases.a, "IMAGE_QUALITY"))).toBeUndefined();
    const before = await sql(`SELECT id, status, version FROM annotations WHERE case_id = $1 ORDER BY id`, [f.cases.a]);

    const attempts: Array<[Caller, string, Record<string, unknown>]> = [
      [r2.caller, SAVE, { caseId: f.cases.a, input: { labels: [{ labelId: f.label, value: false }] } }],
      [r2.caller, SUBMIT, { caseId: f.cases.a, input: { labels: [{ labelId: f.label, value: false }] } }],
      [r1.caller, REVISE, { caseId: f.cases.a }],
      [r2.caller, SKIP, { caseId: f.cases.a, reason: "IMAGE_QUALITY" }],
    ];
    for (const [caller, document, variables] of attempts) {
      const refused = await caller.gql(document, variables);
      expect(errorCode(refused)).toBe("CONFLICT");
      expect(refused.errors?.[0]?.message).toBe("This case was excluded from the project (the image is not of diagnostic quality); it is no longer read");
    }
    expect(await sql(`SELECT id, status, version FROM annotations WHERE case_id = $1 ORDER BY id`, [f.cases.a])).toEqual(before);
    expect(await sql(`SELECT 1 FROM case_skips WHERE case_id = $1`, [f.cases.a])).toEqual([]);

    await include(owner(), f.cases.a);
    expect(errorCode(await submit(r2.caller, f.cases.a, f.label, false))).toBeUndefined();
  });

  it("leaves the case out of the progress counts, the readers' figures and the CSV export, and puts it back when included", async () => {
    const f = await projectWith(["a", "b", "c"], { readersPerCase: 2 });
    const [r1, r2] = readers as [Account, Account];
    for (const r of [r1, r2]) for (const k of ["a", "b"]) expect(errorCode(await submit(r.caller, f.cases[k]!, f.label))).toBeUndefined();
    expect(errorCode(await r1.caller.gql(SKIP, { caseId: f.cases.c, reason: "WRONG_IMAGE" }))).toBeUndefined();
    await r2.caller.ok(SAVE, { caseId: f.cases.c, input: { labels: [] } });

    const all = await progress(f.projectId);
    expect(all).toMatchObject({ totalCases: 3, completeCases: 2, unreadCases: 1, excludedCases: 0, excludedByReason: [] });
    const mine = (p: Progress, r: Account) => p.readers.find((x) => x.readerId === r.id)!;
    expect(mine(all, r1)).toMatchObject({ casesDone: 2, skipped: 1, drafts: 0 });
    expect(mine(all, r2)).toMatchObject({ casesDone: 2, skipped: 0, drafts: 1 });
    expect(await labelsCsv(f.projectId)).toEqual(["a:r1", "a:r2", "b:r1", "b:r2"]);

    await exclude(owner(), f.cases.a, "INCLUSION_CRITERIA");
    await exclude(owner(), f.cases.c, "WRONG_IMAGE");
    const out = await progress(f.projectId);
    expect(out).toMatchObject({
      totalCases: 1,
      completeCases: 1,
      unreadCases: 0,
      excludedCases: 2,
      excludedByReason: [{ reason: "WRONG_IMAGE", cases: 1 }, { reason: "INCLUSION_CRITERIA", cases: 1 }],
    });
    expect(mine(out, r1)).toMatchObject({ casesDone: 1, skipped: 0, drafts: 0 });
    expect(mine(out, r2)).toMatchObject({ casesDone: 1, skipped: 0, drafts: 0 });
    expect(await labelsCsv(f.projectId)).toEqual(["b:r1", "b:r2"]);

    // The case list keeps every case, says which are out, and filters on it.
    const list = async (filter: Record<string, unknown> | null) =>
      (await owner().ok<{ cases: { totalCount: number; edges: Array<{ node: { key: string; exclusion: { reason: string } | null } }> } }>(CASES, { projectId: f.projectId, filter })).cases;
    expect((await list(null)).edges.map((e) => [e.node.key, e.node.exclusion?.reason ?? null])).toEqual([
      ["a", "INCLUSION_CRITERIA"],
      ["b", null],
      ["c", "WRONG_IMAGE"],
    ]);
    expect(await list({ excluded: true })).toMatchObject({ totalCount: 2, edges: [{ node: { key: "a" } }, { node: { key: "c" } }] });
    expect(await list({ excluded: false })).toMatchObject({ totalCount: 1, edges: [{ node: { key: "b" } }] });
    // By how far their reading has come, excluded cases never among them.
    expect(await list({ progress: "COMPLETE" })).toMatchObject({ totalCount: 1, edges: [{ node: { key: "b" } }] });
    expect((await list({ progress: "UNREAD" })).totalCount).toBe(0);

    await include(owner(), f.cases.a);
    await include(owner(), f.cases.c);
    expect(await progress(f.projectId)).toEqual(all);
    expect(await labelsCsv(f.projectId)).toEqual(["a:r1", "a:r2", "b:r1", "b:r2"]);
  });

  it("exports the case list as CSV, excluded cases marked with why, for those who may export; 404 for everyone else", async () => {
    const f = await projectWith(["a", "b", "c"], { readersPerCase: 1 });
    expect(errorCode(await submit(readers[0]!.caller, f.cases.b!, f.label))).toBeUndefined();
    await exclude(owner(), f.cases.c!, "OTHER", 'lateral view, "PA" in the header');
    const get = (who: Caller) => fetch(`${server.url}/export/projects/${f.projectId}/cases.csv`, { headers: who.cookie ? { cookie: who.cookie } : {} });
    const res = await get(owner());
    expect(res.status).toBe(200);
    expect(res.headers.get("x-total-rows")).toBe("3");
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe(CASE_EXPORT_COLUMNS.join(","));
    const rows = parseCsv(text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.case, r.case_id, r.readers_done, r.readers_needed, r.complete, r.excluded_reason, r.excluded_note])).toEqual([
      ["a", f.cases.a, "0", "1", "0", "", ""],
      ["b", f.cases.b, "1", "1", "1", "", ""],
      ["c", f.cases.c, "0", "1", "0", "OTHER", 'lateral view, "PA" in the header'],
    ]);
    // The de-identified UIDs the store serves, never the upload's; a PNG case is one image.
    const [stored] = await sql<{ sop: string }>(`SELECT i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.id = $1`, [f.cases.a]);
    expect(rows[0]).toMatchObject({ sop_instance_uid: stored!.sop, images: "1", rows: "12", columns: "16", has_report: "0" });
    expect(Number.isNaN(Date.parse(rows[2]!.excluded_at!))).toBe(false);
    expect(await sql(`SELECT 1 FROM ledger_leaves WHERE project_id = $1 AND event_type = 'export'`, [f.projectId])).toHaveLength(1);

    // A batch at a time, every case once, in upload order.
    const csv = await server.services.annotations.openCasesExport({ userId: team.OWNER.id, via: "session" }, f.projectId, 2);
    const batches: unknown[][][] = [];
    try {
      for await (const b of csv.batches()) batches.push(b);
    } finally {
      await csv.close();
    }
    expect(batches.map((b) => b.map((r) => r[0]))).toEqual([["a", "b"], ["c"]]);

    for (const who of [readers[0]!.caller, team.REVIEWER.caller, team.VIEWER.caller, new Caller(server)]) expect((await get(who)).status).toBe(404);
  });

  it("counts the cases that can no longer get all their readers, and leaves an excluded one out of that count", async () => {
    const f = await projectWith(["a", "b"]);
    const [able] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM memberships WHERE project_id = $1 AND role = ANY($2::text[])`, [f.projectId, MATRIX["case.annotate"]]);
    // Every member who may annotate is needed on every case.
    await sql(`UPDATE projects SET readers_per_case = $2 WHERE id = $1`, [f.projectId, able!.n]);
    expect((await progress(f.projectId)).blockedCases).toBe(0);

    // One skip of a: a can no longer get them; the reader who skipped b reading it after all unblocks b.
    expect(errorCode(await readers[0]!.caller.gql(SKIP, { caseId: f.cases.a, reason: "OUTSIDE_EXPERTISE" }))).toBeUndefined();
    expect(errorCode(await readers[1]!.caller.gql(SKIP, { caseId: f.cases.b, reason: "OUTSIDE_EXPERTISE" }))).toBeUndefined();
    expect((await progress(f.projectId)).blockedCases).toBe(2);
    // The case list names them, by the same rule.
    const listed = async (filter: Record<string, unknown>) =>
      (await owner().ok<{ cases: { edges: Array<{ node: { key: string } }> } }>(CASES, { projectId: f.projectId, filter })).cases.edges.map((e) => e.node.key);
    expect(await listed({ progress: "BLOCKED" })).toEqual(["a", "b"]);
    expect(errorCode(await submit(readers[1]!.caller, f.cases.b, f.label))).toBeUndefined();
    expect((await progress(f.projectId)).blockedCases).toBe(1);
    expect(await listed({ progress: "BLOCKED" })).toEqual(["a"]);
    expect(await listed({ progress: "PARTLY_READ" })).toEqual(["b"]);
    expect(await listed({ progress: "UNREAD" })).toEqual(["a"]);

    await exclude(owner(), f.cases.a, "OTHER", "nobody can read it");
    expect(await progress(f.projectId)).toMatchObject({ blockedCases: 0, excludedCases: 1, totalCases: 1 });
    expect(await listed({ progress: "BLOCKED" })).toEqual([]);
    expect(await listed({ progress: "UNREAD" })).toEqual([]);
  });

  it("does not count a disabled account among the readers a case may still get", async () => {
    const f = await projectWith(["a"]);
    const extra = await buildUser(server, "extra-reader");
    await owner().ok(`mutation($projectId: ID!, $input: GrantRoleInput!) { grantRole(projectId: $projectId, input: $input) { role } }`, {
      projectId: f.projectId,
      input: { email: extra.email, role: "ANNOTATOR" },
    });
    const [able] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM memberships WHERE project_id = $1 AND role = ANY($2::text[])`, [f.projectId, MATRIX["case.annotate"]]);
    await sql(`UPDATE projects SET readers_per_case = $2 WHERE id = $1`, [f.projectId, able!.n]);
    expect((await progress(f.projectId)).blockedCases).toBe(0);
    await server.services.admin.setDisabled("operator", extra.id, true);
    expect((await progress(f.projectId)).blockedCases).toBe(1);
    await server.services.admin.setDisabled("operator", extra.id, false);
    expect((await progress(f.projectId)).blockedCases).toBe(0);
  });

  it("refuses a bad reason or note, and anyone but a manager; the ledger has the reason, never the note", async () => {
    const f = await projectWith(["a"]);
    const fields = (r: GqlResult) => ((r.errors?.[0]?.extensions?.fields ?? []) as Array<{ field: string }>).map((p) => p.field);
    const noNote = await exclude(owner(), f.cases.a, "OTHER", "  ");
    expect(errorCode(noNote)).toBe("BAD_USER_INPUT");
    expect(fields(noNote)).toEqual(["note"]);
    const tooLong = await exclude(owner(), f.cases.a, "DUPLICATE", "x".repeat(1001));
    expect(errorCode(tooLong)).toBe("BAD_USER_INPUT");
    expect(tooLong.errors?.[0]?.message).toMatch(/1000 characters/);
    expect(errorCode(await exclude(owner(), f.cases.a, "BORING"))).toBe("BAD_USER_INPUT");

    // Only managers: for anyone else (a reader, a reviewer, a data owner, a stranger) the case is not there to exclude.
    const stranger = await buildUser(server, "excluder-stranger");
    for (const c of [readers[0]!.caller, team.REVIEWER.caller, team.DATA_OWNER.caller, stranger.caller]) expect(errorCode(await exclude(c, f.cases.a, "DUPLICATE"))).toBe("NOT_FOUND");
    expect(errorCode(await exclude(owner(), "00000000-0000-4000-8000-000000000000", "DUPLICATE"))).toBe("NOT_FOUND");
    expect(await sql(`SELECT 1 FROM case_exclusions WHERE case_id = $1`, [f.cases.a])).toEqual([]);

    expect(errorCode(await exclude(team.MANAGER.caller, f.cases.a, "OTHER", "patient asked to be left out"))).toBeUndefined();
    // Excluding again replaces the reason.
    expect(errorCode(await exclude(owner(), f.cases.a, "DUPLICATE"))).toBeUndefined();
    expect((await owner().ok<{ case: unknown }>(CASE, { id: f.cases.a })).case).toEqual({ key: "a", exclusion: { reason: "DUPLICATE", note: null } });
    await include(owner(), f.cases.a);

    const leaves = await sql<{ event_type: string; payload_sha256: Buffer }>(`SELECT event_type, payload_sha256 FROM ledger_leaves WHERE object_id = $1 ORDER BY id`, [f.cases.a]);
    expect(leaves.map((l) => l.event_type)).toEqual(["case.exclude", "case.exclude", "case.include"]);
    expect(leaves[0]!.payload_sha256).toEqual(canonicalSha256({ caseId: f.cases.a, reason: "OTHER" }));
    expect(leaves[2]!.payload_sha256).toEqual(canonicalSha256({ caseId: f.cases.a }));
  });

  it("tells every member at once, blind reading or not: the exclusion is about the case, not anyone's reading", async () => {
    const f = await projectWith(["a"], { blindReading: true, readersPerCase: 3 });
    type Event = { annotationEvents: { kind: string; caseId: string; readerId: string | null } };
    const annotator = new Subscription<Event>(readers[1]!.caller, EVENTS, { projectId: f.projectId });
    try {
      await subscriptions.waitFor(annotationChannel(f.projectId), 1);
      // Another reader's submission of a case r2 has not read stays unheard (blind reading)...
      expect(errorCode(await submit(readers[0]!.caller, f.cases.a, f.label))).toBeUndefined();
      await exclude(owner(), f.cases.a, "IMAGE_QUALITY");
      // ...so the first event r2 hears is the exclusion.
      expect((await annotator.nextData()).annotationEvents).toEqual({ kind: "EXCLUDED", caseId: f.cases.a, readerId: null });
      await include(owner(), f.cases.a);
      expect((await annotator.nextData()).annotationEvents).toEqual({ kind: "INCLUDED", caseId: f.cases.a, readerId: null });
    } finally {
      await annotator.close();
    }
  });

  it("refuses in an archived project", async () => {
    const f = await projectWith(["a"]);
    await owner().ok(`mutation($id: ID!) { archiveProject(id: $id) { id } }`, { id: f.projectId });
    expect(errorCode(await exclude(owner(), f.cases.a, "IMAGE_QUALITY"))).toBe("PROJECT_ARCHIVED");
    expect(await sql(`SELECT 1 FROM case_exclusions WHERE case_id = $1`, [f.cases.a])).toEqual([]);
  });
});
