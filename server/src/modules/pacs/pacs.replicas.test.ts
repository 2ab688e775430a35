import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../platform/database/embedded.js";
import { startFakePacs, syntheticStudy, type FakePacs, type SyntheticStudy } from "../../testing/fake-pacs.js";
import { errorCode } from "../../testing/fixtures.js";
import { buildProject, buildUser, createTestDatabase, startTestServer, type Caller } from "../../testing/harness.js";
import { MOVE_TAKEN_MS } from "./pacs.service.js";

// Two replicas sharing one database and one Redis namespace, as docker-compose.yml runs them: the
// storage SCP on one only. A C-MOVE asked of the other is run by the SCP's replica, and the answer
// names the batch its instances went into.

const ADD = `mutation($projectId: ID!, $input: DicomPeerInput!) { addDicomPeer(projectId: $projectId, input: $input) { id } }`;
const RETRIEVE = `mutation($id: ID!, $uid: String!, $method: RetrieveMethod!) {
  retrieveFromPeer(id: $id, studyInstanceUid: $uid, method: $method) { id projectId status source total stored refused results { status } }
}`;

const redisUrl = process.env.REDIS_URL;
type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!redisUrl)("C-MOVE asked of a replica without the storage SCP (needs REDIS_URL: replicas meet on Redis)", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let withScp: Server | undefined;
  let withoutScp: Server | undefined;
  let pacs: FakePacs;
  let study: SyntheticStudy;
  let owner: Caller;
  let projectId: string;
  let peerId: string;
  const redisPrefix = `concord-pacs-${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    withoutScp = await startTestServer({ databaseUrl: db.url, redisPrefix });
    ({ caller: owner } = await buildUser(withoutScp, "owner"));
    projectId = await buildProject(owner);
    pacs = await startFakePacs({ aeTitle: "FAKEPACS" });
    study = syntheticStudy(2, { patientId: "REPLICA-PATIENT" });
    pacs.add(study);
    peerId = (await owner.ok<{ addDicomPeer: { id: string } }>(ADD, { projectId, input: { name: "PACS", aeTitle: pacs.aeTitle, host: pacs.host, port: pacs.port } })).addDicomPeer.id;
  }, 60_000);
  afterAll(async () => {
    await pacs?.close();
    await withScp?.close();
    await withoutScp?.close();
    await db?.drop();
  });

  it("with no replica running the SCP, the move is refused once none takes it", async () => {
    const started = Date.now();
    const r = await owner.gql(RETRIEVE, { id: peerId, uid: study.studyInstanceUid, method: "MOVE" });
    expect(errorCode(r)).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.message).toMatch(/no replica of this server runs a storage SCP/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(MOVE_TAKEN_MS - 100);
  }, 20_000);

  it("the SCP's replica runs it, and the replica asked answers with the batch", async () => {
    const dicomPort = await freePort();
    withScp = await startTestServer({ databaseUrl: db!.url, redisPrefix, env: { DICOM_PORT: String(dicomPort), DICOM_AET: "CONCORD" } });
    pacs.destinations.set("CONCORD", { host: "127.0.0.1", port: dicomPort });
    const { retrieveFromPeer: batch } = await owner.ok<{ retrieveFromPeer: { id: string; projectId: string; source: string; total: number; stored: number } }>(RETRIEVE, {
      id: peerId,
      uid: study.studyInstanceUid,
      method: "MOVE",
    });
    expect(batch).toMatchObject({ projectId, source: "DIMSE", total: 2, stored: 2 });
    const rows = await withoutScp!.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM instances WHERE project_id = $1`, [projectId]);
    expect(rows[0].n).toBe(2);
    // A failure on the SCP's replica comes back as it is: a study the PACS does not have.
    const missing = await owner.gql(RETRIEVE, { id: peerId, uid: "1.2.3.4.5.6", method: "MOVE" });
    expect(errorCode(missing)).toBe("DICOM_PEER_FAILED");
  }, 30_000);
});
