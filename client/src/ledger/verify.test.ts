// ledger.service.ts declares GraphQL types (type-graphql decorators need the metadata polyfill first).
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { canonicalJson, checkEntry, entryLeafHash, openCheckpoint, toBase64, verifyConsistency, verifyInclusion } from "./verify";

// The browser's checks against the public RFC 9162 vectors and against what the server's own code
// (merkle.ts, checkpoint.ts, ledger.service.ts leafData) produces.

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

// The server's ledger modules, loaded by path at run time: a static import would pull the whole
// server (decorators, Node-only code) into the browser typecheck. Only what the tests use is typed.
interface ServerTree {
  root(size?: number): Buffer;
  inclusionProof(index: number, size?: number): Buffer[];
  consistencyProof(size1: number, size2?: number): Buffer[];
}
interface ServerKeys {
  privateKey: unknown;
  publicKeyRaw: Buffer;
}
const serverModule = <T>(name: string): Promise<T> => import(/* @vite-ignore */ path.join(repo, "server", "src", "modules", "ledger", `${name}.ts`)) as Promise<T>;
const { canonicalJson: serverCanonicalJson } = await serverModule<{ canonicalJson(v: unknown): string }>("canonical");
const { signCheckpoint } = await serverModule<{
  signCheckpoint(c: { origin: string; size: number; root: Buffer }, privateKey: unknown, publicKeyRaw: Buffer): { text: string; keyId: Buffer };
}>("checkpoint");
const { ledgerKeys } = await serverModule<{ ledgerKeys(privateKey: unknown): ServerKeys }>("keys");
const { leafHashOf } = await serverModule<{
  leafHashOf(l: { eventType: string; at: Date; actor: string | null; projectId: string | null; objectId: string; payloadSha256: Buffer }): Buffer;
}>("ledger.service");
const { MemoryTree } = await serverModule<{ MemoryTree: new (leafHashes?: readonly Buffer[]) => ServerTree }>("merkle");
// ../shared/testdata/merkle beside the repository, or testdata/merkle next to CONCORD_FIXTURES (as server merkle.test.ts).
function vectorsDir(): string | null {
  const shared = process.env.CONCORD_FIXTURES ? path.dirname(path.resolve(process.env.CONCORD_FIXTURES)) : path.join(repo, "..", "shared");
  const dir = path.join(shared, "testdata", "merkle");
  return fs.existsSync(path.join(dir, "inclusion")) && fs.existsSync(path.join(dir, "consistency")) ? dir : null;
}
const VECTORS = vectorsDir();
const NO_VECTORS = "needs ../shared/testdata/merkle (the transparency-dev/merkle test vectors are not in the repository)";

function jsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? jsonFiles(p) : e.name.endsWith(".json") ? [p] : [];
  });
}
// Lenient, as Go's decoder in the vectors' source: a garbage case must fail in the verifier, not here.
const b64 = (s: string | null | undefined): Uint8Array => new Uint8Array(Buffer.from(s ?? "", "base64"));

describe.skipIf(!VECTORS)(`browser verification, RFC 9162 test vectors${VECTORS ? "" : ` (skipped: ${NO_VECTORS})`}`, () => {
  const load = <T>(kind: string) => jsonFiles(path.join(VECTORS!, kind)).map((f) => ({ name: path.relative(VECTORS!, f), v: JSON.parse(fs.readFileSync(f, "utf8")) as T }));

  it("accepts every happy inclusion path and rejects every wantErr case", async () => {
    const cases = load<{ leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; desc: string; wantErr: boolean }>("inclusion");
    expect(cases.length).toBeGreaterThan(50);
    expect(cases.filter((c) => !c.v.wantErr).length).toBeGreaterThan(3);
    for (const { name, v } of cases) {
      const r = await verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), (v.proof ?? []).map(b64), b64(v.root));
      expect(r.ok, `${name}: ${v.desc}`).toBe(!v.wantErr);
      if (r.ok) expect(r.steps).toHaveLength((v.proof ?? []).length);
    }
  });

  it("accepts every happy consistency path and rejects every wantErr case", async () => {
    const cases = load<{ size1: number; size2: number; root1: string; root2: string; proof: string[] | null; desc: string; wantErr: boolean }>("consistency");
    expect(cases.length).toBeGreaterThan(50);
    for (const { name, v } of cases) {
      expect(await verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2)), `${name}: ${v.desc}`).toBe(!v.wantErr);
    }
  });
});

describe("browser verification against the server's code", () => {
  const entry = (i: number, projectId: string | null = "9b2f3c1e-0000-4000-8000-00000000000a") => ({
    type: i % 2 ? "role.grant" : "annotation.submit",
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i, i)).toISOString(),
    actor: i % 3 ? null : "ab".repeat(32),
    projectId,
    objectId: `object-${i}-é\u2028"`,
    payloadSha256: (i * 7).toString(16).padStart(2, "0").repeat(32),
  });
  const serverLeaf = (e: ReturnType<typeof entry>) =>
    leafHashOf({ eventType: e.type, at: new Date(e.at), actor: e.actor, projectId: e.projectId, objectId: e.objectId, payloadSha256: Buffer.from(e.payloadSha256, "hex") });

  it("writes canonical JSON exactly as the server does, and refuses what it refuses", () => {
    const values: unknown[] = [
      { b: 1, a: [true, null, "x\u0000\ud800"], "\u00e9": -0, A: 1e21, z: { y: 1.5e-7, x: undefined }, d: new Date(0) },
      ["\u2028", 0.1 + 0.2, -1, {}, []],
      { "\ud83d\ude00": 1, "\uffff": 2, a: 3 },
    ];
    for (const v of values) expect(canonicalJson(v)).toBe(serverCanonicalJson(v));
    for (const bad of [NaN, Infinity, 1n, new Map(), new Uint8Array(1), [undefined], () => 1]) expect(() => canonicalJson(bad)).toThrow(TypeError);
  });

  it("recomputes the server's leaf hash from an entry's fields", async () => {
    for (let i = 0; i < 12; i++) {
      const e = entry(i, i === 5 ? null : undefined);
      expect(toBase64(await entryLeafHash(e)), `entry ${i}`).toBe(serverLeaf(e).toString("base64"));
    }
    // Any field changed, another hash.
    const e = entry(1);
    const base = toBase64(await entryLeafHash(e));
    for (const changed of [{ ...e, objectId: "other" }, { ...e, at: new Date(Date.parse(e.at) + 1).toISOString() }, { ...e, payloadSha256: "00".repeat(32) }, { ...e, actor: "cd".repeat(32) }]) {
      expect(toBase64(await entryLeafHash(changed))).not.toBe(base);
    }
  });

  it("verifies every inclusion and consistency proof the server's merkle.ts makes, and rejects altered ones", async () => {
    const leaves = await Promise.all(Array.from({ length: 37 }, (_, i) => entryLeafHash(entry(i))));
    const tree = new MemoryTree(leaves.map((l) => Buffer.from(l)));
    for (let size = 1; size <= leaves.length; size++) {
      const root = new Uint8Array(tree.root(size));
      for (let i = 0; i < size; i++) {
        const proof = tree.inclusionProof(i, size).map((h) => new Uint8Array(h));
        const r = await verifyInclusion(i, size, leaves[i]!, proof, root);
        expect(r.ok, `leaf ${i} of ${size}: ${r.reason}`).toBe(true);
        expect(r.steps.at(-1)?.running ?? leaves[i]).toEqual(root);
        if (proof.length) {
          const bent = proof.map((h, k) => (k === proof.length - 1 ? h.map((x, j) => (j === 0 ? x ^ 1 : x)) : h));
          expect((await verifyInclusion(i, size, leaves[i]!, bent, root)).ok).toBe(false);
          expect((await verifyInclusion(i, size, leaves[i]!, proof.slice(1), root)).ok).toBe(false);
        }
        if (size > 1) expect((await verifyInclusion((i + 1) % size, size, leaves[i]!, proof, root)).ok, `leaf ${i} as ${(i + 1) % size} of ${size}`).toBe(false);
      }
      for (let s1 = 1; s1 <= size; s1++) {
        const proof = tree.consistencyProof(s1, size).map((h) => new Uint8Array(h));
        const root1 = new Uint8Array(tree.root(s1));
        expect(await verifyConsistency(s1, size, proof, root1, root), `${s1} → ${size}`).toBe(true);
        if (s1 < size) expect(await verifyConsistency(s1, size, proof, root, root1), `${s1} → ${size}, roots swapped`).toBe(false);
      }
    }
  });

  it("checks a server-signed checkpoint's Ed25519 signature and key id, and the whole chain for an entry", async () => {
    const keys = ledgerKeys(generateKeyPairSync("ed25519").privateKey);
    const entries = Array.from({ length: 11 }, (_, i) => ({ ...entry(i), seq: i }));
    const tree = new MemoryTree(entries.map(serverLeaf));
    const signed = signCheckpoint({ origin: "concord.test/ledger", size: 11, root: tree.root() }, keys.privateKey, keys.publicKeyRaw);
    const publicKey = keys.publicKeyRaw.toString("base64");

    const opened = await openCheckpoint(signed.text, new Uint8Array(keys.publicKeyRaw));
    expect(opened.ok && [opened.checkpoint.origin, opened.checkpoint.size, toBase64(opened.checkpoint.keyId)]).toEqual(["concord.test/ledger", 11, signed.keyId.toString("base64")]);
    expect((await openCheckpoint(signed.text.replace("\n11\n", "\n12\n"), new Uint8Array(keys.publicKeyRaw))).ok).toBe(false);
    const other = ledgerKeys(generateKeyPairSync("ed25519").privateKey);
    expect((await openCheckpoint(signed.text, new Uint8Array(other.publicKeyRaw))).ok).toBe(false);

    const input = (i: number) => ({
      entry: { ...entries[i]!, leafHash: serverLeaf(entries[i]!).toString("base64") },
      proof: { leafIndex: i, treeSize: 11, hashes: tree.inclusionProof(i, 11).map((h) => h.toString("base64")) },
      checkpoint: signed.text,
      publicKey,
    });
    const good = await checkEntry(input(6));
    expect(good.verdict).toBe("Verified: entry 6 is in the tree of size 11 signed by concord.test/ledger.");
    expect([good.ok, good.leafMatches, good.inclusion?.steps.length]).toEqual([true, true, 4]);

    // An edited field, a bent proof hash, a proof for another entry, another key: each is named.
    const edited = await checkEntry({ ...input(6), entry: { ...input(6).entry, objectId: "forged" } });
    expect([edited.ok, edited.leafMatches, edited.verdict]).toEqual([false, false, expect.stringMatching(/^Not verified: entry 6 .*do not hash to its leaf hash/)]);
    const bent = input(6);
    bent.proof.hashes[0] = toBase64(new Uint8Array(32));
    expect((await checkEntry(bent)).verdict).toMatch(/^Not verified: .*different root/);
    expect((await checkEntry({ ...input(6), proof: input(7).proof })).verdict).toMatch(/proof is for entry 7/);
    expect((await checkEntry({ ...input(6), publicKey: other.publicKeyRaw.toString("base64") })).verdict).toMatch(/^Not verified: .*signature/);
  });
});
