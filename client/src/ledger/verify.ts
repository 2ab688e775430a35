// Checks the server's ledger claims in the browser, trusting nothing but the log's public key:
// an entry's leaf hash recomputed from its fields (canonical JSON, as the server's leafData), its
// RFC 9162 inclusion proof walked up to a root, that root compared with the one in a C2SP
// checkpoint, and the checkpoint's Ed25519 signature verified. Pure: no Vue, no I/O. SHA-256 and
// Ed25519 come from the noble libraries, not WebCrypto: crypto.subtle exists only in a secure context
// (HTTPS, or localhost), and Concord served over plain HTTP inside a hospital is neither.

import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { fromBase64, toBase64 } from "../collab/base64";

export const HASH_SIZE = 32;

// ---- bytes

const utf8 = new TextEncoder();

export const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

export function fromHex(text: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw new TypeError("not hex");
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Strict base64: what does not round-trip is refused (a proof hash that is not 32 clean bytes must not verify). */
export function decodeBase64(text: string): Uint8Array | null {
  try {
    const bytes = fromBase64(text);
    return toBase64(bytes) === text ? bytes : null;
  } catch {
    return null;
  }
}

export { toBase64 };

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

export const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return nobleSha256(data);
}

// ---- canonical JSON (the server's canonical.ts: RFC 8785 for the values hashed)

/**
 * Object keys sorted by UTF-16 code units, no whitespace, strings and numbers as JSON.stringify
 * writes them (-0 is 0); NaN, infinities, bigints, functions, symbols, undefined array elements,
 * Map, Set, RegExp and binary data refused; undefined properties left out; dates as toISOString.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, "$");
}

function encode(v: unknown, at: string): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "string":
      return JSON.stringify(v);
    case "number":
      if (!Number.isFinite(v)) throw new TypeError(`canonical JSON: ${at} is ${v}, which JSON cannot hold`);
      return JSON.stringify(v);
    case "object": {
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) throw new TypeError(`canonical JSON: ${at} is an invalid date`);
        return JSON.stringify(v.toISOString());
      }
      if (Array.isArray(v)) {
        return `[${v
          .map((x, i) => {
            if (x === undefined) throw new TypeError(`canonical JSON: ${at}[${i}] is undefined`);
            return encode(x, `${at}[${i}]`);
          })
          .join(",")}]`;
      }
      if (v instanceof Map || v instanceof Set || v instanceof WeakMap || v instanceof WeakSet || v instanceof RegExp || v instanceof Promise || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
        throw new TypeError(`canonical JSON: ${at} is a ${(v as object).constructor.name}, not JSON`);
      }
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort(); // the default sort compares UTF-16 code units, as RFC 8785 §3.2.3 asks
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(o[k], `${at}.${k}`)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonical JSON: ${at} is a ${typeof v}`);
  }
}

// ---- RFC 9162 hashing

/** MTH({d}) = SHA-256(0x00 || d). */
export const leafHash = (data: Uint8Array): Promise<Uint8Array> => sha256(concat(new Uint8Array([0x00]), data));

/** SHA-256(0x01 || left || right). */
export const nodeHash = (left: Uint8Array, right: Uint8Array): Promise<Uint8Array> => sha256(concat(new Uint8Array([0x01]), left, right));

/** An entry's fields as the API gives them. */
export interface EntryFields {
  type: string;
  /** ISO 8601. */
  at: string;
  actor: string | null;
  projectId: string | null;
  objectId: string;
  /** Hex. */
  payloadSha256: string;
}

/** The leaf data the server commits to (ledger.service.ts leafData): canonical JSON of the entry's fields. */
export function leafData(e: EntryFields): Uint8Array {
  return utf8.encode(
    canonicalJson({
      v: 1,
      type: e.type,
      at: new Date(e.at).toISOString(),
      actor: e.actor,
      project: e.projectId,
      object: e.objectId,
      payload: toHex(fromHex(e.payloadSha256)),
    }),
  );
}

export const entryLeafHash = (e: EntryFields): Promise<Uint8Array> => leafHash(leafData(e));

// ---- inclusion (RFC 9162 §2.1.3.2)

/** One step of the audit path, as the verifier walked it. */
export interface PathStep {
  /** How many levels above the leaves the running hash was when this sibling joined it. */
  level: number;
  /** Where the proof's hash sits: left of the running hash (p || r) or right of it (r || p). */
  side: "left" | "right";
  sibling: Uint8Array;
  /** The running hash after this step. */
  running: Uint8Array;
}

export interface InclusionResult {
  ok: boolean;
  /** The root the path leads to (null when the proof is malformed). */
  root: Uint8Array | null;
  steps: PathStep[];
  /** Why it failed, when it did. */
  reason: string | null;
}

const isHash = (h: Uint8Array): boolean => h.length === HASH_SIZE;
const isSafeSize = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/** Walks `proof` from leaf `index` (hash `leaf`) of a tree of `size` leaves and compares with `root`. */
export async function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): Promise<InclusionResult> {
  const steps: PathStep[] = [];
  const fail = (reason: string, r: Uint8Array | null = null): InclusionResult => ({ ok: false, root: r, steps, reason });
  if (!isSafeSize(index) || !isSafeSize(size) || index >= size) return fail(`entry ${index} cannot be in a tree of ${size} entries`);
  if (!isHash(leaf) || !isHash(root) || !proof.every(isHash)) return fail("a hash is not 32 bytes");
  let fn = index;
  let sn = size - 1;
  let level = 0;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return fail(`the proof has ${proof.length} hashes, more than the tree of ${size} needs`);
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      steps.push({ level, side: "left", sibling: p, running: r });
      if (fn % 2 === 0) {
        // The right edge: levels where the running node had no sibling.
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
          level++;
        }
      }
    } else {
      r = await nodeHash(r, p);
      steps.push({ level, side: "right", sibling: p, running: r });
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
    level++;
  }
  if (sn !== 0) return fail(`the proof has ${proof.length} hashes, fewer than the tree of ${size} needs`, r);
  if (!equalBytes(r, root)) return fail("the path leads to a different root", r);
  return { ok: true, root: r, steps, reason: null };
}

// ---- consistency (RFC 9162 §2.1.4.2)

export async function verifyConsistency(size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): Promise<boolean> {
  if (!isSafeSize(size1) || !isSafeSize(size2) || size2 < size1) return false;
  if (size1 === size2) {
    if (proof.length !== 0 || !equalBytes(root1, root2)) return false;
    return size1 > 0 || equalBytes(root1, await sha256(new Uint8Array()));
  }
  // From the empty tree nothing is proven (RFC 9162 asks 0 < size1 < size2).
  if (size1 === 0) return false;
  if (proof.length === 0 || !isHash(root1) || !isHash(root2) || !proof.every(isHash)) return false;
  const isPow2 = 2 ** Math.round(Math.log2(size1)) === size1;
  const path = isPow2 ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2);
}

// ---- C2SP signed-note checkpoints (the server's checkpoint.ts)

export interface OpenedCheckpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  keyId: Uint8Array;
}

/** C2SP signed-note key id: the first 4 bytes of SHA-256(name || "\n" || 0x01 || Ed25519 public key). */
export async function noteKeyId(name: string, publicKey: Uint8Array): Promise<Uint8Array> {
  return (await sha256(concat(utf8.encode(name), new Uint8Array([0x0a, 0x01]), publicKey))).slice(0, 4);
}

export type CheckpointResult = { ok: true; checkpoint: OpenedCheckpoint } | { ok: false; reason: string };

/**
 * Parses a signed checkpoint and verifies its Ed25519 signature (WebCrypto) over the body (origin,
 * size and root lines with their newlines) with the given raw 32-byte public key.
 */
export async function openCheckpoint(text: string, publicKey: Uint8Array): Promise<CheckpointResult> {
  const split = text.indexOf("\n\n");
  if (split < 0) return { ok: false, reason: "the checkpoint has no signature block" };
  const body = text.slice(0, split + 1);
  const lines = body.split("\n");
  if (lines.length !== 4 || lines[3] !== "") return { ok: false, reason: "the checkpoint body is not three lines" };
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) return { ok: false, reason: "the tree size is not a number" };
  const root = decodeBase64(rootText);
  if (!root || root.length !== HASH_SIZE) return { ok: false, reason: "the root is not 32 bytes of base64" };
  if (publicKey.length !== 32) return { ok: false, reason: "the public key is not 32 bytes" };
  const keyId = await noteKeyId(origin, publicKey);
  let sawLine = false;
  for (const line of text.slice(split + 2).split("\n")) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m || m[1] !== origin) continue;
    const blob = decodeBase64(m[2]!);
    if (!blob || blob.length !== 68 || !equalBytes(blob.subarray(0, 4), keyId)) continue;
    sawLine = true;
    if (verifies(blob.subarray(4), utf8.encode(body), publicKey)) {
      return { ok: true, checkpoint: { origin, size: Number(sizeText), root, keyId } };
    }
  }
  return { ok: false, reason: sawLine ? "the signature does not verify with the log's public key" : `no signature by ${origin} with key ${toHex(keyId)}` };
}

/** An Ed25519 signature check (RFC 8032, as the server signs); a malformed key or signature does not verify. */
function verifies(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

// ---- the whole check of one entry

export interface EntryCheck {
  ok: boolean;
  /** The verdict, one sentence. */
  verdict: string;
  /** The leaf hash recomputed from the entry's fields. */
  leafHash: Uint8Array;
  /** Whether it equals the leaf hash the server gave (null: the server gave none). */
  leafMatches: boolean | null;
  checkpoint: OpenedCheckpoint | null;
  inclusion: InclusionResult | null;
}

export interface EntryProofInput {
  entry: EntryFields & { seq: number; leafHash: string | null };
  proof: { leafIndex: number; treeSize: number; hashes: readonly string[] };
  /** The signed note and the key, as the head gave them (base64 raw key). */
  checkpoint: string;
  publicKey: string;
}

/** Entry → leaf hash → audit path → root of a checkpoint whose signature verifies. */
export async function checkEntry(input: EntryProofInput): Promise<EntryCheck> {
  const { entry, proof } = input;
  const leaf = await entryLeafHash(entry);
  const given = entry.leafHash === null ? null : decodeBase64(entry.leafHash);
  const leafMatches = given === null ? null : equalBytes(given, leaf);
  const result = (ok: boolean, verdict: string, checkpoint: OpenedCheckpoint | null = null, inclusion: InclusionResult | null = null): EntryCheck => ({
    ok,
    verdict,
    leafHash: leaf,
    leafMatches,
    checkpoint,
    inclusion,
  });
  const key = decodeBase64(input.publicKey);
  if (!key) return result(false, "Not verified: the log's public key is not base64.");
  const opened = await openCheckpoint(input.checkpoint, key);
  if (!opened.ok) return result(false, `Not verified: ${opened.reason}.`);
  const cp = opened.checkpoint;
  if (proof.leafIndex !== entry.seq) return result(false, `Not verified: the proof is for entry ${proof.leafIndex}, not ${entry.seq}.`, cp);
  if (proof.treeSize !== cp.size) return result(false, `Not verified: the proof is for a tree of ${proof.treeSize} entries, the signed head has ${cp.size}.`, cp);
  const hashes = proof.hashes.map(decodeBase64);
  if (hashes.some((h) => h === null)) return result(false, "Not verified: a proof hash is not base64.", cp);
  const inclusion = await verifyInclusion(entry.seq, cp.size, leaf, hashes as Uint8Array[], cp.root);
  if (!inclusion.ok) {
    const why = leafMatches === false ? "the entry's fields do not hash to its leaf hash" : inclusion.reason;
    return result(false, `Not verified: entry ${entry.seq} is not in the tree of size ${cp.size} signed by ${cp.origin}: ${why}.`, cp, inclusion);
  }
  return result(true, `Verified: entry ${entry.seq} is in the tree of size ${cp.size} signed by ${cp.origin}.`, cp, inclusion);
}
