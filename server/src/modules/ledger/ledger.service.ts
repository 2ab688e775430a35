import { createHmac } from "node:crypto";
import type { EntityManager } from "typeorm";
import { requireAccess, type Actor } from "../../access/access.js";
import { invalid, notFound } from "../../errors.js";
import type { Database } from "../../platform/database/index.js";
import { canonicalJson, canonicalSha256 } from "./canonical.js";
import type { LedgerKeys } from "./keys.js";
import { LedgerRepository, type HeadRow, type LeafRow } from "./ledger.repository.js";
import { LedgerConsistencyProof, LedgerEntry, LedgerHead, LedgerInclusionProof, LedgerVerifyReport } from "./ledger.types.js";
import { verifyLedger, type VerifyReport } from "./verify.js";
import { assemble, consistencyPlan, inclusionPlan, leafHash, nodeKey, planNodes, type NodeId, type ProofStep } from "./merkle.js";

/** Every kind of event that becomes a leaf (issue 7, point 1). */
export const LEDGER_EVENT_TYPES = [
  "image.upload",
  "annotation.submit",
  "annotation.revise",
  "case.skip",
  "case.unskip",
  "case.exclude",
  "case.include",
  "case.assign",
  "case.unassign",
  "case.delete",
  "project.split",
  "adjudication",
  "export",
  "role.grant",
  "role.revoke",
  "invitation.create",
  "invitation.revoke",
  "user.create",
  "user.disable",
  "user.enable",
  "user.admin",
  "user.password",
  "user.identity",
  "model.register",
  "reward.epoch",
  "reward.payout",
] as const;
export type LedgerEventType = (typeof LEDGER_EVENT_TYPES)[number];

export interface LedgerEvent {
  type: LedgerEventType;
  /** The user who caused it (stored only as a keyed pseudonym), or null for the system. */
  actorId: string | null;
  /** The project it belongs to, if any: who may see its entry. */
  projectId: string | null;
  /** What it happened to: an id, never patient data. */
  objectId: string;
  /** What changed; only the SHA-256 of its canonical JSON is stored. Keep patient data out. */
  change: unknown;
  at?: Date;
}

/**
 * The bytes a leaf commits to (RFC 9162 leaf data): the canonical JSON of its stored fields, so
 * anyone holding the row can recompute its leaf hash. `at` has millisecond precision.
 */
export function leafData(l: { eventType: string; at: Date; actor: string | null; projectId: string | null; objectId: string; payloadSha256: Buffer }): Buffer {
  return Buffer.from(
    canonicalJson({
      v: 1,
      type: l.eventType,
      at: l.at.toISOString(),
      actor: l.actor,
      project: l.projectId,
      object: l.objectId,
      payload: l.payloadSha256.toString("hex"),
    }),
    "utf8",
  );
}

export const leafHashOf = (l: Parameters<typeof leafData>[0]): Buffer => leafHash(leafData(l));

/** The most entries one page of `ledgerEntries` (or `ledgerEntriesFor`) returns. */
export const MAX_ENTRIES_PAGE = 500;

export class LedgerService {
  /** The verification running now, if any: it reads the whole log, so callers share one run. */
  private verifying: Promise<VerifyReport> | null = null;

  constructor(
    private readonly db: Database,
    private readonly keys: LedgerKeys,
  ) {}

  /** The actor's pseudonym: HMAC-SHA256(ledger actor key, user id), hex. */
  pseudonym(userId: string): string {
    return createHmac("sha256", this.keys.actorKey).update(userId, "utf8").digest("hex");
  }

  /**
   * Records an event in the caller's transaction: it becomes a leaf if and only if `em` commits.
   * The integrator gives it a place in the log within a second or so.
   */
  async record(em: EntityManager, event: LedgerEvent): Promise<void> {
    await new LedgerRepository(em).insertPending(this.pendingOf(event));
  }

  /** Several events in the caller's transaction, in one statement; they enter the log in this order. */
  async recordMany(em: EntityManager, events: readonly LedgerEvent[]): Promise<void> {
    await new LedgerRepository(em).insertPendingMany(events.map((e) => this.pendingOf(e)));
  }

  private pendingOf(event: LedgerEvent) {
    if (!(LEDGER_EVENT_TYPES as readonly string[]).includes(event.type)) throw new Error(`unknown ledger event type ${event.type}`);
    return {
      eventType: event.type,
      // Millisecond precision, so the stored time is exactly what the leaf hash commits to.
      at: new Date(Math.floor((event.at ?? new Date()).getTime())),
      actor: event.actorId === null ? null : this.pseudonym(event.actorId),
      projectId: event.projectId,
      objectId: event.objectId,
      payloadSha256: canonicalSha256(event.change),
    };
  }

  // ---- the API: one log for the instance, seen through a project the caller has ledger.view in.

  async head(actor: Actor | null, projectId: string): Promise<LedgerHead | null> {
    await requireAccess(this.db.dataSource.manager, actor, "ledger.view", projectId);
    const head = await this.latestHead();
    return head ? LedgerHead.from(head, this.keys.publicKeyRaw) : null;
  }

  /** An entry's inclusion proof; entries of other projects are "not found". */
  async inclusion(actor: Actor | null, projectId: string, leafIndex: number, treeSize?: number | null): Promise<LedgerInclusionProof> {
    await requireAccess(this.db.dataSource.manager, actor, "ledger.view", projectId);
    const size = await this.signedSize(treeSize, "treeSize");
    const leaf = leafIndex >= 0 ? await this.leaf(leafIndex) : null;
    if (!leaf || leaf.projectId !== projectId) throw notFound("Ledger entry");
    if (leafIndex >= size) throw invalid([{ field: "leafIndex", message: `entry ${leafIndex} is not in the tree of ${size} entries` }]);
    return Object.assign(new LedgerInclusionProof(), {
      leafIndex,
      treeSize: size,
      leafHash: leaf.leafHash.toString("base64"),
      hashes: (await this.inclusionProof(leafIndex, size)).map((h) => h.toString("base64")),
    });
  }

  async consistency(actor: Actor | null, projectId: string, size1: number, size2?: number | null): Promise<LedgerConsistencyProof> {
    await requireAccess(this.db.dataSource.manager, actor, "ledger.view", projectId);
    const to = await this.signedSize(size2, "size2");
    if (size1 < 1 || size1 > to) throw invalid([{ field: "size1", message: `must be between 1 and ${to}` }]);
    return Object.assign(new LedgerConsistencyProof(), {
      size1,
      size2: to,
      hashes: (await this.consistencyProof(size1, to)).map((h) => h.toString("base64")),
    });
  }

  /** The project's entries with seq >= from (default 0), at most `first` (default 100, at most 500); pending ones last. */
  async entries(actor: Actor | null, projectId: string, from?: number | null, first?: number | null): Promise<LedgerEntry[]> {
    await requireAccess(this.db.dataSource.manager, actor, "ledger.view", projectId);
    const start = from ?? 0;
    const limit = first ?? 100;
    const problems = [
      ...(start < 0 ? [{ field: "from", message: "must be 0 or more" }] : []),
      ...(limit < 1 || limit > MAX_ENTRIES_PAGE ? [{ field: "first", message: `must be between 1 and ${MAX_ENTRIES_PAGE}` }] : []),
    ];
    if (problems.length) throw invalid(problems);
    const rows = await new LedgerRepository(this.db.dataSource.manager).projectEntries(projectId, start, limit);
    return rows.map(LedgerEntry.from);
  }

  /** The project's entries about one object (the first 500). */
  async entriesFor(actor: Actor | null, projectId: string, objectId: string): Promise<LedgerEntry[]> {
    await requireAccess(this.db.dataSource.manager, actor, "ledger.view", projectId);
    if (objectId.length < 1 || objectId.length > 200) throw invalid([{ field: "objectId", message: "must be 1 to 200 characters" }]);
    const rows = await new LedgerRepository(this.db.dataSource.manager).projectEntriesByObject(projectId, objectId, MAX_ENTRIES_PAGE);
    return rows.map(LedgerEntry.from);
  }

  /**
   * Checks the whole log (verify.ts), for a project's owners. One snapshot (REPEATABLE READ), so an
   * integration committing meanwhile does not look like entries in no signed head.
   */
  async verify(actor: Actor | null, projectId: string): Promise<LedgerVerifyReport> {
    await requireAccess(this.db.dataSource.manager, actor, "ledger.verify", projectId);
    this.verifying ??= this.db.dataSource
      .transaction("REPEATABLE READ", (em) => verifyLedger(em, { publicKey: this.keys.publicKey, publicKeyRaw: this.keys.publicKeyRaw }))
      .finally(() => {
        this.verifying = null;
      });
    return LedgerVerifyReport.from(await this.verifying);
  }

  /** A tree size that has a signed head: the given one, or the latest. */
  private async signedSize(size: number | null | undefined, field: string): Promise<number> {
    const repo = new LedgerRepository(this.db.dataSource.manager);
    const head = size == null ? await repo.latestHead() : size >= 0 ? await repo.head(size) : null;
    if (!head) throw invalid([{ field, message: size == null ? "the ledger has no signed head yet" : `no signed head has ${size} entries` }]);
    return head.treeSize;
  }

  latestHead(): Promise<HeadRow | null> {
    return new LedgerRepository(this.db.dataSource.manager).latestHead();
  }

  leaf(seq: number): Promise<LeafRow | null> {
    return new LedgerRepository(this.db.dataSource.manager).leaf(seq);
  }

  /** The audit path of leaf `seq` in the tree of `treeSize` leaves (RFC 9162 §2.1.3.1). */
  async inclusionProof(seq: number, treeSize: number): Promise<Buffer[]> {
    return this.prove(inclusionPlan(seq, await this.checkSize(treeSize)));
  }

  /** The consistency proof from tree size `size1` to `size2` (RFC 9162 §2.1.4.1). */
  async consistencyProof(size1: number, size2: number): Promise<Buffer[]> {
    await this.checkSize(size2);
    return this.prove(consistencyPlan(size1, size2));
  }

  private async checkSize(size: number): Promise<number> {
    const head = await this.latestHead();
    if (!head || size > head.treeSize) throw new RangeError(`tree size ${size} is beyond the latest signed head`);
    return size;
  }

  // One read of O(log n) stored subtree roots, folded in memory.
  private async prove(plan: ProofStep[]): Promise<Buffer[]> {
    const wanted = planNodes(plan);
    const found = await new LedgerRepository(this.db.dataSource.manager).nodes(wanted);
    return assemble(plan, (n: NodeId) => {
      const h = found.get(nodeKey(n));
      if (!h) throw new Error(`ledger node ${nodeKey(n)} is missing`);
      return h;
    });
  }
}
