import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context.js";
import type { EpochRow } from "./epochs.repository.js";
import { RewardAddressInput, RewardEpoch, RewardEpochInput, RewardImportProblem, RewardInputImport, RewardInputSet, RewardPayout, RewardPayoutChain, RewardShare } from "./epochs.types.js";

@Resolver(() => RewardEpoch)
export class RewardsResolver {
  @Mutation(() => RewardInputImport, {
    description:
      "Imports reward inputs as a named input set (permission rewards.run): labels CSV case,label,annotator,value[,seconds]; optional AI CSV case,label,probability; " +
      "optional label mean times CSV label,seconds (REWARD.md). Any bad row stores nothing and is listed in problems.",
  })
  async importRewardInputs(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("name", () => String) name: string,
    @Arg("labels", () => String) labels: string,
    @Arg("ai", () => String, { nullable: true }) ai: string | null,
    @Arg("times", () => String, { nullable: true }) times: string | null,
    @Ctx() ctx: Context,
  ): Promise<RewardInputImport> {
    const out = await ctx.services.rewards.importInputs(ctx.actor, projectId, { name, labels, ai, times });
    return Object.assign(new RewardInputImport(), {
      inputSet: out.inputSet ? RewardInputSet.from(out.inputSet) : null,
      problems: out.problems.map((p) => Object.assign(new RewardImportProblem(), p)),
    });
  }

  @Query(() => [RewardInputSet], { description: "The project's imported reward input sets, newest first (permission rewards.run)." })
  async rewardInputSets(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<RewardInputSet[]> {
    return (await ctx.services.rewards.inputSets(ctx.actor, projectId)).map(RewardInputSet.from);
  }

  @Mutation(() => RewardEpoch, { description: "Runs a reward epoch in the background (permission rewards.run); follow it with rewardEpochUpdates." })
  async runRewardEpoch(@Arg("projectId", () => ID) projectId: string, @Arg("input", () => RewardEpochInput) input: RewardEpochInput, @Ctx() ctx: Context): Promise<RewardEpoch> {
    const epoch = await ctx.services.rewards.runEpoch(ctx.actor, projectId, input);
    return RewardEpoch.from(epoch, await ctx.services.rewards.view(ctx.actor, projectId));
  }

  @Mutation(() => [RewardPayout], {
    description:
      "Pays a finished epoch's tokens on the configured Cosmos chain, one transfer per reader in one transaction (project OWNER only). Without addresses, every reader with tokens not yet paid who stored a payout address (setPayoutAddress) is paid there. Refused when no chain is configured.",
  })
  async payRewardEpoch(
    @Arg("epochId", () => ID) epochId: string,
    @Arg("addresses", () => [RewardAddressInput], { nullable: true }) addresses: RewardAddressInput[] | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<RewardPayout[]> {
    return (await ctx.services.rewards.pay(ctx.actor, epochId, addresses ?? null)).map(RewardPayout.from);
  }

  @Query(() => RewardPayoutChain, { nullable: true, description: "The Cosmos chain reward payouts go to; null when the server has none configured." })
  rewardPayoutChain(@Ctx() ctx: Context): RewardPayoutChain | null {
    const chain = ctx.services.rewards.payoutChainInfo(ctx.actor);
    return chain && Object.assign(new RewardPayoutChain(), chain);
  }

  @Query(() => String, { nullable: true, description: "Your payout address for rewards, or null." })
  myPayoutAddress(@Ctx() ctx: Context): Promise<string | null> {
    return ctx.services.rewards.myPayoutAddress(ctx.actor);
  }

  @Mutation(() => String, { nullable: true, description: "Sets your payout address for rewards (bech32, the configured chain's prefix); null or empty clears it. Answers the stored address." })
  setPayoutAddress(@Arg("address", () => String, { nullable: true }) address: string | null | undefined, @Ctx() ctx: Context): Promise<string | null> {
    return ctx.services.rewards.setPayoutAddress(ctx.actor, address ?? null);
  }

  @Query(() => [RewardEpoch], { description: "The project's reward epochs, newest first: all of them with rewards.run, else those holding a share of yours." })
  async rewardEpochs(@Arg("projectId", () => ID) projectId: string, @Arg("first", () => Int, { defaultValue: 20 }) first: number, @Ctx() ctx: Context): Promise<RewardEpoch[]> {
    return (await ctx.services.rewards.epochs(ctx.actor, projectId, first)).map(({ epoch, view }) => RewardEpoch.from(epoch, view));
  }

  @Query(() => RewardEpoch)
  async rewardEpoch(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<RewardEpoch> {
    const { epoch, view } = await ctx.services.rewards.epoch(ctx.actor, id);
    return RewardEpoch.from(epoch, view);
  }

  @FieldResolver(() => [RewardShare], { description: "Every reader's share with rewards.run; otherwise only your own." })
  async shares(@Root() epoch: RewardEpoch, @Ctx() ctx: Context): Promise<RewardShare[]> {
    const view = epoch.view ?? (await ctx.services.rewards.view(ctx.actor, epoch.projectId));
    const shares = await ctx.services.rewards.shares(epoch.id, view);
    const withAddress = await ctx.services.rewards.payoutAddressSet(shares.flatMap((s) => (s.readerUserId ? [s.readerUserId] : [])));
    return shares.map((s) => RewardShare.from(s, !!s.readerUserId && withAddress.has(s.readerUserId)));
  }

  @FieldResolver(() => [RewardPayout], { description: "Payments of this epoch: all with rewards.run; otherwise only yours." })
  async payouts(@Root() epoch: RewardEpoch, @Ctx() ctx: Context): Promise<RewardPayout[]> {
    const view = epoch.view ?? (await ctx.services.rewards.view(ctx.actor, epoch.projectId));
    return (await ctx.services.rewards.payouts(epoch.id, view)).map(RewardPayout.from);
  }

  @Subscription(() => RewardEpoch, {
    description: "The project's reward epochs as they are queued, progress and finish (permission rewards.run).",
    subscribe: ({ args, context }) => (context as Context).services.rewards.updates((context as Context).actor, args.projectId as string),
  })
  rewardEpochUpdates(@Arg("projectId", () => ID) _projectId: string, @Root() epoch: EpochRow): RewardEpoch {
    return RewardEpoch.from(epoch, null);
  }
}
