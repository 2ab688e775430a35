import { expect } from "vitest";
import { handlers } from "@concord/workers/handlers/index";
import { createLogger } from "../logger.js";
import { aiChannel } from "../modules/ai/ai.service.js";
import { fixedExtractor } from "../modules/ai/extractor.js";
import { FEATURES, HEAD_WEIGHTS, INPUT, PROBABILITIES, buildClassifierModel } from "../modules/ai/onnx-build.js";
import { Subscription, trackSubscriptions } from "./fixtures.js";
import { startTestServer, type Caller } from "./harness.js";

// What the AI tests through the server share: the GraphQL documents for running models and
// following their jobs, the shapes they answer, a poll for an outcome, running a model while
// following its job, the case an upload made, and a server whose AI jobs run.

/**
 * Project settings for training tests on synthetic series: ctImage writes every series as one
 * patient's, and a split by patient would put them all on one side. By case, some are held out.
 */
export const SPLIT_BY_CASE = { datasetSplit: { trainPercent: 70, validationPercent: 15, groupBy: "CASE" } } as const;

export const JOB = `jobId kind projectId status progress modelId modelVersionId caseId predictionId message`;
export const RUN = `mutation($caseId: ID!, $modelVersionId: ID!) { runModel(caseId: $caseId, modelVersionId: $modelVersionId) { ${JOB} } }`;
export const PREDICTIONS = `query($caseId: ID!) { casePredictions(caseId: $caseId) { id caseId modelVersionId modelName version task heatmapMethod outputs { label value } } }`;
export const UPDATES = `subscription($projectId: ID!) { aiJobUpdates(projectId: $projectId) { ${JOB} } }`;

export const REGIONS = `query($caseId: ID!, $modelVersionId: ID!) { predictionRegions(caseId: $caseId, modelVersionId: $modelVersionId) {
  caseId modelVersionId notes unmatchedLabels hesitant regions { label roiClassId roiShape sopInstanceUid frame points pixels } } }`;

/** A suggested region as predictionRegions answers it. */
export interface Region {
  label: string;
  roiClassId: string | null;
  roiShape: string | null;
  sopInstanceUid: string;
  frame: number;
  points: number[][];
  pixels: number;
}

/** predictionRegions' answer. */
export interface Regions {
  caseId: string;
  modelVersionId: string;
  notes: string[];
  unmatchedLabels: string[];
  /** The share of the most hesitant image where the model hesitates; null when not kept. */
  hesitant: number | null;
  regions: Region[];
}

export interface Job {
  jobId: string;
  kind: string;
  status: string;
  progress: number;
  modelVersionId: string | null;
  caseId: string | null;
  predictionId: string | null;
  message: string | null;
}

export interface Prediction {
  id: string;
  modelVersionId: string;
  modelName: string;
  task: string;
  heatmapMethod: string;
  outputs: Array<{ label: string; value: number }>;
}

/** Polls `probe` until it answers something truthy; throws naming `what` after `ms`. */
export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, ms = 30_000, what = "condition", every = 25): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * Runs the model on the case as `who` and follows aiJobUpdates (as `listener`) until the job ends:
 * the queued answer and every event of the job, in order. `subscriptions` (trackSubscriptions of the
 * server's bus) tells when the subscription listens, so no event is missed.
 */
export async function runAndFollow(
  at: { listener: Caller; projectId: string; subscriptions: ReturnType<typeof trackSubscriptions> },
  who: Caller,
  caseId: string,
  modelVersionId: string,
): Promise<{ queued: Job; events: Job[] }> {
  const { queued, events } = await followJob(
    at,
    async () => (await who.ok<{ runModel: Job }>(RUN, { caseId, modelVersionId })).runModel,
    (job) => job.status === "DONE" || job.status === "FAILED",
    "the inference to end",
  );
  return { queued, events };
}

/**
 * Queues a training (`document`, a trainModel mutation taking $projectId and $name) as `who` and
 * follows its job until it ends: every update of it, and the last, which names the new version
 * when it is DONE (the progress report at 100 that comes before it does not).
 */
export async function trainAndFollow(
  at: { listener: Caller; projectId: string; subscriptions: ReturnType<typeof trackSubscriptions> },
  who: Caller,
  document: string,
  name: string,
): Promise<{ queued: Job; events: Job[]; end: Job }> {
  return followJob(
    at,
    async () => (await who.ok<{ trainModel: Job }>(document, { projectId: at.projectId, name })).trainModel,
    (job) => job.status === "FAILED" || (job.status === "DONE" && !!job.modelVersionId),
    "the training to end",
    60_000,
  );
}

/** Listens to the project's AI jobs, starts one, and keeps its updates until `ended` says the last has come. */
async function followJob(
  at: { listener: Caller; projectId: string; subscriptions: ReturnType<typeof trackSubscriptions> },
  start: () => Promise<Job>,
  ended: (job: Job) => boolean,
  what: string,
  ms = 30_000,
): Promise<{ queued: Job; events: Job[]; end: Job }> {
  const { listener, projectId, subscriptions } = at;
  const sub = new Subscription<{ aiJobUpdates: Job }>(listener, UPDATES, { projectId });
  try {
    const listening = subscriptions.count(aiChannel(projectId));
    void sub.next(1); // starts the subscription; the pending value is kept for the next call
    await subscriptions.waitFor(aiChannel(projectId), listening + 1);
    const queued = await start();
    const events: Job[] = [];
    const end = await waitFor(async () => {
      const r = await sub.next(20_000);
      if (r === "timeout" || r.done) throw new Error("no AI job update");
      const job = r.value.data!.aiJobUpdates;
      if (job.jobId !== queued.jobId) return false;
      events.push(job);
      return ended(job) && job;
    }, ms, what);
    return { queued, events, end };
  } finally {
    await sub.close();
  }
}

/** The one case an upload (`stowed`) added to the project. */
export async function caseAddedBy(sql: <T>(q: string, p?: unknown[]) => Promise<T[]>, projectId: string, stowed: () => Promise<unknown>): Promise<string> {
  const ids = async () => (await sql<{ id: string }>(`SELECT id FROM cases WHERE project_id = $1`, [projectId])).map((r) => r.id);
  const before = new Set(await ids());
  await stowed();
  const added = (await ids()).filter((id) => !before.has(id));
  expect(added).toHaveLength(1);
  return added[0]!;
}

/**
 * A binary classifier on the fixed extractor (64 × 64 input) with one label, as registerModel takes
 * it: the ONNX file in base64 and its metadata as JSON. `weight(i)` is feature i's weight.
 */
export function binaryClassifierUpload(label: string, weight: (i: number) => number): { file: string; metadata: string } {
  const spec = fixedExtractor(64);
  const weights = Float32Array.from({ length: spec.featureShape[0] }, (_, i) => weight(i));
  const bytes = buildClassifierModel(spec, { task: "binary", weights, bias: new Float32Array(1), labels: [label] });
  const metadata = {
    input: { name: INPUT, shape: [1, 1, 64, 64], normalisation: { kind: "meanStd", mean: 0.5, std: 0.25 } },
    task: "binary",
    output: { name: PROBABILITIES, labels: [label] },
    cam: { featureMap: FEATURES, weightsInitializer: HEAD_WEIGHTS },
  };
  return { file: Buffer.from(bytes).toString("base64"), metadata: JSON.stringify(metadata) };
}

/** A test server whose AI jobs run: with Redis a worker here, as `concord worker` would (the in-process queue runs them itself); its subscriptions tracked. */
export interface AiTestServer {
  server: Awaited<ReturnType<typeof startTestServer>>;
  subscriptions: ReturnType<typeof trackSubscriptions>;
  /** Stops the worker and the server, and drops its database. */
  close(): Promise<void>;
}

export async function startAiTestServer(): Promise<AiTestServer> {
  const server = await startTestServer();
  const subscriptions = trackSubscriptions(server.platform.bus);
  const stopWorker = server.platform.queue.kind === "bullmq" ? await server.platform.queue.work(handlers, { services: server.services, log: createLogger("silent") }) : undefined;
  return {
    server,
    subscriptions,
    close: async () => {
      await stopWorker?.();
      await server.close();
      await server.services.ai.close();
      await server.dropDatabase();
    },
  };
}
