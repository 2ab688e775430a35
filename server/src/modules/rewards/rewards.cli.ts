// `concord stats` and `concord rewards`: the server's statistics and reward policies on CSV files,
// printed as JSON. Exit code 2 on a bad argument or file, with a message naming it.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { AppError } from "../../errors.js";
import { agreementStats, timeStats } from "../review/stats/index.js";
import { inputsHash, parseAiCsv, parseLabelsCsv, parseLabelTimesCsv, type RewardInputs } from "./inputs.js";
import { DEFAULT_BUDGET, DEFAULT_KAPPA_THRESHOLD } from "./policies/common.js";
import { DEFAULT_POLICY, POLICY_NAMES, runPolicy } from "./policies/index.js";

export const STATS_USAGE = "Usage: concord stats --labels FILE [--ai FILE] [--times FILE]";
export const REWARDS_USAGE = `Usage: concord rewards --labels FILE [--ai FILE] [--times FILE] [--policy ${POLICY_NAMES.join("|")}] [--budget TOKENS] [--kappa-threshold X] [--details]`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** A problem with what the user gave us: printed as is, exit code 2. */
class UsageError extends Error {}

const FILE_OPTIONS = {
  labels: { type: "string" },
  ai: { type: "string" },
  times: { type: "string" },
} as const;

export async function statsCommand(argv: string[], io: CliIo = defaultIo): Promise<number> {
  return run(io, STATS_USAGE, () => {
    const { values } = parse(argv, FILE_OPTIONS);
    const inputs = readInputs(values);
    return {
      inputs: describeInputs(values, inputs),
      agreement: agreementStats(inputs.votes, inputs.ai ?? null, { cells: false }),
      times: timeStats(inputs.votes),
      ...(inputs.labelSeconds ? { label_seconds: Object.fromEntries(inputs.labelSeconds) } : {}),
    };
  });
}

export async function rewardsCommand(argv: string[], io: CliIo = defaultIo): Promise<number> {
  return run(io, REWARDS_USAGE, () => {
    const { values } = parse(argv, {
      ...FILE_OPTIONS,
      policy: { type: "string" },
      budget: { type: "string" },
      "kappa-threshold": { type: "string" },
      details: { type: "boolean" },
    });
    const policy = values.policy ?? DEFAULT_POLICY;
    if (!POLICY_NAMES.includes(policy as never)) throw new UsageError(`--policy: unknown policy '${policy}'; choose one of ${POLICY_NAMES.join(", ")}`);
    const budget = values.budget === undefined ? DEFAULT_BUDGET : numberArg("--budget", values.budget);
    if (!Number.isSafeInteger(budget) || budget < 0) throw new UsageError(`--budget: expected a whole number of tokens ≥ 0, got '${values.budget}'`);
    const kappaThreshold = values["kappa-threshold"] === undefined ? DEFAULT_KAPPA_THRESHOLD : numberArg("--kappa-threshold", values["kappa-threshold"]);
    const inputs = readInputs(values);
    const result = runPolicy(policy, inputs, { budget, kappaThreshold }) as unknown as Record<string, unknown>;
    // Per-vote credits and per-cell truth are long; --details prints them.
    if (!values.details) {
      delete result.credits;
      delete result.truth;
    }
    return { inputs: describeInputs(values, inputs), params: { policy, budget, kappa_threshold: kappaThreshold }, result };
  });
}

async function run(io: CliIo, usage: string, body: () => unknown): Promise<number> {
  try {
    // NaN and ±Infinity (markit-eq1's raw payout when ΣS = 0) print as null.
    io.out(`${JSON.stringify(body(), null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) io.err(`${err.message}\n${usage}\n`);
    else if (err instanceof AppError && err.extensions.code === "BAD_USER_INPUT") io.err(`${err.message}\n`);
    else throw err;
    return 2;
  }
}

type Options = Record<string, { type: "string" | "boolean" }>;
type Values = { labels?: string; ai?: string; times?: string; policy?: string; budget?: string; "kappa-threshold"?: string; details?: boolean };

function parse(argv: string[], options: Options): { values: Values } {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }) as { values: Values };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function numberArg(name: string, text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw new UsageError(`${name}: expected a number, got '${text}'`);
  return n;
}

function readFile(option: string, file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--${option} ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (err as Error).message}`);
  }
}

function readInputs(values: { labels?: string; ai?: string; times?: string }): RewardInputs {
  if (!values.labels) throw new UsageError("--labels FILE is required");
  const inputs: { votes: RewardInputs["votes"]; ai?: RewardInputs["ai"]; labelSeconds?: RewardInputs["labelSeconds"] } = {
    votes: parseLabelsCsv(readFile("labels", values.labels), path.basename(values.labels)),
  };
  if (values.ai) inputs.ai = parseAiCsv(readFile("ai", values.ai), path.basename(values.ai));
  if (values.times) inputs.labelSeconds = parseLabelTimesCsv(readFile("times", values.times), path.basename(values.times));
  return inputs;
}

function describeInputs(values: { labels?: string; ai?: string; times?: string }, inputs: RewardInputs) {
  return {
    files: { labels: values.labels, ai: values.ai ?? null, times: values.times ?? null },
    votes: inputs.votes.length,
    readers: new Set(inputs.votes.map((v) => v.reader)).size,
    cases: new Set(inputs.votes.map((v) => v.caseId)).size,
    labels: new Set(inputs.votes.map((v) => v.label)).size,
    ai_rows: inputs.ai?.length ?? 0,
    sha256: inputsHash(inputs),
  };
}
