import { Field, GraphQLISODateTime, Int, ObjectType } from "type-graphql";
import type { HeadRow } from "./ledger.repository.js";

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
