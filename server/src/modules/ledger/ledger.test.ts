import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../config.js";
import { createLogger } from "../../logger.js";
import { openDatabase, type Database } from "../../platform/database/index.js";
import { GRANT_ROLE, buildLabel } from "../../testing/fixtures.js";
import { buildProject, buildUser, createTestDatabase, startTestServer } from "../../testing/harness.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { canonicalSha256 } from "./canonical.js";
import { openCheckpoint, signCheckpoint } from "./checkpoint.js";
import { LedgerIntegrator } from "./integrator.js";
import { ledgerKeys, loadLedgerKeys, parseSigningKey, SIGNING_KEY_FILE } from "./keys.js";
import { LedgerRepository } from "./ledger.repository.js";
import { leafHashOf, LedgerService } from "./ledger.service.js";
import { EMPTY_ROOT, rootFromLeafHashes, verifyConsistency, verifyInclusion } from "./merkle.js";

const log = createLogger("silent");
const ORIGIN = "concord.test/ledger";
const generatedKey = () => (generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" }) as Buffer).toString("base64");
const newKeys = () => ledgerKeys(generateKeyPairSync("ed25519").privateKey);

describe("signing keys and checkpoints", () => {
  it("reads Ed25519 keys as PEM or base64 PKCS#8 and refuses anything else", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }) as string;
    const der = (privateKey.export({ format: "der", type: "pkcs8" }) as Buffer).toString("base64");
    expect(ledgerKeys(parseSigningKey(pem)).publicKeyRaw).toEqual(ledgerKeys(parseSigningKey(der)).publicKeyRaw);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }) as string;
    for (const bad of [rsa, "not a key", "AAAA"]) expect(() => parseSigningKey(bad)).toThrow(/Ed25519/);
    expect(loadConfig({ LEDGER_SIGNING_KEY: der }).ledger.signingKey).toBe(der);
    expect(() => loadConfig({ LEDGER_SIGNING_KEY: rsa })).toThrow(ConfigError);
    expect(() => loadConfig({ LEDGER_SIGNING_KEY: "garbage" })).toThrow(/LEDGER_SIGNING_KEY/);
  });

  it("generates the embedded default key into the data dir once, and keeps it", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "concord-ledger-key-"));
    try {
      const a = await loadLedgerKeys({ signingKey: undefined, dataDir: dir, embedded: true }, log);
      const b = await loadLedgerKeys({ signingKey: undefined, dataDir: dir, embedded: true }, log);
      expect(a.publicKeyRaw).toEqual(b.publicKeyRaw);
      expect(a.actorKey).toEqual(b.actorKey);
      expect((await fs.stat(path.join(dir, SIGNING_KEY_FILE))).mode & 0o777).toBe(0o600);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("writes C2SP checkpoints whose signature covers the body", () => {
    const keys = newKeys();
    const root = rootFromLeafHashes([EMPTY_ROOT]);
    const signed = signCheckpoint({ origin: ORIGIN, size: 1, root }, keys.privateKey, keys.publicKeyRaw);
    expect(signed.text).toMatch(new RegExp(`^${ORIGIN}\\n1\\n${root.toString("base64").replace(/[+/]/g, "\\$&")}\\n\\n\u2014 ${ORIGIN} [A-Za-z0-9+/]{91}=\\n$`));
    expect(openCheckpoint(signed.text, keys.publicKey, keys.publicKeyRaw)?.size).toBe(1);
    // Any change to the body, or another key, breaks it.
    expect(openCheckpoint(signed.text.replace("\n1\n", "\n2\n"), keys.publicKey, keys.publicKeyRaw)).toBeNull();
    const other = newKeys();
    expect(openCheckpoint(signed.text, other.publicKey, other.publicKeyRaw)).toBeNull();
    expect(() => signCheckpoint({ origin: "two words", size: 1, root }, keys.privateKey, keys.publicKeyRaw)).toThrow();
  });
});

describe("the ledger on PostgreSQL", () => {
  let drop: () => Promise<void>;
  let db: Database;
  const keys = newKeys();
  let ledger: LedgerService;

  beforeAll(async () => {
    const t = await createTestDatabase();
    drop = t.drop;
    db = await openDatabase({ databaseUrl: t.url, dataDir: os.tmpdir(), embeddedPgPort: 0, migrate: true }, log);
    ledger = new LedgerService(db, keys);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  const event = (i: number) => ({ type: "annotation.submit" as const, actorId: `user-${i % 3}`, projectId: null, objectId: `annotation-${i}`, change: { i, labels: [i, "x"] } });
  const allLeaves = async () => {
    const rows: Array<Record<string, unknown>> = await db.dataSource.query(`SELECT * FROM ledger_leaves ORDER BY seq NULLS LAST, id`);
    return rows;
  };

  it("records an event iff its transaction commits, and integrates it into a signed head", async () => {
    const integrator = new LedgerIntegrator(db, keys, log, { origin: ORIGIN });
    const first = await integrator.integrate();
    expect(first).toEqual({ locked: true, added: 0, treeSize: 0 });
    expect((await ledger.latestHead())?.root).toEqual(EMPTY_ROOT);

    await db.tx((em) => ledger.record(em, event(0)));
    await expect(
      db.tx(async (em) => {
        await ledger.record(em, event(99));
        throw new Error("the change fails");
      }),
    ).rejects.toThrow("the change fails");
    expect(await integrator.integrate()).toEqual({ locked: true, added: 1, treeSize: 1 });

    const rows = await allLeaves();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ seq: "0", event_type: "annotation.submit", object_id: "annotation-0", actor: ledger.pseudonym("user-0") });
    expect(rows[0]!.actor).not.toContain("user-0");
    const head = (await ledger.latestHead())!;
    expect(head.treeSize).toBe(1);
    expect(head.root).toEqual(rows[0]!.leaf_hash);
    expect(openCheckpoint(head.checkpoint, keys.publicKey, keys.publicKeyRaw)).toMatchObject({ size: 1, origin: ORIGIN });
    // Nothing new: no new head.
    expect(await integrator.integrate()).toEqual({ locked: true, added: 0, treeSize: 1 });
  });

  it("answers inclusion and consistency proofs from stored subtrees that verify against signed heads", async () => {
    const integrator = new LedgerIntegrator(db, keys, log, { origin: ORIGIN, batchSize: 37 });
    for (let round = 1; round <= 6; round++) {
      await db.tx(async (em) => {
        for (let i = 0; i < round * 13; i++) await ledger.record(em, event(round * 1000 + i));
      });
      await integrator.integrateAll();
    }
    const rows = await allLeaves();
    const n = rows.length;
    expect(rows.map((r) => Number(r.seq))).toEqual([...Array(n).keys()]);
    // Every leaf hash recomputes from its row; the head's root from the leaves.
    for (const r of rows) {
      expect(leafHashOf({ eventType: r.event_type as string, at: r.at as Date, actor: r.actor as string, projectId: r.project_id as string | null, objectId: r.object_id as string, payloadSha256: r.payload_sha256 as Buffer })).toEqual(r.leaf_hash);
    }
    const head = (await ledger.latestHead())!;
    expect(head.treeSize).toBe(n);
    expect(head.root).toEqual(rootFromLeafHashes(rows.map((r) => r.leaf_hash as Buffer)));

    const heads: Array<{ tree_size: string; root: Buffer }> = await db.dataSource.query(`SELECT tree_size, root FROM ledger_heads ORDER BY tree_size`);
    expect(heads.length).toBeGreaterThan(8); // batches of 37 make intermediate heads
    for (const h of heads) {
      const size = Number(h.tree_size);
      expect(h.root).toEqual(rootFromLeafHashes(rows.slice(0, size).map((r) => r.leaf_hash as Buffer)));
      for (const seq of [0, Math.floor(size / 2), size - 1].filter((s) => s >= 0 && s < size)) {
        const proof = await ledger.inclusionProof(seq, size);
        expect(verifyInclusion(seq, size, rows[seq]!.leaf_hash as Buffer, proof, h.root), `leaf ${seq} in ${size}`).toBe(true);
      }
      for (const h1 of heads.filter((x) => Number(x.tree_size) > 0 && Number(x.tree_size) <= size)) {
        const size1 = Number(h1.tree_size);
        const proof = await ledger.consistencyProof(size1, size);
        expect(verifyConsistency(size1, size, proof, h1.root, h.root), `${size1} → ${size}`).toBe(true);
      }
    }
    await expect(ledger.inclusionProof(0, n + 1)).rejects.toThrow(/beyond/);
  });

  it("lets one integrator at a time append, so concurrent replicas never fork the log", async () => {
    const a = new LedgerIntegrator(db, keys, log, { origin: ORIGIN, batchSize: 10 });
    const b = new LedgerIntegrator(db, keys, log, { origin: ORIGIN, batchSize: 10 });
    let sawLocked = false;
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 15 }, (_, i) => db.tx((em) => ledger.record(em, event(50_000 + round * 100 + i)))));
      const results = await Promise.all([a.integrate(), b.integrate(), a.integrate(), b.integrate()]);
      sawLocked ||= results.some((r) => !r.locked);
      await a.integrateAll();
    }
    expect(sawLocked).toBe(true);
    const rows = await allLeaves();
    expect(rows.every((r) => r.seq !== null)).toBe(true);
    expect(rows.map((r) => Number(r.seq))).toEqual([...Array(rows.length).keys()]);
    const head = (await ledger.latestHead())!;
    expect(head.root).toEqual(rootFromLeafHashes(rows.map((r) => r.leaf_hash as Buffer)));
    const nodes = await db.dataSource.query(`SELECT count(*)::int AS c FROM ledger_nodes`);
    expect(nodes[0].c).toBe(rows.length - 1 - (rows.length.toString(2).split("1").length - 2)); // n - popcount(n) perfect inner nodes
  });

  it("integrates on its own within a second, and stops cleanly", async () => {
    const integrator = new LedgerIntegrator(db, keys, log, { origin: ORIGIN, intervalMs: 50 });
    integrator.start();
    await db.tx((em) => ledger.record(em, event(777_000)));
    const t0 = Date.now();
    while ((await new LedgerRepository(db.dataSource.manager).pending(1)).length && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 20));
    expect(Date.now() - t0).toBeLessThan(1000);
    await integrator.stop();
    await db.tx((em) => ledger.record(em, event(777_001)));
    await new Promise((r) => setTimeout(r, 200));
    expect(await new LedgerRepository(db.dataSource.manager).pending(10)).toHaveLength(1);
    await new LedgerIntegrator(db, keys, log, { origin: ORIGIN }).integrateAll();
  });
});

describe("the server", () => {
  it("records uploads, role grants and revokes, submissions, revisions and exports in their transactions", async () => {
    const server = await startTestServer({ env: { LEDGER_SIGNING_KEY: generatedKey() } });
    try {
      const owner = await buildUser(server, "owner");
      const reader = await buildUser(server, "reader");
      const projectId = await buildProject(owner.caller);
      await owner.caller.ok(GRANT_ROLE, { projectId, input: { email: reader.email, role: "ANNOTATOR" } });
      const labelId = await buildLabel(owner.caller, projectId);
      await stowOk(server, projectId, owner.caller, [{ name: "ledger-a.png", bytes: chestPng(8, 8, 1) }]);
      const [instance] = await server.platform.db.dataSource.query(`SELECT id, sha256 FROM instances WHERE project_id = $1`, [projectId]);
      const { cases } = await owner.caller.ok<{ cases: { edges: Array<{ node: { id: string } }> } }>(
        `query($projectId: ID!) { cases(projectId: $projectId, first: 5) { edges { node { id } } } }`,
        { projectId },
      );
      const caseId = cases.edges[0]!.node.id;
      const submitted = await reader.caller.ok<{ submitAnnotation: { id: string } }>(
        `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`,
        { caseId, input: { labels: [{ labelId, value: true, confidence: 80 }], rois: [] } },
      );
      const revised = await reader.caller.ok<{ reviseAnnotation: { id: string } }>(`mutation($caseId: ID!) { reviseAnnotation(caseId: $caseId) { id } }`, { caseId });
      const csv = await fetch(`${server.graphqlUrl.replace(/\/graphql$/, "")}/export/projects/${projectId}/labels.csv`, { headers: { cookie: owner.caller.cookie! } });
      expect(csv.status).toBe(200);
      await csv.text();
      // A refused export records nothing either.
      expect((await fetch(`${server.graphqlUrl.replace(/\/graphql$/, "")}/export/projects/${projectId}/labels.csv`, { headers: { cookie: reader.caller.cookie! } })).status).toBe(404);
      // A refused change records nothing: the reader may not grant roles.
      const refused = await reader.caller.gql(GRANT_ROLE, { projectId, input: { email: owner.email, role: "VIEWER" } });
      expect(refused.errors?.length).toBe(1);
      await owner.caller.ok(`mutation($projectId: ID!, $userId: ID!) { revokeRole(projectId: $projectId, userId: $userId) }`, { projectId, userId: reader.id });

      const ledger = server.services.ledger;
      const rows: Array<Record<string, unknown>> = await server.platform.db.dataSource.query(
        `SELECT event_type, actor, object_id, payload_sha256 FROM ledger_leaves WHERE project_id = $1 ORDER BY id`,
        [projectId],
      );
      expect(rows.map(({ payload_sha256, ...r }) => r)).toEqual([
        { event_type: "role.grant", actor: ledger.pseudonym(owner.id), object_id: reader.id },
        { event_type: "image.upload", actor: ledger.pseudonym(owner.id), object_id: instance.id },
        { event_type: "annotation.submit", actor: ledger.pseudonym(reader.id), object_id: submitted.submitAnnotation.id },
        { event_type: "annotation.revise", actor: ledger.pseudonym(reader.id), object_id: revised.reviseAnnotation.id },
        { event_type: "export", actor: ledger.pseudonym(owner.id), object_id: projectId },
        { event_type: "role.revoke", actor: ledger.pseudonym(owner.id), object_id: reader.id },
      ]);
      // The upload's leaf commits to the stored file's hash (and ids), nothing from its header.
      const [upload] = await server.platform.db.dataSource.query(`SELECT sop_instance_uid, batch_id FROM instances i JOIN upload_results r ON r.instance_id = i.id WHERE i.id = $1`, [instance.id]);
      expect(rows[1]!.payload_sha256).toEqual(
        canonicalSha256({ batchId: upload.batch_id, instanceId: instance.id, sopInstanceUid: upload.sop_instance_uid, sha256: instance.sha256 }),
      );

      // Proofs are for the project's own entries: another project's entry is "not found".
      const otherProject = await buildProject(owner.caller);
      await owner.caller.ok(GRANT_ROLE, { projectId: otherProject, input: { email: reader.email, role: "VIEWER" } });
      const seqs = async (pid: string) => {
        const r: Array<{ seq: string | null }> = await server.platform.db.dataSource.query(`SELECT seq FROM ledger_leaves WHERE project_id = $1 ORDER BY id`, [pid]);
        return r.map((x) => x.seq);
      };
      const t0 = Date.now();
      while ((await seqs(otherProject)).includes(null) && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 25));
      const PROOF = `query($projectId: ID!, $leafIndex: Int!) { ledgerInclusionProof(projectId: $projectId, leafIndex: $leafIndex) { leafIndex treeSize leafHash hashes } }`;
      const mine = Number((await seqs(projectId))[2]);
      const { ledgerInclusionProof: p } = await owner.caller.ok<{ ledgerInclusionProof: { leafIndex: number; treeSize: number; leafHash: string; hashes: string[] } }>(PROOF, { projectId, leafIndex: mine });
      const head = (await ledger.latestHead())!;
      const root = head.treeSize === p.treeSize ? head.root : (await server.platform.db.dataSource.query(`SELECT root FROM ledger_heads WHERE tree_size = $1`, [p.treeSize]))[0].root;
      expect(verifyInclusion(mine, p.treeSize, Buffer.from(p.leafHash, "base64"), p.hashes.map((h) => Buffer.from(h, "base64")), root)).toBe(true);
      const theirs = Number((await seqs(otherProject))[0]);
      expect((await owner.caller.gql(PROOF, { projectId, leafIndex: theirs })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      const bad = await owner.caller.gql(`query($projectId: ID!) { ledgerConsistencyProof(projectId: $projectId, size1: 1, size2: 999999) { size1 } }`, { projectId });
      expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    } finally {
      await server.close();
      await server.dropDatabase();
    }
  });

  it("starts the integrator with the database and stops it on close", async () => {
    const server = await startTestServer({ env: { LEDGER_SIGNING_KEY: generatedKey() } });
    try {
      const t0 = Date.now();
      while (!(await server.services.ledger.latestHead()) && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 25));
      const head = await server.services.ledger.latestHead();
      expect(head?.treeSize).toBe(0);
      expect(openCheckpoint(head!.checkpoint, server.platform.ledgerKeys.publicKey, server.platform.ledgerKeys.publicKeyRaw)?.origin).toMatch(/\/ledger$/);
    } finally {
      await server.close();
      await server.dropDatabase();
    }
  });
});
