import type { JobContext, JobHandlers, JobName, JobPayloads, Schedule } from "../../jobs/registry.js";

export interface EnqueueOptions {
  /** Deterministic id: enqueuing the same id twice runs the job once. */
  jobId: string;
  attempts?: number;
}

// Jobs: an in-process queue in the embedded default, BullMQ on Redis when REDIS_URL is set.
export interface Queue {
  readonly kind: "memory" | "bullmq";
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts: EnqueueOptions): Promise<void>;
  /** Runs jobs with these handlers in this process until the returned function is called. */
  work(handlers: JobHandlers, ctx: Omit<JobContext, "progress">, concurrency?: number): Promise<() => Promise<void>>;
  /** Registers the recurring jobs (idempotent across processes); default SCHEDULES. */
  schedule(schedules?: readonly Schedule[]): Promise<void>;
  close(): Promise<void>;
}
