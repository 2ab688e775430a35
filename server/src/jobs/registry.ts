import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { Services } from "../services.js";

// One name per job, one payload type per name, one handler per name (workers/src/handlers).
export interface JobPayloads {
  /** Deletes expired sessions and old login attempts. Scheduled hourly. */
  "maintenance.purgeExpired": Record<string, never>;
  /** Anchors the latest signed tree head on the configured chain. Scheduled only when COSMOS_RPC_URL is set. */
  "ledger.anchor": Record<string, never>;
  /** Reads an anchor's transaction back and compares its memo. Enqueued by ledger.anchor. */
  "ledger.anchorCheck": { anchorId: string };
  /** Writes an export's file (exports.service.ts); job id export-<export id> (BullMQ ids cannot hold a colon). */
  "export.run": { exportId: string };
  /** Runs a reward epoch (rewards/epochs.service.ts); job id reward-epoch-<epoch id>. */
  "rewards.epoch": { epochId: string };
  /** Validates an uploaded model version (ai.service.ts): READY or REFUSED; job id validate-<version id>. */
  "ai.validateModel": { modelVersionId: string };
  /** Runs a READY model on one case and stores the prediction; job id infer-<case id>-<version id>. */
  "ai.infer": { caseId: string; modelVersionId: string };
  /** Runs a READY model on every case of its project without a prediction from it; jobId is the ticket's. */
  "ai.inferBatch": { projectId: string; modelVersionId: string; jobId: string };
  /** Trains a model on the project's consensus labels, registered as a new version of `name`; jobId is the ticket's. */
  "ai.train": { projectId: string; name: string; jobId: string; requestedBy: string | null; from?: "LABELS" | "ROIS"; modalities?: string[] };
  /** Certifies the readers of an education project who pass after its rule or gold changed (education.service.ts); job id education-recheck-<project id>-<uuid>. */
  "education.recheck": { projectId: string };
}

export type JobName = keyof JobPayloads;
export const JOB_NAMES = ["maintenance.purgeExpired", "ledger.anchor", "ledger.anchorCheck", "export.run", "rewards.epoch", "ai.validateModel", "ai.infer", "ai.inferBatch", "ai.train", "education.recheck"] as const satisfies readonly JobName[];

export interface JobContext {
  services: Services;
  log: Logger;
  /** Reports progress from 0 to 100; subscribers see it live. */
  progress(percent: number): Promise<void>;
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], ctx: JobContext) => Promise<unknown>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

export interface Schedule {
  name: JobName;
  everyMs: number;
  payload: JobPayloads[JobName];
}

/** Recurring jobs: the job id makes each schedule unique across any number of processes. */
export const SCHEDULES: Schedule[] = [{ name: "maintenance.purgeExpired", everyMs: 3600_000, payload: {} }];

/** SCHEDULES plus the recurring jobs that depend on configuration. */
export function schedulesFor(config: Pick<Config, "cosmos" | "ledger">): Schedule[] {
  return [...SCHEDULES, ...(config.cosmos ? [{ name: "ledger.anchor" as const, everyMs: config.ledger.anchorEveryMs, payload: {} }] : [])];
}

/** Startup fails if a job name has no handler, or a handler has no job name. */
export function checkHandlers(handlers: Record<string, unknown>): asserts handlers is JobHandlers {
  const missing = JOB_NAMES.filter((n) => typeof handlers[n] !== "function");
  const unknown = Object.keys(handlers).filter((n) => !(JOB_NAMES as readonly string[]).includes(n));
  if (missing.length || unknown.length) {
    throw new Error(
      `Job handlers do not match the registry` +
        (missing.length ? `; missing: ${missing.join(", ")}` : "") +
        (unknown.length ? `; unknown: ${unknown.join(", ")}` : ""),
    );
  }
}
