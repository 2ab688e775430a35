import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { EpochRow, EpochStatus, InputSetRow, InputSource, PayoutRow, PayoutStatus, ShareRow } from "./epochs.repository.js";
import type { RewardView } from "./epochs.service.js";

export const RewardEpochStatusEnum = { QUEUED: "QUEUED", RUNNING: "RUNNING", DONE: "DONE", FAILED: "FAILED" } as const satisfies { [K in EpochStatus]: K };
registerEnumType(RewardEpochStatusEnum, { name: "RewardEpochStatus" });
export const RewardInputSourceEnum = { PROJECT: "PROJECT", INPUT_SET: "INPUT_SET" } as const satisfies { [K in InputSource]: K };
registerEnumType(RewardInputSourceEnum, {
  name: "RewardInputSource",
  description: "PROJECT: each reader's latest submitted labels in the project (readers are users). INPUT_SET: an imported input set (readers are its annotator names).",
});
export const RewardPayoutStatusEnum = { PENDING: "PENDING", SENT: "SENT", FAILED: "FAILED" } as const satisfies { [K in PayoutStatus]: K };
registerEnumType(RewardPayoutStatusEnum, { name: "RewardPayoutStatus" });

@InputType()
export class RewardEpochInput {
  @Field(() => String, { description: "markit-eq1, markit-eq1-safe or concord (see REWARD.md)." }) policy: string;
  @Field(() => Int, { nullable: true, description: "Tokens to share; default 1000." }) budget?: number | null;
  @Field(() => Float, { nullable: true, description: "κ threshold of the markit policies' AI filter; default 0.05." }) kappaThreshold?: number | null;
  @Field(() => ID, { nullable: true, description: "An imported input set; without it, the project's own submitted labels." }) inputSetId?: string | null;
  @Field(() => ID, { nullable: true, description: "With the project's own labels: a ready binary or multilabel model version whose predictions join as the AI." })
  modelVersionId?: string | null;
}

@InputType()
export class RewardAddressInput {
  @Field(() => String, { description: "The share's reader: a user id, or an imported annotator name." }) readerId: string;
  @Field(() => String, { description: "The reader's account address on the configured chain (bech32)." }) address: string;
}

@ObjectType({ description: "Imported reward inputs: readers' labels, and optionally AI probabilities and label mean times." })
export class RewardInputSet {
  @Field(() => ID) id: string;
  @Field(() => ID) projectId: string;
  @Field(() => String) name: string;
  @Field(() => Int) votes: number;
  @Field(() => Int) readers: number;
  @Field(() => Int) cases: number;
  @Field(() => Int) labels: number;
  @Field(() => Int, { nullable: true, description: "AI probability rows; null when no AI file was given." }) aiRows: number | null;
  @Field(() => Int, { nullable: true, description: "Label mean times; null when no times file was given." }) labelTimes: number | null;
  @Field(() => String, { description: "SHA-256 of the inputs in canonical order, hex; epochs from this set store it." }) inputsHash: string;
  @Field(() => GraphQLISODateTime) createdAt: Date;

  static from(s: InputSetRow): RewardInputSet {
    return Object.assign(new RewardInputSet(), s);
  }
}

@ObjectType({ description: "A problem in an imported file: the file, row and column, and what is wrong." })
export class RewardImportProblem {
  @Field(() => String) field: string;
  @Field(() => String) message: string;
}

@ObjectType({ description: "The outcome of an import: the stored set, or the problems (then nothing was stored)." })
export class RewardInputImport {
  @Field(() => RewardInputSet, { nullable: true }) inputSet: RewardInputSet | null;
  @Field(() => [RewardImportProblem]) problems: RewardImportProblem[];
}

@ObjectType({ description: "A label's terms in an epoch, as the policy computed them." })
export class RewardLabelTerms {
  @Field(() => String) label: string;
  @Field(() => Float, { nullable: true, description: "T_k: share of counted cells whose truth is positive." }) taskValue: number | null;
  @Field(() => Float, { nullable: true, description: "τ_k: mean seconds per vote." }) meanSeconds: number | null;
  @Field(() => Float, { nullable: true, description: "t̄_k = τ_k / max τ." }) timeWeight: number | null;
  @Field(() => Float, { nullable: true, description: "What a unit of credit on this label is worth in the score." }) weight: number | null;
  @Field(() => Int) cellsCounted: number;
  @Field(() => Int) cellsSkipped: number;
  @Field(() => Int) pseudoPositiveCells: number;
  @Field(() => Int) tiedCells: number;
}

@ObjectType({ description: "A reader's part of the score on one label." })
export class RewardShareLabel {
  @Field(() => String) label: string;
  @Field(() => Float, { nullable: true }) score: number | null;
  @Field(() => Boolean, { description: "False when the markit AI filter dropped this (reader, label)." }) kept: boolean;
  @Field(() => Float, { nullable: true, description: "Cohen's κ of the reader against the AI's call on this label." }) kappaVsAi: number | null;
}

@ObjectType({ description: "A reader's share of an epoch." })
export class RewardShare {
  @Field(() => String, { description: "A user id (inputs from the project) or an imported annotator name." }) reader: string;
  @Field(() => ID, { nullable: true }) readerUserId: string | null;
  @Field(() => Float, { nullable: true, description: "S_i." }) score: number | null;
  @Field(() => Float, { nullable: true, description: "Budget · S_i / ΣS as computed (markit-eq1 can make it negative); null when undefined." }) shareRaw: number | null;
  @Field(() => Float, { nullable: true, description: "Whole tokens; null when the policy's shares are undefined." }) tokens: number | null;
  @Field(() => [RewardShareLabel]) labels: RewardShareLabel[];
  @Field(() => Boolean, { description: "Whether the reader (a user) has stored a payout address, so a payment without addresses reaches them." })
  payoutAddressSet: boolean;

  static from(s: ShareRow, payoutAddressSet = false): RewardShare {
    return Object.assign(new RewardShare(), {
      payoutAddressSet,
      reader: s.reader,
      readerUserId: s.readerUserId,
      score: s.score,
      shareRaw: s.shareRaw,
      tokens: s.tokens,
      labels: Object.entries(s.terms).map(([label, t]) => Object.assign(new RewardShareLabel(), { label, ...t })),
    });
  }
}

@ObjectType({ description: "The Cosmos chain reward payouts go to." })
export class RewardPayoutChain {
  @Field(() => String) chainId: string;
  @Field(() => String, { description: "The denomination tokens are paid in." }) denom: string;
  @Field(() => String, { description: "The bech32 prefix of its account addresses." }) prefix: string;
}

@ObjectType({ description: "A payment of a reader's tokens on chain." })
export class RewardPayout {
  @Field(() => ID) id: string;
  @Field(() => String) reader: string;
  @Field(() => String) address: string;
  @Field(() => String, { description: "Whole units of denom, as a decimal string." }) amount: string;
  @Field(() => String) denom: string;
  @Field(() => String, { nullable: true }) chainId: string | null;
  @Field(() => String, { nullable: true }) txHash: string | null;
  @Field(() => Float, { nullable: true, description: "The block; null until the transaction is seen in one." }) height: number | null;
  @Field(() => RewardPayoutStatusEnum) status: PayoutStatus;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) sentAt: Date | null;

  static from(p: PayoutRow): RewardPayout {
    return Object.assign(new RewardPayout(), p);
  }
}

const num = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);

@ObjectType({ description: "A reward epoch: a policy run over a project's inputs, sharing a budget among readers; a ledger leaf when done." })
export class RewardEpoch {
  @Field(() => ID) id: string;
  @Field(() => ID) projectId: string;
  @Field(() => String) policy: string;
  @Field(() => Int) budget: number;
  @Field(() => Float, { nullable: true }) kappaThreshold: number | null;
  @Field(() => RewardInputSourceEnum) inputSource: InputSource;
  @Field(() => ID, { nullable: true }) inputSetId: string | null;
  @Field(() => ID, { nullable: true, description: "The model version whose predictions were the AI (inputs from the project)." }) modelVersionId: string | null;
  @Field(() => String, { nullable: true, description: "SHA-256 of the inputs the epoch ran on (canonical order), hex." }) inputsHash: string | null;
  @Field(() => RewardEpochStatusEnum) status: EpochStatus;
  @Field(() => Float, { description: "0 to 100." }) progress: number;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => [RewardLabelTerms]) labels: RewardLabelTerms[];
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt: Date | null;
  /** Who is looking, for the shares and payouts field resolvers; null in subscriptions (rewards.run). */
  view: RewardView | null;

  static from(e: EpochRow, view: RewardView | null): RewardEpoch {
    return Object.assign(new RewardEpoch(), {
      id: e.id,
      projectId: e.projectId,
      policy: e.policy,
      budget: e.budget,
      kappaThreshold: e.parameters.kappaThreshold ?? null,
      inputSource: e.inputSource,
      inputSetId: e.inputSetId,
      modelVersionId: e.parameters.modelVersionId ?? null,
      inputsHash: e.inputsHash,
      status: e.status,
      progress: e.progress,
      error: e.error,
      labels: Object.entries(e.terms ?? {}).map(([label, t]) =>
        Object.assign(new RewardLabelTerms(), {
          label,
          taskValue: num(t.T_k),
          meanSeconds: num(t.tau_k),
          timeWeight: num(t.tbar_k),
          weight: num(t.weight),
          cellsCounted: t.cells_counted ?? 0,
          cellsSkipped: t.cells_skipped ?? 0,
          pseudoPositiveCells: t.pseudo_positive_cells ?? 0,
          tiedCells: t.tied_cells ?? 0,
        }),
      ),
      createdAt: e.createdAt,
      finishedAt: e.finishedAt,
      view,
    });
  }
}
