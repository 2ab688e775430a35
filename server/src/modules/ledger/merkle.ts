import { createHash } from "node:crypto";

// RFC 9162 §2.1 Merkle tree hashing and proofs, pure (no I/O).
//
// Proofs are generated in two steps so that a log of 10^7 leaves never has to be read whole:
// `*Plan` names the perfect subtrees (level, index) whose roots make up the proof, a store fetches
// exactly those (one indexed query), and `assemble` folds them into proof hashes. Every subtree the
// RFC's recursion produces is either a perfect, aligned subtree or the tree's right edge, which is
// the right fold of at most log2(n) perfect subtrees; so a proof needs O(log n) stored nodes.

export const HASH_SIZE = 32;

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}) = SHA-256(""). */
export const EMPTY_ROOT: Buffer = sha256();

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(data: Uint8Array): Buffer {
  return sha256(LEAF_PREFIX, data);
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/** The largest power of two smaller than n (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPow2 = (n: number): boolean => n > 0 && 2 ** Math.round(Math.log2(n)) === n;
const isLsbSet = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

function checkSize(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative safe integer, got ${n}`);
}

/** MTH of a list of leaf hashes (in memory: for tests, tools and small trees). */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  // Bottom-up, carrying an odd last node up unchanged: the same tree as the RFC's recursive split.
  let level: Uint8Array[] = [...hashes];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return Buffer.from(level[0]!);
}

/** A perfect subtree: leaves [index·2^level, (index+1)·2^level). Level 0 is a leaf hash. */
export interface NodeId {
  level: number;
  index: number;
}

export const nodeKey = (n: NodeId): string => `${n.level}/${n.index}`;

/**
 * The perfect subtrees whose right fold is MTH(D[lo:hi]), left to right, for a range the RFC's
 * recursion can produce (lo aligned to the largest power of two in hi - lo).
 */
export function rangeNodes(lo: number, hi: number): NodeId[] {
  const out: NodeId[] = [];
  let a = lo;
  while (a < hi) {
    const size = 2 ** Math.floor(Math.log2(hi - a));
    const level = Math.log2(size);
    if (a % size !== 0) throw new Error(`range [${lo}, ${hi}) is not a subtree of the log`);
    out.push({ level, index: a / size });
    a += size;
  }
  return out;
}

/** One proof hash: the root of this leaf range, the right fold of `nodes`. */
export interface ProofStep {
  lo: number;
  hi: number;
  nodes: NodeId[];
}

const step = (lo: number, hi: number): ProofStep => ({ lo, hi, nodes: rangeNodes(lo, hi) });

/** RFC 9162 §2.1.3.1 PATH(m, D[n]) as subtree ranges, bottom-up (the order of the proof). */
export function inclusionPlan(index: number, size: number): ProofStep[] {
  checkSize("size", size);
  checkSize("index", index);
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
  const out: ProofStep[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      out.push(step(lo + k, hi));
      hi = lo + k;
    } else {
      out.push(step(lo, lo + k));
      lo += k;
    }
  }
  return out.reverse();
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true) as subtree ranges, in proof order. */
export function consistencyPlan(size1: number, size2: number): ProofStep[] {
  checkSize("size1", size1);
  checkSize("size2", size2);
  if (size1 > size2) throw new RangeError(`size1 ${size1} > size2 ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  const out: ProofStep[] = [];
  let lo = 0;
  let hi = size2;
  let m = size1; // relative to lo
  let complete = true; // SUBPROOF's b
  for (;;) {
    const n = hi - lo;
    if (m === n) {
      if (!complete) out.push(step(lo, hi));
      break;
    }
    const k = splitPoint(n);
    if (m <= k) {
      out.push(step(lo + k, hi));
      hi = lo + k;
    } else {
      out.push(step(lo, lo + k));
      lo += k;
      m -= k;
      complete = false;
    }
  }
  return out.reverse();
}

/** Every node a plan needs, once each. */
export function planNodes(plan: readonly ProofStep[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const s of plan) for (const n of s.nodes) seen.set(nodeKey(n), n);
  return [...seen.values()];
}

/** Folds a plan's nodes into proof hashes. */
export function assemble(plan: readonly ProofStep[], get: (n: NodeId) => Uint8Array): Buffer[] {
  return plan.map((s) => foldRight(s.nodes.map(get)));
}

/** MTH of a right-edge range from its perfect subtrees: H(n1, H(n2, … nk)). */
export function foldRight(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  let acc: Buffer = Buffer.from(hashes[hashes.length - 1]!);
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc);
  return acc;
}

/** The root of a tree of `size` leaves: the right fold of the perfect subtrees of its binary decomposition. */
export function rootPlan(size: number): NodeId[] {
  checkSize("size", size);
  return size === 0 ? [] : rangeNodes(0, size);
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;
const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_SIZE;

/** RFC 9162 §2.1.3.2. True only when `proof` shows leaf `index` with `leaf` hash in the tree of `size` with `root`. */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (!isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (isLsbSet(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isLsbSet(fn)) {
        while (!isLsbSet(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(r, root);
}

/** RFC 9162 §2.1.4.2. True only when `proof` shows the tree (size1, root1) is a prefix of (size2, root2). */
export function verifyConsistency(size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) return false;
  if (size1 === size2) {
    // Nothing to prove but equality; the empty tree has exactly one root.
    if (proof.length !== 0 || !equal(root1, root2)) return false;
    return size1 > 0 || equal(root1, EMPTY_ROOT);
  }
  // A consistency proof from the empty tree proves nothing (RFC 9162 requires 0 < first < second).
  if (size1 === 0) return false;
  if (proof.length === 0 || !isHash(root1) || !isHash(root2) || !proof.every(isHash)) return false;
  const path: Uint8Array[] = isPow2(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isLsbSet(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isLsbSet(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isLsbSet(fn)) {
        while (!isLsbSet(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(fr, root1) && equal(sr, root2);
}

/**
 * Appending leaves to a log: the right edge of the tree (one perfect subtree per set bit of the
 * size, largest first) and every perfect subtree completed on the way, for storage.
 */
export class Frontier {
  /** Perfect subtrees along the right edge, left to right (decreasing level). */
  readonly nodes: Array<NodeId & { hash: Buffer }>;
  size: number;

  constructor(size: number, edge: Array<NodeId & { hash: Buffer }>) {
    checkSize("size", size);
    const expected = rootPlan(size);
    if (edge.length !== expected.length || edge.some((n, i) => n.level !== expected[i]!.level || n.index !== expected[i]!.index)) {
      throw new Error(`the right edge of a tree of size ${size} is ${expected.map(nodeKey).join(",")}`);
    }
    this.size = size;
    this.nodes = [...edge];
  }

  /** Appends one leaf hash; returns the perfect subtrees of level ≥ 1 it completed. */
  append(hash: Buffer): Array<NodeId & { hash: Buffer }> {
    const completed: Array<NodeId & { hash: Buffer }> = [];
    let node = { level: 0, index: this.size, hash };
    while (this.nodes.length && this.nodes[this.nodes.length - 1]!.level === node.level) {
      const left = this.nodes.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      completed.push(node);
    }
    this.nodes.push(node);
    this.size += 1;
    return completed;
  }

  root(): Buffer {
    return foldRight(this.nodes.map((n) => n.hash));
  }
}

/** An in-memory tree of leaf hashes that answers proofs through the same plans as the database store. */
export class MemoryTree {
  private readonly levels: Buffer[][] = [[]];
  private frontier = new Frontier(0, []);

  constructor(leafHashes: readonly Buffer[] = []) {
    for (const h of leafHashes) this.append(h);
  }

  get size(): number {
    return this.frontier.size;
  }

  append(hash: Buffer): void {
    this.levels[0]!.push(hash);
    for (const n of this.frontier.append(hash)) (this.levels[n.level] ??= [])[n.index] = n.hash;
  }

  node = (n: NodeId): Buffer => {
    const h = this.levels[n.level]?.[n.index];
    if (!h) throw new Error(`no node ${nodeKey(n)}`);
    return h;
  };

  root(size = this.size): Buffer {
    return foldRight(rootPlan(size).map(this.node));
  }

  inclusionProof(index: number, size = this.size): Buffer[] {
    return assemble(inclusionPlan(index, size), this.node);
  }

  consistencyProof(size1: number, size2 = this.size): Buffer[] {
    return assemble(consistencyPlan(size1, size2), this.node);
  }
}
