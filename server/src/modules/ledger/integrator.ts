import type { Logger } from "../../logger.js";
import type { Database } from "../../platform/database/index.js";
import { signCheckpoint } from "./checkpoint.js";
import type { LedgerKeys } from "./keys.js";
import { LedgerRepository } from "./ledger.repository.js";
import { leafHashOf } from "./ledger.service.js";
import { Frontier, nodeKey, rootPlan, type NodeId } from "./merkle.js";

export interface IntegratorOptions {
  /** The log's name: the first line of every checkpoint and the signing key's name. */
  origin: string;
  /** How often to integrate pending leaves. */
  intervalMs?: number;
  /** Most leaves per transaction. */
  batchSize?: number;
}

export interface Integration {
  /** False when another replica held the lock. */
  locked: boolean;
  added: number;
  treeSize: number;
}

/**
 * Gives pending leaves their sequence numbers, stores the perfect subtrees they complete, and signs
 * the new tree head, in one transaction per batch. Replicas share the work safely: a transaction
 * advisory lock lets one integrate at a time, the others skip that tick.
 */
export class LedgerIntegrator {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  /** Set by stop(): a running integrateAll ends after its current batch. */
  private stopping = false;
  private failures = 0;
  private readonly intervalMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly db: Database,
    private readonly keys: LedgerKeys,
    private readonly log: Logger,
    private readonly opts: IntegratorOptions,
  ) {
    this.intervalMs = opts.intervalMs ?? 500;
    this.batchSize = opts.batchSize ?? 5000;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    this.schedule(0);
  }

  /** Stops the timer and waits for a running integration to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.integrateAll()
        .then(() => {
          this.failures = 0;
        })
        .catch((err: unknown) => {
          this.failures += 1;
          this.log.error({ err, failures: this.failures }, "ledger integration failed");
        })
        .finally(() => {
          this.running = null;
          // Back off while failing (a database not yet migrated, say), up to 30 s.
          this.schedule(Math.min(30_000, this.intervalMs * 2 ** Math.min(this.failures, 10)));
        });
    }, delay);
    this.timer.unref();
  }

  /** Integrates until nothing is pending (in batches), or another replica holds the lock. */
  async integrateAll(): Promise<Integration> {
    let total: Integration = { locked: true, added: 0, treeSize: 0 };
    for (;;) {
      const r = await this.integrate();
      total = { locked: r.locked, added: total.added + r.added, treeSize: r.treeSize };
      if (!r.locked || r.added < this.batchSize || this.stopping) return total;
    }
  }

  /** One batch, in one transaction. */
  integrate(): Promise<Integration> {
    return this.db.tx(async (em) => {
      const repo = new LedgerRepository(em);
      if (!(await repo.tryLockIntegrator())) return { locked: false, added: 0, treeSize: 0 };
      const size = await repo.treeSize();
      const pending = await repo.pending(this.batchSize);
      const head = await repo.latestHead();
      if (!pending.length && head?.treeSize === size) return { locked: true, added: 0, treeSize: size };

      const edge = rootPlan(size);
      const stored = await repo.nodes(edge);
      const frontier = new Frontier(
        size,
        edge.map((n: NodeId) => {
          const hash = stored.get(nodeKey(n));
          if (!hash) throw new Error(`ledger node ${nodeKey(n)} is missing: run ledger verify`);
          return { ...n, hash };
        }),
      );
      const assigned: Array<{ id: string; seq: number; leafHash: Buffer }> = [];
      const completed: Array<NodeId & { hash: Buffer }> = [];
      for (const leaf of pending) {
        const h = leafHashOf(leaf);
        assigned.push({ id: leaf.id, seq: frontier.size, leafHash: h });
        completed.push(...frontier.append(h));
      }
      await repo.assign(assigned);
      await repo.insertNodes(completed);
      const signed = signCheckpoint({ origin: this.opts.origin, size: frontier.size, root: frontier.root() }, this.keys.privateKey, this.keys.publicKeyRaw);
      await repo.insertHead({
        treeSize: signed.size,
        root: signed.root,
        at: new Date(),
        origin: signed.origin,
        keyId: signed.keyId,
        signature: signed.signature,
        checkpoint: signed.text,
      });
      if (assigned.length) this.log.debug({ added: assigned.length, treeSize: frontier.size }, "ledger integrated");
      return { locked: true, added: assigned.length, treeSize: frontier.size };
    });
  }
}
