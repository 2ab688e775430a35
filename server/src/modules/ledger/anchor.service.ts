import { requireAccess, type Actor } from "../../access/access.js";
import { invalid, notFound } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Anchor } from "../../platform/anchor.js";
import type { Database } from "../../platform/database/index.js";
import type { Queue } from "../../platform/queue/queue.js";
import { AnchorRepository, type AnchorRow } from "./anchor.repository.js";
import { LedgerAnchor } from "./anchor.types.js";
import { LedgerRepository } from "./ledger.repository.js";

// The anchor memo (one line of printable ASCII, at most 256 bytes, the Cosmos SDK's default limit):
//
//   concord-ledger:v1:<origin>:<tree size>:<root hex>
//
// origin: the checkpoint's first line (the log's name, e.g. "concord.example.org/ledger"; it may
// hold ":", so parse from the right); tree size: decimal; root: the RFC 9162 root hash of that
// signed head, 64 lower-case hex digits. Anyone holding the checkpoint can rebuild the memo.
export const MEMO_PREFIX = "concord-ledger:v1:";
const MAX_MEMO_BYTES = 256;

export function anchorMemo(head: { origin: string; treeSize: number; root: Buffer }): string {
  if (head.root.length !== 32) throw new Error("the root must be 32 bytes");
  const memo = `${MEMO_PREFIX}${head.origin}:${head.treeSize}:${head.root.toString("hex")}`;
  if (Buffer.byteLength(memo, "utf8") > MAX_MEMO_BYTES) throw new Error(`the ledger origin "${head.origin}" is too long for a ${MAX_MEMO_BYTES}-byte memo`);
  return memo;
}

export function parseAnchorMemo(memo: string): { origin: string; treeSize: number; root: Buffer } | null {
  const m = /^concord-ledger:v1:(\S+):(0|[1-9][0-9]{0,15}):([0-9a-f]{64})$/.exec(memo);
  return m ? { origin: m[1]!, treeSize: Number(m[2]), root: Buffer.from(m[3]!, "hex") } : null;
}

export type AnchorOutcome = { status: "anchored"; anchor: AnchorRow } | { status: "skipped"; reason: string; anchor?: AnchorRow };

/**
 * Anchors the latest signed tree head on the configured chain (at most once per head and chain),
 * and checks anchors by reading their transaction back. Without a configured chain it lists only.
 */
export class AnchorService {
  constructor(
    private readonly db: Database,
    private readonly chain: Anchor | null,
    private readonly queue: Pick<Queue, "enqueue">,
    private readonly log: Logger,
  ) {}

  get chainName(): string | null {
    return this.chain?.name ?? null;
  }

  async anchorLatest(): Promise<AnchorOutcome> {
    const chain = this.chain;
    if (!chain) return { status: "skipped", reason: "no anchor chain is configured" };
    // The lock and the transaction span the chain call (seconds, hourly): replicas never send the
    // same head twice. A crash between broadcast and commit can still repeat one anchor: harmless.
    return this.db.tx(async (em) => {
      const repo = new AnchorRepository(em);
      if (!(await repo.tryLock())) return { status: "skipped", reason: "another process is anchoring" };
      const head = await new LedgerRepository(em).latestHead();
      if (!head || head.treeSize === 0) return { status: "skipped", reason: "the ledger has no entries yet" };
      const existing = await repo.forHead(chain.name, head.treeSize);
      if (existing) return { status: "skipped", reason: `tree size ${head.treeSize} is already anchored on ${chain.name}`, anchor: existing };
      const memo = anchorMemo(head);
      const receipt = await chain.anchor(memo);
      const anchor = await repo.insert({ chain: chain.name, treeSize: head.treeSize, root: head.root, memo, txHash: receipt.txHash, height: receipt.height });
      this.log.info({ chain: chain.name, treeSize: head.treeSize, txHash: receipt.txHash, height: receipt.height }, "ledger head anchored");
      return { status: "anchored", anchor };
    });
  }

  /**
   * Reads the anchor's transaction back and compares its memo with the one sent and with the memo of
   * the signed head stored now, so a rewritten head shows as well as a wrong transaction.
   */
  async check(anchorId: string): Promise<AnchorRow> {
    const em = this.db.dataSource.manager;
    const repo = new AnchorRepository(em);
    const row = await repo.get(anchorId);
    if (!row) throw notFound("Ledger anchor");
    if (!this.chain || this.chain.name !== row.chain) throw new Error(`anchor ${anchorId} is on ${row.chain}, which is not the configured chain`);
    const head = await new LedgerRepository(em).head(row.treeSize);
    const onChain = await this.chain.readBack(row.txHash);
    let ok = false;
    let message: string;
    if (!onChain) message = `the chain does not know transaction ${row.txHash} (yet)`;
    else if (!onChain.succeeded) message = `transaction ${row.txHash} failed on chain at height ${onChain.height}`;
    else if (onChain.memo !== row.memo) message = `the memo on chain differs from the memo sent: ${JSON.stringify(onChain.memo.slice(0, 300))}`;
    else if (!head) message = `the ledger has no signed head of tree size ${row.treeSize} any more`;
    else if (anchorMemo(head) !== onChain.memo) message = `the signed head of tree size ${row.treeSize} no longer matches its anchor: its root is ${head.root.toString("hex")}`;
    else {
      ok = true;
      message = `the memo at height ${onChain.height} matches the signed head of tree size ${row.treeSize}`;
    }
    if (!ok) this.log.warn({ anchorId, chain: row.chain, txHash: row.txHash, message }, "ledger anchor check failed");
    return repo.recordCheck(row.id, { ok, message, height: onChain?.height ?? null });
  }

  /** Anchors of the configured chain to (re)check: never checked, or not found on chain so far. */
  async toCheck(limit = 20): Promise<string[]> {
    if (!this.chain) return [];
    return (await new AnchorRepository(this.db.dataSource.manager).needingCheck(this.chain.name, limit)).map((a) => a.id);
  }

  /** Enqueues a read-back of each anchor due for one; ids are per anchor and hour, so a later run re-checks one not found. */
  async enqueueChecks(): Promise<string[]> {
    const ids = await this.toCheck();
    const hour = Math.floor(Date.now() / 3600_000);
    // BullMQ refuses ":" in custom job ids.
    for (const anchorId of ids) await this.queue.enqueue("ledger.anchorCheck", { anchorId }, { jobId: `ledger.anchorCheck-${anchorId}-${hour}` });
    return ids;
  }

  async list(actor: Actor | null, projectId: string, first: number): Promise<LedgerAnchor[]> {
    await requireAccess(this.db.dataSource.manager, actor, "ledger.view", projectId);
    if (!Number.isInteger(first) || first < 1 || first > 100) throw invalid([{ field: "first", message: "must be between 1 and 100" }]);
    return (await new AnchorRepository(this.db.dataSource.manager).recent(first)).map(LedgerAnchor.from);
  }

  close(): Promise<void> {
    return this.chain?.close() ?? Promise.resolve();
  }
}
