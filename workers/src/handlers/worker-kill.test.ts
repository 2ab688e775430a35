import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Queue as BullQueue } from "bullmq";
import { PNG } from "pngjs";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { aiChannel } from "@concord/server/modules/ai/ai.service";
import { fixedExtractor } from "@concord/server/modules/ai/extractor";
import type { ModelMetadata } from "@concord/server/modules/ai/metadata";
import { INPUT, PROBABILITIES, buildClassifierModel } from "@concord/server/modules/ai/onnx-build";
import { repoRoot } from "@concord/server/paths";
import { randomCxr } from "@concord/server/testing/cxr";
import { Subscription, trackSubscriptions, until } from "@concord/server/testing/fixtures";
import { buildProject, buildUser, startTestServer, type Caller } from "@concord/server/testing/harness";
import { stowOk } from "@concord/server/testing/images";
import { seededRandom } from "@concord/server/testing/random";

// Issue 6: a worker killed in the middle of a job leads to one retry and one result. The job is an
// ai.inferBatch run by a real `node bin/concord.js worker` process (the built code), killed with
// SIGKILL once the job reports progress; a second worker process picks the job up through BullMQ's
// stalled-job check (JOB_LOCK_MS, shortened here) and finishes it.
const redisUrl = inject("redisUrl");
const S = 64;
const CASES = 40;
const LOCK_MS = 2000;
const LABELS = ["cardiomegaly", "effusion"];

const REGISTER = `mutation($projectId: ID!, $name: String!, $metadata: String!, $file: String!) {
  registerModel(projectId: $projectId, name: $name, metadata: $metadata, file: $file) { id status } }`;
const MODEL_VERSION = `query($id: ID!) { modelVersion(id: $id) { id status refusal } }`;
const RUN_PROJECT = `mutation($projectId: ID!, $modelVersionId: ID!) { runModelOnProject(projectId: $projectId, modelVersionId: $modelVersionId) { jobId status } }`;
const UPDATES = `subscription($projectId: ID!) { aiJobUpdates(projectId: $projectId) { jobId kind status progress message } }`;

interface JobUpdate {
  jobId: string;
  kind: string;
  status: string;
  progress: number;
  message: string | null;
}

/** A model without a CAM feature map: its heatmaps are occlusion maps, a few hundred inferences per case. */
function occlusionModel(): { bytes: Uint8Array; metadata: ModelMetadata } {
  const spec = fixedExtractor(S);
  const rnd = seededRandom(11);
  const weights = Float32Array.from({ length: LABELS.length * spec.featureShape[0] }, () => (rnd() - 0.5) * 0.5);
  const bias = Float32Array.from(LABELS, () => (rnd() - 0.5) * 0.2);
  const bytes = buildClassifierModel(spec, { task: "multilabel", weights, bias, labels: LABELS });
  return {
    bytes,
    metadata: {
      input: { name: INPUT, shape: [1, 1, S, S], normalisation: { kind: "meanStd", mean: 0.45, std: 0.25 } },
      task: "multilabel",
      output: { name: PROBABILITIES, labels: LABELS },
    },
  };
}

function pngOf(seed: number): Buffer {
  const image = randomCxr(seed, { width: S, height: S, prevalence: 0.5 });
  const png = new PNG({ width: S, height: S, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(image.pixels as Uint8Array);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** `node bin/concord.js worker` on the test server's database, Redis namespace and data directory. */
function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["bin/concord.js", "worker", "--concurrency=1"], {
    cwd: repoRoot(),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "test", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => output };
}

async function stopWorker(w: WorkerProcess | undefined): Promise<void> {
  if (!w || w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill("SIGTERM");
  const done = await Promise.race([w.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 10_000))]);
  if (done === "timeout") {
    w.child.kill("SIGKILL");
    await w.exited;
  }
}

// Skipped without REDIS_URL: in the embedded default jobs run inside the server process, so there is no separate worker to kill.
describe.skipIf(!redisUrl)("a `concord worker` killed in the middle of a job (needs REDIS_URL)", () => {
  const prefix = `concord-test-${randomBytes(4).toString("hex")}`;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Caller;
  let projectId: string;
  let modelVersionId: string;
  let workerEnv: Record<string, string>;
  let first: WorkerProcess | undefined;
  let second: WorkerProcess | undefined;
  let redis: ReturnType<typeof createClient> | undefined;
  let jobs: BullQueue | undefined;
  const sql = <T,>(q: string, p: unknown[] = []) => server.platform.db.dataSource.query(q, p) as Promise<T[]>;

  beforeAll(async () => {
    // The workers run the built code; tsc -b is incremental, so this is quick when the build is current.
    execFileSync("npx", ["tsc", "-b", "server", "workers"], { cwd: repoRoot(), stdio: "pipe" });
    server = await startTestServer({ redisPrefix: prefix, env: { JOB_LOCK_MS: String(LOCK_MS) } });
    expect(server.platform.queue.kind).toBe("bullmq");
    workerEnv = {
      DATABASE_URL: server.platform.config.databaseUrl!,
      REDIS_URL: redisUrl!,
      CONCORD_REDIS_PREFIX: prefix,
      JOB_LOCK_MS: String(LOCK_MS),
      CONCORD_DATA_DIR: server.platform.config.dataDir,
    };
    first = startWorker(workerEnv);
    redis = createClient({ url: redisUrl! });
    await redis.connect();
    jobs = new BullQueue("concord", { connection: redis as never, prefix: `${prefix}-jobs` });

    const user = await buildUser(server, "worker-kill");
    owner = user.caller;
    projectId = await buildProject(owner);
    await stowOk(server, projectId, owner, Array.from({ length: CASES }, (_, i) => ({ name: `cxr-${String(i).padStart(2, "0")}.png`, bytes: pngOf(9000 + i) })));
    await until(async () => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE project_id = $1`, [projectId]))[0]!.n === CASES, 20_000, "the cases");

    // The first worker validates the model: it is up and taking jobs from this namespace.
    const { bytes, metadata } = occlusionModel();
    const r = await owner.ok<{ registerModel: { id: string } }>(REGISTER, { projectId, name: "occlusion", metadata: JSON.stringify(metadata), file: Buffer.from(bytes).toString("base64") });
    modelVersionId = r.registerModel.id;
    let status = "VALIDATING";
    await until(
      async () => {
        if (first!.child.exitCode !== null) throw new Error(`the first worker exited:\n${first!.output()}`);
        status = (await owner.ok<{ modelVersion: { status: string } }>(MODEL_VERSION, { id: modelVersionId })).modelVersion.status;
        return status !== "VALIDATING";
      },
      20_000,
      "the first worker to validate the model",
    );
    expect(status).toBe("READY");
  }, 90_000);

  afterAll(async () => {
    await stopWorker(first);
    await stopWorker(second);
    // This run's queue keys go with it (the bus channels leave nothing behind).
    await jobs?.obliterate({ force: true }).catch(() => undefined);
    await jobs?.close();
    await redis?.quit().catch(() => undefined);
    await server?.close();
    await server?.services.ai.close();
    await server?.dropDatabase();
  }, 30_000);

  it("is retried once by another worker: every case gets exactly one prediction, the batch ends DONE once", async () => {
    const subscriptions = trackSubscriptions(server.platform.bus);
    const sub = new Subscription<{ aiJobUpdates: JobUpdate }>(owner, UPDATES, { projectId });
    try {
      await subscriptions.waitFor(aiChannel(projectId));
      const { runModelOnProject } = await owner.ok<{ runModelOnProject: { jobId: string } }>(RUN_PROJECT, { projectId, modelVersionId });
      const jobId = runModelOnProject.jobId;
      const updates: JobUpdate[] = [];
      const next = async (ms: number) => {
        const u = await sub.nextData(ms);
        if (u.aiJobUpdates.jobId === jobId) updates.push(u.aiJobUpdates);
        return u.aiJobUpdates;
      };

      // Running, and past its first cases: kill -9, no chance to clean up or release the lock.
      while (!updates.some((u) => u.status === "RUNNING" && u.progress >= 25)) await next(20_000);
      first!.child.kill("SIGKILL");
      expect((await first!.exited).signal).toBe("SIGKILL");
      // A statement PostgreSQL had already received still commits: let it, before counting.
      await new Promise((r) => setTimeout(r, 300));
      const before = await sql<{ case_id: string; id: string; created_at: Date }>(
        `SELECT case_id, id, created_at FROM predictions WHERE model_version_id = $1`,
        [modelVersionId],
      );
      expect(before.length, "the first worker was killed in the middle of the batch").toBeGreaterThan(0);
      expect(before.length).toBeLessThan(CASES);
      const killedAt = Date.now();
      const progressAtKill = Math.max(...updates.map((u) => u.progress));

      // The job is still active (its lock not yet expired) until another worker's stalled-job check moves it back.
      second = startWorker(workerEnv);
      while (!updates.some((u) => u.status === "DONE" || u.status === "FAILED")) {
        if (second.child.exitCode !== null) throw new Error(`the second worker exited:\n${second.output()}`);
        await next(20_000);
      }
      const doneAfterMs = Date.now() - killedAt;
      let job = await jobs!.getJob(jobId);
      await until(async () => Boolean((job = await jobs!.getJob(jobId))?.finishedOn), 5000, "BullMQ to record the job finished");
      // Later updates, if any were (wrongly) coming, arrive now.
      while ((await sub.next(1000)) !== "timeout");

      // One result: DONE once, never FAILED; the retry started over from progress 0.
      expect(updates.filter((u) => u.status === "DONE")).toEqual([expect.objectContaining({ kind: "INFER_BATCH", progress: 100, message: null })]);
      expect(updates.filter((u) => u.status === "FAILED")).toEqual([]);
      expect(updates.filter((u) => u.status === "RUNNING" && u.progress === 0)).toHaveLength(2);
      expect(progressAtKill).toBeLessThan(100);

      // One prediction per case, and the ones the killed worker stored were kept, not computed again.
      const after = await sql<{ case_id: string; id: string; created_at: Date }>(
        `SELECT case_id, id, created_at FROM predictions WHERE model_version_id = $1`,
        [modelVersionId],
      );
      const cases = await sql<{ id: string }>(`SELECT id FROM cases WHERE project_id = $1`, [projectId]);
      expect(new Set(after.map((p) => p.case_id))).toEqual(new Set(cases.map((c) => c.id)));
      expect(after).toHaveLength(CASES);
      for (const p of before) expect(after.find((a) => a.case_id === p.case_id)).toEqual(p);

      // BullMQ retried it once, through the stalled-job check, and the retry finished it.
      expect(job!.stalledCounter).toBe(1);
      expect(job!.attemptsStarted).toBe(2);
      expect(job!.failedReason ?? null).toBeNull();
      expect(job!.returnvalue).toEqual({ done: CASES - before.length, skipped: before.length });
      // Picked up after the lock expired: at least one lock duration, well before BullMQ's default 30 s.
      expect(doneAfterMs).toBeGreaterThan(LOCK_MS);
      expect(doneAfterMs).toBeLessThan(25_000);
      expect(second.child.exitCode).toBeNull();
    } finally {
      await sub.close();
    }
  }, 60_000);
});
