import type { KeyObject } from "node:crypto";
import type { EntityManager } from "typeorm";
import { openCheckpoint } from "./checkpoint.js";
import { leafHashOf } from "./ledger.service.js";
import { LedgerRepository, type HeadRow } from "./ledger.repository.js";
import { Frontier, nodeKey, type NodeId } from "./merkle.js";

// `concord ledger verify`: checks the whole log from the database alone, in one streaming pass.
//
// - every integrated row hashes (canonical JSON leaf data, RFC 9162 leaf hash) to its stored leaf hash;
// - seq runs 0, 1, 2, … without gaps, and the latest signed head covers exactly the integrated leaves;
// - the stored leaf hashes, folded in seq order (merkle.Frontier), give every stored perfect subtree
//   (ledger_nodes) and every stored head's root;
// - every head's checkpoint is signed by the configured key and says what the row says.
//
// Localising a change in the tree: the frontier completes perfect subtrees bottom-up, left to right,
// and each is compared with the stored one as soon as it completes. When the first mismatch is node
// (level L, index i), every leaf before i·2^L is covered by subtrees that matched, and its two
// children matched too, so the change lies in leaves [i·2^L, (i+1)·2^L): for a reordered or
// forged leaf whose leaf hash was rewritten to fit, a pair of leaves (level 1). A signed head whose
// root still matches narrows it further (no change before its size).

export type FindingKind = "edited" | "removed" | "inserted" | "reordered" | "node" | "root" | "head" | "signature";

export interface Finding {
  kind: FindingKind;
  /** The first entry concerned (edited, removed, inserted, reordered). */
  seq?: number;
  /** The last entry of the range the change is known to lie in, when it is not one entry. */
  seqTo?: number;
  /** The head concerned (root, head, signature). */
  treeSize?: number;
  message: string;
}

export interface VerifyReport {
  leaves: number;
  heads: number;
  nodes: number;
  pending: number;
  findings: Finding[];
  ok: boolean;
}

export interface VerifyOptions {
  /** The tree-head signing key's public half (keys.ts LedgerKeys has both forms). */
  publicKey: KeyObject;
  publicKeyRaw: Buffer;
  /** Leaves read per query. */
  batchSize?: number;
}


/** Edited entries listed one by one; beyond this, counted. */
const MAX_EDITED = 100;

const hex = (b: Buffer) => b.toString("hex").slice(0, 16);

export async function verifyLedger(em: EntityManager, opts: VerifyOptions): Promise<VerifyReport> {
  const batchSize = opts.batchSize ?? 5000;
  const findings: Finding[] = [];
  const repo = new LedgerRepository(em);

  // Heads are one per integration batch: far fewer than leaves; read them whole.
  const heads = await repo.heads();

  // 1. Signatures: each checkpoint verifies with the configured key and agrees with its row.
  for (const h of heads) {
    const opened = openCheckpoint(h.checkpoint, opts.publicKey, opts.publicKeyRaw);
    if (!opened) {
      findings.push({ kind: "signature", treeSize: h.treeSize, message: `head ${h.treeSize}: the checkpoint's signature does not verify with the configured key` });
      continue;
    }
    const differs: string[] = [];
    if (opened.size !== h.treeSize) differs.push(`size ${opened.size}`);
    if (!opened.root.equals(h.root)) differs.push(`root ${hex(opened.root)}… (row: ${hex(h.root)}…)`);
    if (opened.origin !== h.origin) differs.push(`origin ${opened.origin}`);
    if (!opened.keyId.equals(h.keyId) || !opened.signature.equals(h.signature)) differs.push("key id or signature");
    if (differs.length) findings.push({ kind: "head", treeSize: h.treeSize, message: `head ${h.treeSize}: the signed checkpoint differs from the row in ${differs.join(", ")}` });
  }

  // 2. One pass over the leaves in seq order.
  const frontier = new Frontier(0, []);
  let headIdx = 0;
  let leaves = 0;
  let nodesChecked = 0;
  let gap: Finding | null = null;
  let firstEdited: number | null = null;
  let edited = 0;
  let firstBadNode: { node: NodeId; lo: number; hi: number; reason: string } | null = null;
  let lastGoodHead = 0;
  let firstBadRoot: number | null = null;
  let badRoots = 0;
  let presentNodes = 0;

  let lastSignedMatches = false;
  function checkRoot(h: HeadRow): void {
    const root = frontier.root();
    lastSignedMatches = root.equals(h.root);
    if (root.equals(h.root)) {
      if (firstBadRoot === null) lastGoodHead = h.treeSize;
      return;
    }
    badRoots++;
    if (firstBadRoot === null) firstBadRoot = h.treeSize;
  }

  while (headIdx < heads.length && heads[headIdx]!.treeSize === 0) {
    checkRoot(heads[headIdx]!);
    headIdx++;
  }

  let after = -1;
  for (;;) {
    const rows = await repo.leavesAfter(after, batchSize);
    if (!rows.length) break;
    const completed: Array<NodeId & { hash: Buffer }> = [];
    for (const r of rows) {
      const seq = r.seq;
      after = seq;
      leaves++;
      if (seq !== frontier.size && !gap) {
        gap =
          seq > frontier.size
            ? { kind: "removed", seq: frontier.size, ...(seq - 1 > frontier.size ? { seqTo: seq - 1 } : {}), message: `${seq - 1 > frontier.size ? `entries ${frontier.size}–${seq - 1} were` : `entry ${frontier.size} was`} removed: seq jumps from ${frontier.size - 1} to ${seq}` }
            : { kind: "inserted", seq, message: `seq ${seq} is out of order` };
        findings.push(gap);
      }
      const stored = r.leafHash;
      const recomputed = leafHashOf(r);
      if (!recomputed.equals(stored)) {
        if (firstEdited === null) firstEdited = seq;
        if (++edited <= MAX_EDITED) findings.push({ kind: "edited", seq, message: `entry ${seq} was edited: its row hashes to ${hex(recomputed)}…, its leaf hash is ${hex(stored)}…` });
      }
      // The tree is folded from the stored leaf hashes: the row check above ties them to the rows.
      completed.push(...frontier.append(stored));
      while (headIdx < heads.length && heads[headIdx]!.treeSize === frontier.size) {
        checkRoot(heads[headIdx]!);
        headIdx++;
      }
    }
    // The stored subtrees this batch completed, compared in completion order (bottom-up, left to right).
    if (completed.length) {
      const stored = await repo.nodes(completed);
      for (const n of completed) {
        nodesChecked++;
        const s = stored.get(nodeKey(n));
        if (s) presentNodes++;
        if (s && s.equals(n.hash)) continue;
        if (!firstBadNode) {
          const width = 2 ** n.level;
          firstBadNode = { node: { level: n.level, index: n.index }, lo: n.index * width, hi: (n.index + 1) * width, reason: s ? "differs" : "is missing" };
        }
      }
    }
  }

  if (edited > MAX_EDITED) findings.push({ kind: "edited", message: `and ${edited - MAX_EDITED} more edited entries` });

  // Stored nodes the leaves do not complete (the log was cut short, or nodes were forged).
  const counts = await repo.counts();
  const extraNodes = counts.nodes - presentNodes;

  // 3. The latest head covers exactly the integrated leaves: the integrator assigns seqs and signs in one transaction.
  const latest = heads[heads.length - 1];
  const headSize = latest?.treeSize ?? 0;
  if (!latest && leaves > 0) {
    findings.push({ kind: "inserted", seq: 0, message: `${leaves} entries but no signed head` });
  }
  // Heads beyond the last entry: entries were removed from the end (or removed and the rest renumbered).
  const tailMissing = !!latest && latest.treeSize > frontier.size;

  // 4. Where the tree diverges from the stored one.
  // When the latest head's root matches, every entry it signs is as signed: a bad earlier root is that head row's own fault.
  const latestMatches = heads.length > 0 && heads[heads.length - 1]!.treeSize <= frontier.size && lastSignedMatches;
  if (firstBadNode || (firstBadRoot !== null && !latestMatches)) {
    // The change lies at or after the last head whose root still matched, and within the first bad subtree.
    const lo = Math.max(lastGoodHead, firstBadNode?.lo ?? 0);
    const hi = Math.min(firstBadNode?.hi ?? Infinity, latestMatches ? Infinity : (firstBadRoot ?? Infinity)); // exclusive
    const where = !Number.isFinite(hi) || hi - lo === 1 ? `entry ${lo}` : hi - lo === 2 ? `entry ${lo} or ${lo + 1}` : `one of entries ${lo}–${hi - 1}`;
    const nodeText = firstBadNode ? `; stored subtree ${nodeKey(firstBadNode.node)} (entries ${firstBadNode.lo}–${firstBadNode.hi - 1}) ${firstBadNode.reason}` : "";
    let kind: FindingKind;
    let what: string;
    if (firstBadNode && firstBadRoot === null && !tailMissing && firstBadNode.reason === "differs" && heads.some((h) => h.treeSize >= firstBadNode!.hi)) {
      // Every signed root, including ones covering that subtree, still matches the leaves: the stored node itself was changed.
      findings.push({ kind: "node", seq: firstBadNode.lo, seqTo: firstBadNode.hi - 1, message: `stored subtree ${nodeKey(firstBadNode.node)} (entries ${firstBadNode.lo}–${firstBadNode.hi - 1}) was changed: it is not the hash of its entries, and every signed root still matches them` });
      kind = "node";
      what = "";
    } else if (gap) {
      kind = "removed";
      what = `the log diverges from its signed tree from ${where} on (the removed entries above)`;
    } else if (tailMissing) {
      kind = "removed";
      what = `an entry was removed at ${where} and the rest renumbered: the log diverges from its signed tree from there on, and has ${headSize - leaves} fewer entries than the latest head signs`;
    } else if (firstEdited !== null && firstEdited >= lo && firstEdited < hi) {
      kind = "edited";
      what = `the log diverges from its signed tree from ${where} on (the edited entry above)`;
    } else if (leaves > headSize) {
      kind = "inserted";
      what = `an entry was inserted at ${where}: the log diverges from its signed tree from there on, and has ${leaves - headSize} more entries than the latest head signs`;
    } else {
      kind = "reordered";
      what = `the log diverges from its signed tree from ${where} on: entries were reordered, or one was rewritten with a leaf hash to match`;
    }
    if (kind !== "node") findings.push({ kind, seq: lo, ...(hi - lo > 1 && Number.isFinite(hi) ? { seqTo: hi - 1 } : {}), message: `${what}${nodeText}` });
  }
  if (tailMissing && !gap && !findings.some((f) => f.kind === "removed")) {
    const n = frontier.size;
    findings.push({ kind: "removed", seq: n, ...(latest!.treeSize - 1 > n ? { seqTo: latest!.treeSize - 1 } : {}), message: `head ${latest!.treeSize} signs ${latest!.treeSize} entries, but the log ends after ${n}: entries from ${n} on are missing` });
  }
  if (firstBadRoot !== null) {
    findings.push({ kind: "root", treeSize: firstBadRoot, message: `head ${firstBadRoot}: its root is not the root of the first ${firstBadRoot} entries${badRoots > 1 ? ` (nor are the roots of ${badRoots - 1} later heads)` : ""}` });
  }
  if (!gap && leaves > headSize && !findings.some((f) => f.kind === "inserted")) {
    findings.push({ kind: "inserted", seq: headSize, ...(leaves - 1 > headSize ? { seqTo: leaves - 1 } : {}), message: `entries from ${headSize} on (${leaves - headSize}) are in no signed head: the integrator signs every entry it gives a seq` });
  }
  if (extraNodes > 0 && !gap && !tailMissing) {
    findings.push({ kind: "node", message: `ledger_nodes holds ${extraNodes} subtree(s) that the ${leaves} entries do not complete` });
  }

  return { leaves, heads: heads.length, nodes: nodesChecked, pending: counts.pending, findings, ok: findings.length === 0 };
}

/** A plain-text summary, one finding a line. */
export function formatReport(r: VerifyReport): string {
  const lines = [
    `Checked ${r.leaves} entries, ${r.heads} signed heads and ${r.nodes} stored subtrees${r.pending ? ` (${r.pending} entries not yet integrated)` : ""}.`,
  ];
  if (r.ok) lines.push("The ledger is intact.");
  else {
    lines.push(`${r.findings.length} finding(s):`);
    for (const f of r.findings) lines.push(`  ${f.kind}: ${f.message}`);
  }
  return lines.join("\n");
}
