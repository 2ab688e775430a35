import os from "node:os";
import { createHash, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handlers } from "@concord/workers/handlers/index";
import { createLogger } from "../../logger.js";
import type { Anchor, AnchoredTx, AnchorReceipt } from "../../platform/anchor.js";
import { openDatabase, type Database } from "../../platform/database/index.js";
import { MemoryQueue } from "../../platform/queue/memory.js";
import type { Services } from "../../services.js";
import { GRANT_ROLE } from "../../testing/fixtures.js";
import { buildProject, buildUser, createTestDatabase, startTestServer } from "../../testing/harness.js";
import { AnchorRepository } from "./anchor.repository.js";
import { anchorMemo, AnchorService, parseAnchorMemo } from "./anchor.service.js";
import { LedgerIntegrator } from "./integrator.js";
import { ledgerKeys } from "./keys.js";
import { LedgerService } from "./ledger.service.js";

const log = createLogger("silent");
const ORIGIN = "concord.test:4000/ledger";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A test double of a chain, behind the same Anchor interface as CosmosAnchor: no chain can run on
 * these machines (the real Cosmos signing is tested offline in platform/cosmos/cosmos.test.ts).
 * It records every memo under a fresh hash and returns it on readBack; tests rewrite what "the chain"
 * holds to show that check() notices.
 */
class RecordingChain implements Anchor {
  readonly sent: Array<{ memo: string; txHash: string }> = [];
  readonly txs = new Map<string, AnchoredTx>();
  private height = 100;
  /** How long anchor() takes, like a wait for a block. */
  delayMs = 0;
  /** Answer as if the transaction were accepted but not yet in a block. */
  noHeight = false;

  constructor(readonly name = "test:chain-1") {}

  async anchor(memo: string): Promise<AnchorReceipt> {
    if (this.delayMs) await sleep(this.delayMs);
    const txHash = createHash("sha256").update(`${this.name}:${this.sent.length}:${memo}`).digest("hex").toUpperCase();
    const height = ++this.height;
    this.sent.push({ memo, txHash });
    if (!this.noHeight) this.txs.set(txHash, { memo, height, succeeded: true });
    return { txHash, height: this.noHeight ? null : height, chainId: this.name.split(":")[1]! };
  }

  async readBack(txHash: string): Promise<AnchoredTx | null> {
    return this.txs.get(txHash) ?? null;
  }

  async close(): Promise<void> {}
}

/** Stands in for the queue where a test only wants to see what is enqueued. */
const recordingQueue = () => {
  const jobs: Array<{ name: string; payload: unknown; jobId: string }> = [];
  return { jobs, enqueue: async (name: string, payload: unknown, opts: { jobId: string }) => void jobs.push({ name, payload, jobId: opts.jobId }) };
};

describe("anchoring signed heads", () => {
  let drop: () => Promise<void>;
  let db: Database;
  const keys = ledgerKeys(generateKeyPairSync("ed25519").privateKey);
  let ledger: LedgerService;
  let integrator: LedgerIntegrator;
  let n = 0;
  const addEntries = async (count: number) => {
    await db.tx(async (em) => {
      for (let i = 0; i < count; i++) await ledger.record(em, { type: "export", actorId: "user-1", projectId: null, objectId: `export-${++n}`, change: { n } });
    });
    return integrator.integrateAll();
  };
  const anchorRows = async (): Promise<Array<Record<string, unknown>>> => db.dataSource.query(`SELECT * FROM ledger_anchors ORDER BY id`);

  beforeAll(async () => {
    const t = await createTestDatabase();
    drop = t.drop;
    db = await openDatabase({ databaseUrl: t.url, dataDir: os.tmpdir(), embeddedPgPort: 0, migrate: true }, log);
    ledger = new LedgerService(db, keys);
    integrator = new LedgerIntegrator(db, keys, log, { origin: ORIGIN });
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it("anchors the latest signed head once per chain, with the documented memo", async () => {
    const chain = new RecordingChain();
    const service = new AnchorService(db, chain, recordingQueue(), log);
    expect(await new AnchorService(db, null, recordingQueue(), log).anchorLatest()).toEqual({ status: "skipped", reason: "no anchor chain is configured" });
    expect(await service.anchorLatest()).toMatchObject({ status: "skipped", reason: "the ledger has no entries yet" });
    await integrator.integrateAll();
    expect(await service.anchorLatest()).toMatchObject({ status: "skipped", reason: "the ledger has no entries yet" });
    expect(chain.sent).toHaveLength(0);

    await addEntries(3);
    const head = (await ledger.latestHead())!;
    expect(head.treeSize).toBe(3);
    const first = await service.anchorLatest();
    expect(first.status).toBe("anchored");
    expect(chain.sent).toHaveLength(1);
    expect(chain.sent[0]!.memo).toBe(`concord-ledger:v1:${ORIGIN}:3:${head.root.toString("hex")}`);
    expect(parseAnchorMemo(chain.sent[0]!.memo)).toEqual({ origin: ORIGIN, treeSize: 3, root: head.root });
    expect(await anchorRows()).toMatchObject([
      { chain: "test:chain-1", tree_size: "3", root: head.root, memo: chain.sent[0]!.memo, tx_hash: chain.sent[0]!.txHash, height: "101", check_ok: null },
    ]);

    // The same head again: nothing sent (a retried or duplicated job is harmless).
    expect(await service.anchorLatest()).toMatchObject({ status: "skipped", reason: "tree size 3 is already anchored on test:chain-1", anchor: { id: first.anchor!.id } });
    expect(chain.sent).toHaveLength(1);
    // Another chain anchors the same head on its own.
    const other = new RecordingChain("test:chain-2");
    expect((await new AnchorService(db, other, recordingQueue(), log).anchorLatest()).status).toBe("anchored");
    expect(other.sent.map((s) => s.memo)).toEqual([chain.sent[0]!.memo]);
    // A grown tree gets a new anchor.
    await addEntries(2);
    const grown = await service.anchorLatest();
    expect(grown).toMatchObject({ status: "anchored", anchor: { treeSize: 5 } });
    expect(chain.sent).toHaveLength(2);
    expect(parseAnchorMemo(chain.sent[1]!.memo)?.root).toEqual((await ledger.latestHead())!.root);
    // The database holds one anchor per head and chain whatever the code does.
    await expect(
      new AnchorRepository(db.dataSource.manager).insert({ chain: "test:chain-1", treeSize: 5, root: head.root, memo: "x", txHash: "AB", height: null }),
    ).rejects.toThrow(/duplicate key/);
  });

  it("rejects memos the chain would refuse, and parses only well-formed ones", () => {
    const root = Buffer.alloc(32, 7);
    expect(() => anchorMemo({ origin: "x".repeat(200), treeSize: 1, root })).toThrow(/too long/);
    expect(() => anchorMemo({ origin: "o", treeSize: 1, root: Buffer.alloc(31) })).toThrow(/32 bytes/);
    const memo = anchorMemo({ origin: "host:8443/ledger", treeSize: 12, root });
    expect(parseAnchorMemo(memo)).toEqual({ origin: "host:8443/ledger", treeSize: 12, root });
    for (const bad of [memo.toUpperCase(), memo.replace(":v1:", ":v2:"), memo.slice(0, -2), memo.replace(":12:", ":012:"), `${memo}\n`]) expect(parseAnchorMemo(bad), bad).toBeNull();
  });

  it("lets one process anchor at a time, so replicas never send a head twice", async () => {
    const chain = new RecordingChain("test:race");
    chain.delayMs = 300;
    const a = new AnchorService(db, chain, recordingQueue(), log);
    const b = new AnchorService(db, chain, recordingQueue(), log);
    await addEntries(1);
    const outcomes = await Promise.all([a.anchorLatest(), b.anchorLatest()]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["anchored", "skipped"]);
    expect(outcomes.find((o) => o.status === "skipped")).toMatchObject({ reason: "another process is anchoring" });
    expect(chain.sent).toHaveLength(1);
  });

  it("checks an anchor by reading it back, and names a mismatch", async () => {
    const chain = new RecordingChain("test:check");
    const service = new AnchorService(db, chain, recordingQueue(), log);
    await addEntries(2);
    const { anchor } = await service.anchorLatest();
    const id = anchor!.id;
    const tx = chain.sent[0]!;

    expect(await service.check(id)).toMatchObject({ checkOk: true, checkMessage: expect.stringMatching(/^the memo at height 101 matches the signed head/) });
    // The chain holds another memo under that hash.
    chain.txs.set(tx.txHash, { memo: tx.memo.replace(/.$/, (c) => (c === "0" ? "1" : "0")), height: 101, succeeded: true });
    expect(await service.check(id)).toMatchObject({ checkOk: false, checkMessage: expect.stringMatching(/differs from the memo sent/) });
    chain.txs.set(tx.txHash, { memo: tx.memo, height: 101, succeeded: false });
    expect(await service.check(id)).toMatchObject({ checkOk: false, checkMessage: expect.stringMatching(/failed on chain/) });
    chain.txs.delete(tx.txHash);
    expect(await service.check(id)).toMatchObject({ checkOk: false, checkMessage: expect.stringMatching(/does not know transaction/) });
    chain.txs.set(tx.txHash, { memo: tx.memo, height: 101, succeeded: true });
    expect(await service.check(id)).toMatchObject({ checkOk: true });

    // The stored head rewritten after anchoring: the chain's memo no longer matches it.
    const treeSize = anchor!.treeSize;
    const [{ root }] = await db.dataSource.query(`SELECT root FROM ledger_heads WHERE tree_size = $1`, [treeSize]);
    await db.dataSource.query(`UPDATE ledger_heads SET root = $2 WHERE tree_size = $1`, [treeSize, Buffer.alloc(32, 9)]);
    try {
      expect(await service.check(id)).toMatchObject({ checkOk: false, checkMessage: expect.stringMatching(`tree size ${treeSize} no longer matches its anchor`) });
    } finally {
      await db.dataSource.query(`UPDATE ledger_heads SET root = $2 WHERE tree_size = $1`, [treeSize, root]);
    }
    const [row] = await anchorRows().then((rows) => rows.filter((r) => String(r.id) === id));
    expect(row).toMatchObject({ check_ok: false });
    expect(row!.checked_at).toBeInstanceOf(Date);

    await expect(service.check("999999")).rejects.toThrow(/not found/);
    await expect(new AnchorService(db, new RecordingChain("test:elsewhere"), recordingQueue(), log).check(id)).rejects.toThrow(/not the configured chain/);
  });

  it("re-checks an anchor until the chain has it, then fills in its height", async () => {
    const chain = new RecordingChain("test:slow");
    chain.noHeight = true;
    const queue = recordingQueue();
    const service = new AnchorService(db, chain, queue, log);
    await addEntries(1);
    const { anchor } = await service.anchorLatest();
    expect(anchor).toMatchObject({ height: null });
    expect(await service.enqueueChecks()).toEqual([anchor!.id]);
    expect(queue.jobs).toEqual([{ name: "ledger.anchorCheck", payload: { anchorId: anchor!.id }, jobId: expect.stringMatching(new RegExp(`^ledger\\.anchorCheck-${anchor!.id}-\\d+$`)) }]);
    expect((await service.check(anchor!.id)).checkOk).toBe(false);
    expect(await service.toCheck()).toEqual([anchor!.id]);
    // The block arrives.
    chain.txs.set(chain.sent[0]!.txHash, { memo: chain.sent[0]!.memo, height: 555, succeeded: true });
    expect(await service.check(anchor!.id)).toMatchObject({ checkOk: true, height: 555 });
    expect(await service.toCheck()).toEqual([]);
  });

  it("runs as jobs: ledger.anchor anchors and enqueues its check, ledger.anchorCheck records it", async () => {
    const chain = new RecordingChain("test:jobs");
    const queue = new MemoryQueue(log);
    const service = new AnchorService(db, chain, queue, log);
    // The handlers use only this service.
    const services = { ledgerAnchors: service } as unknown as Services;
    await addEntries(4);
    const treeSize = (await ledger.latestHead())!.treeSize;
    const stop = await queue.work(handlers, { services, log });
    try {
      await queue.enqueue("ledger.anchor", {}, { jobId: "ledger.anchor-test" });
      const checked = async () => (await anchorRows()).find((r) => r.chain === "test:jobs" && Number(r.tree_size) === treeSize && r.check_ok !== null);
      const t0 = Date.now();
      while (!(await checked()) && Date.now() - t0 < 10_000) await sleep(50);
      expect(await checked()).toMatchObject({ check_ok: true, memo: chain.sent[0]!.memo });
      expect(chain.sent).toHaveLength(1);
    } finally {
      await stop();
      await queue.close();
    }
  });
});

describe("ledgerAnchors over GraphQL", () => {
  it("lists anchors to those with ledger.view, newest first", async () => {
    const server = await startTestServer();
    try {
      const owner = await buildUser(server, "owner");
      const reader = await buildUser(server, "reader");
      const stranger = await buildUser(server, "stranger");
      const projectId = await buildProject(owner.caller);
      await owner.caller.ok(GRANT_ROLE, { projectId, input: { email: reader.email, role: "ANNOTATOR" } });
      const LIST = `query($projectId: ID!, $first: Int) { ledgerAnchors(projectId: $projectId, first: $first) { id chain treeSize rootHash memo txHash height at checkStatus checkedAt checkMessage } }`;
      expect((await owner.caller.ok<{ ledgerAnchors: unknown[] }>(LIST, { projectId })).ledgerAnchors).toEqual([]);

      const t0 = Date.now();
      while (!((await server.services.ledger.latestHead())?.treeSize ?? 0) && Date.now() - t0 < 5000) await sleep(25);
      const chain = new RecordingChain("test:gql");
      const service = new AnchorService(server.platform.db, chain, recordingQueue(), log);
      const { anchor } = await service.anchorLatest();
      await service.check(anchor!.id);

      const { ledgerAnchors } = await owner.caller.ok<{ ledgerAnchors: Array<Record<string, unknown>> }>(LIST, { projectId, first: 5 });
      expect(ledgerAnchors).toEqual([
        {
          id: anchor!.id,
          chain: "test:gql",
          treeSize: anchor!.treeSize,
          rootHash: anchor!.root.toString("base64"),
          memo: chain.sent[0]!.memo,
          txHash: chain.sent[0]!.txHash,
          height: 101,
          at: anchor!.createdAt.toISOString(),
          checkStatus: "OK",
          checkedAt: expect.any(String),
          checkMessage: expect.stringMatching(/matches the signed head/),
        },
      ]);
      // Members without ledger.view, and strangers, get "not found"; bad page sizes are refused.
      expect((await reader.caller.gql(LIST, { projectId })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      expect((await stranger.caller.gql(LIST, { projectId })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      expect((await owner.caller.gql(LIST, { projectId, first: 0 })).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect((await owner.caller.gql(LIST, { projectId, first: 101 })).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    } finally {
      await server.close();
      await server.dropDatabase();
    }
  });
});
