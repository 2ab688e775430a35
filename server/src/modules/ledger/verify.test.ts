import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { createPrivateKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { Client as PgClient } from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLogger } from "../../logger.js";
import { repoRoot } from "../../paths.js";
import { openDatabase, type Database } from "../../platform/database/index.js";
import { createTestDatabase } from "../../testing/harness.js";
import { LedgerIntegrator } from "./integrator.js";
import { ledgerKeys } from "./keys.js";
import { leafHashOf, LedgerService } from "./ledger.service.js";
import { verifyLedger, type VerifyReport } from "./verify.js";

const run = promisify(execFile);
const log = createLogger("silent");
const ORIGIN = "concord.test/ledger";
const N = 300;
const keyDer = generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" }) as Buffer;
const keys = ledgerKeys(generateKeyPairSync("ed25519").privateKey);
const cliKeys = ledgerKeys(createPrivateKey({ key: keyDer, format: "der", type: "pkcs8" }));

// A ledger of N leaves built through the real record + integrate path, then copied (CREATE DATABASE … TEMPLATE)
// into a fresh database per tamper case.
describe("ledger verify", () => {
  let base: { url: string; drop(): Promise<void> };
  const copies: string[] = [];

  const admin = async <T>(fn: (c: PgClient) => Promise<T>): Promise<T> => {
    const c = new PgClient({ connectionString: inject("pgAdminUrl") });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };

  /** A fresh copy of the base ledger, tampered with by `sql`, verified. */
  async function tampered(sql: string | ((db: Database) => Promise<void>), k = keys): Promise<VerifyReport> {
    const url = await copy();
    const db = await openDatabase({ databaseUrl: url, dataDir: os.tmpdir(), embeddedPgPort: 0, migrate: false }, log);
    try {
      if (typeof sql === "string") await db.dataSource.query(sql);
      else await sql(db);
      return await verifyLedger(db.dataSource.manager, { publicKey: k.publicKey, publicKeyRaw: k.publicKeyRaw, batchSize: 64 });
    } finally {
      await db.close();
    }
  }

  async function copy(): Promise<string> {
    const name = `concord_test_${randomBytes(6).toString("hex")}`;
    const from = new URL(base.url).pathname.slice(1);
    await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${from}`));
    copies.push(name);
    const url = new URL(base.url);
    url.pathname = `/${name}`;
    return url.toString();
  }

  const buildLedger = async (url: string, k: typeof keys) => {
    const db = await openDatabase({ databaseUrl: url, dataDir: os.tmpdir(), embeddedPgPort: 0, migrate: true }, log);
    try {
      const ledger = new LedgerService(db, k);
      const integrator = new LedgerIntegrator(db, k, log, { origin: ORIGIN, batchSize: 37 });
      await integrator.integrate(); // the head of the empty tree
      await db.tx(async (em) => {
        for (let i = 0; i < N; i++) {
          await ledger.record(em, { type: i % 2 ? "annotation.submit" : "role.grant", actorId: `user-${i % 5}`, projectId: null, objectId: `object-${i}`, change: { i } });
        }
      });
      await integrator.integrateAll(); // heads at 37, 74, …, 296, 300
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    base = await createTestDatabase();
    await buildLedger(base.url, keys);
  }, 120_000);
  afterAll(async () => {
    await admin(async (c) => {
      for (const name of copies) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
    await base?.drop();
  });

  it("reports the untouched ledger clean", async () => {
    const r = await tampered("SELECT 1");
    expect(r.findings).toEqual([]);
    expect(r).toMatchObject({ ok: true, leaves: N, heads: 10, nodes: N - 4 }); // n - popcount(300) perfect inner subtrees
  });

  it("reports an empty ledger clean", async () => {
    const empty = await createTestDatabase();
    const db = await openDatabase({ databaseUrl: empty.url, dataDir: os.tmpdir(), embeddedPgPort: 0, migrate: true }, log);
    try {
      expect(await verifyLedger(db.dataSource.manager, keys)).toEqual({ leaves: 0, heads: 0, nodes: 0, pending: 0, findings: [], ok: true });
    } finally {
      await db.close();
      await empty.drop();
    }
  });

  it("names an edited entry", async () => {
    const r = await tampered(`UPDATE ledger_leaves SET payload_sha256 = sha256('forged'::bytea) WHERE seq = 42`);
    expect(r.ok).toBe(false);
    expect(r.findings).toEqual([expect.objectContaining({ kind: "edited", seq: 42 })]);
  });

  it("names an edited entry whose leaf hash was rewritten to match, by the stored subtrees", async () => {
    const r = await tampered(async (db) => {
      await db.dataSource.query(`UPDATE ledger_leaves SET object_id = 'forged' WHERE seq = 211`);
      const [row] = await db.dataSource.query(`SELECT * FROM ledger_leaves WHERE seq = 211`);
      const h = leafHashOf({ eventType: row.event_type, at: row.at, actor: row.actor, projectId: row.project_id, objectId: row.object_id, payloadSha256: row.payload_sha256 });
      await db.dataSource.query(`UPDATE ledger_leaves SET leaf_hash = $1 WHERE seq = 211`, [h]);
    });
    // Level-1 subtree 1/105 holds entries 210–211: the change is localised to that pair.
    expect(r.findings[0]).toMatchObject({ kind: "reordered", seq: 210, seqTo: 211 });
    expect(r.findings.some((f) => f.kind === "root" && f.treeSize === 222)).toBe(true);
  });

  it("names a removed entry", async () => {
    const r = await tampered(`DELETE FROM ledger_leaves WHERE seq = 120`);
    expect(r.findings[0]).toMatchObject({ kind: "removed", seq: 120 });
    expect(r.findings.every((f) => f.seq === undefined || f.seq >= 120)).toBe(true);
  });

  it("names a removed last entry", async () => {
    const r = await tampered(`DELETE FROM ledger_leaves WHERE seq = ${N - 1}`);
    expect(r.findings[0]).toMatchObject({ kind: "removed", seq: N - 1 });
  });

  it("names a removed entry whose successors were renumbered", async () => {
    const r = await tampered(`DELETE FROM ledger_leaves WHERE seq = 130; UPDATE ledger_leaves SET seq = seq + 1000000 WHERE seq > 130; UPDATE ledger_leaves SET seq = seq - 1000001 WHERE seq > 1000000`);
    expect(r.findings[0]).toMatchObject({ kind: "removed", seq: 130, seqTo: 131 });
  });

  it("names an entry appended beyond the signed heads", async () => {
    const r = await tampered(async (db) => insertForged(db, N));
    expect(r.findings).toEqual([expect.objectContaining({ kind: "inserted", seq: N })]);
  });

  it("names an entry inserted in the middle, with the rest renumbered", async () => {
    const r = await tampered(async (db) => {
      await db.dataSource.query(`UPDATE ledger_leaves SET seq = seq + 1000000 WHERE seq >= 150; UPDATE ledger_leaves SET seq = seq - 999999 WHERE seq >= 1000000`);
      await insertForged(db, 150);
    });
    expect(r.findings[0]).toMatchObject({ kind: "inserted", seq: 150, seqTo: 151 });
    expect(r.findings.find((f) => f.kind === "root")).toMatchObject({ treeSize: 185 });
  });

  it("names the first of two swapped entries", async () => {
    const r = await tampered(`
      UPDATE ledger_leaves l SET event_type = o.event_type, at = o.at, actor = o.actor, project_id = o.project_id,
             object_id = o.object_id, payload_sha256 = o.payload_sha256, leaf_hash = o.leaf_hash
        FROM ledger_leaves o WHERE (l.seq = 100 AND o.seq = 201) OR (l.seq = 201 AND o.seq = 100)`);
    expect(r.findings.filter((f) => f.kind === "edited")).toEqual([]); // each row still hashes to its leaf hash
    expect(r.findings[0]).toMatchObject({ kind: "reordered", seq: 100, seqTo: 101 });
    expect(r.findings.find((f) => f.kind === "root")).toMatchObject({ treeSize: 111 });
  });

  it("narrows a swap to one entry when a signed head ends between the pair", async () => {
    // Head 37 ends between entries 36 and 37 (level-1 subtree 1/18): a change to 37 leaves head 37 valid.
    const r = await tampered(`
      UPDATE ledger_leaves l SET object_id = o.object_id, payload_sha256 = o.payload_sha256, leaf_hash = o.leaf_hash, event_type = o.event_type, actor = o.actor, at = o.at
        FROM ledger_leaves o WHERE (l.seq = 37 AND o.seq = 250) OR (l.seq = 250 AND o.seq = 37)`);
    expect(r.findings[0]).toMatchObject({ kind: "reordered", seq: 37 });
    expect(r.findings[0]!.seqTo).toBeUndefined();
  });

  it("names a head whose root was edited", async () => {
    const r = await tampered(`UPDATE ledger_heads SET root = sha256('forged'::bytea) WHERE tree_size = 148`);
    expect(r.findings).toEqual([expect.objectContaining({ kind: "head", treeSize: 148 }), expect.objectContaining({ kind: "root", treeSize: 148 })]);
  });

  it("names a stored subtree that was edited", async () => {
    const r = await tampered(`UPDATE ledger_nodes SET hash = sha256('forged'::bytea) WHERE level = 3 AND idx = 5`);
    expect(r.findings).toEqual([expect.objectContaining({ kind: "node", seq: 40, seqTo: 47 })]);
  });

  it("names a head with a corrupt signature, and heads signed by another key", async () => {
    const r = await tampered(async (db) => {
      const [h] = await db.dataSource.query(`SELECT checkpoint FROM ledger_heads WHERE tree_size = 185`);
      const text = h.checkpoint as string;
      const sigLine = text.trimEnd().split("\n").pop()!;
      const blob = Buffer.from(sigLine.split(" ")[2]!, "base64");
      blob[10] ^= 0x01;
      await db.dataSource.query(`UPDATE ledger_heads SET checkpoint = $1, signature = $2 WHERE tree_size = 185`, [
        text.replace(sigLine, `${sigLine.split(" ").slice(0, 2).join(" ")} ${blob.toString("base64")}`),
        blob.subarray(4),
      ]);
    });
    expect(r.findings).toEqual([expect.objectContaining({ kind: "signature", treeSize: 185 })]);
    const other = ledgerKeys(generateKeyPairSync("ed25519").privateKey);
    const all = await tampered("SELECT 1", other);
    expect(all.findings.filter((f) => f.kind === "signature")).toHaveLength(10);
  });

  it("runs as `concord ledger verify`: exit code 0 when clean, 1 when tampered", async () => {
    // Its own ledger, signed with a key the CLI is given through LEDGER_SIGNING_KEY.
    const own = await createTestDatabase();
    try {
      await buildLedger(own.url, cliKeys);
      const root = repoRoot();
      await run("npx", ["tsc", "-b", "server", "workers"], { cwd: root });
      const env = { ...process.env, DATABASE_URL: own.url, LEDGER_SIGNING_KEY: keyDer.toString("base64"), LOG_LEVEL: "silent", CONCORD_DATA_DIR: path.join(os.tmpdir(), "concord-verify-cli") };
      const ok = await run("node", ["bin/concord.js", "ledger", "verify"], { cwd: root, env });
      expect(ok.stdout).toContain(`Checked ${N} entries, 10 signed heads`);
      expect(ok.stdout).toContain("intact");

      const c = new PgClient({ connectionString: own.url });
      await c.connect();
      await c.query(`UPDATE ledger_leaves SET object_id = 'forged' WHERE seq = 7`);
      await c.end();
      const bad = await run("node", ["bin/concord.js", "ledger", "verify"], { cwd: root, env }).then(
        () => ({ code: 0, stdout: "" }),
        (e: { code: number; stdout: string }) => e,
      );
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/edited: entry 7 was edited/);
    } finally {
      await own.drop();
    }
  }, 180_000);

  async function insertForged(db: Database, seq: number): Promise<void> {
    const leaf = { eventType: "role.grant", at: new Date("2026-01-01T00:00:00.000Z"), actor: null, projectId: null, objectId: "forged", payloadSha256: Buffer.alloc(32, 7) };
    await db.dataSource.query(
      `INSERT INTO ledger_leaves (seq, event_type, at, actor, project_id, object_id, payload_sha256, leaf_hash, integrated_at) VALUES ($1, $2, $3, NULL, NULL, $4, $5, $6, now())`,
      [seq, leaf.eventType, leaf.at, leaf.objectId, leaf.payloadSha256, leafHashOf(leaf)],
    );
  }
});
