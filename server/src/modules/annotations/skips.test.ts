import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Subscription, buildReadingProject, buildTeam, errorCode, trackSubscriptions, type Account, type Team } from "../../testing/fixtures.js";
import { Caller, buildUser, startTestServer, type GqlResult } from "../../testing/harness.js";
import { canonicalSha256 } from "../ledger/canonical.js";
import { SKIP_EXPORT_COLUMNS, annotationChannel } from "./annotations.service.js";

// Skipping a case: a reader who will not read a case (not diagnostic, the wrong image, outside their
// expertise) takes it out of their own queue and frees its slot for another reader.

const NEXT = `mutation($projectId: ID!) { nextCase(projectId: $projectId) { case { id key } annotation { id } } }`;
const UPCOMING = `query($projectId: ID!, $after: ID) { upcomingCase(projectId: $projectId, after: $after) { key } }`;
const SKIP = `mutation($caseId: ID!, $reason: SkipReason!, $note: String) { skipCase(caseId: $caseId, reason: $reason, note: $note) { caseId caseKey readerId readerName reason note skippedAt } }`;
const UNSKIP = `mutation($caseId: ID!, $readerId: ID) { unskipCase(caseId: $caseId, readerId: $readerId) }`;
const MY_SKIP = `query($caseId: ID!) { myCaseSkip(caseId: $caseId) { caseId readerId reason note } }`;
const SKIPS = `query($projectId: ID!, $readerId: ID) { caseSkips(projectId: $projectId, readerId: $readerId) { caseKey readerId readerName reason note } }`;
const SAVE = `mutation($caseId: ID!, $input: AnnotationInput!) { saveDraft(caseId: $caseId, input: $input) { id status } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const MINE = `query($caseId: ID!) { myAnnotation(caseId: $caseId) { id status labels { labelId value } } }`;
const PROGRESS = `query($projectId: ID!) { readerProgress(projectId: $projectId) { readers { readerId skipped drafts casesDone } } }`;
const EVENTS = `subscription($projectId: ID!) { annotationEvents(projectId: $projectId) { kind caseId readerId } }`;

interface Skip {
  caseKey: string;
  readerId: string;
  readerName: string;
  reason: string;
  note: string | null;
}

describe("skipping a case", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let readers: Account[];
  let subscriptions: ReturnType<typeof trackSubscriptions>;
  const owner = () => team.OWNER.caller;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => server.platform.db.dataSource.query(text, params);

  const projectWith = (keys: string[], input: Record<string, unknown> = {}) => buildReadingProject(server, team, readers, keys, input);
  const next = async (c: Caller, projectId: string) => (await c.ok<{ nextCase: { case: { key: string }; annotation: { id: string } | null } | null }>(NEXT, { projectId })).nextCase;
  const nextKey = async (c: Caller, projectId: string) => (await next(c, projectId))?.case.key ?? null;
  const skip = (c: Caller, caseId: string, reason: string, note: string | null = null): Promise<GqlResult> => c.gql(SKIP, { caseId, reason, note });
  const skips = async (c: Caller, projectId: string, readerId: string | null = null) => (await c.ok<{ caseSkips: Skip[] }>(SKIPS, { projectId, readerId })).caseSkips;
  const mySkip = async (c: Caller, caseId: string) => (await c.ok<{ myCaseSkip: { reason: string; note: string | null } | null }>(MY_SKIP, { caseId })).myCaseSkip;

  beforeAll(async () => {
    server = await startTestServer();
    subscriptions = trackSubscriptions(server.platform.bus);
    const [t, ...r] = await Promise.all([buildTeam(server), ...[1, 2].map((i) => buildUser(server, `skipper${i}`))]);
    team = t;
    readers = r;
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("takes the case out of the reader's queue and gives its slot to another reader at once", async () => {
    const f = await projectWith(["a", "b", "c"], { readersPerCase: 1 });
    const [r1, r2] = readers as [Account, Account];

    expect(await nextKey(r1.caller, f.projectId)).toBe("a");
    const skipped = (await r1.caller.ok<{ skipCase: Skip & { caseId: string; skippedAt: string } }>(SKIP, { caseId: f.cases.a, reason: "IMAGE_QUALITY", note: "  motion blur  " })).skipCase;
    expect(skipped).toMatchObject({ caseId: f.cases.a, caseKey: "a", readerId: r1.id, reason: "IMAGE_QUALITY", note: "motion blur" });
    expect(Number.isNaN(Date.parse(skipped.skippedAt))).toBe(false);

    // Neither the queue nor the case it names to load ahead hands r1 the skipped case again.
    expect(await nextKey(r1.caller, f.projectId)).toBe("b");
    expect((await r1.caller.ok<{ upcomingCase: { key: string } | null }>(UPCOMING, { projectId: f.projectId, after: f.cases.b })).upcomingCase?.key).toBe("c");
    // r1's claim on a went with the skip: with one reader per case, r2 gets a, not c.
    expect(await nextKey(r2.caller, f.projectId)).toBe("a");

    expect(await mySkip(r1.caller, f.cases.a)).toEqual({ caseId: f.cases.a, readerId: r1.id, reason: "IMAGE_QUALITY", note: "motion blur" });
    expect(await mySkip(r2.caller, f.cases.a)).toBeNull();
    // Managers see every reader's skips; the progress counts them.
    expect(await skips(owner(), f.projectId)).toEqual([{ caseKey: "a", readerId: r1.id, readerName: expect.any(String), reason: "IMAGE_QUALITY", note: "motion blur" }]);
    const progress = (await owner().ok<{ readerProgress: { readers: Array<{ readerId: string; skipped: number }> } }>(PROGRESS, { projectId: f.projectId })).readerProgress;
    expect(progress.readers.find((r) => r.readerId === r1.id)?.skipped).toBe(1);
    expect(progress.readers.find((r) => r.readerId === r2.id)?.skipped).toBe(0);
  });

  it("keeps the reader's draft, out of the queue, until they return to the case", async () => {
    const f = await projectWith(["a", "b"], { readersPerCase: 2 });
    const r1 = readers[0]!;
    await r1.caller.ok(SAVE, { caseId: f.cases.a, input: { labels: [{ labelId: f.label, value: true, confidence: 60 }] } });
    // An open draft comes first in the queue; once skipped it does not.
    expect(await nextKey(r1.caller, f.projectId)).toBe("a");
    expect(errorCode(await skip(r1.caller, f.cases.a, "OUTSIDE_EXPERTISE"))).toBeUndefined();
    expect(await nextKey(r1.caller, f.projectId)).toBe("b");
    expect((await r1.caller.ok<{ myAnnotation: { status: string; labels: unknown[] } }>(MINE, { caseId: f.cases.a })).myAnnotation).toMatchObject({
      status: "DRAFT",
      labels: [{ labelId: f.label, value: true }],
    });

    // Returning to it: the queue hands back the draft first.
    expect((await r1.caller.ok<{ unskipCase: boolean }>(UNSKIP, { caseId: f.cases.a })).unskipCase).toBe(true);
    expect((await r1.caller.ok<{ unskipCase: boolean }>(UNSKIP, { caseId: f.cases.a })).unskipCase).toBe(false);
    const back = await next(r1.caller, f.projectId);
    expect(back?.case.key).toBe("a");
    expect(back?.annotation).not.toBeNull();
    expect(await skips(owner(), f.projectId)).toEqual([]);
  });

  it("is withdrawn by submitting the case after all, and refused once the case is submitted", async () => {
    const f = await projectWith(["a"], { readersPerCase: 2 });
    const r1 = readers[0]!;
    expect(errorCode(await skip(r1.caller, f.cases.a, "WRONG_IMAGE"))).toBeUndefined();
    // Skipping again replaces the reason.
    expect(errorCode(await skip(r1.caller, f.cases.a, "OTHER", "lateral view only"))).toBeUndefined();
    expect(await skips(owner(), f.projectId)).toMatchObject([{ caseKey: "a", reason: "OTHER", note: "lateral view only" }]);

    await r1.caller.ok(SUBMIT, { caseId: f.cases.a, input: { labels: [], rois: [] } });
    expect(await mySkip(r1.caller, f.cases.a)).toBeNull();
    expect(await skips(owner(), f.projectId)).toEqual([]);
    const refused = await skip(r1.caller, f.cases.a, "IMAGE_QUALITY");
    expect(errorCode(refused)).toBe("CONFLICT");
    expect(refused.errors?.[0]?.message).toMatch(/submitted/);
    expect(await skips(owner(), f.projectId)).toEqual([]);
  });

  it("refuses a bad reason or note with a message naming the field, and stores nothing", async () => {
    const f = await projectWith(["a"]);
    const r1 = readers[0]!;
    const fields = (r: GqlResult) => ((r.errors?.[0]?.extensions?.fields ?? []) as Array<{ field: string; message: string }>).map((p) => p.field);

    const noNote = await skip(r1.caller, f.cases.a, "OTHER", "   ");
    expect(errorCode(noNote)).toBe("BAD_USER_INPUT");
    expect(fields(noNote)).toEqual(["note"]);
    const tooLong = await skip(r1.caller, f.cases.a, "IMAGE_QUALITY", "x".repeat(1001));
    expect(errorCode(tooLong)).toBe("BAD_USER_INPUT");
    expect(tooLong.errors?.[0]?.message).toMatch(/1000 characters/);
    // GraphQL itself refuses a reason that is not one of the enum's.
    expect(errorCode(await skip(r1.caller, f.cases.a, "BORED"))).toBe("BAD_USER_INPUT");
    // A note of exactly 1000 characters is fine.
    expect(errorCode(await skip(r1.caller, f.cases.a, "IMAGE_QUALITY", "y".repeat(1000)))).toBeUndefined();
    expect((await skips(owner(), f.projectId)).map((s) => [s.reason, s.note?.length])).toEqual([["IMAGE_QUALITY", 1000]]);
    await r1.caller.ok(UNSKIP, { caseId: f.cases.a });

    // Only the failed attempts happened: no skip, and the ledger holds one skip and one withdrawal.
    const leaves = await sql<{ event_type: string; payload_sha256: Buffer }>(`SELECT event_type, payload_sha256 FROM ledger_leaves WHERE object_id = $1 ORDER BY id`, [f.cases.a]);
    expect(leaves.map((l) => l.event_type)).toEqual(["case.skip", "case.unskip"]);
    // What the leaves hash: the case and the reason; the reader only as a pseudonym; never the note.
    expect(leaves[0]!.payload_sha256).toEqual(canonicalSha256({ caseId: f.cases.a, reason: "IMAGE_QUALITY" }));
    expect(leaves[1]!.payload_sha256).toEqual(canonicalSha256({ caseId: f.cases.a, reader: server.services.ledger.pseudonym(r1.id) }));
  });

  it("lets a manager return a reader's skipped case to their queue; no one else may touch another's skip", async () => {
    const f = await projectWith(["a"], { readersPerCase: 2 });
    const [r1, r2] = readers as [Account, Account];
    expect(errorCode(await skip(r1.caller, f.cases.a, "IMAGE_QUALITY"))).toBeUndefined();

    // Another annotator, a reviewer: the case does not exist for that (no leak of whose skips there are).
    for (const c of [r2.caller, team.REVIEWER.caller, team.TRAINEE.caller]) expect(errorCode(await c.gql(UNSKIP, { caseId: f.cases.a, readerId: r1.id }))).toBe("NOT_FOUND");
    // Readers see only their own skips, whatever reader they ask for.
    expect(await skips(r2.caller, f.projectId)).toEqual([]);
    expect(await skips(r2.caller, f.projectId, r1.id)).toEqual([]);
    expect((await skips(r1.caller, f.projectId)).map((s) => s.caseKey)).toEqual(["a"]);
    // A reviewer follows progress, so sees them; the viewer and a stranger do not see the project.
    expect((await skips(team.REVIEWER.caller, f.projectId, r1.id)).map((s) => s.readerId)).toEqual([r1.id]);
    expect(errorCode(await team.VIEWER.caller.gql(SKIPS, { projectId: f.projectId }))).toBe("NOT_FOUND");
    expect(errorCode(await team.VIEWER.caller.gql(SKIP, { caseId: f.cases.a, reason: "IMAGE_QUALITY" }))).toBe("NOT_FOUND");

    expect((await team.MANAGER.caller.ok<{ unskipCase: boolean }>(UNSKIP, { caseId: f.cases.a, readerId: r1.id })).unskipCase).toBe(true);
    expect(await mySkip(r1.caller, f.cases.a)).toBeNull();
    expect(await nextKey(r1.caller, f.projectId)).toBe("a");
  });

  it("tells the project's listeners, blind reading kept: an annotator hears of another's skip only on a case they submitted", async () => {
    const f = await projectWith(["a", "b"], { readersPerCase: 3, blindReading: true });
    const [r1, r2] = readers as [Account, Account];
    type Event = { annotationEvents: { kind: string; caseId: string; readerId: string } };
    const manager = new Subscription<Event>(team.MANAGER.caller, EVENTS, { projectId: f.projectId });
    const annotator = new Subscription<Event>(r2.caller, EVENTS, { projectId: f.projectId });
    try {
      await subscriptions.waitFor(annotationChannel(f.projectId), 2);
      expect(errorCode(await skip(r1.caller, f.cases.a, "IMAGE_QUALITY"))).toBeUndefined();
      expect((await manager.nextData()).annotationEvents).toEqual({ kind: "SKIPPED", caseId: f.cases.a, readerId: r1.id });
      await owner().ok(UNSKIP, { caseId: f.cases.a, readerId: r1.id });
      expect((await manager.nextData()).annotationEvents).toEqual({ kind: "UNSKIPPED", caseId: f.cases.a, readerId: r1.id });

      // r2 has submitted b, not a: r1's skip of a is not told, r1's skip of b is.
      await r2.caller.ok(SUBMIT, { caseId: f.cases.b, input: { labels: [], rois: [] } });
      expect((await annotator.nextData()).annotationEvents).toEqual({ kind: "SUBMITTED", caseId: f.cases.b, readerId: r2.id });
      expect(errorCode(await skip(r1.caller, f.cases.b, "WRONG_IMAGE"))).toBeUndefined();
      expect((await annotator.nextData()).annotationEvents).toEqual({ kind: "SKIPPED", caseId: f.cases.b, readerId: r1.id });
    } finally {
      await manager.close();
      await annotator.close();
    }
  });

  it("exports the skipped cases as CSV for those who may export, with the ledger's export leaf; 404 for everyone else", async () => {
    const f = await projectWith(["a", "b"], { readersPerCase: 2 });
    const [r1, r2] = readers as [Account, Account];
    expect(errorCode(await skip(r1.caller, f.cases.a, "OTHER", 'says "PA", is AP, lateral'))).toBeUndefined();
    expect(errorCode(await skip(r2.caller, f.cases.a, "IMAGE_QUALITY"))).toBeUndefined();
    expect(errorCode(await skip(r2.caller, f.cases.b, "WRONG_IMAGE", "line one\nline two"))).toBeUndefined();
    const get = (who: Caller) => fetch(`${server.url}/export/projects/${f.projectId}/skips.csv`, { headers: who.cookie ? { cookie: who.cookie } : {} });

    const res = await get(owner());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="concord-${f.projectId}-skips.csv"`);
    expect(res.headers.get("x-total-rows")).toBe("3");
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe(SKIP_EXPORT_COLUMNS.join(","));
    const rows = parseCsv(text, { columns: true }) as Array<Record<string, string>>;
    // Newest first; quotes, commas and line breaks in a note survive.
    expect(rows.map((r) => [r.case, r.annotator, r.reason, r.note, r.case_id])).toEqual([
      ["b", r2.id, "WRONG_IMAGE", "line one\nline two", f.cases.b],
      ["a", r2.id, "IMAGE_QUALITY", "", f.cases.a],
      ["a", r1.id, "OTHER", 'says "PA", is AP, lateral', f.cases.a],
    ]);
    expect(rows.every((r) => !Number.isNaN(Date.parse(r.skipped_at!)))).toBe(true);
    expect(await sql(`SELECT 1 FROM ledger_leaves WHERE project_id = $1 AND event_type = 'export'`, [f.projectId])).toHaveLength(1);

    for (const who of [team.DATA_OWNER.caller, team.MANAGER.caller]) expect((await get(who)).status).toBe(200);
    for (const who of [r1.caller, team.ANNOTATOR.caller, team.REVIEWER.caller, team.VIEWER.caller, new Caller(server)]) {
      const refused = await get(who);
      expect(refused.status).toBe(404);
      expect(await refused.json()).toEqual({ error: "not found" });
    }
  });

  it("is not for a trainee in an education project, whose score would be over cases of their choosing", async () => {
    const f = await projectWith(["a"], { mode: "EDUCATION" });
    const refused = await skip(team.TRAINEE.caller, f.cases.a, "IMAGE_QUALITY");
    expect(errorCode(refused)).toBe("CONFLICT");
    expect(refused.errors?.[0]?.message).toMatch(/trainee/);
    // An annotator reading there may.
    expect(errorCode(await skip(readers[0]!.caller, f.cases.a, "IMAGE_QUALITY"))).toBeUndefined();
    expect((await skips(owner(), f.projectId)).map((s) => s.readerId)).toEqual([readers[0]!.id]);
  });

  it("refuses in an archived project", async () => {
    const f = await projectWith(["a"]);
    await owner().ok(`mutation($id: ID!) { archiveProject(id: $id) { id } }`, { id: f.projectId });
    expect(errorCode(await skip(readers[0]!.caller, f.cases.a, "IMAGE_QUALITY"))).toBe("PROJECT_ARCHIVED");
    expect(await sql(`SELECT 1 FROM case_skips WHERE project_id = $1`, [f.projectId])).toEqual([]);
  });
});
