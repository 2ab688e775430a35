import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Subscription, trackSubscriptions } from "../../testing/fixtures.js";
import { Caller, buildProject, buildUser, startTestServer } from "../../testing/harness.js";
import { chestDicom, chestPng, stow, type DicomValue, type StowPart } from "../../testing/images.js";
import { NIFTI_DATATYPE, niftiFile } from "../../testing/volumes.js";
import { uploadChannel } from "../images/images.service.js";
import { cleanKey, fileIdentifier, identifierDigest, readMappingCsv } from "./case-keys.js";

interface Spec {
  seed: number;
  patientId?: string;
  accession?: string;
  study?: string;
  series?: string;
  instanceNumber?: number;
  modality?: string;
}

/** A small DICOM image with the identifiers and UIDs a test names. */
function dicom(spec: Spec): Buffer {
  const tags: Record<string, DicomValue> = { "00080018": ["UI", `1.2.826.0.1.3680043.10.1.${spec.seed}`] };
  if (spec.patientId !== undefined) tags["00100020"] = ["LO", spec.patientId];
  if (spec.accession !== undefined) tags["00080050"] = ["SH", spec.accession];
  if (spec.study) tags["0020000D"] = ["UI", spec.study];
  if (spec.series) tags["0020000E"] = ["UI", spec.series];
  if (spec.instanceNumber !== undefined) tags["00200013"] = ["IS", spec.instanceNumber];
  if (spec.modality) tags["00080060"] = ["CS", spec.modality];
  return chestDicom(spec.seed, tags);
}

describe("case key helpers", () => {
  it("names series cases after the folder their files came in, image cases after the file", () => {
    expect(fileIdentifier("scans/case 12/IM0001.dcm", "SERIES")).toBe("case 12");
    expect(fileIdentifier("scans/case 12/IM0001.dcm", "IMAGE")).toBe("IM0001");
    expect(fileIdentifier("IM0001.DCM", "SERIES")).toBe("IM0001");
    expect(fileIdentifier("chest.jpeg", "IMAGE")).toBe("chest");
    expect(fileIdentifier("cases.zip/IM0001.dcm", "SERIES")).toBe("cases");
    // A study: the folder holding its series' folders, or its own folder, or the file.
    expect(fileIdentifier("all/patient 7/CT chest/IM0001.dcm", "STUDY")).toBe("patient 7");
    expect(fileIdentifier("study.zip/MR T2/IM0001.dcm", "STUDY")).toBe("study");
    expect(fileIdentifier("patient 7/IM0001.dcm", "STUDY")).toBe("patient 7");
    expect(fileIdentifier("IM0001.dcm", "STUDY")).toBe("IM0001");
  });

  it("cleans keys: no control characters, trimmed, bounded", () => {
    expect(cleanKey("  a\u0000b\tc  ")).toBe("a b c");
    expect([...cleanKey("é".repeat(500))].length).toBe(200);
  });

  it("reads a mapping, skipping bad and repeated rows with their line, never quoting an identifier", () => {
    const csv = 'patient_id,case_key\nPAT-1,alpha\n"PAT-2",beta\n,gamma\nPAT-3,\nPAT-1,delta\nPAT-4,"multi\nline"\nPAT-5,epsilon\n';
    const m = readMappingCsv(csv);
    expect(m.identifier).toBe("PATIENT_ID");
    expect(m.entries.map((e) => [e.line, e.value, e.key])).toEqual([
      [2, "PAT-1", "alpha"],
      [3, "PAT-2", "beta"],
      [7, "PAT-4", "multi line"],
      [9, "PAT-5", "epsilon"],
    ]);
    expect(m.problems).toEqual([
      "line 4: no identifier; skipped",
      "line 5: no case key; skipped",
      "line 6: the same identifier as line 2; skipped (one identifier names one case)",
    ]);
    expect(m.problems.join(" ")).not.toMatch(/PAT-/);
  });

  it("refuses a mapping without exactly one identifier column and a key column, saying what the header has", () => {
    expect(() => readMappingCsv("name,case_key\nx,y\n")).toThrow(/one identifier column.*"name", "case_key"/);
    expect(() => readMappingCsv("patient_id,accession_number,case_key\nx,y,z\n")).toThrow(/more than one identifier/);
    expect(() => readMappingCsv("accession,label\nx,y\n")).toThrow(/case_key column/);
  });

  it("matches file names whatever their folder, extension or letter case; other identifiers exactly", () => {
    const key = new Uint8Array(32).fill(7);
    expect(identifierDigest(key, "FILE_NAME", "dir/Chest-01.DCM")).toEqual(identifierDigest(key, "FILE_NAME", "chest-01"));
    expect(identifierDigest(key, "PATIENT_ID", "abc")).not.toEqual(identifierDigest(key, "PATIENT_ID", "ABC"));
    expect(identifierDigest(key, "PATIENT_ID", "abc")).not.toEqual(identifierDigest(key, "ACCESSION_NUMBER", "abc"));
    expect(identifierDigest(key, "PATIENT_ID", "abc")).not.toEqual(identifierDigest(new Uint8Array(32).fill(8), "PATIENT_ID", "abc"));
  });
});

const CASES = `query($projectId: ID!) { cases(projectId: $projectId, first: 200) { totalCount edges { node { key studyInstanceUid seriesInstanceUid sopInstanceUid images rows columns } } } }`;
const RESULTS = `query($id: ID!) { uploadBatch(id: $id) { stored refused results { fileName status message } } }`;
const SETTINGS = `mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { caseUnit caseKeySource } }`;
const IMPORT = `mutation($projectId: ID!, $csv: String!) { importCaseKeyMapping(projectId: $projectId, csv: $csv) { mapping { identifier entries } problems } }`;

interface CaseNode {
  key: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string | null;
  images: number;
  rows: number | null;
  columns: number | null;
}

describe("case keys and series cases at ingest", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Caller;
  let token: string;
  let subscriptions: ReturnType<typeof trackSubscriptions>;

  beforeAll(async () => {
    server = await startTestServer();
    subscriptions = trackSubscriptions(server.platform.bus);
    ({ caller: owner } = await buildUser(server, "owner"));
    token = (await owner.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "k" }) { token } }`)).createApiToken.token;
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  const cases = async (projectId: string) => (await owner.ok<{ cases: { totalCount: number; edges: Array<{ node: CaseNode }> } }>(CASES, { projectId })).cases.edges.map((e) => e.node);
  const upload = async (projectId: string, parts: StowPart[], query: Record<string, string> = {}) => {
    const answer = await stow(server, projectId, { token }, parts, query);
    if (!answer.batchId) return { http: answer.status, body: answer.body, stored: 0, refused: 0, results: [] };
    const { uploadBatch } = await owner.ok<{ uploadBatch: { stored: number; refused: number; results: Array<{ fileName: string; status: string; message: string | null }> } }>(RESULTS, {
      id: answer.batchId,
    });
    return { http: answer.status, body: answer.body, ...uploadBatch };
  };

  it("makes one case per series when the project reads series, across uploads, with the series' images and geometry", async () => {
    const projectId = await buildProject(owner);
    expect((await owner.ok<{ updateProjectSettings: unknown }>(SETTINGS, { id: projectId, input: { caseUnit: "SERIES" } })).updateProjectSettings).toEqual({
      caseUnit: "SERIES",
      caseKeySource: "FILE_NAME",
    });
    const ct = (i: number, series: string) => ({ name: `ct-${series}/IM${i}.dcm`, bytes: dicom({ seed: 1000 + i + (series === "b" ? 100 : 0), study: "1.2.3.9", series: `1.2.3.9.${series === "a" ? 1 : 2}`, instanceNumber: i, modality: "CT" }) });
    // 20 images: more than one ingest group, so the series case is made once across groups.
    const first = await upload(projectId, [...Array.from({ length: 12 }, (_, i) => ct(i + 1, "a")), ...Array.from({ length: 8 }, (_, i) => ct(i + 1, "b"))]);
    expect([first.http, first.stored]).toEqual([200, 20]);
    let list = await cases(projectId);
    expect(list.map((c) => [c.key, c.sopInstanceUid, c.images, c.rows, c.columns])).toEqual([
      ["ct-a", null, 12, 8, 8],
      ["ct-b", null, 8, 8, 8],
    ]);
    // More images of series a later join its case.
    await upload(projectId, [ct(13, "a"), ct(14, "a")]);
    list = await cases(projectId);
    expect(list.map((c) => [c.key, c.images])).toEqual([
      ["ct-a", 14],
      ["ct-b", 8],
    ]);
    // A series case's images are what the viewer loads through QIDO-RS: all of its series.
    const res = await fetch(`${server.url}/dicomweb/projects/${projectId}/studies/${list[0]!.studyInstanceUid}/series/${list[0]!.seriesInstanceUid}/instances`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await res.json()) as unknown[]).length).toBe(14);

    // A PNG or a volume is a series of its own: its case is named after the file, not its folder.
    const volume = niftiFile({ datatype: NIFTI_DATATYPE.int16, dims: [4, 3, 5], values: Array.from({ length: 60 }, (_, i) => i) });
    const own = await upload(projectId, [
      { name: "subjects/sub-01.png", bytes: chestPng(8, 8, 1) },
      { name: "subjects/sub-02.png", bytes: chestPng(8, 8, 2) },
      { name: "subjects/sub-03.nii", bytes: volume },
    ]);
    expect(own.results.map((r) => r.status)).toEqual(["STORED", "STORED", "STORED"]);
    expect((await cases(projectId)).map((c) => [c.key, c.images])).toEqual([
      ["ct-a", 14],
      ["ct-b", 8],
      ["sub-01", 1],
      ["sub-02", 1],
      ["sub-03", 1],
    ]);
  });

  it("names cases by the original PatientID or accession number when the upload asks, never storing them in the file", async () => {
    const projectId = await buildProject(owner);
    const byPatient = await upload(projectId, [{ name: "x1.dcm", bytes: dicom({ seed: 1, patientId: "MRN-0042", accession: "ACC-7" }) }, { name: "x2.dcm", bytes: dicom({ seed: 2, patientId: "MRN-0042" }) }], {
      caseKeys: "PATIENT_ID",
    });
    expect(byPatient.stored).toBe(2);
    const byAccession = await upload(projectId, [{ name: "x3.dcm", bytes: dicom({ seed: 3, patientId: "MRN-9", accession: "ACC-8" }) }, { name: "x4.dcm", bytes: dicom({ seed: 4, accession: "" }) }], {
      caseKeys: "ACCESSION_NUMBER",
    });
    expect(byAccession.stored).toBe(2);
    // Without the identifier asked for, a file's case is named after the file.
    expect((await cases(projectId)).map((c) => c.key)).toEqual(["MRN-0042", "MRN-0042-2", "ACC-8", "x4"]);
    // The stored files carry neither.
    const instances = (await (await fetch(`${server.url}/dicomweb/projects/${projectId}/instances?includefield=all`, { headers: { authorization: `Bearer ${token}` } })).json()) as unknown[];
    expect(instances.length).toBe(4);
    expect(JSON.stringify(instances)).not.toMatch(/MRN-|ACC-/);
  });

  it("refuses an unknown naming and MAPPING without a mapping, storing nothing", async () => {
    const projectId = await buildProject(owner);
    const bad = await upload(projectId, [{ name: "a.png", bytes: chestPng(8, 8, 1) }], { caseKeys: "SURNAME" });
    expect(bad.http).toBe(400);
    expect(bad.body).toMatch(/caseKeys must be one of FILE_NAME, PATIENT_ID, ACCESSION_NUMBER, MAPPING/);
    const unmapped = await upload(projectId, [{ name: "a.png", bytes: chestPng(8, 8, 1) }], { caseKeys: "MAPPING" });
    expect(unmapped.http).toBe(400);
    expect(unmapped.body).toMatch(/no case key mapping/);
    expect(await cases(projectId)).toEqual([]);
  });

  it("names cases through a mapping, refusing (and not storing) files it does not list", async () => {
    const projectId = await buildProject(owner);
    const imported = await owner.ok<{ importCaseKeyMapping: { mapping: { identifier: string; entries: number }; problems: string[] } }>(IMPORT, {
      projectId,
      csv: "patient_id,case_key\nMRN-1,case-001\nMRN-2,case-002\nMRN-1,case-999\n",
    });
    expect(imported.importCaseKeyMapping).toEqual({
      mapping: { identifier: "PATIENT_ID", entries: 2 },
      problems: ["line 4: the same identifier as line 2; skipped (one identifier names one case)"],
    });
    const mapping = await owner.ok<{ caseKeyMapping: { identifier: string; entries: number } }>(`query($p: ID!) { caseKeyMapping(projectId: $p) { identifier entries } }`, { p: projectId });
    expect(mapping.caseKeyMapping).toEqual({ identifier: "PATIENT_ID", entries: 2 });
    // The mapping's identifiers are not kept in the clear.
    const raw = await server.platform.db.dataSource.query(`SELECT encode(digest, 'escape') AS d, case_key FROM case_key_map_entries WHERE project_id = $1`, [projectId]);
    expect(JSON.stringify(raw)).not.toMatch(/MRN-/);

    const out = await upload(
      projectId,
      [
        { name: "one.dcm", bytes: dicom({ seed: 11, patientId: "MRN-2" }) },
        { name: "two.dcm", bytes: dicom({ seed: 12, patientId: "MRN-3" }) },
        { name: "three.dcm", bytes: dicom({ seed: 13, patientId: "MRN-1" }) },
        { name: "four.dcm", bytes: dicom({ seed: 14, patientId: "" }) },
      ],
      { caseKeys: "MAPPING" },
    );
    expect([out.http, out.stored, out.refused]).toEqual([202, 2, 2]);
    expect(out.results.map((r) => [r.fileName, r.status, r.message])).toEqual([
      ["one.dcm", "STORED", null],
      ["two.dcm", "REFUSED", "two.dcm: its PatientID is not in the project's case key mapping; not stored"],
      ["three.dcm", "STORED", null],
      ["four.dcm", "REFUSED", "four.dcm: it has no PatientID to look up in the project's case key mapping; not stored"],
    ]);
    expect((await cases(projectId)).map((c) => c.key)).toEqual(["case-002", "case-001"]);
    const stored = (await (await fetch(`${server.url}/dicomweb/projects/${projectId}/instances`, { headers: { authorization: `Bearer ${token}` } })).json()) as unknown[];
    expect(stored.length).toBe(2);

    // The project's default naming applies when an upload does not choose; re-importing replaces the mapping.
    await owner.ok(SETTINGS, { id: projectId, input: { caseKeySource: "MAPPING" } });
    await owner.ok(IMPORT, { projectId, csv: "file_name,case_key\nscan-7.png,seven\n" });
    const byFile = await upload(projectId, [{ name: "folder/SCAN-7.PNG", bytes: chestPng(8, 8, 77) }]);
    expect(byFile.stored).toBe(1);
    expect((await cases(projectId)).map((c) => c.key)).toEqual(["case-002", "case-001", "seven"]);
  });

  it("lets only those who may upload import or read a mapping", async () => {
    const projectId = await buildProject(owner);
    const { caller: stranger } = await buildUser(server, "stranger");
    const r = await stranger.gql(IMPORT, { projectId, csv: "patient_id,case_key\na,b\n" });
    expect(r.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(await owner.ok(`query($p: ID!) { caseKeyMapping(projectId: $p) { entries } }`, { p: projectId })).toEqual({ caseKeyMapping: null });
  });

  it("streams an upload's progress to a subscriber that chose its id, ending with done", async () => {
    const projectId = await buildProject(owner);
    const uploadId = crypto.randomUUID();
    const sub = new Subscription<{ uploadProgress: { uploadId: string; total: number; processed: number; stored: number; refused: number; done: boolean } }>(
      owner,
      `subscription($p: ID!, $u: ID!) { uploadProgress(projectId: $p, uploadId: $u) { uploadId total processed stored refused done } }`,
      { p: projectId, u: uploadId },
    );
    try {
      // The server listens before the upload starts (graphql-ws does not acknowledge subscriptions).
      await subscriptions.waitFor(uploadChannel(projectId));
      const parts = [...Array.from({ length: 40 }, (_, i) => ({ name: `p${i}.png`, bytes: chestPng(8, 8, 500 + i) })), { name: "bad.dcm", bytes: Buffer.from("not dicom") }];
      const answer = await stow(server, projectId, { token }, parts, { upload: uploadId });
      expect(answer.batchId).toBe(uploadId);
      const seen: Array<{ processed: number; done: boolean; stored: number; refused: number; total: number }> = [];
      for (;;) {
        const { uploadProgress: p } = await sub.nextData();
        expect(p.uploadId).toBe(uploadId);
        seen.push(p);
        if (p.done) break;
      }
      expect(seen.length).toBeGreaterThan(1);
      const processed = seen.map((p) => p.processed);
      expect(processed).toEqual([...processed].sort((a, b) => a - b));
      expect(seen.at(-1)).toEqual({ uploadId, total: 41, processed: 41, stored: 40, refused: 1, done: true });
      expect((await sub.next(1000)) as unknown).toMatchObject({ done: true });

      // The same id cannot name a second upload; a late subscriber gets the final state at once.
      const again = await stow(server, projectId, { token }, parts.slice(0, 1), { upload: uploadId });
      expect(again.status).toBe(400);
      expect(again.body).toMatch(/uploadId: is already the id of another upload/);
      const late = new Subscription<{ uploadProgress: { done: boolean; stored: number } }>(owner, `subscription($p: ID!, $u: ID!) { uploadProgress(projectId: $p, uploadId: $u) { done stored } }`, {
        p: projectId,
        u: uploadId,
      });
      expect((await late.nextData()).uploadProgress).toEqual({ done: true, stored: 40 });
      await late.close();
    } finally {
      await sub.close();
    }
  });
});
