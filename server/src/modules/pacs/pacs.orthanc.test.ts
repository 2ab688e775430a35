import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../platform/database/embedded.js";
import { buildMultipartRelated } from "../../platform/dicomweb/multipart.js";
import { studyInstanceUidOf } from "../../platform/dimse/dimse.js";
import { syntheticStudy, type SyntheticStudy } from "../../testing/fake-pacs.js";
import { errorCode, until } from "../../testing/fixtures.js";
import { Caller, buildProject, buildUser, startTestServer } from "../../testing/harness.js";
import { hasOrthanc, NO_ORTHANC, startOrthanc, type OrthancPeer } from "../../testing/orthanc.js";
import { sharedFixturesDir } from "../../testing/shared-fixtures.js";

// Orthanc as the PACS and DCMTK's storescu as a modality, against our DIMSE client and storage SCP.
// Skipped, saying why, where Orthanc is not installed (CI installs orthanc, orthanc-dicomweb, dcmtk).

const run = promisify(execFile);
const DCMTK_ENV = { ...process.env, TCP_NODELAY: "1" };
const ADD = `mutation($projectId: ID!, $input: DicomPeerInput!) { addDicomPeer(projectId: $projectId, input: $input) { id } }`;
const RETRIEVE = `mutation($id: ID!, $uid: String!, $method: RetrieveMethod!) {
  retrieveFromPeer(id: $id, studyInstanceUid: $uid, method: $method) { projectId status source total stored refused results { status message } }
}`;
type Batch = { projectId: string; status: string; source: string; total: number; stored: number; refused: number; results: Array<{ status: string; message: string | null }> };

describe.skipIf(!hasOrthanc())(`PACS peers against Orthanc and DCMTK${hasOrthanc() ? "" : ` (${NO_ORTHANC})`}`, () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let orthanc: OrthancPeer;
  let dicomPort: number;
  let owner: Caller;
  let study: SyntheticStudy;
  let seg: { studyInstanceUid: string } | null = null;
  let dir: string;

  const addPeer = async (project: string, input: Record<string, unknown>) =>
    (await owner.ok<{ addDicomPeer: { id: string } }>(ADD, { projectId: project, input })).addDicomPeer.id;
  const orthancPeer = (project: string) => addPeer(project, { name: "Orthanc", aeTitle: orthanc.aet, host: "127.0.0.1", port: orthanc.dicomPort });
  const studiesOf = async (project: string): Promise<string[]> =>
    (await server.platform.db.dataSource.query(`SELECT study_instance_uid FROM studies WHERE project_id = $1`, [project])).map(
      (r: { study_instance_uid: string }) => r.study_instance_uid,
    );

  beforeAll(async () => {
    dicomPort = await freePort();
    server = await startTestServer({ env: { DICOM_PORT: String(dicomPort), DICOM_AET: "CONCORD" } });
    orthanc = await startOrthanc({ modalities: { concord: { AET: "CONCORD", Host: "127.0.0.1", Port: dicomPort } } });
    ({ caller: owner } = await buildUser(server, "owner"));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-pacs-"));

    study = syntheticStudy(2, { patientId: "ORTHANC-PATIENT-1" });
    const parts: Buffer[] = [...study.files];
    // A Segmentation: dcmjs-dimse does not propose its storage class for C-GET, and without it
    // Orthanc aborts the whole C-GET.
    const fixtures = sharedFixturesDir();
    const segFile = fixtures && path.join(fixtures, "dicom", "seg", "liver_1frame.dcm");
    if (segFile && fs.existsSync(segFile)) {
      const bytes = fs.readFileSync(segFile);
      parts.push(bytes);
      const uid = studyInstanceUidOf(bytes);
      seg = uid ? { studyInstanceUid: uid } : null;
    }
    const { body, contentType } = buildMultipartRelated(parts);
    const stow = await fetch(`${orthanc.dicomWebUrl}/studies`, { method: "POST", headers: { "content-type": contentType, accept: "application/dicom+json" }, body });
    expect(stow.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await orthanc?.stop();
    await server?.close();
    await server?.dropDatabase();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("echoes Orthanc, and answers ok=false for a port nobody listens on", async () => {
    const project = await buildProject(owner);
    const id = await orthancPeer(project);
    const echo = await owner.ok<{ echoDicomPeer: { ok: boolean; millis: number; message: string } }>(`mutation($id: ID!) { echoDicomPeer(id: $id) { ok millis message } }`, { id });
    expect(echo.echoDicomPeer.ok).toBe(true);
    const closed = await addPeer(project, { name: "Closed", aeTitle: "ORTHANC", host: "127.0.0.1", port: await freePort() });
    const failed = await owner.ok<{ echoDicomPeer: { ok: boolean; message: string } }>(`mutation($id: ID!) { echoDicomPeer(id: $id) { ok message } }`, { id: closed });
    expect(failed.echoDicomPeer).toMatchObject({ ok: false, message: expect.stringMatching(/connection refused/) });
    // Orthanc reaches our SCP under our AE title too.
    expect((await fetch(`${orthanc.httpUrl}/modalities/concord/echo`, { method: "POST", body: "{}" })).status).toBe(200);
  });

  it("finds the study by C-FIND", async () => {
    const id = await orthancPeer(await buildProject(owner));
    const found = await owner.ok<{ findStudiesOnPeer: Array<{ studyInstanceUid: string; modalities: string[]; numberOfInstances: number }> }>(
      `query($id: ID!, $q: PeerStudyQuery) { findStudiesOnPeer(id: $id, query: $q) { studyInstanceUid studyDate modalities description numberOfInstances } }`,
      { id, q: { patientId: "ORTHANC-PATIENT-1" } },
    );
    expect(found.findStudiesOnPeer).toEqual([
      { studyInstanceUid: study.studyInstanceUid, studyDate: "20240131", modalities: ["OT"], description: "Synthetic chest", numberOfInstances: 2 },
    ]);
  });

  it("C-GET retrieves the study into the project, de-identified", async () => {
    const project = await buildProject(owner);
    const id = await orthancPeer(project);
    const { retrieveFromPeer: batch } = await owner.ok<{ retrieveFromPeer: Batch }>(RETRIEVE, { id, uid: study.studyInstanceUid, method: "GET" });
    expect(batch).toMatchObject({ projectId: project, status: "DONE", source: "DIMSE", total: 2, stored: 2, refused: 0 });
    const stored = await studiesOf(project);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toBe(study.studyInstanceUid);
  });

  it.skipIf(!sharedFixturesDir())("C-GET also brings a Segmentation (a storage class proposed on top of the library's)", async () => {
    expect(seg).not.toBeNull();
    const id = await orthancPeer(await buildProject(owner));
    const { retrieveFromPeer: batch } = await owner.ok<{ retrieveFromPeer: Batch }>(RETRIEVE, { id, uid: seg!.studyInstanceUid, method: "GET" });
    expect([batch.total, batch.results.length]).toEqual([1, 1]);
    expect(batch.results[0]!.status).toBe("STORED");
  });

  it("C-MOVE retrieves the study through our storage SCP into the project", async () => {
    const project = await buildProject(owner);
    const id = await orthancPeer(project);
    const { retrieveFromPeer: batch } = await owner.ok<{ retrieveFromPeer: Batch }>(RETRIEVE, { id, uid: study.studyInstanceUid, method: "MOVE" });
    expect(batch).toMatchObject({ projectId: project, status: "DONE", source: "DIMSE", total: 2, stored: 2 });
    const stored = await studiesOf(project);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toBe(study.studyInstanceUid);

    const missing = await owner.gql(RETRIEVE, { id, uid: "1.2.3.4.5.6", method: "MOVE" });
    expect(errorCode(missing)).toBe("DICOM_PEER_FAILED");
  });

  it("DCMTK storescu from a registered peer AE lands in that peer's project; an unknown AE is rejected", async () => {
    const { caller: dataOwner } = await buildUser(server, "data-owner");
    const project = await buildProject(dataOwner);
    await dataOwner.ok(ADD, { projectId: project, input: { name: "CR room", aeTitle: "CRROOM1", host: "127.0.0.1", port: 104 } });
    const pushed = syntheticStudy(2);
    const files = pushed.files.map((bytes, i) => {
      const file = path.join(dir, `push-${i}.dcm`);
      fs.writeFileSync(file, bytes);
      return file;
    });
    const { stderr } = await run("storescu", ["-v", "-aet", "CRROOM1", "-aec", "CONCORD", "127.0.0.1", String(dicomPort), ...files], { env: DCMTK_ENV });
    expect(stderr.match(/Received Store Response \(Success\)/g)).toHaveLength(2);
    const batches = () => server.platform.db.dataSource.query(`SELECT source, status, total, stored FROM upload_batches WHERE project_id = $1`, [project]);
    // The association's instances go to ingest as one batch once it is released.
    await until(async () => (await batches()).some((b: { status: string }) => b.status !== "RUNNING"), 15_000, "the pushed batch");
    expect(await batches()).toEqual([{ source: "DIMSE", status: "DONE", total: 2, stored: 2 }]);
    const stored = await studiesOf(project);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toBe(pushed.studyInstanceUid);

    const rejected = await run("storescu", ["-aet", "UNKNOWNAE", "-aec", "CONCORD", "127.0.0.1", String(dicomPort), files[0]!], { env: DCMTK_ENV }).then(
      () => null,
      (err: { stderr: string }) => err,
    );
    expect(rejected?.stderr).toMatch(/Association Rejected/);
    expect(rejected?.stderr).toMatch(/Calling AE Title Not Recognized/);
  });
});
