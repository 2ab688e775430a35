import fs from "node:fs";
import path from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { decodeTxRaw, DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handlers } from "@concord/workers/handlers/index";
import type { Actor } from "../../access/access.js";
import { createLogger } from "../../logger.js";
import type { AnchorReceipt } from "../../platform/anchor.js";
import { signPayoutTx, type CosmosChain } from "../../platform/cosmos/signing.js";
import { GRANT_ROLE, Subscription, buildLabel, buildTeam, buildTeamProject, errorCode, trackSubscriptions, until, type Team } from "../../testing/fixtures.js";
import { buildProject, buildUser, startTestServer, type Caller } from "../../testing/harness.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { NO_REWARD_VECTORS, rewardVectorsDir } from "../../testing/reward-vectors.js";
import { canonicalSha256 } from "../ledger/canonical.js";
import { RewardsService, rewardsChannel, type PayoutSender } from "./epochs.service.js";
import { inputsHash, type AiProbability, type LabelVote, type RewardInputs } from "./inputs.js";
import { runPolicy } from "./policies/index.js";

const EPOCH = `id projectId policy budget kappaThreshold inputSource inputSetId inputsHash status progress error createdAt finishedAt
  labels { label taskValue meanSeconds timeWeight weight cellsCounted cellsSkipped pseudoPositiveCells tiedCells }
  shares { reader readerUserId score shareRaw tokens labels { label score kept kappaVsAi } }
  payouts { id reader address amount denom txHash height status }`;
const IMPORT = `mutation($projectId: ID!, $name: String!, $labels: String!, $ai: String, $times: String) {
  importRewardInputs(projectId: $projectId, name: $name, labels: $labels, ai: $ai, times: $times) {
    inputSet { id name votes readers cases labels aiRows labelTimes inputsHash } problems { field message } } }`;
const RUN = `mutation($projectId: ID!, $input: RewardEpochInput!) { runRewardEpoch(projectId: $projectId, input: $input) { id status } }`;
const GET = `query($id: ID!) { rewardEpoch(id: $id) { ${EPOCH} } }`;
const LIST = `query($projectId: ID!) { rewardEpochs(projectId: $projectId) { id shares { reader } } }`;
const PAY = `mutation($epochId: ID!, $addresses: [RewardAddressInput!]!) { payRewardEpoch(epochId: $epochId, addresses: $addresses) { id status } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const UPDATES = `subscription($projectId: ID!) { rewardEpochUpdates(projectId: $projectId) { id status progress } }`;

interface Share {
  reader: string;
  readerUserId: string | null;
  score: number | null;
  shareRaw: number | null;
  tokens: number | null;
  labels: Array<{ label: string; score: number | null; kept: boolean; kappaVsAi: number | null }>;
}
interface Epoch {
  id: string;
  status: string;
  progress: number;
  error: string | null;
  inputsHash: string | null;
  policy: string;
  budget: number;
  kappaThreshold: number | null;
  labels: Array<{ label: string; taskValue: number | null; meanSeconds: number | null; timeWeight: number | null; cellsCounted: number }>;
  shares: Share[];
  payouts: Array<{ id: string; reader: string; address: string; amount: string; txHash: string | null; height: number | null; status: string }>;
}

const vectors = rewardVectorsDir();

describe("reward epochs", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let projectId: string;
  let stopWorker: (() => Promise<void>) | undefined;
  const owner = () => team.OWNER.caller;
  const sql = <T,>(q: string, p: unknown[] = []) => server.platform.db.dataSource.query(q, p) as Promise<T[]>;

  async function runEpoch(input: Record<string, unknown>, who: Caller = owner()): Promise<Epoch> {
    const { runRewardEpoch } = await who.ok<{ runRewardEpoch: { id: string } }>(RUN, { projectId, input });
    let epoch: Epoch;
    const t0 = Date.now();
    do {
      await new Promise((r) => setTimeout(r, 40));
      epoch = (await who.ok<{ rewardEpoch: Epoch }>(GET, { id: runRewardEpoch.id })).rewardEpoch;
    } while (epoch.status !== "DONE" && epoch.status !== "FAILED" && Date.now() - t0 < 20_000);
    expect(epoch.error).toBeNull();
    expect(epoch.status).toBe("DONE");
    return epoch;
  }

  async function leafPayload(epochId: string, type: string): Promise<Buffer | undefined> {
    const [leaf] = await sql<{ payload_sha256: Buffer }>(`SELECT payload_sha256 FROM ledger_leaves WHERE object_id = $1 AND event_type = $2`, [epochId, type]);
    return leaf?.payload_sha256;
  }

  beforeAll(async () => {
    server = await startTestServer();
    // With Redis, jobs run in `concord worker` processes: one runs here, as a worker would.
    if (server.platform.queue.kind === "bullmq") stopWorker = await server.platform.queue.work(handlers, { services: server.services, log: createLogger("silent") });
    team = await buildTeam(server);
    projectId = await buildTeamProject(team);
  });
  afterAll(async () => {
    await stopWorker?.();
    await server?.close();
    await server?.dropDatabase();
  });

  describe.skipIf(!vectors)("imported syn3 inputs", () => {
    // Skipped without the vectors: NO_REWARD_VECTORS.
    void NO_REWARD_VECTORS;
    const read = (name: string) => fs.readFileSync(path.join(vectors!, name), "utf8");
    type Scenario = { per_label: Record<string, { T_k: number; tau_k: number; cells_counted: number }>; eq1: { S_total: Record<string, number>; reward: Record<string, number>; reward_int: Record<string, number> } };
    const expected = () => JSON.parse(read("syn3_expected.json")) as { tolerance: number; budget: number; kappa_threshold: number; scenarios: Record<string, Scenario> };
    let setId: string;

    beforeAll(async () => {
      const { importRewardInputs } = await owner().ok<{ importRewardInputs: { inputSet: { id: string; votes: number; readers: number; aiRows: number | null; labelTimes: number | null } | null; problems: unknown[] } }>(
        IMPORT,
        { projectId, name: "syn3", labels: read("syn3_annotations.csv"), ai: read("syn3_ai.csv") },
      );
      expect(importRewardInputs.problems).toEqual([]);
      expect(importRewardInputs.inputSet).toMatchObject({ votes: 180, readers: 3, aiRows: 60, labelTimes: null });
      setId = importRewardInputs.inputSet!.id;
    });

    it.each([
      ["syn3_reference", "markit-eq1"],
      ["syn3_proposed", "markit-eq1-safe"],
    ])("%s: an epoch of %s over the imported set gives the vectors' shares", async (scenario, policy) => {
      const want = expected();
      const s = want.scenarios[scenario]!;
      const epoch = await runEpoch({ policy, budget: want.budget, kappaThreshold: want.kappa_threshold, inputSetId: setId });
      expect(epoch.shares.map((x) => x.reader)).toEqual(Object.keys(s.eq1.S_total));
      for (const share of epoch.shares) {
        expect(share.score).toBeCloseTo(s.eq1.S_total[share.reader]!, 9);
        expect(share.shareRaw).toBeCloseTo(s.eq1.reward[share.reader]!, 9);
        expect(share.tokens).toBe(s.eq1.reward_int[share.reader]);
        expect(share.readerUserId).toBeNull();
      }
      expect(epoch.shares.reduce((a, x) => a + x.tokens!, 0)).toBe(want.budget);
      for (const [label, t] of Object.entries(s.per_label)) {
        const got = epoch.labels.find((l) => l.label === label)!;
        expect(got.taskValue).toBeCloseTo(t.T_k, 9);
        expect(got.meanSeconds).toBeCloseTo(t.tau_k, 9);
        expect(got.cellsCounted).toBe(t.cells_counted);
      }
      // The ledger leaf commits to the policy, parameters, inputs' hash and whole tokens; imported readers by name.
      const [stored] = await sql<{ inputs_hash: string }>(`SELECT inputs_hash FROM reward_input_sets WHERE id = $1`, [setId]);
      expect(epoch.inputsHash).toBe(stored!.inputs_hash);
      expect(await leafPayload(epoch.id, "reward.epoch")).toEqual(
        canonicalSha256({
          epochId: epoch.id,
          policy,
          parameters: { budget: want.budget, kappaThreshold: want.kappa_threshold },
          inputsHash: epoch.inputsHash,
          shares: epoch.shares.map((x) => ({ reader: x.reader, tokens: x.tokens })),
        }),
      );
    });

    it("the import's hash is the inputs' canonical hash, the same in any row order", async () => {
      const lines = read("syn3_annotations.csv").trim().split("\n");
      const shuffled = [lines[0], ...lines.slice(1).reverse()].join("\n");
      const { importRewardInputs } = await owner().ok<{ importRewardInputs: { inputSet: { inputsHash: string } } }>(IMPORT, { projectId, name: "syn3 reversed", labels: shuffled, ai: read("syn3_ai.csv") });
      const [first] = await sql<{ inputs_hash: string }>(`SELECT inputs_hash FROM reward_input_sets WHERE id = $1`, [setId]);
      expect(importRewardInputs.inputSet.inputsHash).toBe(first!.inputs_hash);
    });

    it("annotators cannot see an imported epoch (they hold no share in it), nor import or run", async () => {
      const epoch = await runEpoch({ policy: "concord", inputSetId: setId });
      const ann = team.ANNOTATOR.caller;
      expect(errorCode(await ann.gql(GET, { id: epoch.id }))).toBe("NOT_FOUND");
      expect((await ann.ok<{ rewardEpochs: Array<{ id: string }> }>(LIST, { projectId })).rewardEpochs.map((e) => e.id)).not.toContain(epoch.id);
      expect(errorCode(await ann.gql(IMPORT, { projectId, name: "x", labels: read("syn3_annotations.csv") }))).toBe("NOT_FOUND");
      expect(errorCode(await ann.gql(RUN, { projectId, input: { policy: "concord", inputSetId: setId } }))).toBe("NOT_FOUND");
    });
  });

  it("bad CSV rows store nothing and are listed per file, row and column", async () => {
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM reward_input_sets WHERE project_id = $1`, [projectId]);
    const { importRewardInputs } = await owner().ok<{ importRewardInputs: { inputSet: unknown; problems: Array<{ field: string; message: string }> } }>(IMPORT, {
      projectId,
      name: "bad",
      labels: "case,label,annotator,value,seconds\nc1,L1,A,1,3\nc1,L1,B,maybe,2\nc2,L1,A,0,-1\n",
      ai: "case,label,probability\nc1,L1,1.5\n",
      times: "label,seconds\nL1,4\n",
    });
    expect(importRewardInputs.inputSet).toBeNull();
    expect(importRewardInputs.problems).toEqual([
      { field: "labels row 3, column value", message: "expected 0, 1, true or false, got 'maybe'" },
      { field: "labels row 4, column seconds", message: "expected seconds (a number ≥ 0), got '-1'" },
      { field: "ai row 2, column probability", message: "expected a probability between 0 and 1, got '1.5'" },
    ]);
    const after = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM reward_input_sets WHERE project_id = $1`, [projectId]);
    expect(after[0]!.n).toBe(before[0]!.n);
    // A good file next to a bad one is not stored either; a good set with all three files is.
    const good = await owner().ok<{ importRewardInputs: { inputSet: { votes: number; aiRows: number; labelTimes: number } | null; problems: unknown[] } }>(IMPORT, {
      projectId,
      name: "good",
      labels: "case,label,annotator,value\nc1,L1,A,1\nc1,L1,B,true\n",
      ai: "case,label,probability\nc1,L1,0.7\n",
      times: "label,seconds\nL1,4\n",
    });
    expect(good.importRewardInputs).toMatchObject({ inputSet: { votes: 2, aiRows: 1, labelTimes: 1 }, problems: [] });
  });

  it("a project deleted whole takes its input sets and the epochs that use them", async () => {
    const other = await buildProject(owner());
    const { importRewardInputs } = await owner().ok<{ importRewardInputs: { inputSet: { id: string } } }>(IMPORT, { projectId: other, name: "gone", labels: "case,label,annotator,value\nc1,L1,A,1\nc1,L1,B,1\n" });
    const { runRewardEpoch } = await owner().ok<{ runRewardEpoch: { id: string } }>(RUN, { projectId: other, input: { policy: "concord", inputSetId: importRewardInputs.inputSet.id } });
    await until(async () => (await sql<{ status: string }>(`SELECT status FROM reward_epochs WHERE id = $1`, [runRewardEpoch.id]))[0]?.status === "DONE", 10_000, "the epoch");
    await sql(`DELETE FROM projects WHERE id = $1`, [other]);
    expect(await sql(`SELECT 1 FROM reward_epochs WHERE id = $1 UNION ALL SELECT 1 FROM reward_shares WHERE epoch_id = $1`, [runRewardEpoch.id])).toHaveLength(0);
  });

  describe("epochs from the project's own submitted labels", () => {
    let readers: Array<{ caller: Caller; id: string }>;
    let epoch: Epoch;
    let expectedInputs: RewardInputs;
    /** The model version and its probabilities the AI test stores (read again by the exclusion test). */
    let projectModel: { versionId: string; ai: AiProbability[] } | undefined;

    beforeAll(async () => {
      const p2 = await buildUser(server, "reader2");
      const p3 = await buildUser(server, "reader3");
      for (const r of [p2, p3]) await owner().ok(GRANT_ROLE, { projectId, input: { email: r.email, role: "ANNOTATOR" } });
      readers = [{ caller: team.ANNOTATOR.caller, id: team.ANNOTATOR.id }, p2, p3];
      const keys = ["case-a", "case-b", "case-c", "case-d"];
      await stowOk(server, projectId, owner(), keys.map((k, i) => ({ name: `${k}.png`, bytes: chestPng(12, 8, i) })));
      const cases = new Map((await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1`, [projectId])).map((r) => [r.key, r.id]));
      const effusion = await buildLabel(owner(), projectId, { name: "Effusion" });
      const nodule = await buildLabel(owner(), projectId, { name: "Nodule" });
      // Reader i says yes to Effusion on case k when (i + k) is odd or k is 0, to Nodule when k ≥ 2: contested and unanimous cells.
      for (const [i, r] of readers.entries()) {
        for (const [k, key] of keys.entries()) {
          await r.caller.ok(SUBMIT, { caseId: cases.get(key), input: { labels: [{ labelId: effusion, value: (i + k) % 2 === 1 || k === 0 }, { labelId: nodule, value: k >= 2 }] } });
        }
      }
      // What the epoch should read: the values submitted above, with the seconds the server recorded.
      const seconds = await sql<{ key: string; name: string; reader_id: string; seconds: number | null }>(
        `SELECT c.key, d.name, a.reader_id, v.seconds FROM annotations a JOIN cases c ON c.id = a.case_id JOIN label_values v ON v.annotation_id = a.id
           JOIN label_definitions d ON d.id = v.label_id WHERE a.project_id = $1 AND a.status = 'SUBMITTED'`,
        [projectId],
      );
      const secondsOf = (key: string, label: string, reader: string) => seconds.find((s) => s.key === key && s.name === label && s.reader_id === reader)?.seconds ?? null;
      const votes: LabelVote[] = [];
      for (const [i, r] of readers.entries()) {
        for (const [k, key] of keys.entries()) {
          for (const [label, value] of [["Effusion", (i + k) % 2 === 1 || k === 0], ["Nodule", k >= 2]] as const) {
            const s = secondsOf(key, label, r.id);
            votes.push(s === null ? { caseId: key, label, reader: r.id, value } : { caseId: key, label, reader: r.id, value, seconds: Number(s) });
          }
        }
      }
      expectedInputs = { votes };
    });

    it("runs markit-eq1-safe over each reader's latest submission, publishing progress", async () => {
      const subs = trackSubscriptions(server.platform.bus);
      const sub = new Subscription<{ rewardEpochUpdates: { id: string; status: string; progress: number } }>(team.MANAGER.caller, UPDATES, { projectId });
      await subs.waitFor(rewardsChannel(projectId));
      epoch = await runEpoch({ policy: "markit-eq1-safe", budget: 90 });
      const seen: Array<{ status: string; progress: number }> = [];
      while (seen.at(-1)?.status !== "DONE") seen.push((await sub.nextData()).rewardEpochUpdates);
      await sub.close();
      expect(seen[0]!.status).toMatch(/QUEUED|RUNNING/);
      expect(seen.some((e) => e.status === "RUNNING" && e.progress > 0 && e.progress < 100)).toBe(true);
      expect(seen.at(-1)).toMatchObject({ id: epoch.id, status: "DONE", progress: 100 });

      const want = runPolicy("markit-eq1-safe", expectedInputs, { budget: 90 });
      expect(epoch.inputsHash).toBe(inputsHash(expectedInputs));
      expect(new Set(epoch.shares.map((s) => s.reader))).toEqual(new Set(readers.map((r) => r.id)));
      for (const share of epoch.shares) {
        expect(share.readerUserId).toBe(share.reader);
        expect(share.tokens).toBe(want.scores.reward_int![share.reader]);
        expect(share.score).toBeCloseTo(want.scores.S_total[share.reader]!, 12);
        expect(share.labels.map((l) => l.label).sort()).toEqual(["Effusion", "Nodule"]);
      }
      expect(epoch.shares.reduce((a, s) => a + s.tokens!, 0)).toBe(90);
    });

    it("the ledger leaf names readers by their ledger pseudonym, never their user id", async () => {
      const change = {
        epochId: epoch.id,
        policy: "markit-eq1-safe",
        parameters: { budget: 90 },
        inputsHash: epoch.inputsHash,
        shares: epoch.shares.map((s) => ({ reader: server.services.ledger.pseudonym(s.reader), tokens: s.tokens })),
      };
      expect(await leafPayload(epoch.id, "reward.epoch")).toEqual(canonicalSha256(change));
      expect(canonicalSha256(change)).not.toEqual(canonicalSha256({ ...change, shares: epoch.shares.map((s) => ({ reader: s.reader, tokens: s.tokens })) }));
    });

    it("a reader sees the epoch with only their own share; a manager sees every share", async () => {
      for (const r of readers) {
        const mine = (await r.caller.ok<{ rewardEpoch: Epoch }>(GET, { id: epoch.id })).rewardEpoch;
        expect(mine.shares.map((s) => s.reader)).toEqual([r.id]);
        const listed = (await r.caller.ok<{ rewardEpochs: Array<{ id: string; shares: Array<{ reader: string }> }> }>(LIST, { projectId })).rewardEpochs;
        expect(listed.map((e) => e.id)).toEqual([epoch.id]);
        expect(listed[0]!.shares).toEqual([{ reader: r.id }]);
      }
      expect((await team.MANAGER.caller.ok<{ rewardEpoch: Epoch }>(GET, { id: epoch.id })).rewardEpoch.shares).toHaveLength(3);
      // A member without a share (the viewer) sees no epoch at all.
      expect(errorCode(await team.VIEWER.caller.gql(GET, { id: epoch.id }))).toBe("NOT_FOUND");
      // Live updates are for rewards.run only.
      const sub = new Subscription(team.ANNOTATOR.caller, UPDATES, { projectId });
      const r = await sub.next();
      await sub.close();
      expect(r !== "timeout" && !r.done && errorCode(r.value)).toBe("NOT_FOUND");
    });

    it("only rewards.run may run epochs; the manager may, the others may not", async () => {
      for (const role of ["ANNOTATOR", "REVIEWER", "VIEWER", "DATA_OWNER", "TRAINEE"] as const) {
        expect(errorCode(await team[role].caller.gql(RUN, { projectId, input: { policy: "concord" } }))).toBe("NOT_FOUND");
      }
      expect((await runEpoch({ policy: "concord" }, team.MANAGER.caller)).shares).toHaveLength(3);
      expect(errorCode(await owner().gql(RUN, { projectId, input: { policy: "nope" } }))).toBe("BAD_USER_INPUT");
      expect(errorCode(await owner().gql(RUN, { projectId, input: { policy: "concord", inputSetId: "00000000-0000-4000-8000-000000000000" } }))).toBe("BAD_USER_INPUT");
    });

    it("paying is for the owner only, and refused with a clear message without a configured chain", async () => {
      const addresses = [{ readerId: readers[0]!.id, address: toBech32("cosmos", new Uint8Array(20).fill(1)) }];
      expect(errorCode(await team.MANAGER.caller.gql(PAY, { epochId: epoch.id, addresses }))).toBe("FORBIDDEN");
      expect(errorCode(await team.ANNOTATOR.caller.gql(PAY, { epochId: epoch.id, addresses }))).toBe("NOT_FOUND");
      const r = await owner().gql(PAY, { epochId: epoch.id, addresses });
      expect(errorCode(r)).toBe("CONFLICT");
      expect(r.errors![0]!.message).toMatch(/COSMOS_RPC_URL/);
      expect(await sql(`SELECT 1 FROM reward_payouts WHERE epoch_id = $1`, [epoch.id])).toHaveLength(0);
    });

    it("pays through the payout sender: one MsgSend per reader in one signed transaction, recorded and on the ledger", async () => {
      // A chain cannot run here: this sender signs offline exactly as CosmosAnchor does (signPayoutTx) and answers as a chain would.
      const chain: CosmosChain = { chainId: "concord-test-1", denom: "ustake", prefix: "cosmos", fee: { amount: "5000", gas: "200000" } };
      const wallet = await DirectSecp256k1HdWallet.generate(24, { prefix: chain.prefix });
      const sent: Array<{ txBytes: Uint8Array; memo: string }> = [];
      let failNext = false;
      const sender: PayoutSender = {
        async sendPayouts(payouts, memo): Promise<AnchorReceipt> {
          if (failNext) {
            failNext = false;
            throw new Error("account sequence mismatch");
          }
          const signed = await signPayoutTx(wallet, chain, payouts, memo, { accountNumber: 7n, sequence: sent.length });
          sent.push({ txBytes: signed.txBytes, memo });
          return { txHash: signed.txHash, height: 1000 + sent.length, chainId: chain.chainId };
        },
      };
      const service = new RewardsService(server.platform.db, server.platform.bus, server.platform.queue, server.services.ledger, { chain, sender }, createLogger("silent"), server.services.compute);
      const ownerActor: Actor = { userId: team.OWNER.id, via: "session" };
      const paid = epoch.shares.filter((s) => s.tokens! > 0);
      expect(paid.length).toBeGreaterThan(1);
      const addressOf = (i: number) => toBech32("cosmos", new Uint8Array(20).fill(i + 10));
      const addresses = paid.map((s, i) => ({ readerId: s.reader, address: addressOf(i) }));

      // A failed send leaves FAILED rows and may be repeated.
      failNext = true;
      await expect(service.pay(ownerActor, epoch.id, addresses)).rejects.toThrow(/nothing was paid/);
      expect((await sql<{ status: string }>(`SELECT status FROM reward_payouts WHERE epoch_id = $1`, [epoch.id])).map((r) => r.status)).toEqual(paid.map(() => "FAILED"));

      const rows = await service.pay(ownerActor, epoch.id, addresses);
      expect(rows.map((r) => r.status)).toEqual(paid.map(() => "SENT"));
      expect(sent).toHaveLength(1);
      const tx = decodeTxRaw(sent[0]!.txBytes);
      expect(tx.body.memo).toBe(`concord-reward:v1:${epoch.id}`);
      const from = (await wallet.getAccounts())[0]!.address;
      expect(tx.body.messages.map((m) => MsgSend.decode(m.value))).toEqual(
        paid.map((s, i) => ({ fromAddress: from, toAddress: addressOf(i), amount: [{ denom: "ustake", amount: String(s.tokens) }] })),
      );
      const txHash = rows[0]!.txHash!;
      expect(rows.every((r) => r.txHash === txHash && r.height === 1001)).toBe(true);
      expect(await leafPayload(epoch.id, "reward.payout")).toEqual(
        canonicalSha256({
          epochId: epoch.id,
          chainId: "concord-test-1",
          txHash,
          height: 1001,
          payouts: paid.map((s, i) => ({ reader: server.services.ledger.pseudonym(s.reader), address: addressOf(i), amount: String(s.tokens), denom: "ustake" })),
        }),
      );
      // The API shows it: the owner all payouts, a reader their own.
      // The API shows them, the failed attempt too: the owner every payout, a reader their own.
      const all = (await owner().ok<{ rewardEpoch: Epoch }>(GET, { id: epoch.id })).rewardEpoch.payouts;
      expect(all.filter((p) => p.status === "SENT").map((p) => [p.reader, p.amount, p.txHash])).toEqual(paid.map((s) => [s.reader, String(s.tokens), txHash]));
      expect(all.filter((p) => p.status === "FAILED")).toHaveLength(paid.length);
      const reader = readers.find((r) => r.id === paid[0]!.reader)!;
      const own = (await reader.caller.ok<{ rewardEpoch: Epoch }>(GET, { id: epoch.id })).rewardEpoch.payouts;
      expect(own.map((p) => [p.reader, p.status]).sort()).toEqual([[reader.id, "FAILED"], [reader.id, "SENT"]]);

      // Nobody is paid twice; bad addresses and unknown readers are refused before anything is sent.
      await expect(service.pay(ownerActor, epoch.id, addresses.slice(0, 1))).rejects.toThrow(/already paid/);
      await expect(service.pay(ownerActor, epoch.id, [{ readerId: "someone", address: addressOf(0) }])).rejects.toThrow(/no share/);
      await expect(service.pay(ownerActor, epoch.id, [{ readerId: paid[0]!.reader, address: "osmo1xyz" }])).rejects.toThrow(/bech32/);
      await expect(service.pay({ userId: team.MANAGER.id, via: "session" }, epoch.id, addresses)).rejects.toThrow(/owner/);
      expect(sent).toHaveLength(1);
    });

    it("readers store their own payout addresses; paying without addresses pays those, once each", async () => {
      const chain: CosmosChain = { chainId: "concord-test-1", denom: "ustake", prefix: "cosmos", fee: { amount: "5000", gas: "200000" } };
      const sent: string[][] = [];
      const sender: PayoutSender = {
        async sendPayouts(payouts): Promise<AnchorReceipt> {
          sent.push(payouts.map((p) => p.address));
          return { txHash: `tx-${sent.length}`, height: 2000 + sent.length, chainId: chain.chainId };
        },
      };
      const service = new RewardsService(server.platform.db, server.platform.bus, server.platform.queue, server.services.ledger, { chain, sender }, createLogger("silent"), server.services.compute);
      const ownerActor: Actor = { userId: team.OWNER.id, via: "session" };
      const fresh = await runEpoch({ policy: "concord" });
      const due = fresh.shares.filter((s) => s.tokens! > 0).map((s) => readers.find((r) => r.id === s.reader)!);
      expect(due.length).toBeGreaterThan(1);
      const SET = `mutation($a: String) { setPayoutAddress(address: $a) }`;
      const MINE = `{ myPayoutAddress }`;
      const SET_FLAGS = `query($id: ID!) { rewardEpoch(id: $id) { shares { reader payoutAddressSet } } }`;
      const addressOf = (i: number) => toBech32("cosmos", new Uint8Array(20).fill(i + 40));

      // Set through GraphQL, checked as bech32; through a service with a chain, also its prefix.
      expect(errorCode(await due[0]!.caller.gql(SET, { a: "not an address" }))).toBe("BAD_USER_INPUT");
      await expect(service.setPayoutAddress({ userId: due[0]!.id, via: "session" }, toBech32("osmo", new Uint8Array(20).fill(3)))).rejects.toThrow(/prefix "osmo"/);
      expect((await due[0]!.caller.ok<{ myPayoutAddress: string | null }>(MINE)).myPayoutAddress).toBeNull();
      expect((await due[0]!.caller.ok<{ setPayoutAddress: string }>(SET, { a: `  ${addressOf(0)} ` })).setPayoutAddress).toBe(addressOf(0));
      expect((await due[0]!.caller.ok<{ myPayoutAddress: string | null }>(MINE)).myPayoutAddress).toBe(addressOf(0));
      // Another reader's address is theirs alone: the owner sees only whether one is set.
      expect((await due[1]!.caller.ok<{ myPayoutAddress: string | null }>(MINE)).myPayoutAddress).toBeNull();
      const flags = (await owner().ok<{ rewardEpoch: { shares: Array<{ reader: string; payoutAddressSet: boolean }> } }>(SET_FLAGS, { id: fresh.id })).rewardEpoch.shares;
      expect(flags.find((f) => f.reader === due[0]!.id)!.payoutAddressSet).toBe(true);
      expect(flags.find((f) => f.reader === due[1]!.id)!.payoutAddressSet).toBe(false);

      // Without addresses: those who stored one; then nobody is left; then the next who stores one.
      expect((await service.pay(ownerActor, fresh.id, null)).map((r) => [r.reader, r.address, r.status])).toEqual([[due[0]!.id, addressOf(0), "SENT"]]);
      await expect(service.pay(ownerActor, fresh.id, null)).rejects.toThrow(/no reader with tokens left to pay/);
      await due[1]!.caller.ok(SET, { a: addressOf(1) });
      expect((await service.pay(ownerActor, fresh.id, null)).map((r) => [r.reader, r.address])).toEqual([[due[1]!.id, addressOf(1)]]);
      expect(sent).toEqual([[addressOf(0)], [addressOf(1)]]);
      // Clearing it.
      expect((await due[0]!.caller.ok<{ setPayoutAddress: string | null }>(SET, { a: null })).setPayoutAddress).toBeNull();
      expect((await due[0]!.caller.ok<{ myPayoutAddress: string | null }>(MINE)).myPayoutAddress).toBeNull();
    });

    it("a project model's predictions join as the AI when named", async () => {
      // A ready model version with stored predictions, as the AI module writes them (its ONNX bytes are not read here).
      const [model] = await sql<{ id: string }>(`INSERT INTO models (project_id, name, task) VALUES ($1, 'matrix-cxr', 'multilabel') RETURNING id`, [projectId]);
      const [version] = await sql<{ id: string }>(
        `INSERT INTO model_versions (model_id, project_id, version, onnx, sha256, metadata, status, source) VALUES ($1, $2, 1, '\\x00', 'x', '{}', 'READY', 'UPLOADED') RETURNING id`,
        [model!.id, projectId],
      );
      const cases = await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1 ORDER BY key`, [projectId]);
      const ai: AiProbability[] = [];
      for (const [k, c] of cases.entries()) {
        const outputs = [{ label: "Effusion", value: k === 0 || k === 3 ? 0.9 : 0.2 }, { label: "Nodule", value: k >= 2 ? 0.8 : 0.1 }, { label: "Score", value: 7 }];
        await sql(`INSERT INTO predictions (project_id, case_id, model_version_id, outputs, method) VALUES ($1, $2, $3, $4::jsonb, 'none')`, [projectId, c.id, version!.id, JSON.stringify(outputs)]);
        for (const o of outputs) if (o.value <= 1) ai.push({ caseId: c.key, label: o.label, probability: o.value });
      }
      projectModel = { versionId: version!.id, ai };
      const withAi = await runEpoch({ policy: "markit-eq1", budget: 100, modelVersionId: version!.id });
      const want = runPolicy("markit-eq1", { ...expectedInputs, ai }, { budget: 100 });
      expect(withAi.inputsHash).toBe(inputsHash({ ...expectedInputs, ai }));
      for (const share of withAi.shares) {
        expect(share.tokens).toBe(want.scores.reward_int?.[share.reader] ?? null);
        for (const l of share.labels) expect(l.kappaVsAi).toBe(want.kappa_vs_ai[share.reader]![l.label] ?? null);
      }
      expect(withAi.shares.some((s) => s.labels.some((l) => l.kappaVsAi !== null))).toBe(true);
      // Only the project's own ready probability models, and never beside an input set.
      for (const input of [
        { policy: "markit-eq1", modelVersionId: "00000000-0000-4000-8000-000000000000" },
        { policy: "markit-eq1", modelVersionId: version!.id, inputSetId: "00000000-0000-4000-8000-000000000000" },
      ]) {
        expect(errorCode(await owner().gql(RUN, { projectId, input }))).toBe("BAD_USER_INPUT");
      }
    });

    it("a case excluded from the project feeds no epoch, neither its votes nor the model's predictions; included again, it does", async () => {
      const { versionId, ai } = projectModel!;
      const [excluded] = await sql<{ id: string }>(`SELECT id FROM cases WHERE project_id = $1 AND key = 'case-a'`, [projectId]);
      const full: RewardInputs = { ...expectedInputs, ai };
      const without: RewardInputs = { votes: expectedInputs.votes.filter((v) => v.caseId !== "case-a"), ai: ai.filter((a) => a.caseId !== "case-a") };
      expect(without.votes.length).toBeLessThan(full.votes.length);
      expect(without.ai!.length).toBeLessThan(ai.length);
      await sql(`INSERT INTO case_exclusions (case_id, project_id, reason) VALUES ($1, $2, 'DUPLICATE')`, [excluded!.id, projectId]);
      try {
        const e = await runEpoch({ policy: "markit-eq1", budget: 100, modelVersionId: versionId });
        expect(e.inputsHash).toBe(inputsHash(without));
        const want = runPolicy("markit-eq1", without, { budget: 100 });
        for (const share of e.shares) expect(share.tokens).toBe(want.scores.reward_int?.[share.reader] ?? null);
      } finally {
        await sql(`DELETE FROM case_exclusions WHERE case_id = $1`, [excluded!.id]);
      }
      expect((await runEpoch({ policy: "markit-eq1", budget: 100, modelVersionId: versionId })).inputsHash).toBe(inputsHash(full));
    });
  });
});
