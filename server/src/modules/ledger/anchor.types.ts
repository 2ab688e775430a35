import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import type { AnchorRow } from "./anchor.repository.js";

export const LedgerAnchorCheckEnum = { UNCHECKED: "UNCHECKED", OK: "OK", FAILED: "FAILED" } as const;
export type LedgerAnchorCheck = keyof typeof LedgerAnchorCheckEnum;
registerEnumType(LedgerAnchorCheckEnum, {
  name: "LedgerAnchorCheck",
  description: "UNCHECKED: not read back yet. OK: the transaction's memo matches the signed head. FAILED: see checkMessage.",
});

@ObjectType({
  description:
    "A signed tree head anchored on a public chain: its root is in the memo of a transaction, as `concord-ledger:v1:<origin>:<treeSize>:<root hex>`.",
})
export class LedgerAnchor {
  @Field(() => ID) id: string;
  @Field(() => String, { description: 'The chain, e.g. "cosmos:cosmoshub-4".' }) chain: string;
  @Field(() => Int, { description: "The anchored head's tree size." }) treeSize: number;
  @Field(() => String, { description: "The anchored head's RFC 9162 root hash, base64 (as in LedgerHead)." }) rootHash: string;
  @Field(() => String, { description: "The memo sent." }) memo: string;
  @Field(() => String, { description: "The transaction's hash on the chain." }) txHash: string;
  @Field(() => Int, { nullable: true, description: "The block height; null until the transaction is seen in a block." }) height: number | null;
  @Field(() => GraphQLISODateTime, { description: "When it was anchored." }) at: Date;
  @Field(() => LedgerAnchorCheckEnum) checkStatus: LedgerAnchorCheck;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When the transaction was last read back." }) checkedAt: Date | null;
  @Field(() => String, { nullable: true, description: "What reading it back found." }) checkMessage: string | null;

  static from(a: AnchorRow): LedgerAnchor {
    return Object.assign(new LedgerAnchor(), {
      id: a.id,
      chain: a.chain,
      treeSize: a.treeSize,
      rootHash: a.root.toString("base64"),
      memo: a.memo,
      txHash: a.txHash,
      height: a.height,
      at: a.createdAt,
      checkStatus: a.checkOk === null ? "UNCHECKED" : a.checkOk ? "OK" : "FAILED",
      checkedAt: a.checkedAt,
      checkMessage: a.checkMessage,
    });
  }
}
