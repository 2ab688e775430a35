import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTeam, buildTeamProject, errorCode, type Account, type Team } from "../../testing/fixtures.js";
import { Caller, buildUser, startTestServer, type GqlResult } from "../../testing/harness.js";
import { chestPng, stow, stowOk } from "../../testing/images.js";
import { imageToSecondaryCapture } from "../images/convert/secondary-capture.js";
import { writeDicomFile, type DicomFileParts } from "../images/dicom/write.js";
import { MAX_REPORTS_CSV_BYTES, decodeCursor, encodeCursor, readReportsCsv } from "./cases.service.js";

const CASE = `id projectId key createdAt modality studyInstanceUid seriesInstanceUid sopInstanceUid rows columns frames hasReport report readersDone readersNeeded`;
const CASES = `query($projectId: ID!, $first: Int, $after: String, $filter: CaseFilter) {
  cases(projectId: $projectId, first: $first, after: $after, filter: $filter) {
    edges { cursor node { ${CASE} } }
    pageInfo { endCursor hasNextPage }
    totalCount
  }
}`;
const GET_CASE = `query($id: ID!) { case(id: $id) { ${CASE} } }`;
const IMPORT = `mutation($projectId: ID!, $csv: String!) { importReports(projectId: $projectId, csv: $csv) { matched unmatched { line key } problems } }`;
const BATCH = `id projectId status source total stored refused createdAt finishedAt results { position fileName status message }`;
const UPLOAD_BATCH = `query($id: ID!) { uploadBatch(id: $id) { ${BATCH} } }`;
const UPLOAD_BATCHES = `query($projectId: ID!, $first: Int) { uploadBatches(projectId: $projectId, first: $first) { ${BATCH} } }`;

interface CaseNode {
  id: string;
  projectId: string;
  key: string;
  createdAt: string;
  modality: string | null;
  studyInstanceUid: string;
  seriesInstanceUid: string | null;
  sopInstanceUid: string | null;
  rows: number | null;
  columns: number | null;
  frames: number | null;
  hasReport: boolean;
  report: string | null;
  readersDone: number;
  readersNeeded: number;
}
interface Connection {
  edges: Array<{ cursor: string; node: CaseNode }>;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}
interface ReportImport {
  matched: number;
  unmatched: Array<{ line: number; key: string }>;
  problems: string[];
}

/** The fields named by a BAD_USER_INPUT error. */
const fieldsOf = (r: GqlResult) => ((r.errors?.[0]?.extensions?.fields ?? []) as Array<{ field: string }>).map((f) => f.field);
const png = (name: string, seed = 0) => ({ name: `${name}.png`, bytes: chestPng(16, 12, seed) });
/** A CR image as a DICOM file (the converter's output written out), to have a second modality. */
const crDicom = (name: string) => ({
  name: `${name}.dcm`,
  bytes: writeDicomFile(imageToSecondaryCapture(chestPng(20, 10, 3), name, { modality: "CR" }) as unknown as DicomFileParts),
});

describe("cases, uploads and reports over GraphQL", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let stranger: Account;
  const owner = () => team.OWNER.caller;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => server.platform.db.dataSource.query(text, params);
  const page = async (c: Caller, vars: Record<string, unknown>) => (await c.ok<{ cases: Connection }>(CASES, vars)).cases;
  const allCases = async (projectId: string) => (await page(owner(), { projectId, first: 200 })).edges.map((e) => e.node);
  const caseByKey = async (projectId: string, key: string) => (await allCases(projectId)).find((c) => c.key === key)!;
  const importReports = async (projectId: string, csv: string) => (await owner().ok<{ importReports: ReportImport }>(IMPORT, { projectId, csv })).importReports;
  const reportsOf = async (projectId: string) =>
    Object.fromEntries((await sql<{ key: string; report: string | null }>(`SELECT key, report FROM cases WHERE project_id = $1`, [projectId])).map((r) => [r.key, r.report]));

  /** A project of the team with the named PNG cases, uploaded in that order in one STOW request. */
  const projectWith = async (keys: string[], input: Record<string, unknown> = {}) => {
    const projectId = await buildTeamProject(team, input);
    if (keys.length) await stowOk(server, projectId, owner(), keys.map((k, i) => png(k, i)));
    return projectId;
  };

  beforeAll(async () => {
    server = await startTestServer();
    [team, stranger] = await Promise.all([buildTeam(server), buildUser(server, "stranger")]);
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  describe("cases: pages", () => {
    const KEYS = ["case-01", "case-02", "case-03", "case-04", "case-05", "case-06", "case-07"];
    let projectId: string;
    beforeAll(async () => {
      projectId = await projectWith(KEYS, { readersPerCase: 2 });
    });

    it("walks 7 cases in pages of 3: three pages, in upload order, none twice, with the right hasNextPage and totalCount", async () => {
      const seen: string[] = [];
      const pages: Connection[] = [];
      let after: string | null = null;
      do {
        const p: Connection = await page(owner(), { projectId, first: 3, after });
        pages.push(p);
        seen.push(...p.edges.map((e) => e.node.key));
        after = p.pageInfo.hasNextPage ? p.pageInfo.endCursor : null;
      } while (after && pages.length < 10);

      expect(pages.map((p) => p.edges.length)).toEqual([3, 3, 1]);
      expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
      expect(pages.map((p) => p.totalCount)).toEqual([7, 7, 7]);
      expect(seen).toEqual(KEYS);
      for (const p of pages) expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)!.cursor);

      // After the last case: an empty page that says so.
      const end = await page(owner(), { projectId, first: 3, after: pages[2]!.pageInfo.endCursor });
      expect(end).toEqual({ edges: [], pageInfo: { endCursor: null, hasNextPage: false }, totalCount: 7 });
      // An exact fit has no next page either.
      const whole = await page(owner(), { projectId, first: 7 });
      expect([whole.edges.length, whole.pageInfo.hasNextPage]).toEqual([7, false]);
      // The default page size covers them all.
      expect((await page(owner(), { projectId })).edges).toHaveLength(7);
    });

    it("keeps its place when a case is added between pages: the next page goes on after the cursor", async () => {
      const other = await projectWith(["a-1", "a-2", "a-3"]);
      const first = await page(owner(), { projectId: other, first: 2 });
      await stowOk(server, other, owner(), [png("a-4", 9)]);
      const second = await page(owner(), { projectId: other, first: 2, after: first.pageInfo.endCursor });
      expect(second.edges.map((e) => e.node.key)).toEqual(["a-3", "a-4"]);
      expect([second.totalCount, second.pageInfo.hasNextPage]).toEqual([4, false]);
    });

    it("describes each case with its de-identified UIDs, geometry and reading progress", async () => {
      const [c] = (await page(owner(), { projectId, first: 1 })).edges.map((e) => e.node);
      const [row] = await sql<{ sop: string; series: string; study: string }>(
        `SELECT i.sop_instance_uid AS sop, se.series_instance_uid AS series, st.study_instance_uid AS study
           FROM cases c JOIN instances i ON i.id = c.instance_id JOIN series se ON se.id = c.series_id JOIN studies st ON st.id = c.study_id
          WHERE c.id = $1`,
        [c!.id],
      );
      expect(c).toMatchObject({
        projectId,
        key: "case-01",
        modality: "OT",
        studyInstanceUid: row!.study,
        seriesInstanceUid: row!.series,
        sopInstanceUid: row!.sop,
        rows: 12,
        columns: 16,
        frames: 1,
        hasReport: false,
        report: null,
        readersDone: 0,
        readersNeeded: 2,
      });
      expect(c!.sopInstanceUid).toMatch(/^2\.25\.\d+$/);
      expect(Date.parse(c!.createdAt)).not.toBeNaN();
      // readersNeeded follows the project's setting.
      await owner().ok(`mutation($id: ID!) { updateProjectSettings(id: $id, input: { readersPerCase: 4 }) { id } }`, { id: projectId });
      expect((await owner().ok<{ case: CaseNode }>(GET_CASE, { id: c!.id })).case.readersNeeded).toBe(4);
    });

    it("refuses a page size outside 1..200 and a cursor that is not one, naming the argument", async () => {
      for (const first of [0, -1, 201]) {
        const r = await owner().gql(CASES, { projectId, first });
        expect(errorCode(r), `first=${first}`).toBe("BAD_USER_INPUT");
        expect(fieldsOf(r)).toEqual(["first"]);
      }
      const forged = encodeCursor({ at: "2020-01-01T00:00:00.000000Z", id: "not-a-uuid-but-36-characters-long-xx" });
      for (const after of ["garbage", "", Buffer.from("2020-01-01|x").toString("base64url"), forged, "a".repeat(500)]) {
        const r = await owner().gql(CASES, { projectId, after });
        expect(errorCode(r), `after=${after}`).toBe("BAD_USER_INPUT");
        expect(fieldsOf(r)).toEqual(["after"]);
      }
      // Both at once are both named.
      expect(fieldsOf(await owner().gql(CASES, { projectId, first: 0, after: "x" }))).toEqual(["first", "after"]);
      // A stranger learns nothing from the arguments: the project is not found first.
      expect(errorCode(await stranger.caller.gql(CASES, { projectId, first: 0 }))).toBe("NOT_FOUND");
    });

    it("makes opaque cursors that read back to their position and reject anything else", () => {
      const p = { at: "2025-11-30T12:34:56.123456Z", id: "0b0c5f0e-8f43-4c55-9a55-3a1f9a5a7c10" };
      const cursor = encodeCursor(p);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toEqual(p);
      expect(decodeCursor(encodeCursor({ ...p, at: "2025-11-30T12:34:56Z" }))).toBeUndefined();
      expect(decodeCursor(encodeCursor({ ...p, at: "2025-13-45T12:34:56.123456Z" }))).toBeUndefined();
      expect(decodeCursor("%%%")).toBeUndefined();
    });

    it("lets every member read cases, and no one else: stranger and unknown ids NOT_FOUND, no credentials UNAUTHENTICATED", async () => {
      const cases = await allCases(projectId);
      for (const role of ["VIEWER", "ANNOTATOR", "TRAINEE", "REVIEWER"] as const) {
        const c = team[role].caller;
        expect((await page(c, { projectId, first: 2 })).totalCount, role).toBe(7);
        expect((await c.ok<{ case: CaseNode }>(GET_CASE, { id: cases[3]!.id })).case.key, role).toBe("case-04");
      }
      expect(errorCode(await stranger.caller.gql(CASES, { projectId }))).toBe("NOT_FOUND");
      const strangerCase = await stranger.caller.gql<{ case: unknown }>(GET_CASE, { id: cases[0]!.id });
      expect(errorCode(strangerCase)).toBe("NOT_FOUND");
      expect(strangerCase.data?.case ?? null).toBeNull();
      for (const id of ["00000000-0000-4000-8000-000000000000", "not-an-id", projectId]) {
        expect(errorCode(await owner().gql(GET_CASE, { id })), id).toBe("NOT_FOUND");
      }
      expect(errorCode(await new Caller(server).gql(GET_CASE, { id: cases[0]!.id }))).toBe("UNAUTHENTICATED");
      expect(errorCode(await new Caller(server).gql(CASES, { projectId }))).toBe("UNAUTHENTICATED");
      // A member who loses the project loses its cases.
      await owner().ok(`mutation($p: ID!, $u: ID!) { revokeRole(projectId: $p, userId: $u) }`, { p: projectId, u: team.TRAINEE.id });
      expect(errorCode(await team.TRAINEE.caller.gql(GET_CASE, { id: cases[0]!.id }))).toBe("NOT_FOUND");
    });
  });

  describe("cases: filters", () => {
    let projectId: string;
    beforeAll(async () => {
      projectId = await projectWith(["alpha-1", "Alpha-2", "beta_1"]);
      await stowOk(server, projectId, owner(), [crDicom("gamma-cr")]);
      await importReports(projectId, `case,report\nalpha-1,Normal.\ngamma-cr,Effusion.\n`);
    });
    const keys = async (filter: Record<string, unknown>, first = 50) => {
      const p = await page(owner(), { projectId, filter, first });
      return { keys: p.edges.map((e) => e.node.key), total: p.totalCount, next: p.pageInfo.hasNextPage };
    };

    it("filters by part of the key, in any case, with LIKE's wildcards taken literally", async () => {
      expect(await keys({ keyContains: "ALPHA" })).toEqual({ keys: ["alpha-1", "Alpha-2"], total: 2, next: false });
      expect((await keys({ keyContains: "a_1" })).keys).toEqual(["beta_1"]);
      expect((await keys({ keyContains: "%" })).keys).toEqual([]);
      expect((await keys({ keyContains: "" })).total).toBe(4);
    });

    it("filters by modality", async () => {
      const cr = await page(owner(), { projectId, filter: { modality: "cr" } });
      expect(cr.edges.map((e) => [e.node.key, e.node.modality])).toEqual([["gamma-cr", "CR"]]);
      expect((await keys({ modality: "OT" })).keys).toEqual(["alpha-1", "Alpha-2", "beta_1"]);
      expect((await keys({ modality: "MR" })).total).toBe(0);
    });

    it("filters by having a report, combines conditions, and pages within the filter", async () => {
      expect((await keys({ hasReport: true })).keys).toEqual(["alpha-1", "gamma-cr"]);
      expect((await keys({ hasReport: false })).keys).toEqual(["Alpha-2", "beta_1"]);
      expect((await keys({ hasReport: false, keyContains: "alpha" })).keys).toEqual(["Alpha-2"]);
      expect((await keys({ hasReport: true, modality: "OT" })).keys).toEqual(["alpha-1"]);
      expect(await keys({ hasReport: true }, 1)).toEqual({ keys: ["alpha-1"], total: 2, next: true });
      const first = await page(owner(), { projectId, filter: { hasReport: true }, first: 1 });
      const second = await page(owner(), { projectId, filter: { hasReport: true }, first: 1, after: first.pageInfo.endCursor });
      expect([second.edges.map((e) => e.node.key), second.pageInfo.hasNextPage]).toEqual([["gamma-cr"], false]);
    });

    it("says where the user listing the cases stands with each (not started, draft, submitted, skipped), and filters by it", async () => {
      const reader = team.ANNOTATOR.caller;
      const ids = Object.fromEntries((await allCases(projectId)).map((c) => [c.key, c.id]));
      const save = `mutation($c: ID!) { saveDraft(caseId: $c, input: { labels: [] }) { id } }`;
      const submit = `mutation($c: ID!) { submitAnnotation(caseId: $c, input: { labels: [] }) { id } }`;
      await reader.ok(save, { c: ids["alpha-1"] });
      await reader.ok(submit, { c: ids["Alpha-2"] });
      await reader.ok(`mutation($c: ID!) { skipCase(caseId: $c, reason: IMAGE_QUALITY) { caseId } }`, { c: ids.beta_1 });
      // A draft and a skip of the same case: skipped (the queue leaves it out).
      await reader.ok(save, { c: ids.beta_1 });
      const mine = async (c: Caller, filter: Record<string, unknown> = {}) =>
        (await c.ok<{ cases: { totalCount: number; edges: Array<{ node: { key: string; myReading: string } }> } }>(
          `query($projectId: ID!, $filter: CaseFilter) { cases(projectId: $projectId, filter: $filter) { totalCount edges { node { key myReading } } } }`,
          { projectId, filter },
        )).cases;
      expect((await mine(reader)).edges.map((e) => [e.node.key, e.node.myReading])).toEqual([
        ["alpha-1", "DRAFT"],
        ["Alpha-2", "SUBMITTED"],
        ["beta_1", "SKIPPED"],
        ["gamma-cr", "NOT_STARTED"],
      ]);
      // Another member's standing is their own: the owner has read none of them.
      expect((await mine(owner())).edges.map((e) => e.node.myReading)).toEqual(["NOT_STARTED", "NOT_STARTED", "NOT_STARTED", "NOT_STARTED"]);
      for (const [myReading, keys] of [["SKIPPED", ["beta_1"]], ["DRAFT", ["alpha-1"]], ["NOT_STARTED", ["gamma-cr"]]] as const) {
        const filtered = await mine(reader, { myReading });
        expect([filtered.edges.map((e) => e.node.key), filtered.totalCount], myReading).toEqual([keys, keys.length]);
      }
      expect((await mine(reader, { myReading: "SUBMITTED", keyContains: "beta" })).totalCount).toBe(0);
      // A case read alone says it too.
      const one = await reader.ok<{ case: { myReading: string } }>(`query($id: ID!) { case(id: $id) { myReading } }`, { id: ids.beta_1 });
      expect(one.case.myReading).toBe("SKIPPED");
    });
  });

  describe("importReports", () => {
    const KEYS = ["case-01", "case-02", "case-03", "case-04"];
    let projectId: string;
    beforeAll(async () => {
      projectId = await projectWith(KEYS);
    });

    it("sets reports of matched cases, lists unmatched rows with their lines, and keeps quoted multi-line text", async () => {
      const csv = [
        "case,report",
        "case-01,Normal chest.",
        'case-02,"Left lower lobe opacity,',
        'consistent with ""pneumonia""."',
        "nope-1,whatever",
        "",
        "case-03,Small effusion.",
        'case-99,"two',
        'lines"',
      ].join("\n");
      const result = await importReports(projectId, csv);
      expect(result).toEqual({
        matched: 3,
        unmatched: [
          { line: 5, key: "nope-1" },
          { line: 8, key: "case-99" },
        ],
        problems: [],
      });
      expect(await reportsOf(projectId)).toEqual({
        "case-01": "Normal chest.",
        "case-02": 'Left lower lobe opacity,\nconsistent with "pneumonia".',
        "case-03": "Small effusion.",
        "case-04": null,
      });
      const c2 = await caseByKey(projectId, "case-02");
      expect([c2.hasReport, c2.report]).toEqual([true, 'Left lower lobe opacity,\nconsistent with "pneumonia".']);
      // Readers see the report too.
      expect((await team.ANNOTATOR.caller.ok<{ case: CaseNode }>(GET_CASE, { id: c2.id })).case.report).toContain("pneumonia");
    });

    it("overwrites on re-import and clears a report given blank; other columns, CRLF and a BOM are fine", async () => {
      await importReports(projectId, "case,report\ncase-04,First reading.\n");
      const csv = '\ufeffID,Case Key,Text\r\n1,case-04,"Second reading."\r\n2,case-03,   \r\n';
      expect(await importReports(projectId, csv)).toEqual({ matched: 2, unmatched: [], problems: [] });
      const reports = await reportsOf(projectId);
      expect([reports["case-04"], reports["case-03"]]).toEqual(["Second reading.", null]);
      const c3 = await caseByKey(projectId, "case-03");
      expect([c3.hasReport, c3.report]).toEqual([false, null]);
    });

    it("accepts the header names key and case_key and report and text", async () => {
      expect((await importReports(projectId, "key,text\ncase-01,A\n")).matched).toBe(1);
      expect((await importReports(projectId, "report,case_key\nB,case-01\n")).matched).toBe(1);
      expect((await reportsOf(projectId))["case-01"]).toBe("B");
    });

    it("names rows it skipped: too many fields, no key, the same case twice (the later row wins)", async () => {
      const csv = ["case,report", "case-01,one, with a stray comma", ",no key", "case-02,first", "case-02,second", "case-01"].join("\n");
      const result = await importReports(projectId, csv);
      expect(result.matched).toBe(1);
      expect(result.problems).toHaveLength(4);
      expect(result.problems[0]).toMatch(/^line 2: 3 fields where the header has 2; skipped/);
      expect(result.problems[1]).toMatch(/^line 3: no case key/);
      expect(result.problems[2]).toMatch(/^line 6: 1 field where the header has 2; skipped/);
      expect(result.problems[3]).toMatch(/^line 5: case "case-02" was already given on line 4/);
      const reports = await reportsOf(projectId);
      expect([reports["case-01"], reports["case-02"]]).toEqual(["B", "second"]);
    });

    it("refuses a CSV without the needed columns, saying which, and writes nothing", async () => {
      const before = await reportsOf(projectId);
      const r = await owner().gql(IMPORT, { projectId, csv: "case,notes\ncase-01,changed\n" });
      expect(errorCode(r)).toBe("BAD_USER_INPUT");
      expect(fieldsOf(r)).toEqual(["csv"]);
      expect(r.errors![0]!.message).toMatch(/missing the column report \(or text\)/);
      expect(r.errors![0]!.message).toContain('"notes"');
      const both = await owner().gql(IMPORT, { projectId, csv: "name,notes\ncase-01,changed\n" });
      expect(both.errors![0]!.message).toMatch(/missing the columns case \(or case_key, key\) and report \(or text\)/);
      const empty = await owner().gql(IMPORT, { projectId, csv: "" });
      expect([errorCode(empty), fieldsOf(empty)]).toEqual(["BAD_USER_INPUT", ["csv"]]);
      expect(await reportsOf(projectId)).toEqual(before);
    });

    it("refuses a CSV that breaks RFC 4180 part way, and writes none of its good rows", async () => {
      const before = await reportsOf(projectId);
      const r = await owner().gql(IMPORT, { projectId, csv: 'case,report\ncase-01,"fine"\ncase-02,"never closed\n' });
      expect(errorCode(r)).toBe("BAD_USER_INPUT");
      expect(fieldsOf(r)).toEqual(["csv"]);
      expect(r.errors![0]!.message).toMatch(/^csv: is not valid CSV: /);
      expect(await reportsOf(projectId)).toEqual(before);
    });

    it("refuses a CSV over the size limit before reading it", async () => {
      const actor = { userId: team.OWNER.id, via: "session" as const };
      const big = `case,report\ncase-01,${"x".repeat(MAX_REPORTS_CSV_BYTES)}\n`;
      await expect(server.services.cases.importReports(actor, projectId, big)).rejects.toMatchObject({
        extensions: { code: "BAD_USER_INPUT", fields: [{ field: "csv", message: expect.stringMatching(/at most 10 MB/) }] },
      });
      // Multi-byte text counts by its bytes.
      const wide = `case,report\ncase-01,${"é".repeat(MAX_REPORTS_CSV_BYTES / 2)}\n`;
      await expect(server.services.cases.importReports(actor, projectId, wide)).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    });

    it("is for those who may upload: a viewer or annotator gets NOT_FOUND and nothing changes", async () => {
      const before = await reportsOf(projectId);
      for (const who of [team.VIEWER, team.ANNOTATOR, team.REVIEWER, stranger]) {
        const r = await who.caller.gql(IMPORT, { projectId, csv: "case,report\ncase-01,hijacked\n" });
        expect(errorCode(r), who.email).toBe("NOT_FOUND");
      }
      expect(await reportsOf(projectId)).toEqual(before);
      const dataOwner = await team.DATA_OWNER.caller.ok<{ importReports: ReportImport }>(IMPORT, { projectId, csv: "case,report\ncase-04,By the data owner.\n" });
      expect(dataOwner.importReports.matched).toBe(1);
    });

    it("reads line numbers right after multi-line fields and blank lines (unit)", () => {
      const { rows, problems } = readReportsCsv('case,report\n\na,"1\n2\n3"\nb,x\n\n\nc,"y"');
      expect(rows).toEqual([
        { line: 3, key: "a", report: "1\n2\n3" },
        { line: 6, key: "b", report: "x" },
        { line: 9, key: "c", report: "y" },
      ]);
      expect(problems).toEqual([]);
      expect(readReportsCsv("case,report\r\n")).toEqual({ rows: [], problems: [] });
      expect(() => readReportsCsv('"case"\r\n"a"\r\n')).toThrow(/missing the column report/);
    });
  });

  describe("upload batches", () => {
    let projectId: string;
    beforeAll(async () => {
      projectId = await buildTeamProject(team);
    });

    it("reports an upload file by file after a STOW with one bad part", async () => {
      const answer = await stow(server, projectId, owner(), [{ bytes: Buffer.from("this is not an image") }, { bytes: chestPng() }]);
      expect(answer.status).toBe(202);
      const { uploadBatch } = await owner().ok<{ uploadBatch: Record<string, unknown> & { results: Array<Record<string, unknown>> } }>(UPLOAD_BATCH, {
        id: answer.batchId,
      });
      expect(uploadBatch).toMatchObject({ id: answer.batchId, projectId, status: "DONE", source: "STOW", total: 2, stored: 1, refused: 1 });
      expect(uploadBatch.finishedAt).not.toBeNull();
      expect(Date.parse(uploadBatch.finishedAt as string)).toBeGreaterThanOrEqual(Date.parse(uploadBatch.createdAt as string));
      expect(uploadBatch.results).toEqual([
        { position: 0, fileName: "part 1", status: "REFUSED", message: expect.stringMatching(/^part 1: not a DICOM file/) },
        { position: 1, fileName: "part 2", status: "STORED", message: null },
      ]);
      // The stored part became a case named after it.
      expect((await allCases(projectId)).map((c) => c.key)).toEqual(["part 2"]);
    });

    it("shows an upload only to those who may upload to its project", async () => {
      const batchId = await stowOk(server, projectId, owner(), [{ bytes: chestPng() }]);
      for (const who of [team.MANAGER, team.DATA_OWNER]) expect((await who.caller.ok<{ uploadBatch: { id: string } }>(UPLOAD_BATCH, { id: batchId })).uploadBatch.id).toBe(batchId);
      for (const who of [team.VIEWER, team.ANNOTATOR, stranger]) expect(errorCode(await who.caller.gql(UPLOAD_BATCH, { id: batchId })), who.email).toBe("NOT_FOUND");
      for (const id of ["00000000-0000-4000-8000-000000000000", "nope"]) expect(errorCode(await owner().gql(UPLOAD_BATCH, { id }))).toBe("NOT_FOUND");
      expect(errorCode(await new Caller(server).gql(UPLOAD_BATCH, { id: batchId }))).toBe("UNAUTHENTICATED");
    });

    it("lists a project's uploads newest first, with their results, bounded by first", async () => {
      const other = await buildTeamProject(team);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await stowOk(server, other, owner(), [{ bytes: chestPng(8, 8, i) }, { bytes: Buffer.from([1, 2, 3]) }]));
      const list = (await owner().ok<{ uploadBatches: Array<{ id: string; total: number; results: Array<{ status: string }> }> }>(UPLOAD_BATCHES, { projectId: other }))
        .uploadBatches;
      expect(list.map((b) => b.id)).toEqual([...ids].reverse());
      for (const b of list) expect(b.results.map((r) => r.status)).toEqual(["STORED", "REFUSED"]);
      const newest = (await owner().ok<{ uploadBatches: Array<{ id: string }> }>(UPLOAD_BATCHES, { projectId: other, first: 1 })).uploadBatches;
      expect(newest.map((b) => b.id)).toEqual([ids[2]]);
      for (const first of [0, 101]) {
        const r = await owner().gql(UPLOAD_BATCHES, { projectId: other, first });
        expect([errorCode(r), fieldsOf(r)], `first=${first}`).toEqual(["BAD_USER_INPUT", ["first"]]);
      }
      expect(errorCode(await team.VIEWER.caller.gql(UPLOAD_BATCHES, { projectId: other }))).toBe("NOT_FOUND");
      expect((await owner().ok<{ uploadBatches: unknown[] }>(UPLOAD_BATCHES, { projectId: await buildTeamProject(team) })).uploadBatches).toEqual([]);
    });
  });
});
