import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../platform/database/embedded.js";
import { startFakePacs, pushStudy, syntheticStudy, type FakePacs, type SyntheticStudy } from "../../testing/fake-pacs.js";
import { errorCode, until } from "../../testing/fixtures.js";
import { Caller, buildProject, buildUser, startTestServer } from "../../testing/harness.js";

// PACS peers end to end against a small PACS in this process (testing/fake-pacs.ts): our DIMSE
// client, our storage SCP, attribution of C-MOVE and pushed instances, and the ingest behind them.
// The same flows against Orthanc and DCMTK are in pacs.orthanc.test.ts.

const PEER_FIELDS = `id projectId name aeTitle host port createdAt`;
const ADD = `mutation($projectId: ID!, $input: DicomPeerInput!) { addDicomPeer(projectId: $projectId, input: $input) { ${PEER_FIELDS} } }`;
const ECHO = `mutation($id: ID!) { echoDicomPeer(id: $id) { ok millis message } }`;
const FIND = `query($id: ID!, $query: PeerStudyQuery) { findStudiesOnPeer(id: $id, query: $query) { studyInstanceUid studyDate modalities description numberOfInstances } }`;
const RETRIEVE = `mutation($id: ID!, $uid: String!, $method: RetrieveMethod!) {
  retrieveFromPeer(id: $id, studyInstanceUid: $uid, method: $method) { id projectId status source total stored refused results { position fileName status message } }
}`;

describe("PACS peers over DIMSE", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let dicomPort: number;
  let owner: Caller;
  let projectId: string;
  let pacs: FakePacs;
  let study: SyntheticStudy;
  let peerId: string;

  const addPeer = async (caller: Caller, project: string, input: Record<string, unknown>) =>
    (await caller.ok<{ addDicomPeer: { id: string } }>(ADD, { projectId: project, input })).addDicomPeer.id;
  const studiesOf = async (project: string): Promise<string[]> =>
    (await server.platform.db.dataSource.query(`SELECT study_instance_uid FROM studies WHERE project_id = $1`, [project])).map(
      (r: { study_instance_uid: string }) => r.study_instance_uid,
    );
  const dimseBatches = async (project: string) =>
    (await server.platform.db.dataSource.query(
      `SELECT id, created_by, total, stored FROM upload_batches WHERE project_id = $1 AND source = 'DIMSE' AND status = 'DONE' ORDER BY created_at`,
      [project],
    )) as Array<{ id: string; created_by: string | null; total: number; stored: number }>;

  beforeAll(async () => {
    dicomPort = await freePort();
    server = await startTestServer({ env: { DICOM_PORT: String(dicomPort), DICOM_AET: "CONCORD" } });
    ({ caller: owner } = await buildUser(server, "owner"));
    projectId = await buildProject(owner);
    pacs = await startFakePacs({ aeTitle: "FAKEPACS" });
    pacs.destinations.set("CONCORD", { host: "127.0.0.1", port: dicomPort });
    study = syntheticStudy(2, { patientId: "PACS-PATIENT-1", studyDate: "20240131" });
    pacs.add(study);
    pacs.add(syntheticStudy(1, { patientId: "PACS-PATIENT-2" }));
    peerId = await addPeer(owner, projectId, { name: "Fake PACS", aeTitle: pacs.aeTitle, host: pacs.host, port: pacs.port });
  });
  afterAll(async () => {
    await pacs?.close();
    await server?.close();
    await server?.dropDatabase();
  });

  it("adds, lists and removes peers, checking each field and keeping names unique", async () => {
    const project = await buildProject(owner);
    const bad = await owner.gql(ADD, { projectId: project, input: { name: " ", aeTitle: "A\\B", host: "not a host", port: 70000 } });
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect((bad.errors![0]!.extensions!.fields as Array<{ field: string }>).map((f) => f.field).sort()).toEqual(["aeTitle", "host", "name", "port"]);
    const tooLong = await owner.gql(ADD, { projectId: project, input: { name: "x", aeTitle: "SEVENTEEN_CHARS_X", host: "127.0.0.1", port: 104 } });
    expect(errorCode(tooLong)).toBe("BAD_USER_INPUT");

    const { addDicomPeer: peer } = await owner.ok<{ addDicomPeer: Record<string, unknown> }>(ADD, {
      projectId: project,
      input: { name: " Main PACS ", aeTitle: " MAINPACS ", host: "pacs.example.org", port: 11112 },
    });
    expect(peer).toMatchObject({ projectId: project, name: "Main PACS", aeTitle: "MAINPACS", host: "pacs.example.org", port: 11112 });
    const again = await owner.gql(ADD, { projectId: project, input: { name: "main pacs", aeTitle: "OTHER", host: "::1", port: 104 } });
    expect(errorCode(again)).toBe("CONFLICT");

    const list = await owner.ok<{ dicomPeers: Array<{ id: string }> }>(`query($p: ID!) { dicomPeers(projectId: $p) { id } }`, { p: project });
    expect(list.dicomPeers.map((p) => p.id)).toEqual([peer.id]);
    expect((await owner.ok<{ removeDicomPeer: boolean }>(`mutation($id: ID!) { removeDicomPeer(id: $id) }`, { id: peer.id })).removeDicomPeer).toBe(true);
    expect(errorCode(await owner.gql(`mutation($id: ID!) { removeDicomPeer(id: $id) }`, { id: peer.id }))).toBe("NOT_FOUND");
    expect((await owner.ok<{ dicomPeers: unknown[] }>(`query($p: ID!) { dicomPeers(projectId: $p) { id } }`, { p: project })).dicomPeers).toEqual([]);
  });

  it("echoes the PACS; a closed port answers ok=false with the reason instead of failing", async () => {
    const { echoDicomPeer: ok } = await owner.ok<{ echoDicomPeer: { ok: boolean; millis: number; message: string } }>(ECHO, { id: peerId });
    expect(ok.ok).toBe(true);
    expect(ok.millis).toBeGreaterThanOrEqual(0);

    const closed = await addPeer(owner, projectId, { name: "Closed port", aeTitle: "NOBODY", host: "127.0.0.1", port: await freePort() });
    const { echoDicomPeer: failed } = await owner.ok<{ echoDicomPeer: { ok: boolean; message: string } }>(ECHO, { id: closed });
    expect(failed.ok).toBe(false);
    expect(failed.message).toMatch(/connection refused/);

    // Retrieving from it is an error that says why.
    const r = await owner.gql(RETRIEVE, { id: closed, uid: study.studyInstanceUid, method: "GET" });
    expect(errorCode(r)).toBe("DICOM_PEER_FAILED");
    expect(r.errors![0]!.message).toMatch(/connection refused/);
  });

  it("finds studies at study level, with the PACS's own identifiers, filtered by patient", async () => {
    const { findStudiesOnPeer: all } = await owner.ok<{ findStudiesOnPeer: Array<{ studyInstanceUid: string }> }>(FIND, { id: peerId });
    expect(all).toHaveLength(2);
    const { findStudiesOnPeer: one } = await owner.ok<{ findStudiesOnPeer: unknown[] }>(FIND, { id: peerId, query: { patientId: "PACS-PATIENT-1", limit: 10 } });
    expect(one).toEqual([{ studyInstanceUid: study.studyInstanceUid, studyDate: "20240131", modalities: ["OT"], description: "Synthetic chest", numberOfInstances: 2 }]);
    const limited = await owner.ok<{ findStudiesOnPeer: unknown[] }>(FIND, { id: peerId, query: { limit: 1 } });
    expect(limited.findStudiesOnPeer).toHaveLength(1);
    const bad = await owner.gql(FIND, { id: peerId, query: { studyDate: "2024-01-31", modality: "ct", limit: 0 } });
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect((bad.errors![0]!.extensions!.fields as Array<{ field: string }>).map((f) => f.field).sort()).toEqual(["limit", "modality", "studyDate"]);
  });

  it("C-GET retrieves a study into the project, de-identified, as one DIMSE upload batch", async () => {
    const project = await buildProject(owner);
    const id = await addPeer(owner, project, { name: "PACS", aeTitle: pacs.aeTitle, host: pacs.host, port: pacs.port });
    const { retrieveFromPeer: batch } = await owner.ok<{ retrieveFromPeer: { projectId: string; status: string; source: string; total: number; stored: number; results: Array<{ fileName: string; status: string }> } }>(
      RETRIEVE,
      { id, uid: study.studyInstanceUid, method: "GET" },
    );
    expect(batch).toMatchObject({ projectId: project, status: "DONE", source: "DIMSE", total: 2, stored: 2 });
    expect(batch.results.map((r) => r.status)).toEqual(["STORED", "STORED"]);
    // Case keys come from the peer's name, never from the PACS's identifiers.
    for (const r of batch.results) expect(r.fileName).toMatch(/^pacs-\d{8}T\d{6}-\d\.dcm$/);
    const stored = await studiesOf(project);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toBe(study.studyInstanceUid);

    // The same study again: duplicates, nothing new.
    const { retrieveFromPeer: again } = await owner.ok<{ retrieveFromPeer: { stored: number; results: Array<{ status: string }> } }>(RETRIEVE, {
      id,
      uid: study.studyInstanceUid,
      method: "GET",
    });
    expect(again.results.map((r) => r.status)).toEqual(["DUPLICATE", "DUPLICATE"]);

    const missing = await owner.gql(RETRIEVE, { id, uid: "1.2.3.4.5", method: "GET" });
    expect(errorCode(missing)).toBe("DICOM_PEER_FAILED");
    expect(errorCode(await owner.gql(RETRIEVE, { id, uid: "not a uid", method: "GET" }))).toBe("BAD_USER_INPUT");
  });

  it("C-MOVE retrieves a study through our storage SCP into the project that asked", async () => {
    const project = await buildProject(owner);
    const id = await addPeer(owner, project, { name: "PACS", aeTitle: pacs.aeTitle, host: pacs.host, port: pacs.port });
    const { retrieveFromPeer: batch } = await owner.ok<{ retrieveFromPeer: { projectId: string; source: string; total: number; stored: number } }>(RETRIEVE, {
      id,
      uid: study.studyInstanceUid,
      method: "MOVE",
    });
    expect(batch).toMatchObject({ projectId: project, source: "DIMSE", total: 2, stored: 2 });
    const stored = await studiesOf(project);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toBe(study.studyInstanceUid);
    // Nothing of it went to the other project with the same peer as a push.
    await new Promise((r) => setTimeout(r, 200));
    expect(await dimseBatches(projectId)).toEqual([]);
  });

  it("files a known peer's pushed C-STOREs into its project as one batch per association, uploaded as the peer's registrant", async () => {
    const { caller: dataOwner, id: dataOwnerId } = await buildUser(server, "data-owner");
    const project = await buildProject(dataOwner);
    await addPeer(dataOwner, project, { name: "Modality", aeTitle: "PUSHER", host: "127.0.0.1", port: 104 });
    const pushed = syntheticStudy(3);
    const sent = await pushStudy({ host: "127.0.0.1", port: dicomPort }, "PUSHER", "CONCORD", pushed);
    expect(sent).toMatchObject({ rejected: false, completed: 3, statuses: [0, 0, 0] });
    await until(async () => (await dimseBatches(project)).length > 0, 10_000, "the pushed batch");
    expect(await dimseBatches(project)).toMatchObject([{ created_by: dataOwnerId, total: 3, stored: 3 }]);
    const stored = await studiesOf(project);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toBe(pushed.studyInstanceUid);
  });

  it("rejects associations from unknown AE titles or to another called AE, and refuses pushes it cannot attribute", async () => {
    const to = { host: "127.0.0.1", port: dicomPort };
    expect(await pushStudy(to, "STRANGER", "CONCORD", syntheticStudy(1))).toMatchObject({ rejected: true, completed: 0 });
    expect(await pushStudy(to, "FAKEPACS", "SOMEONE", syntheticStudy(1))).toMatchObject({ rejected: true, completed: 0 });

    // One AE title registered in two projects: which one a push belongs to is unknown, so it is refused.
    const a = await buildProject(owner);
    const b = await buildProject(owner);
    await addPeer(owner, a, { name: "Shared", aeTitle: "SHAREDAE", host: "127.0.0.1", port: 104 });
    await addPeer(owner, b, { name: "Shared", aeTitle: "SHAREDAE", host: "127.0.0.1", port: 104 });
    const refused = await pushStudy(to, "SHAREDAE", "CONCORD", syntheticStudy(1));
    expect(refused).toMatchObject({ rejected: false, completed: 0, statuses: [0x0124] });

    // A peer whose registrant can no longer upload (the project is archived) gets nothing in either.
    const c = await buildProject(owner);
    await addPeer(owner, c, { name: "Archived", aeTitle: "ARCHIVEDAE", host: "127.0.0.1", port: 104 });
    await owner.ok(`mutation($id: ID!) { archiveProject(id: $id) { id } }`, { id: c });
    expect(await pushStudy(to, "ARCHIVEDAE", "CONCORD", syntheticStudy(1))).toMatchObject({ completed: 0, statuses: [0x0124] });
    expect(await studiesOf(c)).toEqual([]);
  });

  it("shows peers only to those who may upload: viewers and strangers get NOT_FOUND", async () => {
    const { caller: viewer, email } = await buildUser(server, "viewer");
    const { caller: stranger } = await buildUser(server, "stranger");
    await owner.ok(`mutation($p: ID!, $input: GrantRoleInput!) { grantRole(projectId: $p, input: $input) { role } }`, {
      p: projectId,
      input: { email, role: "VIEWER" },
    });
    for (const who of [viewer, stranger]) {
      expect(errorCode(await who.gql(`query($p: ID!) { dicomPeers(projectId: $p) { id } }`, { p: projectId }))).toBe("NOT_FOUND");
      expect(errorCode(await who.gql(ADD, { projectId, input: { name: "x", aeTitle: "X", host: "127.0.0.1", port: 104 } }))).toBe("NOT_FOUND");
      expect(errorCode(await who.gql(ECHO, { id: peerId }))).toBe("NOT_FOUND");
      expect(errorCode(await who.gql(FIND, { id: peerId }))).toBe("NOT_FOUND");
      expect(errorCode(await who.gql(RETRIEVE, { id: peerId, uid: study.studyInstanceUid, method: "GET" }))).toBe("NOT_FOUND");
      expect(errorCode(await who.gql(`mutation($id: ID!) { removeDicomPeer(id: $id) }`, { id: peerId }))).toBe("NOT_FOUND");
    }
    expect(errorCode(await new Caller(server).gql(ECHO, { id: peerId }))).toBe("UNAUTHENTICATED");
  });
});

describe("PACS peers without a storage SCP (DICOM_PORT unset)", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let pacs: FakePacs;
  afterAll(async () => {
    await pacs?.close();
    await server?.close();
    await server?.dropDatabase();
  });
  beforeAll(async () => {
    server = await startTestServer();
    pacs = await startFakePacs();
  });

  it("refuses C-MOVE, which could not reach us, and still retrieves by C-GET", async () => {
    const { caller: owner } = await buildUser(server, "owner");
    const projectId = await buildProject(owner);
    const study = syntheticStudy(1);
    pacs.add(study);
    const id = (await owner.ok<{ addDicomPeer: { id: string } }>(ADD, { projectId, input: { name: "PACS", aeTitle: pacs.aeTitle, host: pacs.host, port: pacs.port } })).addDicomPeer.id;
    const move = await owner.gql(RETRIEVE, { id, uid: study.studyInstanceUid, method: "MOVE" });
    expect(errorCode(move)).toBe("BAD_USER_INPUT");
    expect(move.errors![0]!.message).toMatch(/DICOM_PORT/);
    const get = await owner.ok<{ retrieveFromPeer: { stored: number } }>(RETRIEVE, { id, uid: study.studyInstanceUid, method: "GET" });
    expect(get.retrieveFromPeer.stored).toBe(1);
  });
});
