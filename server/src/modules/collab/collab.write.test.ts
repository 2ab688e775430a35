import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Actor } from "../../access/access.js";
import { GRANT_ROLE, buildTeam, buildTeamProject, errorCode, until, type Account, type Team } from "../../testing/fixtures.js";
import { buildUser, startTestServer, type TestServer } from "../../testing/harness.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { ROIS, putRoi } from "./collab.document.js";

// The consensus layer's write path: no transaction, the access check (credentials, case, role,
// archived) in one statement, then the document ensured and the update appended in another.

const SYNC = `query($caseId: ID!, $layer: String!) { collabSync(caseId: $caseId, layer: $layer) { update } }`;
const UPDATE = `mutation($caseId: ID!, $layer: String!, $update: String!) { collabUpdate(caseId: $caseId, layer: $layer, update: $update) { updateId } }`;
const REVOKE_ROLE = `mutation($projectId: ID!, $userId: ID!) { revokeRole(projectId: $projectId, userId: $userId) }`;
const LAYER = "consensus";

type Server = TestServer & { dropDatabase(): Promise<void> };

const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
/** An update adding one region with this id. */
const region = (id: string, k = 1) => {
  const d = new Y.Doc();
  putRoi(d, { id, classId: "box", kind: "RECTANGLE", points: [[k, k], [k + 1, k + 1]] });
  return Y.encodeStateAsUpdate(d);
};

describe("consensus layer writes", () => {
  let server: Server;
  let team: Team;

  beforeAll(async () => {
    server = await startTestServer();
    team = await buildTeam(server);
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  const q = (sql: string, params: unknown[] = []) => server.platform.db.dataSource.query(sql, params);
  /** A project of the team with one image case. */
  const newCase = async () => {
    const projectId = await buildTeamProject(team);
    await stowOk(server, projectId, team.OWNER.caller, [{ name: "w.png", bytes: chestPng(16, 12, 2) }]);
    const [{ id }] = await q(`SELECT id FROM cases WHERE project_id = $1`, [projectId]);
    return { projectId, caseId: id as string };
  };
  const documents = async (caseId: string): Promise<string[]> => (await q(`SELECT id FROM collab_documents WHERE case_id = $1 AND layer = $2`, [caseId, LAYER])).map((r: { id: string }) => r.id);
  const updateRows = async (caseId: string): Promise<number> =>
    Number((await q(`SELECT count(*)::int AS n FROM collab_updates u JOIN collab_documents d ON d.id = u.document_id WHERE d.case_id = $1`, [caseId]))[0].n);
  const storedRegions = async (caseId: string): Promise<string[]> => {
    const { collabSync } = await team.OWNER.caller.ok<{ collabSync: { update: string } }>(SYNC, { caseId, layer: LAYER });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(Buffer.from(collabSync.update, "base64")));
    return [...doc.getMap(ROIS).keys()].sort();
  };
  /** A fresh account with this role in the project. */
  const member = async (projectId: string, role: string): Promise<Account> => {
    const a = await buildUser(server, role.toLowerCase());
    await team.OWNER.caller.ok(GRANT_ROLE, { projectId, input: { email: a.email, role } });
    return a;
  };

  it("a first write racing another first write to a new document: one document, both updates", async () => {
    const { projectId, caseId } = await newCase();
    // The other first write: its document and update inserted and not yet committed.
    const other = server.platform.db.dataSource.createQueryRunner();
    await other.connect();
    const [ours, theirs] = [randomUUID(), randomUUID()];
    try {
      await other.startTransaction();
      const [{ id: docId }] = await other.query(`INSERT INTO collab_documents (project_id, case_id, layer) VALUES ($1, $2, $3) RETURNING id`, [projectId, caseId, LAYER]);
      await other.query(`INSERT INTO collab_updates (document_id, data) VALUES ($1, $2)`, [docId, Buffer.from(region(theirs))]);
      let answered = false;
      const write = team.REVIEWER.caller.gql(UPDATE, { caseId, layer: LAYER, update: b64(region(ours, 2)) }).finally(() => (answered = true));
      // Ours waits on the uncommitted document row (its INSERT ... ON CONFLICT), then the other commits.
      await until(
        async () => (await q(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO collab_documents%'`)).length > 0 || answered,
        10_000,
        "the write to wait for the other first write",
      );
      expect(answered).toBe(false);
      await other.commitTransaction();
      const answer = await write;
      expect(answer.errors).toBeUndefined();
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    expect(await documents(caseId)).toHaveLength(1);
    expect(await storedRegions(caseId)).toEqual([ours, theirs].sort());

    // And first writes through the API alone, all at once, on another new document.
    const second = await newCase();
    const writers = [team.OWNER, team.MANAGER, team.REVIEWER, team.OWNER, team.MANAGER, team.REVIEWER];
    const ids = writers.map(() => randomUUID());
    const answers = await Promise.all(writers.map((w, k) => w.caller.gql(UPDATE, { caseId: second.caseId, layer: LAYER, update: b64(region(ids[k]!, k)) })));
    for (const a of answers) expect(a.errors).toBeUndefined();
    expect(await documents(second.caseId)).toHaveLength(1);
    expect(await storedRegions(second.caseId)).toEqual([...ids].sort());
  });

  it("refuses a write by a member whose role was just revoked or lowered, storing nothing", async () => {
    const { projectId, caseId } = await newCase();
    const reviewer = await member(projectId, "REVIEWER");
    const write = () => reviewer.caller.gql(UPDATE, { caseId, layer: LAYER, update: b64(region(randomUUID())) });
    expect((await write()).errors).toBeUndefined();
    expect(await updateRows(caseId)).toBe(1);

    // Lowered to a role that may not write the consensus layer: refused at once.
    await team.OWNER.caller.ok(GRANT_ROLE, { projectId, input: { email: reviewer.email, role: "VIEWER" } });
    expect(errorCode(await write())).toBe("NOT_FOUND");
    // Back to reviewer: allowed again at once (no answer is kept).
    await team.OWNER.caller.ok(GRANT_ROLE, { projectId, input: { email: reviewer.email, role: "REVIEWER" } });
    expect((await write()).errors).toBeUndefined();
    // Revoked: refused at once.
    await team.OWNER.caller.ok(REVOKE_ROLE, { projectId, userId: reviewer.id });
    expect(errorCode(await write())).toBe("NOT_FOUND");
    expect(await updateRows(caseId)).toBe(2);
  });

  it("refuses a write whose session or API token ended after the request was authenticated", async () => {
    const { projectId, caseId } = await newCase();
    const reviewer = await member(projectId, "REVIEWER");
    const [{ id: sessionId }] = await q(`SELECT id FROM sessions WHERE user_id = $1`, [reviewer.id]);
    const [{ id: tokenId }] = await q(
      `INSERT INTO api_tokens (user_id, name, prefix, token_hash) VALUES ($1, 'w', 'w', $2) RETURNING id`,
      [reviewer.id, randomUUID()],
    );
    const bySession: Actor = { userId: reviewer.id, via: "session", sessionId };
    const byToken: Actor = { userId: reviewer.id, via: "token", tokenId };
    const write = (actor: Actor) => server.services.collab.update(actor, caseId, LAYER, b64(region(randomUUID())));
    await write(bySession);
    await write(byToken);
    expect(await updateRows(caseId)).toBe(2);

    await q(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [sessionId]);
    await q(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1`, [tokenId]);
    await expect(write(bySession)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(write(byToken)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(write({ userId: reviewer.id, via: "token" })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await updateRows(caseId)).toBe(2);
  });

  it("refuses writes to an archived project's consensus layer, storing nothing", async () => {
    const { projectId, caseId } = await newCase();
    expect((await team.REVIEWER.caller.gql(UPDATE, { caseId, layer: LAYER, update: b64(region(randomUUID())) })).errors).toBeUndefined();
    await team.OWNER.caller.ok(`mutation($id: ID!) { archiveProject(id: $id) { id } }`, { id: projectId });
    for (const a of [team.OWNER, team.REVIEWER]) {
      expect(errorCode(await a.caller.gql(UPDATE, { caseId, layer: LAYER, update: b64(region(randomUUID())) }))).toBe("PROJECT_ARCHIVED");
    }
    expect(await updateRows(caseId)).toBe(1);
  });

  it("answers the document's size with each write and compacts past its bound", async () => {
    const { caseId } = await newCase();
    const collab = server.services.collab;
    const ids: string[] = [];
    for (let i = 0; i <= collab.bounds.rows; i++) {
      ids.push(randomUUID());
      expect((await team.REVIEWER.caller.gql(UPDATE, { caseId, layer: LAYER, update: b64(region(ids.at(-1)!, i % 9)) })).errors).toBeUndefined();
    }
    await collab.idle();
    expect(await updateRows(caseId)).toBeLessThanOrEqual(2);
    expect(await storedRegions(caseId)).toEqual([...ids].sort());
  });
});
