import type { Logger } from "../../logger.js";
import { SCHEDULES, type JobContext, type JobHandlers, type JobName, type JobPayloads, type Schedule } from "../../jobs/registry.js";
import type { EnqueueOptions, Queue } from "./queue.js";

interface Pending {
  name: JobName;
  payload: unknown;
  jobId: string;
  attempt: number;
  attempts: number;
}

// The embedded default: jobs run in this process, with retries and backoff like BullMQ's.
// (CPU-heavy handlers move to worker threads when they arrive; maintenance jobs are I/O only.)
export class MemoryQueue implements Queue {
  readonly kind = "memory" as const;
  private readonly pending: Pending[] = [];
  private readonly known = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private runner: { handlers: JobHandlers; ctx: Omit<JobContext, "progress">; running: number; concurrency: number } | null = null;
  private closed = false;

  constructor(private readonly log: Logger) {}

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts: EnqueueOptions): Promise<void> {
    if (this.known.has(opts.jobId)) return;
    this.known.add(opts.jobId);
    this.pending.push({ name, payload, jobId: opts.jobId, attempt: 0, attempts: opts.attempts ?? 3 });
    this.pump();
  }

  async work(handlers: JobHandlers, ctx: Omit<JobContext, "progress">, concurrency = 2): Promise<() => Promise<void>> {
    this.runner = { handlers, ctx, running: 0, concurrency };
    this.pump();
    return async () => {
      this.runner = null;
    };
  }

  async schedule(schedules: readonly Schedule[] = SCHEDULES): Promise<void> {
    for (const s of schedules) {
      const tick = () => void this.enqueue(s.name, s.payload, { jobId: `${s.name}:${Math.floor(Date.now() / s.everyMs)}` });
      tick();
      const timer = setInterval(tick, s.everyMs);
      timer.unref();
      this.timers.add(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t), clearTimeout(t);
    this.timers.clear();
    this.runner = null;
  }

  private pump(): void {
    const r = this.runner;
    while (r && !this.closed && r.running < r.concurrency && this.pending.length) {
      const job = this.pending.shift()!;
      r.running++;
      void this.run(r, job).finally(() => {
        r.running--;
        this.pump();
      });
    }
  }

  private async run(r: NonNullable<MemoryQueue["runner"]>, job: Pending): Promise<void> {
    const handler = r.handlers[job.name] as (p: unknown, c: JobContext) => Promise<unknown>;
    try {
      await handler(job.payload, { ...r.ctx, progress: async () => undefined });
      this.known.delete(job.jobId);
    } catch (err) {
      job.attempt++;
      if (job.attempt >= job.attempts) {
        this.known.delete(job.jobId);
        this.log.error({ job: job.name, jobId: job.jobId, err: (err as Error).message }, "job failed");
        return;
      }
      const delay = 1000 * 2 ** (job.attempt - 1);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.pending.push(job);
        this.pump();
      }, delay);
      timer.unref();
      this.timers.add(timer);
    }
  }
}
