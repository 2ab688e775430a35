import { can, isUuid, requireAccess, requireActor, type Actor } from "../../access/access.js";
import { followProject } from "../../access/follow.js";
import { AppError, conflict, forbidden, invalid, notFound, type FieldProblem } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { AnchorReceipt } from "../../platform/anchor.js";
import { fromBech32 } from "@cosmjs/encoding";
import { payoutMessages, type CosmosChain } from "../../platform/cosmos/signing.js";
import type { Database } from "../../platform/database/index.js";
import type { Bus } from "../../platform/pubsub/bus.js";
import type { Compute } from "../../compute/compute.js";
import type { Queue } from "../../platform/queue/queue.js";
import type { LedgerService } from "../ledger/ledger.service.js";
import { countInputs, decodeInputs, encodeInputs } from "./input-sets.js";
import { inputsHash, parseAiCsv, parseLabelsCsv, parseLabelTimesCsv, type LabelVote, type RewardInputs } from "./inputs.js";
import { RewardReads, RewardsRepository, type EpochRow, type EpochTerms, type InputSetRow, type PayoutRow, type ShareRow } from "./epochs.repository.js";
import { DEFAULT_BUDGET } from "./policies/common.js";
import { isPolicyName, POLICY_NAMES, type RewardResult } from "./policies/index.js";

export const rewardsChannel = (projectId: string) => `rewards:${projectId}`;

/** Sends one transaction paying several addresses (CosmosAnchor.sendPayouts; a test double in tests). */
export interface PayoutSender {
  sendPayouts(payouts: ReadonlyArray<{ address: string; amount: string }>, memo: string): Promise<AnchorReceipt>;
}

/** Where payouts go: the configured chain and its sender; null when COSMOS_* is not configured. */
export interface PayoutChain {
  chain: CosmosChain;
  sender: PayoutSender;
}

export const PAYOUT_MEMO_PREFIX = "concord-reward:v1:";
/** Largest budget: tokens are stored as bigint, but GraphQL Int and the policies' floats stay exact below this. */
const MAX_BUDGET = 2_000_000_000;

export interface EpochRequest {
  policy: string;
  budget?: number | null;
  kappaThreshold?: number | null;
  inputSetId?: string | null;
  /** Inputs from the project only: a model version whose predictions join as the AI. */
  modelVersionId?: string | null;
}

export interface ImportRequest {
  name: string;
  labels: string;
  ai?: string | null;
  times?: string | null;
}

/** What the actor may see of a project's epochs: everything (rewards.run), or only their own share. */
export interface RewardView {
  projectId: string;
  all: boolean;
  userId: string;
}

// Reward epochs (issue 8, points 4 and 5). Who may do what:
// - import input sets, run epochs, see every share, follow updates: rewards.run (owners, managers);
// - pay an epoch: the project's OWNER only (it moves money), and only when a chain is configured;
// - any other member sees the epochs in which they hold a share (inputs from the project), with
//   their own share and payout only: a reader learns what they earned, never what others did.
export class RewardsService {
  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly queue: Queue,
    private readonly ledger: LedgerService,
    private readonly payoutChain: PayoutChain | null,
    private readonly log: Logger,
    /** The policy runs off the event loop: in the embedded default this job runs in the API process. */
    private readonly compute: Compute,
  ) {}

  private repo() {
    return new RewardsRepository(this.db.dataSource.manager);
  }

  // ---- input sets (point 5)

  /** Parses the CSVs; stores them as one input set only when every row of every file is good. */
  async importInputs(actor: Actor | null, projectId: string, req: ImportRequest): Promise<{ inputSet: InputSetRow | null; problems: FieldProblem[] }> {
    await requireAccess(this.db.dataSource.manager, actor, "rewards.run", projectId);
    const name = req.name.trim();
    if (!name || name.length > 200) throw invalid([{ field: "name", message: "must be 1 to 200 characters" }]);
    const problems: FieldProblem[] = [];
    const parse = <T>(f: () => T): T | undefined => {
      try {
        return f();
      } catch (err) {
        const fields = err instanceof AppError ? (err.extensions.fields as FieldProblem[] | undefined) : undefined;
        if (!fields) throw err;
        problems.push(...fields);
        return undefined;
      }
    };
    const votes = parse(() => parseLabelsCsv(req.labels, "labels"));
    const ai = req.ai != null ? parse(() => parseAiCsv(req.ai!, "ai")) : undefined;
    const labelSeconds = req.times != null ? parse(() => parseLabelTimesCsv(req.times!, "times")) : undefined;
    if (votes && !votes.length) problems.push({ field: "labels", message: "has no rows" });
    if (problems.length || !votes) return { inputSet: null, problems };
    const inputs: RewardInputs = { votes, ...(ai ? { ai } : {}), ...(labelSeconds ? { labelSeconds } : {}) };
    const inputSet = await this.repo().insertInputSet({
      projectId,
      name,
      createdBy: actor!.userId,
      counts: countInputs(inputs),
      inputsHash: inputsHash(inputs),
      data: encodeInputs(inputs),
    });
    return { inputSet, problems: [] };
  }

  async inputSets(actor: Actor | null, projectId: string): Promise<InputSetRow[]> {
    await requireAccess(this.db.dataSource.manager, actor, "rewards.run", projectId);
    return this.repo().inputSets(projectId);
  }

  // ---- epochs (point 4)

  async runEpoch(actor: Actor | null, projectId: string, req: EpochRequest): Promise<EpochRow> {
    await requireAccess(this.db.dataSource.manager, actor, "rewards.run", projectId);
    const problems: FieldProblem[] = [];
    if (!isPolicyName(req.policy)) problems.push({ field: "policy", message: `unknown policy '${req.policy}'; choose one of ${POLICY_NAMES.join(", ")}` });
    const budget = req.budget ?? DEFAULT_BUDGET;
    if (!Number.isSafeInteger(budget) || budget < 0 || budget > MAX_BUDGET) problems.push({ field: "budget", message: `must be a whole number of tokens from 0 to ${MAX_BUDGET}` });
    if (req.kappaThreshold != null && (!Number.isFinite(req.kappaThreshold) || req.kappaThreshold < -1 || req.kappaThreshold > 1)) {
      problems.push({ field: "kappaThreshold", message: "must be a number from -1 to 1" });
    }
    if (req.inputSetId != null) {
      const set = isUuid(req.inputSetId) ? await this.repo().inputSet(req.inputSetId) : null;
      if (!set || set.projectId !== projectId) problems.push({ field: "inputSetId", message: "is not an input set of this project" });
    }
    if (req.modelVersionId != null) {
      if (req.inputSetId != null) problems.push({ field: "modelVersionId", message: "joins the project's own inputs; an input set brings its own AI file" });
      else if (!isUuid(req.modelVersionId) || !(await new RewardReads(this.db.dataSource.manager).probabilityModel(projectId, req.modelVersionId))) {
        problems.push({ field: "modelVersionId", message: "must be a ready binary or multilabel model version of this project" });
      }
    }
    if (problems.length) throw invalid(problems);
    const parameters = {
      budget,
      ...(req.kappaThreshold != null ? { kappaThreshold: req.kappaThreshold } : {}),
      ...(req.modelVersionId != null ? { modelVersionId: req.modelVersionId } : {}),
    };
    const epoch = await this.repo().insertEpoch({ projectId, policy: req.policy, parameters, inputSetId: req.inputSetId ?? null, createdBy: actor!.userId });
    await this.queue.enqueue("rewards.epoch", { epochId: epoch.id }, { jobId: `reward-epoch-${epoch.id}`, attempts: 2 });
    await this.publish(epoch);
    return epoch;
  }

  /** The actor's view of a project's rewards; any member, narrowed to their own share without rewards.run. */
  async view(actor: Actor | null, projectId: string): Promise<RewardView> {
    const resource = await requireAccess(this.db.dataSource.manager, actor, "project.view", projectId);
    return { projectId, all: can(actor, "rewards.run", resource), userId: actor!.userId };
  }

  async epochs(actor: Actor | null, projectId: string, first: number): Promise<Array<{ epoch: EpochRow; view: RewardView }>> {
    const view = await this.view(actor, projectId);
    if (first < 1 || first > 100) throw invalid([{ field: "first", message: "must be between 1 and 100" }]);
    const rows = await this.repo().epochs(projectId, first, view.all ? undefined : view.userId);
    return rows.map((epoch) => ({ epoch, view }));
  }

  /** An epoch the actor may see (rewards.run, or holding a share in it), else "not found". */
  async epoch(actor: Actor | null, epochId: string): Promise<{ epoch: EpochRow; view: RewardView }> {
    requireActor(actor);
    const epoch = isUuid(epochId) ? await this.repo().epoch(epochId) : null;
    if (!epoch) throw notFound("Reward epoch");
    const view = await this.view(actor, epoch.projectId).catch(() => null);
    if (!view || (!view.all && !(await this.repo().shares(epoch.id, view.userId)).length)) throw notFound("Reward epoch");
    return { epoch, view };
  }

  /** Shares as the view allows: all of them, or only the viewer's own. */
  shares(epochId: string, view: RewardView): Promise<ShareRow[]> {
    return this.repo().shares(epochId, view.all ? undefined : view.userId);
  }

  payouts(epochId: string, view: RewardView): Promise<PayoutRow[]> {
    return this.repo().payouts(epochId, view.all ? undefined : view.userId);
  }

  /** The project's epochs as they are queued, progress and finish; rewards.run, checked again at each event. */
  async updates(actor: Actor | null, projectId: string): Promise<AsyncIterable<EpochRow>> {
    const repo = this.repo();
    return followProject<{ id: string; progress?: number }, EpochRow>(this.db.dataSource.manager, this.bus, actor, projectId, rewardsChannel(projectId), "rewards.run", async (payload) => {
      const epoch = await repo.epoch(payload.id);
      // The published progress wins over a row read before the update committed elsewhere.
      return epoch && payload.progress !== undefined && epoch.status === "RUNNING" ? { ...epoch, progress: Math.max(epoch.progress, payload.progress) } : epoch;
    });
  }

  /** The project's own inputs: each reader's latest submitted labels (readers are user ids), and a model's probabilities when named. */
  async projectInputs(projectId: string, modelVersionId?: string): Promise<RewardInputs> {
    const reads = new RewardReads(this.db.dataSource.manager);
    const rows = await reads.projectVotes(projectId);
    const votes = rows.map((r): LabelVote => (r.seconds === null ? { caseId: r.caseId, label: r.label, reader: r.reader, value: r.value } : { ...r, seconds: r.seconds }));
    return modelVersionId ? { votes, ai: await reads.projectPredictions(projectId, modelVersionId) } : { votes };
  }

  /** The job (`rewards.epoch`): idempotent, a finished epoch is left as it is. */
  async run(epochId: string, report?: (percent: number) => Promise<void>): Promise<EpochRow | null> {
    const started = await this.repo().start(epochId);
    if (!started) return this.repo().epoch(epochId);
    await this.publish(started);
    const progress = async (percent: number) => {
      await this.repo().setProgress(epochId, percent);
      await this.bus.publish(rewardsChannel(started.projectId), { id: epochId, progress: percent });
      await report?.(percent);
    };
    try {
      let inputs: RewardInputs;
      if (started.inputSetId) {
        const data = await this.repo().inputSetData(started.inputSetId);
        if (!data) throw new Error("the epoch's input set is gone");
        inputs = decodeInputs(data);
      } else inputs = await this.projectInputs(started.projectId, started.parameters.modelVersionId);
      await progress(25);
      await progress(40);
      const { inputsHash: hash, result } = await this.compute.run("rewardEpoch", started.policy, inputs, started.parameters);
      await progress(80);
      const shares = sharesOf(result, started.inputSource === "PROJECT");
      const done = await this.db.tx(async (em) => {
        const repo = new RewardsRepository(em);
        await repo.insertShares(epochId, shares);
        const row = await repo.finish(epochId, { inputsHash: hash, terms: result.per_label as unknown as EpochTerms });
        await this.ledger.record(em, {
          type: "reward.epoch",
          actorId: started.createdBy,
          projectId: started.projectId,
          objectId: epochId,
          change: this.epochLeaf(row, shares),
        });
        return row;
      });
      await this.publish(done);
      this.log.info({ epoch: epochId, policy: started.policy, readers: shares.length }, "reward epoch finished");
      return done;
    } catch (err) {
      const failed = await this.repo().fail(epochId, (err as Error).message);
      if (failed) await this.publish(failed);
      this.log.error({ epoch: epochId, err: (err as Error).message }, "reward epoch failed");
      throw err;
    }
  }

  /** The ledger leaf's change of an epoch: no case, label value or user id; readers as pseudonyms. */
  epochLeaf(epoch: Pick<EpochRow, "id" | "policy" | "parameters" | "inputsHash">, shares: ReadonlyArray<Pick<ShareRow, "reader" | "readerUserId" | "tokens">>) {
    return {
      epochId: epoch.id,
      policy: epoch.policy,
      parameters: epoch.parameters,
      inputsHash: epoch.inputsHash,
      shares: shares.map((s) => ({ reader: this.readerOnLedger(s), tokens: s.tokens })),
    };
  }

  private readerOnLedger(s: Pick<ShareRow, "reader" | "readerUserId">): string {
    return s.readerUserId ? this.ledger.pseudonym(s.readerUserId) : s.reader;
  }

  // ---- payouts

  // ---- the readers' own payout addresses

  /** The chain payouts go to, for those who show or set addresses; null when none is configured. */
  payoutChainInfo(actor: Actor | null): { chainId: string; denom: string; prefix: string } | null {
    requireActor(actor);
    if (!this.payoutChain) return null;
    const { chainId, denom, prefix } = this.payoutChain.chain;
    return { chainId, denom, prefix };
  }

  async myPayoutAddress(actor: Actor | null): Promise<string | null> {
    return this.repo().payoutAddress(requireActor(actor).userId);
  }

  /**
   * Sets (or with null or "" clears) the caller's own payout address: a bech32 address, with the
   * configured chain's prefix when a chain is configured. Owners paying an epoch without naming
   * addresses pay to these.
   */
  async setPayoutAddress(actor: Actor | null, address: string | null): Promise<string | null> {
    const userId = requireActor(actor).userId;
    const value = address?.trim() || null;
    if (value !== null) {
      let prefix: string;
      try {
        prefix = fromBech32(value, 90).prefix;
      } catch {
        throw invalid([{ field: "address", message: `${JSON.stringify(value.slice(0, 100))} is not a bech32 address (like cosmos1…)` }]);
      }
      const chain = this.payoutChain?.chain;
      if (chain && prefix !== chain.prefix) throw invalid([{ field: "address", message: `the address's prefix "${prefix}" is not the chain's "${chain.prefix}" (${chain.chainId})` }]);
    }
    await this.repo().setPayoutAddress(userId, value);
    return value;
  }

  /** Whether each of these users has stored a payout address. */
  async payoutAddressSet(userIds: readonly string[]): Promise<Set<string>> {
    return new Set((await this.repo().payoutAddresses(userIds)).keys());
  }

  /**
   * Pays an epoch's whole tokens on the configured chain, one MsgSend per address in one
   * transaction (OWNER only). `addresses` names readers and where to pay them; without it, every
   * reader with tokens who stored a payout address is paid there (readers without one are left
   * for a later payment). The payouts are written PENDING before sending, so a crash after the
   * broadcast can never pay a reader twice; a failed send marks them FAILED and may be repeated.
   */
  async pay(actor: Actor | null, epochId: string, addressesIn: ReadonlyArray<{ readerId: string; address: string }> | null): Promise<PayoutRow[]> {
    const epoch = isUuid(epochId) ? await this.repo().epoch(epochId) : null;
    if (!epoch) throw notFound("Reward epoch");
    const access = await requireAccess(this.db.dataSource.manager, actor, "rewards.run", epoch.projectId);
    if (access.role !== "OWNER") throw forbidden("Only the project's owner may pay rewards");
    if (!this.payoutChain) {
      throw conflict("Payouts need a Cosmos chain: set COSMOS_RPC_URL, COSMOS_MNEMONIC and COSMOS_CHAIN_ID on the server; nothing was sent");
    }
    const { chain, sender } = this.payoutChain;
    if (epoch.status !== "DONE") throw conflict(`The epoch is ${epoch.status}; only a finished epoch can be paid`);
    const shares = new Map((await this.repo().shares(epochId)).map((s) => [s.reader, s]));
    const problems: FieldProblem[] = [];
    const seen = new Set<string>();
    const payouts: Array<{ reader: string; address: string; amount: string; denom: string; share: ShareRow }> = [];
    const addresses = addressesIn ?? (await this.storedAddresses(epochId, [...shares.values()]));
    if (!addresses.length)
      problems.push({ field: "addresses", message: addressesIn ? "name at least one reader to pay" : "no reader with tokens left to pay in this epoch has stored a payout address" });
    addresses.forEach((a, i) => {
      const share = shares.get(a.readerId);
      if (!share) problems.push({ field: `addresses[${i}].readerId`, message: `'${a.readerId}' has no share in this epoch` });
      else if (seen.has(a.readerId)) problems.push({ field: `addresses[${i}].readerId`, message: "appears twice" });
      else if (share.tokens === null || share.tokens <= 0) problems.push({ field: `addresses[${i}].readerId`, message: "has no tokens to pay in this epoch" });
      else payouts.push({ reader: a.readerId, address: a.address.trim(), amount: String(share.tokens), denom: chain.denom, share });
      seen.add(a.readerId);
    });
    if (!problems.length) {
      try {
        // The adapter's own checks (bech32, the chain's prefix, one payout per address), before anything is written.
        payoutMessages("", payouts, chain);
      } catch (err) {
        problems.push({ field: "addresses", message: (err as Error).message.replace(/^payout (\d+)/, "address $1") });
      }
    }
    if (problems.length) throw invalid(problems);

    const pending = await this.db.tx(async (em) => {
      const repo = new RewardsRepository(em);
      await repo.epoch(epochId, true); // one payment at a time per epoch
      try {
        return await repo.insertPayouts(epochId, actor!.userId, payouts);
      } catch (err) {
        if ((err as { code?: string }).code === "23505") throw conflict("A reader named here is already paid (or being paid) for this epoch");
        throw err;
      }
    });
    const ids = pending.map((p) => p.id);
    let receipt: AnchorReceipt;
    try {
      receipt = await sender.sendPayouts(payouts.map((p) => ({ address: p.address, amount: p.amount })), `${PAYOUT_MEMO_PREFIX}${epochId}`);
    } catch (err) {
      await this.repo().markPayoutsFailed(ids, (err as Error).message);
      this.log.error({ epoch: epochId, err: (err as Error).message }, "reward payout failed");
      throw conflict(`The payout transaction failed; nothing was paid: ${(err as Error).message}`);
    }
    return this.db.tx(async (em) => {
      const sent = await new RewardsRepository(em).markPayoutsSent(ids, receipt);
      await this.ledger.record(em, {
        type: "reward.payout",
        actorId: actor!.userId,
        projectId: epoch.projectId,
        objectId: epochId,
        change: {
          epochId,
          chainId: receipt.chainId,
          txHash: receipt.txHash,
          height: receipt.height,
          payouts: payouts.map((p) => ({ reader: this.readerOnLedger(p.share), address: p.address, amount: p.amount, denom: p.denom })),
        },
      });
      return sent;
    });
  }

  /** Readers with tokens, not paid (nor being paid) for this epoch, who stored an address: what a payment without addresses pays. */
  private async storedAddresses(epochId: string, shares: readonly ShareRow[]): Promise<Array<{ readerId: string; address: string }>> {
    const paid = new Set((await this.repo().payouts(epochId)).filter((p) => p.status !== "FAILED").map((p) => p.reader));
    const due = shares.filter((s) => s.readerUserId && s.tokens !== null && s.tokens > 0 && !paid.has(s.reader));
    const stored = await this.repo().payoutAddresses(due.map((s) => s.readerUserId!));
    return due.flatMap((s) => (stored.has(s.readerUserId!) ? [{ readerId: s.reader, address: stored.get(s.readerUserId!)! }] : []));
  }

  private publish(epoch: EpochRow): Promise<void> {
    return this.bus.publish(rewardsChannel(epoch.projectId), { id: epoch.id });
  }
}

const finite = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

/** The policy's result as share rows, in the policy's reader order. */
export function sharesOf(result: RewardResult, readersAreUsers: boolean): Array<Omit<ShareRow, "epochId">> {
  const { scores } = result;
  return result.config.annotators.map((reader, position) => {
    const labels = Object.keys(scores.S_per_label[reader] ?? {});
    const terms = Object.fromEntries(
      labels.map((l) => [l, { score: finite(scores.S_per_label[reader]![l]), kept: result.filter_passed[reader]?.[l] ?? true, kappaVsAi: finite(result.kappa_vs_ai[reader]?.[l] ?? undefined) }]),
    );
    return {
      reader,
      readerUserId: readersAreUsers ? reader : null,
      position,
      score: finite(scores.S_total[reader]),
      shareRaw: finite(scores.reward[reader]),
      tokens: scores.reward_int ? (scores.reward_int[reader] ?? null) : null,
      terms,
    };
  });
}
