import { Queue as BullQueue, Worker, type Job } from "bullmq";
import { createClient } from "redis";
import type { Logger } from "../../logger.js";
import { JOB_NAMES, SCHEDULES, type JobContext, type JobHandlers, type JobName, type JobPayloads, type Schedule } from "../../jobs/registry.js";
import type { EnqueueOptions, Queue } from "./queue.js";

const QUEUE_NAME = "concord";

// BullMQ on Redis. BullMQ wants a connected node-redis client per Queue and per Worker.
export class BullQueueAdapter implements Queue {
  readonly kind = "bullmq" as const;
  private readonly clients: Array<{ quit(): Promise<unknown> }> = [];
  private readonly workers: Worker[] = [];

  private constructor(
    private readonly url: string,
    private readonly queue: BullQueue,
    private readonly prefix: string,
    private readonly log: Logger,
    private readonly lockMs: number,
  ) {}

  /** `lockMs`: a worker's job lock and stalled-job check interval (BullMQ's default 30 s); a killed worker's job runs again after about that long. */
  static async connect(url: string, log: Logger, prefix = "concord-jobs", opts: { lockMs?: number } = {}): Promise<BullQueueAdapter> {
    const client = await BullQueueAdapter.client(url, log);
    const queue = new BullQueue(QUEUE_NAME, { connection: client as never, prefix });
    const adapter = new BullQueueAdapter(url, queue, prefix, log, opts.lockMs ?? 30_000);
    adapter.clients.push(client);
    return adapter;
  }

  private static async client(url: string, log: Logger) {
    // BullMQ's blocking commands need no per-command timeout and unlimited retries of the connection.
    const client = createClient({ url });
    client.on("error", (err: Error) => log.error({ err: err.message }, "redis queue error"));
    await client.connect();
    return client;
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts: EnqueueOptions): Promise<void> {
    await this.queue.add(name, payload, {
      jobId: opts.jobId,
      attempts: opts.attempts ?? 3,
      backoff: { type: "exponential", delay: 1000 },
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  async work(handlers: JobHandlers, ctx: Omit<JobContext, "progress">, concurrency = 2): Promise<() => Promise<void>> {
    const client = await BullQueueAdapter.client(this.url, this.log);
    this.clients.push(client);
    const worker = new Worker(
      QUEUE_NAME,
      async (job: Job) => {
        const handler = handlers[job.name as JobName] as ((p: unknown, c: JobContext) => Promise<unknown>) | undefined;
        if (!handler) throw new Error(`No handler for job ${job.name}`);
        return handler(job.data, { ...ctx, progress: (p) => job.updateProgress(p) });
      },
      { connection: client as never, prefix: this.prefix, concurrency, lockDuration: this.lockMs, stalledInterval: this.lockMs },
    );
    worker.on("failed", (job, err) => this.log.warn({ job: job?.name, jobId: job?.id, err: err.message }, "job attempt failed"));
    this.workers.push(worker);
    await worker.waitUntilReady();
    return () => worker.close();
  }

  async schedule(schedules: readonly Schedule[] = SCHEDULES): Promise<void> {
    for (const s of schedules) {
      await this.queue.upsertJobScheduler(s.name, { every: s.everyMs }, { name: s.name, data: s.payload });
    }
    // Schedulers live in Redis: one whose configuration was turned off (anchoring, say) must go.
    for (const name of JOB_NAMES.filter((n) => !schedules.some((s) => s.name === n))) await this.queue.removeJobScheduler(name);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await this.queue.close().catch(() => undefined);
    await Promise.allSettled(this.clients.map((c) => c.quit()));
  }
}
