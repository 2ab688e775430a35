import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRANT_ROLE, buildLabel, buildTeam, buildTeamProject, type Team } from "../../testing/fixtures.js";
import { buildUser, startTestServer } from "../../testing/harness.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { ExportReads, type ExportJobRow } from "../exports/exports.repository.js";
import { EXPORT_FORMATS } from "../exports/formats.js";
import { majorityOf } from "./stats/groups.js";

const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const ADJUDICATE = `mutation($caseId: ID!, $labelId: ID!, $value: Boolean!) { adjudicate(caseId: $caseId, labelId: $labelId, value: $value) { version } }`;
const CLEAR = `mutation($caseId: ID!, $labelId: ID!) { clearAdjudication(caseId: $caseId, labelId: $labelId) }`;

// The CONSENSUS export scope: an adjudicated value overrides the readers' majority vote.
describe("consensus exports with adjudications", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let projectId: string;
  const cases: Record<string, string> = {};
  let effusion: string, nodule: string;

  /** The CSV_LABELS consensus file, written by the export format itself (no worker needed). */
  async function consensusCsv(): Promise<Map<string, string>> {
    let out = "";
    const job = { id: "00000000-0000-4000-8000-000000000001", projectId, format: "CSV_LABELS", scope: "CONSENSUS", readerId: null, allVersions: false } as ExportJobRow;
    await EXPORT_FORMATS.CSV_LABELS.write({
      job,
      annotations: server.services.annotations,
      collab: server.services.collab,
      reads: new ExportReads(server.platform.db.dataSource.manager),
      compute: server.services.compute,
      readInstance: (storageKey) => server.services.images.fileAt(projectId, storageKey),
      write: async (chunk) => void (out += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")),
      progress: async () => undefined,
    });
    const rows = parseCsv(out, { columns: true }) as Array<Record<string, string>>;
    return new Map(rows.map((r) => [`${r.case}/${r.label}`, r.value!]));
  }

  beforeAll(async () => {
    server = await startTestServer();
    team = await buildTeam(server);
    const r2 = await buildUser(server, "reader2");
    projectId = await buildTeamProject(team);
    const owner = team.OWNER.caller;
    await owner.ok(GRANT_ROLE, { projectId, input: { email: r2.email, role: "ANNOTATOR" } });
    await stowOk(server, projectId, owner, ["x1", "x2"].map((k, i) => ({ name: `${k}.png`, bytes: chestPng(16, 12, i) })));
    for (const r of (await server.platform.db.dataSource.query(`SELECT id, key FROM cases WHERE project_id = $1`, [projectId])) as Array<{ id: string; key: string }>) cases[r.key] = r.id;
    effusion = await buildLabel(owner, projectId, { name: "Effusion" });
    nodule = await buildLabel(owner, projectId, { name: "Nodule" });
    // x1: Effusion 2 of 2 yes, Nodule a tie; x2: Effusion 0 of 2, Nodule 2 of 2.
    const votes: Record<string, [boolean, boolean][]> = { x1: [[true, true], [true, false]], x2: [[false, true], [false, true]] };
    for (const key of ["x1", "x2"]) {
      for (const [i, who] of [team.ANNOTATOR.caller, r2.caller].entries()) {
        const [e, n] = votes[key]![i]!;
        await who.ok(SUBMIT, { caseId: cases[key], input: { labels: [{ labelId: effusion, value: e }, { labelId: nodule, value: n }], rois: [] } });
      }
    }
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("without adjudications the consensus is the majority (a tie empty)", async () => {
    const csv = await consensusCsv();
    expect(Object.fromEntries(csv)).toEqual({ "x1/Effusion": "1", "x1/Nodule": "", "x2/Effusion": "0", "x2/Nodule": "1" });
  });

  it("an adjudication decides a tie and overrides a unanimous majority; clearing it restores the majority", async () => {
    const reviewer = team.REVIEWER.caller;
    await reviewer.ok(ADJUDICATE, { caseId: cases.x1, labelId: nodule, value: false });
    await reviewer.ok(ADJUDICATE, { caseId: cases.x2, labelId: effusion, value: true });
    expect(Object.fromEntries(await consensusCsv())).toEqual({ "x1/Effusion": "1", "x1/Nodule": "0", "x2/Effusion": "1", "x2/Nodule": "1" });

    const rows = await new ExportReads(server.platform.db.dataSource.manager).consensusLabels(projectId, null, 10);
    const x2e = rows.find((r) => r.caseKey === "x2" && r.label === "Effusion")!;
    expect(x2e.adjudicated).toBe(true);
    expect(majorityOf(x2e.readers, x2e.positive)).toBe(true);
    expect(rows.find((r) => r.caseKey === "x1" && r.label === "Effusion")!.adjudicated).toBeNull();

    await reviewer.ok(CLEAR, { caseId: cases.x2, labelId: effusion });
    expect((await consensusCsv()).get("x2/Effusion")).toBe("0");
  });
});
