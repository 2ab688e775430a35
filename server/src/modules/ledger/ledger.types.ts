import { Field, GraphQLISODateTime, ID, Int, ObjectType } from "type-graphql";
import type { EntryRow, HeadRow } from "./ledger.repository.js";
import type { Finding, VerifyReport } from "./verify.js";

@ObjectType({
  description:
    "A signed tree head of the ledger (one log for the whole instance): a C2SP tlog-checkpoint in a C2SP signed note, signed with Ed25519. See README, Ledger.",
})
export class LedgerHead {
  @Field(() => Int, { description: "Leaves in the tree." }) treeSize: number;
  @Field(() => String, { description: "The RFC 9162 root hash, base64." }) rootHash: string;
  @Field(() => GraphQLISODateTime, { description: "When the head was signed." }) at: Date;
  @Field(() => String, { description: "The log's name: the checkpoint's first line and the key's name." }) origin: string;
  @Field(() => String, { description: "The signed-note key id, hex (4 bytes)." }) keyId: string;
  @Field(() => String, { description: "The Ed25519 public key that signed the head, base64 (32 bytes)." }) publicKey: string;
  @Field(() => String, { description: "The signed note, as published." }) checkpoint: string;

  static from(h: HeadRow, publicKeyRaw: Buffer): LedgerHead {
    return Object.assign(new LedgerHead(), {
      treeSize: h.treeSize,
      rootHash: h.root.toString("base64"),
      at: h.at,
      origin: h.origin,
      keyId: h.keyId.toString("hex"),
      publicKey: publicKeyRaw.toString("base64"),
      checkpoint: h.checkpoint,
    });
  }
}

@ObjectType({ description: "An RFC 9162 inclusion proof (audit path) of one entry in the tree of treeSize leaves." })
export class LedgerInclusionProof {
  @Field(() => Int, { description: "The entry's sequence number: its leaf index, from 0." }) leafIndex: number;
  @Field(() => Int) treeSize: number;
  @Field(() => String, { description: "The entry's leaf hash, base64." }) leafHash: string;
  @Field(() => [String], { description: "The audit path, base64 hashes from the leaf up." }) hashes: string[];
}

@ObjectType({ description: "An RFC 9162 consistency proof: the tree of size1 leaves is a prefix of the tree of size2." })
export class LedgerConsistencyProof {
  @Field(() => Int) size1: number;
  @Field(() => Int) size2: number;
  @Field(() => [String], { description: "Base64 hashes, in RFC 9162 order." }) hashes: string[];
}

@ObjectType({
  description:
    "One ledger entry (a leaf). Its leaf data is the canonical JSON {actor, at, object, payload, project, type, v: 1} of these fields (payload: payloadSha256), so anyone can recompute leafHash. See README, Ledger.",
})
export class LedgerEntry {
  @Field(() => Int, { nullable: true, description: "The sequence number: the leaf index, from 0; null while the entry waits for integration (a second or so)." })
  seq: number | null;
  @Field(() => String, { description: "The event type, e.g. role.grant." }) type: string;
  @Field(() => GraphQLISODateTime, { description: "When it happened (millisecond precision, as hashed)." }) at: Date;
  @Field(() => String, { nullable: true, description: "The actor's pseudonym (hex HMAC-SHA256 of the user id), or null for the system." })
  actor: string | null;
  @Field(() => ID, { description: "The project the entry belongs to." }) projectId: string;
  @Field(() => String, { description: "What it happened to (an id)." }) objectId: string;
  @Field(() => String, { description: "SHA-256 of the canonical JSON of what changed, hex." }) payloadSha256: string;
  @Field(() => String, { nullable: true, description: "The RFC 9162 leaf hash, base64; null while pending." }) leafHash: string | null;

  static from(r: EntryRow): LedgerEntry {
    return Object.assign(new LedgerEntry(), {
      seq: r.seq,
      type: r.eventType,
      at: r.at,
      actor: r.actor,
      projectId: r.projectId!,
      objectId: r.objectId,
      payloadSha256: r.payloadSha256.toString("hex"),
      leafHash: r.leafHash ? r.leafHash.toString("base64") : null,
    });
  }
}

@ObjectType({ description: "Something `verifyLedger` found wrong with the log." })
export class LedgerFinding {
  @Field(() => String, { description: "edited, removed, inserted, reordered, node, root, head or signature." }) kind: string;
  @Field(() => Int, { nullable: true, description: "The first entry concerned." }) seq: number | null;
  @Field(() => Int, { nullable: true, description: "The last entry of the range the change lies in, when it is not one entry." }) seqTo: number | null;
  @Field(() => Int, { nullable: true, description: "The signed head concerned (root, head, signature)." }) treeSize: number | null;
  @Field(() => String) message: string;

  static from(f: Finding): LedgerFinding {
    return Object.assign(new LedgerFinding(), { kind: f.kind, seq: f.seq ?? null, seqTo: f.seqTo ?? null, treeSize: f.treeSize ?? null, message: f.message });
  }
}

@ObjectType({ description: "The result of checking the whole log (every project's entries) against its stored subtrees and signed heads." })
export class LedgerVerifyReport {
  @Field(() => Int, { description: "Integrated entries checked." }) leaves: number;
  @Field(() => Int, { description: "Signed heads checked." }) heads: number;
  @Field(() => Int, { description: "Stored subtrees checked." }) nodes: number;
  @Field(() => Int, { description: "Entries waiting for integration (not checked)." }) pending: number;
  @Field(() => [LedgerFinding]) findings: LedgerFinding[];
  @Field(() => Boolean, { description: "True when nothing was found." }) ok: boolean;

  static from(r: VerifyReport): LedgerVerifyReport {
    return Object.assign(new LedgerVerifyReport(), { ...r, findings: r.findings.map(LedgerFinding.from) });
  }
}
