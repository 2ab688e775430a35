import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRANT_ROLE, errorCode, until } from "../../testing/fixtures.js";
import { buildProject, buildUser, startTestServer } from "../../testing/harness.js";
import { leafHashOf } from "./ledger.service.js";

// The ledger's entry listing and verification over GraphQL: paging by seq, by object, one project's
// entries only, ledger.view / ledger.verify, and a tampered row named by its seq.

const generatedKey = () => (generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" }) as Buffer).toString("base64");

interface Entry {
  seq: number | null;
  type: string;
  at: string;
  actor: string | null;
  projectId: string;
  objectId: string;
  payloadSha256: string;
  leafHash: string | null;
}
const ENTRY = `seq type at actor projectId objectId payloadSha256 leafHash`;
const ENTRIES = `query($projectId: ID!, $from: Int, $first: Int) { ledgerEntries(projectId: $projectId, from: $from, first: $first) { ${ENTRY} } }`;
const ENTRIES_FOR = `query($projectId: ID!, $objectId: String!) { ledgerEntriesFor(projectId: $projectId, objectId: $objectId) { ${ENTRY} } }`;
const VERIFY = `mutation($projectId: ID!) { verifyLedger(projectId: $projectId) { leaves heads nodes pending ok findings { kind seq seqTo treeSize message } } }`;

describe("ledger entries and verification over GraphQL", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Awaited<ReturnType<typeof buildUser>>;
  let annotator: Awaited<ReturnType<typeof buildUser>>;
  let members: Array<Awaited<ReturnType<typeof buildUser>>>;
  let projectId: string;
  let otherProjectId: string;
  const db = () => server.platform.db.dataSource;
  const seqsOf = async (pid: string): Promise<Array<number | null>> =>
    ((await db().query(`SELECT seq FROM ledger_leaves WHERE project_id = $1 ORDER BY seq NULLS LAST, id`, [pid])) as Array<{ seq: string | null }>).map((r) =>
      r.seq === null ? null : Number(r.seq),
    );

  beforeAll(async () => {
    server = await startTestServer({ env: { LEDGER_SIGNING_KEY: generatedKey() } });
    owner = await buildUser(server, "owner");
    annotator = await buildUser(server, "annotator");
    members = await Promise.all([0, 1, 2, 3, 4].map((i) => buildUser(server, `member${i}`)));
    projectId = await buildProject(owner.caller);
    otherProjectId = await buildProject(owner.caller);
    // Interleaved grants, so the two projects' entries alternate in the log.
    await owner.caller.ok(GRANT_ROLE, { projectId, input: { email: annotator.email, role: "ANNOTATOR" } });
    for (const m of members) {
      await owner.caller.ok(GRANT_ROLE, { projectId, input: { email: m.email, role: "VIEWER" } });
      await owner.caller.ok(GRANT_ROLE, { projectId: otherProjectId, input: { email: m.email, role: "VIEWER" } });
    }
    await until(async () => {
      const all = [...(await seqsOf(projectId)), ...(await seqsOf(otherProjectId))];
      return all.length === 11 && !all.includes(null);
    }, 5000, "the grants integrated");
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("pages through one project's entries by seq, with fields that recompute each leaf hash", async () => {
    const expected = (await seqsOf(projectId)) as number[];
    expect(expected).toHaveLength(6);
    const seen: Entry[] = [];
    let from = 0;
    for (let page = 0; page < 10; page++) {
      const { ledgerEntries } = await owner.caller.ok<{ ledgerEntries: Entry[] }>(ENTRIES, { projectId, from, first: 4 });
      expect(ledgerEntries.length).toBeLessThanOrEqual(4);
      seen.push(...ledgerEntries);
      if (ledgerEntries.length < 4) break;
      from = ledgerEntries[ledgerEntries.length - 1]!.seq! + 1;
    }
    expect(seen.map((e) => e.seq)).toEqual(expected);
    // A range that starts inside the log: only seq >= from.
    const mid = expected[3]!;
    const { ledgerEntries: tail } = await owner.caller.ok<{ ledgerEntries: Entry[] }>(ENTRIES, { projectId, from: mid });
    expect(tail.map((e) => e.seq)).toEqual(expected.filter((s) => s >= mid));

    expect(seen.every((e) => e.projectId === projectId)).toBe(true);
    expect(seen.map((e) => e.type)).toEqual(Array(6).fill("role.grant"));
    expect(seen.map((e) => e.objectId)).toEqual([annotator.id, ...members.map((m) => m.id)]);
    expect(new Set(seen.map((e) => e.actor))).toEqual(new Set([server.services.ledger.pseudonym(owner.id)]));
    for (const e of seen) {
      const recomputed = leafHashOf({ eventType: e.type, at: new Date(e.at), actor: e.actor, projectId: e.projectId, objectId: e.objectId, payloadSha256: Buffer.from(e.payloadSha256, "hex") });
      expect(recomputed.toString("base64"), `entry ${e.seq}`).toBe(e.leafHash);
    }

    for (const [first, from] of [[0, 0], [501, 0], [10, -1]] as const) {
      expect(errorCode(await owner.caller.gql(ENTRIES, { projectId, from, first })), `first ${first}, from ${from}`).toBe("BAD_USER_INPUT");
    }
    expect((await owner.caller.ok<{ ledgerEntries: Entry[] }>(ENTRIES, { projectId, first: 500 })).ledgerEntries).toHaveLength(6);
  });

  it("lists the entries about one object, in this project only", async () => {
    const m = members[2]!;
    const { ledgerEntriesFor: mine } = await owner.caller.ok<{ ledgerEntriesFor: Entry[] }>(ENTRIES_FOR, { projectId, objectId: m.id });
    expect(mine.map((e) => [e.type, e.objectId, e.projectId])).toEqual([["role.grant", m.id, projectId]]);
    const { ledgerEntriesFor: theirs } = await owner.caller.ok<{ ledgerEntriesFor: Entry[] }>(ENTRIES_FOR, { projectId: otherProjectId, objectId: m.id });
    expect(theirs.map((e) => e.projectId)).toEqual([otherProjectId]);
    expect(theirs[0]!.seq).not.toBe(mine[0]!.seq);
    // The annotator was granted only in the first project: the other project has nothing about them.
    expect((await owner.caller.ok<{ ledgerEntriesFor: Entry[] }>(ENTRIES_FOR, { projectId: otherProjectId, objectId: annotator.id })).ledgerEntriesFor).toEqual([]);
  });

  it("never shows another project's entries", async () => {
    const { ledgerEntries: other } = await owner.caller.ok<{ ledgerEntries: Entry[] }>(ENTRIES, { projectId: otherProjectId });
    expect(other.map((e) => e.seq)).toEqual(await seqsOf(otherProjectId));
    const mine = new Set(await seqsOf(projectId));
    expect(other.some((e) => mine.has(e.seq))).toBe(false);
    // A member of the other project only (a viewer there, no ledger.view) sees neither.
    expect(errorCode(await members[0]!.caller.gql(ENTRIES, { projectId: otherProjectId }))).toBe("NOT_FOUND");
  });

  it("answers not found to members without ledger.view, and keeps verification for owners", async () => {
    expect(errorCode(await annotator.caller.gql(ENTRIES, { projectId }))).toBe("NOT_FOUND");
    expect(errorCode(await annotator.caller.gql(ENTRIES_FOR, { projectId, objectId: annotator.id }))).toBe("NOT_FOUND");
    expect(errorCode(await annotator.caller.gql(VERIFY, { projectId }))).toBe("NOT_FOUND");
    // A manager may view the ledger but not run the whole-log check.
    const manager = members[4]!;
    await owner.caller.ok(GRANT_ROLE, { projectId, input: { email: manager.email, role: "MANAGER" } });
    expect((await manager.caller.ok<{ ledgerEntries: Entry[] }>(ENTRIES, { projectId })).ledgerEntries.length).toBeGreaterThan(0);
    expect(errorCode(await manager.caller.gql(VERIFY, { projectId }))).toBe("NOT_FOUND");
  });

  it("verifies the log, and names the seq of a row edited behind its back", async () => {
    await until(async () => !(await seqsOf(projectId)).includes(null), 5000, "every grant integrated");
    type Report = { leaves: number; heads: number; ok: boolean; findings: Array<{ kind: string; seq: number | null; message: string }> };
    const { verifyLedger: clean } = await owner.caller.ok<{ verifyLedger: Report }>(VERIFY, { projectId });
    expect(clean.findings).toEqual([]);
    expect(clean.ok).toBe(true);
    expect(clean.leaves).toBeGreaterThanOrEqual(12);
    expect(clean.heads).toBeGreaterThan(0);

    const target = (await seqsOf(projectId))[2]!;
    const [{ object_id: original }] = await db().query(`SELECT object_id FROM ledger_leaves WHERE seq = $1`, [target]);
    await db().query(`UPDATE ledger_leaves SET object_id = 'forged' WHERE seq = $1`, [target]);
    try {
      const { verifyLedger: report } = await owner.caller.ok<{ verifyLedger: Report }>(VERIFY, { projectId });
      expect(report.ok).toBe(false);
      expect(report.findings.filter((f) => f.kind === "edited").map((f) => f.seq)).toEqual([target]);
      expect(report.findings.find((f) => f.kind === "edited")!.message).toContain(`entry ${target}`);
    } finally {
      await db().query(`UPDATE ledger_leaves SET object_id = $2 WHERE seq = $1`, [target, original]);
    }
    expect((await owner.caller.ok<{ verifyLedger: Report }>(VERIFY, { projectId })).verifyLedger.ok).toBe(true);
  });
});
