import { createHash, randomUUID } from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { GRANT_ROLE, Subscription, buildLabel, buildReadingProject, buildTeam, errorCode, trackSubscriptions, type Account, type Team } from "../../testing/fixtures.js";
import { buildUser, startTestServer, type Caller, type GqlResult } from "../../testing/harness.js";
import { annotationChannel } from "../annotations/annotations.service.js";
import { putRoi } from "../collab/collab.document.js";
import { canonicalSha256 } from "../ledger/canonical.js";

// Managers assign cases to readers. An assignment holds one of the case's reader slots until its
// reader submits or skips the case; with assignedReading, readers read only their assigned cases.

const ASSIGN = `mutation($projectId: ID!, $caseIds: [ID!]!, $readerIds: [ID!]!) { assignReaders(projectId: $projectId, caseIds: $caseIds, readerIds: $readerIds) { changed unchanged } }`;
const UNASSIGN = `mutation($projectId: ID!, $caseIds: [ID!]!, $readerIds: [ID!]!) { unassignReaders(projectId: $projectId, caseIds: $caseIds, readerIds: $readerIds) { changed unchanged } }`;
const DISTRIBUTE = `mutation($projectId: ID!, $readerIds: [ID!]!, $readersPerCase: Int, $caseIds: [ID!]) {
  distributeCases(projectId: $projectId, readerIds: $readerIds, readersPerCase: $readersPerCase, caseIds: $caseIds) { assigned cases shortCases } }`;
const IMPORT = `mutation($projectId: ID!, $csv: String!) { importAssignments(projectId: $projectId, csv: $csv) { assigned unchanged problems } }`;
const NEXT = `mutation($projectId: ID!) { nextCase(projectId: $projectId) { case { key } } }`;
const UPCOMING = `query($projectId: ID!, $after: ID) { upcomingCase(projectId: $projectId, after: $after) { key } }`;
const SAVE = `mutation($caseId: ID!, $input: AnnotationInput!) { saveDraft(caseId: $caseId, input: $input) { id } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const REVISE = `mutation($caseId: ID!) { reviseAnnotation(caseId: $caseId) { id } }`;
const MINE = `query($caseId: ID!) { myAnnotation(caseId: $caseId) { status } }`;
const SKIP = `mutation($caseId: ID!) { skipCase(caseId: $caseId, reason: IMAGE_QUALITY) { caseId } }`;
const UNSKIP = `mutation($caseId: ID!) { unskipCase(caseId: $caseId) }`;
const COLLAB = `mutation($caseId: ID!, $layer: String!, $update: String!) { collabUpdate(caseId: $caseId, layer: $layer, update: $update) { updateId } }`;
const CASES = `query($projectId: ID!, $filter: CaseFilter) { cases(projectId: $projectId, first: 200, filter: $filter) { edges { node { key assignedToMe assignedReaders { readerId reading } } } } }`;
const CASE = `query($id: ID!) { case(id: $id) { key assignedToMe assignedReaders { readerId reading } } }`;
const PROGRESS = `query($projectId: ID!) { readerProgress(projectId: $projectId) { blockedCases underAssignedCases assignedReading readers { readerId assigned assignedLeft } } }`;
const EVENTS = `subscription($projectId: ID!) { annotationEvents(projectId: $projectId) { kind caseId readerId } }`;
const SETTINGS = `mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id } }`;
const EXCLUDE = `mutation($caseId: ID!) { excludeCase(caseId: $caseId, reason: DUPLICATE) { id } }`;
const REVOKE_ROLE = `mutation($projectId: ID!, $userId: ID!) { revokeRole(projectId: $projectId, userId: $userId) }`;
const ARCHIVE = `mutation($id: ID!) { archiveProject(id: $id) { id } }`;

type CaseNode = { key: string; assignedToMe: boolean; assignedReaders: Array<{ readerId: string; reading: string }> | null };
type Project = Awaited<ReturnType<typeof buildReadingProject>>;

describe("case assignments", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let readers: Account[];
  let outsider: Account;
  let subscriptions: ReturnType<typeof trackSubscriptions>;
  /** A short name for each account, for readable expectations: r1..r3, or the team's role. */
  const names = new Map<string, string>();
  const owner = () => team.OWNER.caller;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => server.platform.db.dataSource.query(text, params);

  const projectWith = (keys: string[], input: Record<string, unknown> = {}) => buildReadingProject(server, team, readers, keys, input);
  const ids = (f: Project, keys: string[]) => keys.map((k) => f.cases[k]!);
  const assign = (f: Project, keys: string[], who: Account[], by: Caller = owner()) =>
    by.ok<{ assignReaders: { changed: number; unchanged: number } }>(ASSIGN, { projectId: f.projectId, caseIds: ids(f, keys), readerIds: who.map((a) => a.id) }).then((d) => d.assignReaders);
  const unassign = (f: Project, keys: string[], who: Account[]) =>
    owner().ok<{ unassignReaders: { changed: number; unchanged: number } }>(UNASSIGN, { projectId: f.projectId, caseIds: ids(f, keys), readerIds: who.map((a) => a.id) }).then((d) => d.unassignReaders);
  const distribute = (f: Project, who: Account[], readersPerCase: number | null = null, keys: string[] | null = null) =>
    owner()
      .ok<{ distributeCases: { assigned: number; cases: number; shortCases: number } }>(DISTRIBUTE, { projectId: f.projectId, readerIds: who.map((a) => a.id), readersPerCase, caseIds: keys && ids(f, keys) })
      .then((d) => d.distributeCases);
  /** The project's stored assignments as "case:reader", sorted. */
  const pairs = async (f: Project) =>
    (await sql<{ key: string; reader_id: string }>(`SELECT c.key, a.reader_id FROM case_assignments a JOIN cases c ON c.id = a.case_id WHERE a.project_id = $1`, [f.projectId]))
      .map((r) => `${r.key}:${names.get(r.reader_id) ?? r.reader_id}`)
      .sort();
  const nextKey = async (a: Account, f: Project) => (await a.caller.ok<{ nextCase: { case: { key: string } } | null }>(NEXT, { projectId: f.projectId })).nextCase?.case.key ?? null;
  /** What nextCase would hand the reader, without claiming it. */
  const upcomingKey = async (a: Account, f: Project, after: string | null = null) =>
    (await a.caller.ok<{ upcomingCase: { key: string } | null }>(UPCOMING, { projectId: f.projectId, after })).upcomingCase?.key ?? null;
  const submit = (a: Account, f: Project, key: string) => a.caller.ok(SUBMIT, { caseId: f.cases[key], input: { labels: [{ labelId: f.label, value: true, confidence: 60 }] } });
  const listCases = async (c: Caller, f: Project, filter: Record<string, unknown> | null = null) =>
    (await c.ok<{ cases: { edges: Array<{ node: CaseNode }> } }>(CASES, { projectId: f.projectId, filter })).cases.edges.map((e) => e.node);
  const fields = (r: GqlResult) => ((r.errors?.[0]?.extensions?.fields ?? []) as Array<{ field: string }>).map((p) => p.field);
  const progress = async (f: Project) =>
    (
      await owner().ok<{ readerProgress: { blockedCases: number; underAssignedCases: number; assignedReading: boolean; readers: Array<{ readerId: string; assigned: number; assignedLeft: number }> } }>(PROGRESS, {
        projectId: f.projectId,
      })
    ).readerProgress;

  beforeAll(async () => {
    server = await startTestServer();
    subscriptions = trackSubscriptions(server.platform.bus);
    const [t, o, ...r] = await Promise.all([buildTeam(server), buildUser(server, "outsider"), ...[1, 2, 3].map((i) => buildUser(server, `reader${i}`))]);
    team = t;
    outsider = o;
    readers = r;
    readers.forEach((a, i) => names.set(a.id, `r${i + 1}`));
    for (const [role, a] of Object.entries(team)) names.set(a.id, role);
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  // ---- assigning

  it("assigns each case to each reader once, with one ledger leaf per case changed; unassigning withdraws them", async () => {
    const f = await projectWith(["a", "b", "c"]);
    const [r1, r2, r3] = readers as [Account, Account, Account];
    expect(await assign(f, ["a", "b"], [r1, r2], team.MANAGER.caller)).toEqual({ changed: 4, unchanged: 0 });
    // An id in capitals is the same reader.
    expect(await owner().ok(ASSIGN, { projectId: f.projectId, caseIds: [f.cases.a], readerIds: [r1.id.toUpperCase(), r3.id] })).toEqual({ assignReaders: { changed: 1, unchanged: 1 } });
    expect(await pairs(f)).toEqual(["a:r1", "a:r2", "a:r3", "b:r1", "b:r2"]);
    const by = await sql<{ reader_id: string; assigned_by: string }>(`SELECT reader_id, assigned_by FROM case_assignments WHERE case_id = $1`, [f.cases.a]);
    expect(Object.fromEntries(by.map((r) => [names.get(r.reader_id), names.get(r.assigned_by)]))).toEqual({ r1: "MANAGER", r2: "MANAGER", r3: "OWNER" });

    expect(await unassign(f, ["a", "b", "c"], [r1])).toEqual({ changed: 2, unchanged: 1 });
    expect(await unassign(f, ["a", "b", "c"], [r1])).toEqual({ changed: 0, unchanged: 3 });
    expect(await pairs(f)).toEqual(["a:r2", "a:r3", "b:r2"]);

    // The ledger: the case and its readers as sorted pseudonyms; nothing for a call that changed nothing.
    const p = (...who: Account[]) => who.map((a) => server.services.ledger.pseudonym(a.id)).sort();
    const leaf = (type: string, key: string, who: Account[]) => `${type} ${f.cases[key]} ${canonicalSha256({ caseId: f.cases[key], readers: p(...who) }).toString("hex")}`;
    const leaves = await sql<{ event_type: string; object_id: string; payload_sha256: Buffer }>(
      `SELECT event_type, object_id, payload_sha256 FROM ledger_leaves WHERE project_id = $1 AND event_type IN ('case.assign', 'case.unassign')`,
      [f.projectId],
    );
    expect(leaves.map((l) => `${l.event_type} ${l.object_id} ${l.payload_sha256.toString("hex")}`).sort()).toEqual(
      [leaf("case.assign", "a", [r1, r2]), leaf("case.assign", "b", [r1, r2]), leaf("case.assign", "a", [r3]), leaf("case.unassign", "a", [r1]), leaf("case.unassign", "b", [r1])].sort(),
    );
  });

  it("lists each case's assigned readers in cases.csv, by id as the other CSVs name readers", async () => {
    const f = await projectWith(["a", "b"]);
    const [r1, r2] = readers as [Account, Account];
    await assign(f, ["a"], [r2, r1]);
    const res = await fetch(`${server.url}/export/projects/${f.projectId}/cases.csv`, { headers: { cookie: owner().cookie! } });
    expect(res.status).toBe(200);
    const rows = parseCsv(await res.text(), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.case, r.assigned_readers])).toEqual([
      ["a", [r1.id, r2.id].sort().join(";")],
      ["b", ""],
    ]);
  });

  it("refuses a reader who may not annotate and a case not of the project, naming each entry, storing nothing; unassigns an excluded case", async () => {
    const f = await projectWith(["a", "b"]);
    const other = await projectWith(["x"]);
    const [r1] = readers as [Account];
    const disabled = await buildUser(server, "disabled");
    await owner().ok(GRANT_ROLE, { projectId: f.projectId, input: { email: disabled.email, role: "ANNOTATOR" } });
    await sql(`UPDATE users SET disabled_at = now() WHERE id = $1`, [disabled.id]);
    await assign(f, ["b"], [r1]);
    await owner().ok(EXCLUDE, { caseId: f.cases.b });
    const leavesBefore = (await sql(`SELECT 1 FROM ledger_leaves WHERE project_id = $1 AND event_type = 'case.assign'`, [f.projectId])).length;

    const badReaders = await owner().gql(ASSIGN, { projectId: f.projectId, caseIds: [f.cases.a], readerIds: [r1.id, team.VIEWER.id, team.DATA_OWNER.id, disabled.id, outsider.id] });
    expect(errorCode(badReaders)).toBe("BAD_USER_INPUT");
    expect(fields(badReaders)).toEqual(["readerIds[1]", "readerIds[2]", "readerIds[3]", "readerIds[4]"]);
    const badCases = await owner().gql(ASSIGN, { projectId: f.projectId, caseIds: [f.cases.a, other.cases.x, f.cases.b], readerIds: [r1.id] });
    expect(errorCode(badCases)).toBe("BAD_USER_INPUT");
    expect(fields(badCases)).toEqual(["caseIds[1]", "caseIds[2]"]);
    expect(badCases.errors?.[0]?.message).toMatch(/excluded/);
    const notAnId = await owner().gql(ASSIGN, { projectId: f.projectId, caseIds: ["nope"], readerIds: [r1.id] });
    expect(fields(notAnId)).toEqual(["caseIds[0]"]);
    const distribution = await owner().gql(DISTRIBUTE, { projectId: f.projectId, readerIds: [r1.id, team.VIEWER.id] });
    expect(fields(distribution)).toEqual(["readerIds[1]"]);
    expect(await pairs(f)).toEqual(["b:r1"]);
    expect(await sql(`SELECT 1 FROM ledger_leaves WHERE project_id = $1 AND event_type = 'case.assign'`, [f.projectId])).toHaveLength(leavesBefore);

    // Every role that may annotate may be assigned.
    expect(await assign(f, ["a"], [team.OWNER, team.MANAGER, team.ANNOTATOR, team.REVIEWER, team.TRAINEE])).toEqual({ changed: 5, unchanged: 0 });
    // An excluded case may still be unassigned.
    expect(await unassign(f, ["b"], [r1])).toEqual({ changed: 1, unchanged: 0 });
    expect(await pairs(f)).toEqual(["a:ANNOTATOR", "a:MANAGER", "a:OWNER", "a:REVIEWER", "a:TRAINEE"]);
  });

  it("is for managers: other members do not see the project; an archived project refuses", async () => {
    const f = await projectWith(["a"]);
    const r1 = readers[0]!;
    const calls: Array<[string, Record<string, unknown>]> = [
      [ASSIGN, { projectId: f.projectId, caseIds: [f.cases.a], readerIds: [r1.id] }],
      [UNASSIGN, { projectId: f.projectId, caseIds: [f.cases.a], readerIds: [r1.id] }],
      [DISTRIBUTE, { projectId: f.projectId, readerIds: [r1.id] }],
      [IMPORT, { projectId: f.projectId, csv: `case,reader\na,${r1.email}` }],
    ];
    for (const who of [team.DATA_OWNER, team.ANNOTATOR, team.REVIEWER, team.TRAINEE, team.VIEWER, r1, outsider]) {
      for (const [query, vars] of calls) expect(errorCode(await who.caller.gql(query, vars)), `${names.get(who.id) ?? "outsider"}: ${query.slice(0, 40)}`).toBe("NOT_FOUND");
    }
    expect(await pairs(f)).toEqual([]);

    await owner().ok(ARCHIVE, { id: f.projectId });
    for (const [query, vars] of calls) expect(errorCode(await team.MANAGER.caller.gql(query, vars))).toBe("PROJECT_ARCHIVED");
    expect(await pairs(f)).toEqual([]);
  });

  // ---- the queue

  it("holds a slot in the open queue, and hands the reader their assigned cases first even when the slots are full", async () => {
    const f = await projectWith(["a", "b", "c"], { readersPerCase: 1 });
    const [r1, r2, r3] = readers as [Account, Account, Account];
    await assign(f, ["a", "c"], [r1]);
    await assign(f, ["c"], [r2]);
    // a's one slot is r1's, c's too: r3 is handed b.
    expect(await upcomingKey(r3, f)).toBe("b");
    // c is r2's, though r1's assignment fills its one slot.
    expect(await nextKey(r2, f)).toBe("c");
    expect(await nextKey(r1, f)).toBe("a");
    await submit(r1, f, "a");
    // c (assigned, its slot held twice over) before the older, open b.
    expect(await nextKey(r1, f)).toBe("c");
  });

  it("hands the reader their own draft before their assigned cases, and those before older ones", async () => {
    const f = await projectWith(["a", "b", "c"], { readersPerCase: 2 });
    const r1 = readers[0]!;
    await r1.caller.ok(SAVE, { caseId: f.cases.b, input: { labels: [{ labelId: f.label, value: true, confidence: 60 }] } });
    await assign(f, ["c"], [r1]);
    expect(await nextKey(r1, f)).toBe("b");
    await submit(r1, f, "b");
    expect(await nextKey(r1, f)).toBe("c");
    await submit(r1, f, "c");
    expect(await nextKey(r1, f)).toBe("a");
  });

  it("frees the slot when its reader skips the case, is unassigned or leaves the project", async () => {
    const f = await projectWith(["a", "b"], { readersPerCase: 1 });
    const [r1, r2] = readers as [Account, Account];
    await assign(f, ["a"], [r1]);
    expect(await upcomingKey(r2, f)).toBe("b");
    await r1.caller.ok(SKIP, { caseId: f.cases.a });
    expect(await upcomingKey(r2, f)).toBe("a");
    await r1.caller.ok(UNSKIP, { caseId: f.cases.a });
    expect(await upcomingKey(r2, f)).toBe("b");
    await unassign(f, ["a"], [r1]);
    expect(await upcomingKey(r2, f)).toBe("a");
    await assign(f, ["a"], [r1]);
    expect(await upcomingKey(r2, f)).toBe("b");
    await owner().ok(REVOKE_ROLE, { projectId: f.projectId, userId: r1.id });
    expect(await upcomingKey(r2, f)).toBe("a");
  });

  it("with assignedReading hands a reader only their assigned cases", async () => {
    const f = await projectWith(["a", "b", "c"], { readersPerCase: 2, assignedReading: true });
    const [r1, r2, r3] = readers as [Account, Account, Account];
    expect(await nextKey(r1, f)).toBeNull();
    await assign(f, ["b", "c"], [r1]);
    await assign(f, ["b"], [r2]);
    // Of r1's cases, the one with fewer readers first: c (b is r2's too).
    expect(await nextKey(r1, f)).toBe("c");
    expect(await upcomingKey(r1, f, f.cases.c!)).toBe("b");
    expect(await nextKey(r3, f)).toBeNull();
    expect(await nextKey(team.OWNER, f)).toBeNull();
    expect(await nextKey(r2, f)).toBe("b");
    await submit(r2, f, "b");
    expect(await nextKey(r2, f)).toBeNull();
  });

  it("with assignedReading refuses writing a reading of an unassigned case, saying so; one's own reading stays readable", async () => {
    const f = await projectWith(["a", "b"], { assignedReading: true });
    const r1 = readers[0]!;
    const rect = await buildLabel(owner(), f.projectId, { name: "Box", kind: "ROI", roiShape: "RECTANGLE" });
    const input = { labels: [{ labelId: f.label, value: true, confidence: 60 }] };
    const region = () => {
      const d = new Y.Doc();
      putRoi(d, { id: randomUUID(), classId: rect, kind: "RECTANGLE", points: [[1, 1], [3, 3]] });
      return Buffer.from(Y.encodeStateAsUpdate(d)).toString("base64");
    };
    const writes = (key: string): Array<[string, Record<string, unknown>]> => [
      [SAVE, { caseId: f.cases[key], input }],
      [SUBMIT, { caseId: f.cases[key], input }],
      [COLLAB, { caseId: f.cases[key], layer: `reader:${r1.id}`, update: region() }],
    ];
    for (const [query, vars] of writes("a")) {
      const refused = await r1.caller.gql(query, vars);
      expect(errorCode(refused)).toBe("FORBIDDEN");
      expect(refused.errors?.[0]?.message).toMatch(/not assigned to you/);
    }
    expect(await sql(`SELECT 1 FROM annotations WHERE case_id = $1`, [f.cases.a])).toEqual([]);
    expect(await sql(`SELECT 1 FROM collab_documents WHERE case_id = $1`, [f.cases.a])).toEqual([]);

    await assign(f, ["a"], [r1]);
    const [save, submitIt, collab] = writes("a");
    for (const [query, vars] of [save!, collab!, submitIt!]) expect((await r1.caller.gql(query, vars)).errors).toBeUndefined();

    // Unassigned again: r1 may still see their reading, not revise it.
    await unassign(f, ["a"], [r1]);
    expect((await r1.caller.ok<{ myAnnotation: { status: string } }>(MINE, { caseId: f.cases.a })).myAnnotation.status).toBe("SUBMITTED");
    const revise = await r1.caller.gql(REVISE, { caseId: f.cases.a });
    expect(errorCode(revise)).toBe("FORBIDDEN");
    expect(revise.errors?.[0]?.message).toMatch(/not assigned to you/);

    // The setting off, any case may be read.
    await owner().ok(SETTINGS, { id: f.projectId, input: { assignedReading: false } });
    expect((await r1.caller.gql(SAVE, { caseId: f.cases.b, input })).errors).toBeUndefined();
    expect((await r1.caller.gql(REVISE, { caseId: f.cases.a })).errors).toBeUndefined();
  });

  // ---- distributing and importing

  it("distributes cases up to readersPerCase, counting assigned and submitted readers, never to one who skipped", async () => {
    const f = await projectWith(["a", "b", "c", "d", "e"], { readersPerCase: 2 });
    const [r1, r2, r3] = readers as [Account, Account, Account];
    await assign(f, ["a"], [r1]);
    await submit(r2, f, "b");
    await r3.caller.ok(SKIP, { caseId: f.cases.c });
    await owner().ok(EXCLUDE, { caseId: f.cases.e });
    const three = [r1, r2, r3];

    const tooMany = await owner().gql(DISTRIBUTE, { projectId: f.projectId, readerIds: three.map((a) => a.id), readersPerCase: 101 });
    expect(errorCode(tooMany)).toBe("BAD_USER_INPUT");
    expect(fields(tooMany)).toEqual(["readersPerCase"]);
    expect(fields(await owner().gql(DISTRIBUTE, { projectId: f.projectId, readerIds: [r1.id], caseIds: [f.cases.e] }))).toEqual(["caseIds[0]"]);

    // Only the cases named; the project's readers per case.
    expect(await distribute(f, three, null, ["a", "b"])).toEqual({ assigned: 2, cases: 2, shortCases: 0 });
    expect((await pairs(f)).filter((p) => /^[cde]:/.test(p))).toEqual([]);
    expect(await distribute(f, three)).toEqual({ assigned: 4, cases: 2, shortCases: 0 });
    const now = await pairs(f);
    const on = (key: string) => now.filter((p) => p.startsWith(`${key}:`)).map((p) => p.slice(2));
    expect(on("a")).toHaveLength(2);
    expect(on("a")).toContain("r1");
    expect(on("b")).toHaveLength(1); // and r2, who submitted it
    expect(on("b")).not.toContain("r2");
    expect(on("c")).toEqual(["r1", "r2"]);
    expect(on("d")).toHaveLength(2);
    expect(on("e")).toEqual([]);
    // Even: 7 assignments over 3 readers.
    const loads = three.map((a) => now.filter((p) => p.endsWith(`:${names.get(a.id)}`)).length).sort();
    expect(loads).toEqual([2, 2, 3]);

    // Three per case: every free reader; c stays short (r3 skipped it).
    expect(await distribute(f, three, 3)).toEqual({ assigned: 3, cases: 3, shortCases: 1 });
    expect(await pairs(f)).toEqual(["a:r1", "a:r2", "a:r3", "b:r1", "b:r3", "c:r1", "c:r2", "d:r1", "d:r2", "d:r3"]);
    expect(await distribute(f, three, 3)).toEqual({ assigned: 0, cases: 0, shortCases: 1 });
    expect(await sql(`SELECT 1 FROM ledger_leaves WHERE project_id = $1 AND event_type = 'case.assign'`, [f.projectId])).toHaveLength(1 + 2 + 2 + 3);

    // An assigned reader who skips the case no longer counts: d is short of three now, and listed so.
    await r3.caller.ok(SKIP, { caseId: f.cases.d });
    expect(await distribute(f, three, 3)).toEqual({ assigned: 0, cases: 0, shortCases: 2 });
    await owner().ok(SETTINGS, { id: f.projectId, input: { readersPerCase: 3 } });
    expect((await listCases(owner(), f, { underAssigned: true })).map((c) => c.key)).toEqual(["c", "d"]);
  });

  it("breaks ties between equally loaded readers by a hash of the case and the reader", async () => {
    const f = await projectWith(["a", "b", "c"], { readersPerCase: 1 });
    const hash = (key: string, a: Account) => createHash("sha256").update(`${f.cases[key]}:${a.id}`).digest("hex");
    const first = (key: string, among: Account[]) => [...among].sort((x, y) => hash(key, x).localeCompare(hash(key, y)))[0]!;
    const onA = first("a", readers);
    const onB = first("b", readers.filter((r) => r !== onA));
    const onC = readers.find((r) => r !== onA && r !== onB)!;
    expect(await distribute(f, readers)).toEqual({ assigned: 3, cases: 3, shortCases: 0 });
    expect(await pairs(f)).toEqual([`a:${names.get(onA.id)}`, `b:${names.get(onB.id)}`, `c:${names.get(onC.id)}`]);
  });

  it("counts a former member's assignment nowhere: the case is under-assigned again and distribution tops it up", async () => {
    const f = await projectWith(["a"], { readersPerCase: 2 });
    const [r1, r2, r3] = readers as [Account, Account, Account];
    await assign(f, ["a"], [r1, r2]);
    await owner().ok(REVOKE_ROLE, { projectId: f.projectId, userId: r2.id });
    expect((await listCases(owner(), f, { underAssigned: true })).map((c) => c.key)).toEqual(["a"]);
    // Nor listed among the case's assigned readers.
    expect((await listCases(owner(), f))[0]!.assignedReaders!.map((r) => names.get(r.readerId))).toEqual(["r1"]);
    expect(await distribute(f, [r1, r3])).toEqual({ assigned: 1, cases: 1, shortCases: 0 });
    expect(await pairs(f)).toEqual(["a:r1", "a:r2", "a:r3"]);
  });

  it("imports assignments from a CSV of case keys and e-mail addresses, listing the rows it cannot use by line", async () => {
    const f = await projectWith(["a", "b", "c", "d"]);
    const [r1, r2, r3] = readers as [Account, Account, Account];
    await owner().ok(EXCLUDE, { caseId: f.cases.d });
    const csv = [
      "Case,Reader",
      `a,${r1.email.toUpperCase()}`,
      `b,${r2.email}`,
      `zzz,${r1.email}`,
      `c,${team.VIEWER.email}`,
      `d,${r1.email}`,
      `,${r1.email}`,
      `a,${r1.email}`,
    ].join("\r\n");
    const { importAssignments: first } = await owner().ok<{ importAssignments: { assigned: number; unchanged: number; problems: string[] } }>(IMPORT, { projectId: f.projectId, csv });
    expect(first).toEqual({
      assigned: 2,
      unchanged: 0,
      problems: [
        expect.stringMatching(/^line 4: .*"zzz"/),
        expect.stringMatching(new RegExp(`^line 5: ${team.VIEWER.email.replace(/[.]/g, "\\.")} is not a member`)),
        expect.stringMatching(/^line 6: .*"d".*excluded/),
        expect.stringMatching(/^line 7: no case key/),
      ],
    });
    expect(await pairs(f)).toEqual(["a:r1", "b:r2"]);

    const again = await owner().ok<{ importAssignments: unknown }>(IMPORT, { projectId: f.projectId, csv: `key,email\nc,${r3.email}\na,${r1.email}\n` });
    expect(again.importAssignments).toEqual({ assigned: 1, unchanged: 1, problems: [] });
    expect((await owner().ok<{ importAssignments: { assigned: number } }>(IMPORT, { projectId: f.projectId, csv: `case_key,reader_email\nb,${r3.email}` })).importAssignments.assigned).toBe(1);

    const noReader = await owner().gql(IMPORT, { projectId: f.projectId, csv: `case,who\na,${r2.email}` });
    expect(errorCode(noReader)).toBe("BAD_USER_INPUT");
    expect(fields(noReader)).toEqual(["csv"]);
    expect(await pairs(f)).toEqual(["a:r1", "b:r2", "b:r3", "c:r3"]);
  });

  // ---- reading assignments

  it("shows a case's assigned readers and where each stands to those who follow progress, and each reader whether it is theirs", async () => {
    const f = await projectWith(["a", "b"], { readersPerCase: 3 });
    const [r1, r2, r3] = readers as [Account, Account, Account];
    await assign(f, ["a"], [r1, r2, r3, team.TRAINEE]);
    await submit(r1, f, "a");
    await r2.caller.ok(SKIP, { caseId: f.cases.a });
    await r3.caller.ok(SAVE, { caseId: f.cases.a, input: { labels: [] } });
    const expected = [
      { readerId: r1.id, reading: "SUBMITTED" },
      { readerId: r2.id, reading: "SKIPPED" },
      { readerId: r3.id, reading: "DRAFT" },
      { readerId: team.TRAINEE.id, reading: "NOT_STARTED" },
    ].sort((x, y) => x.readerId.localeCompare(y.readerId));
    const sorted = (rows: CaseNode["assignedReaders"]) => rows && [...rows].sort((x, y) => x.readerId.localeCompare(y.readerId));

    for (const who of [team.MANAGER, team.REVIEWER]) {
      const [a, b] = await listCases(who.caller, f);
      expect(sorted(a!.assignedReaders)).toEqual(expected);
      expect(b!.assignedReaders).toEqual([]);
      const one = (await who.caller.ok<{ case: CaseNode }>(CASE, { id: f.cases.a })).case;
      expect(sorted(one.assignedReaders)).toEqual(expected);
    }
    for (const who of [team.ANNOTATOR, team.TRAINEE, team.DATA_OWNER, team.VIEWER, r1]) {
      expect((await listCases(who.caller, f)).map((c) => c.assignedReaders)).toEqual([null, null]);
      expect((await who.caller.ok<{ case: CaseNode }>(CASE, { id: f.cases.a })).case.assignedReaders).toBeNull();
    }

    expect((await listCases(r1.caller, f)).map((c) => [c.key, c.assignedToMe])).toEqual([["a", true], ["b", false]]);
    expect((await listCases(team.ANNOTATOR.caller, f)).map((c) => c.assignedToMe)).toEqual([false, false]);
    expect((await team.TRAINEE.caller.ok<{ case: CaseNode }>(CASE, { id: f.cases.a })).case.assignedToMe).toBe(true);
    expect((await team.ANNOTATOR.caller.ok<{ case: CaseNode }>(CASE, { id: f.cases.a })).case.assignedToMe).toBe(false);
  });

  it("filters the case list by assigned reader (another's only for those who follow progress) and by under-assignment", async () => {
    const f = await projectWith(["a", "b", "c", "d", "e"], { readersPerCase: 2 });
    const [r1, r2] = readers as [Account, Account];
    await assign(f, ["a", "d"], [r1, r2]);
    await assign(f, ["b"], [r1]);
    await owner().ok(EXCLUDE, { caseId: f.cases.e });
    const keys = async (c: Caller, filter: Record<string, unknown>) => (await listCases(c, f, filter)).map((n) => n.key);

    expect(await keys(r1.caller, { assignedTo: r1.id })).toEqual(["a", "b", "d"]);
    expect(await keys(r2.caller, { assignedTo: r2.id })).toEqual(["a", "d"]);
    expect(await keys(team.REVIEWER.caller, { assignedTo: r1.id })).toEqual(["a", "b", "d"]);
    for (const who of [r2, team.ANNOTATOR, team.TRAINEE, team.VIEWER]) expect(errorCode(await who.caller.gql(CASES, { projectId: f.projectId, filter: { assignedTo: r1.id } }))).toBe("FORBIDDEN");
    const notAnId = await r1.caller.gql(CASES, { projectId: f.projectId, filter: { assignedTo: "nope" } });
    expect(errorCode(notAnId)).toBe("BAD_USER_INPUT");
    expect(fields(notAnId)).toEqual(["filter.assignedTo"]);

    // Excluded e matches neither.
    expect(await keys(owner(), { underAssigned: true })).toEqual(["b", "c"]);
    expect(await keys(owner(), { underAssigned: false })).toEqual(["a", "d"]);
    expect(await keys(team.REVIEWER.caller, { underAssigned: true })).toEqual(["b", "c"]);
    // Which cases have their readers assigned is the managers' and reviewers' to know.
    for (const who of [r1, team.ANNOTATOR, team.VIEWER]) expect(errorCode(await who.caller.gql(CASES, { projectId: f.projectId, filter: { underAssigned: true } }))).toBe("FORBIDDEN");
  });

  it("counts assignments in the reading progress; with assignedReading only assigned readers are readers a case may still get", async () => {
    const f = await projectWith(["a", "b", "c", "d"], { readersPerCase: 2, assignedReading: true });
    const [r1, r2, r3] = readers as [Account, Account, Account];
    await assign(f, ["a", "d"], [r1, r2]);
    await assign(f, ["b"], [r1]);
    await owner().ok(EXCLUDE, { caseId: f.cases.d });
    await submit(r1, f, "a");
    const reader = (p: Awaited<ReturnType<typeof progress>>, a: Account) => {
      const row = p.readers.find((r) => r.readerId === a.id)!;
      return [row.assigned, row.assignedLeft];
    };

    let p = await progress(f);
    // a: r1 read it, r2 may; b: only r1 may; c: no one. d is excluded.
    expect({ blocked: p.blockedCases, under: p.underAssignedCases, mode: p.assignedReading }).toEqual({ blocked: 2, under: 2, mode: true });
    expect([reader(p, r1), reader(p, r2), reader(p, r3)]).toEqual([[2, 1], [1, 1], [0, 0]]);

    await r2.caller.ok(SKIP, { caseId: f.cases.a });
    p = await progress(f);
    expect(p.blockedCases).toBe(3);
    expect(reader(p, r2)).toEqual([1, 0]);

    // Open reading: every member who may annotate may still read them.
    await owner().ok(SETTINGS, { id: f.projectId, input: { assignedReading: false } });
    p = await progress(f);
    expect({ blocked: p.blockedCases, mode: p.assignedReading }).toEqual({ blocked: 0, mode: false });
  });

  it("tells the reader concerned and those who follow progress, not other annotators", async () => {
    // Without blind reading an annotator hears of others' submissions and skips, not of their assignments.
    const f = await projectWith(["a", "b"], { blindReading: false });
    const [r1, r2] = readers as [Account, Account];
    type Event = { annotationEvents: { kind: string; caseId: string | null; readerId: string } };
    const manager = new Subscription<Event>(team.MANAGER.caller, EVENTS, { projectId: f.projectId });
    const first = new Subscription<Event>(r1.caller, EVENTS, { projectId: f.projectId });
    const second = new Subscription<Event>(r2.caller, EVENTS, { projectId: f.projectId });
    const assigned = (a: Account) => ({ kind: "ASSIGNED", caseId: null, readerId: a.id });
    try {
      await subscriptions.waitFor(annotationChannel(f.projectId), 3);
      await assign(f, ["a"], [r1]);
      expect((await manager.nextData()).annotationEvents).toEqual(assigned(r1));
      expect((await first.nextData()).annotationEvents).toEqual(assigned(r1));
      // r2's first event is their own assignment: they never heard of r1's.
      await assign(f, ["b"], [r2]);
      expect((await second.nextData()).annotationEvents).toEqual(assigned(r2));
      expect((await manager.nextData()).annotationEvents).toEqual(assigned(r2));
      await unassign(f, ["a"], [r1]);
      expect((await first.nextData()).annotationEvents).toEqual(assigned(r1));
      expect((await manager.nextData()).annotationEvents).toEqual(assigned(r1));
      expect(await second.next(300)).toBe("timeout");
    } finally {
      await Promise.all([manager.close(), first.close(), second.close()]);
    }
  });
});
