import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../paths.js";
import { rewardVectorsDir } from "../../testing/reward-vectors.js";
import { rewardsCommand, statsCommand } from "./rewards.cli.js";

const vectors = rewardVectorsDir();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "concord-rewards-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}

/** Runs a command in-process, capturing what it prints. */
async function capture(command: typeof rewardsCommand, argv: string[]) {
  let out = "";
  let err = "";
  const code = await command(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const labels = () => file("labels.csv", "case,label,annotator,value,seconds\nc1,L1,A,1,3\nc1,L1,B,1,4\nc1,L1,C,0,5\nc2,L1,A,0,2\nc2,L1,B,0,3\nc2,L1,C,0,9\n");

describe("concord rewards / stats: arguments and files", () => {
  it("prints the policy's result as JSON", async () => {
    const r = await capture(rewardsCommand, ["--labels", labels(), "--policy", "markit-eq1-safe", "--budget", "10"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { params: { policy: string }; result: { scores: { reward_int: Record<string, number> } }; inputs: { votes: number; sha256: string } };
    expect(json.params.policy).toBe("markit-eq1-safe");
    expect(json.inputs.votes).toBe(6);
    expect(json.inputs.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.values(json.result.scores.reward_int).reduce((a, b) => a + b, 0)).toBe(10);
  });

  it("defaults to concord with 1000 tokens and leaves per-vote detail out unless --details", async () => {
    const plain = JSON.parse((await capture(rewardsCommand, ["--labels", labels()])).out) as { params: { policy: string; budget: number }; result: Record<string, unknown> };
    expect(plain.params).toMatchObject({ policy: "concord", budget: 1000 });
    expect(plain.result.credits).toBeUndefined();
    const detailed = JSON.parse((await capture(rewardsCommand, ["--labels", labels(), "--details"])).out) as { result: Record<string, unknown> };
    expect(detailed.result.credits).toHaveLength(6);
  });

  it.each([
    [[], "--labels FILE is required"],
    [["--labels", path.join(tmp, "missing.csv")], `--labels ${path.join(tmp, "missing.csv")}: no such file`],
    [["--labels", "LABELS", "--policy", "eq2"], "--policy: unknown policy 'eq2'; choose one of markit-eq1, markit-eq1-safe, concord"],
    [["--labels", "LABELS", "--budget", "12.5"], "--budget: expected a whole number of tokens ≥ 0, got '12.5'"],
    [["--labels", "LABELS", "--budget", "lots"], "--budget: expected a number, got 'lots'"],
    [["--labels", "LABELS", "--kappa-threshold", "x"], "--kappa-threshold: expected a number, got 'x'"],
    [["--labels", "LABELS", "--colour"], "Unknown option '--colour'"],
  ])("exit code 2 for %j, naming the problem", async (argv, message) => {
    const r = await capture(rewardsCommand, argv.map((a) => (a === "LABELS" ? labels() : a)));
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(message);
  });

  it("exit code 2 for a bad row, naming file, row and column", async () => {
    const bad = file("votes.csv", "case,label,annotator,value\nc1,L1,A,1\nc1,L1,B,yes\n");
    for (const command of [rewardsCommand, statsCommand]) {
      const r = await capture(command, ["--labels", bad]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("votes.csv row 3, column value: expected 0, 1, true or false, got 'yes'");
    }
    const ai = file("ai.csv", "case,label,probability\nc1,L1,2\n");
    const r = await capture(rewardsCommand, ["--labels", labels(), "--ai", ai]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("ai.csv row 2, column probability");
  });

  it("stats prints agreement and time statistics, and the label means when given", async () => {
    const times = file("times.csv", "label,seconds\nL1,7.5\n");
    const r = await capture(statsCommand, ["--labels", labels(), "--times", times]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { agreement: { pooled: { cells: number; allNegative: number } }; times: { pooled: { n: number } }; label_seconds: Record<string, number> };
    expect(json.agreement.pooled).toMatchObject({ cells: 2, allNegative: 1 });
    expect(json.times.pooled.n).toBe(6);
    expect(json.label_seconds).toEqual({ L1: 7.5 });
  });
});

// The real command, as a user runs it: built JS under server/dist (npx tsc -b server workers first).
const built = fs.existsSync(path.join(repoRoot(), "server", "dist", "server", "src", "modules", "rewards", "rewards.cli.js"));

describe.skipIf(!vectors || !built)("node bin/concord.js on the syn3 vectors (needs ../shared/testdata/reward and a build)", () => {
  const bin = path.join(repoRoot(), "bin", "concord.js");
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [bin, ...args], { cwd: repoRoot(), maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const v = (name: string) => path.join(vectors!, name);
  const expected = vectors ? (JSON.parse(fs.readFileSync(v("syn3_expected.json"), "utf8")) as { scenarios: Record<string, { eq1: { reward_int: Record<string, number>; reward: Record<string, number> }; agreement: { pooled: Record<string, number> } }> }) : null;

  it("rewards reproduces both scenarios' shares, stats the pooled agreement, a bad file exits 2", async () => {
    const common = ["--labels", v("syn3_annotations.csv"), "--ai", v("syn3_ai.csv"), "--budget", "1000"];
    const [ref, safe, stats, bad] = await Promise.all([
      run(["rewards", ...common, "--policy", "markit-eq1"]),
      run(["rewards", ...common, "--policy", "markit-eq1-safe", "--kappa-threshold", "0.05"]),
      run(["stats", "--labels", v("syn3_annotations.csv"), "--ai", v("syn3_ai.csv")]),
      run(["rewards", "--labels", v("syn3_ai.csv")]),
    ]);
    for (const [r, scenario] of [
      [ref, "syn3_reference"],
      [safe, "syn3_proposed"],
    ] as const) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const scores = (JSON.parse(r.stdout) as { result: { scores: { reward_int: Record<string, number>; reward: Record<string, number> } } }).result.scores;
      expect(scores.reward_int).toEqual(expected!.scenarios[scenario]!.eq1.reward_int);
      for (const [reader, x] of Object.entries(expected!.scenarios[scenario]!.eq1.reward)) expect(Math.abs(scores.reward[reader]! - x)).toBeLessThan(1e-9);
    }
    expect(stats.code).toBe(0);
    const pooled = (JSON.parse(stats.stdout) as { agreement: { pooled: { fleissKappa: number; unanimityRate: number } } }).agreement.pooled;
    expect(pooled.fleissKappa).toBeCloseTo(expected!.scenarios.syn3_reference!.agreement.pooled.fleiss_kappa!, 9);
    expect(pooled.unanimityRate).toBeCloseTo(expected!.scenarios.syn3_reference!.agreement.pooled.unanimity_rate!, 9);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("syn3_ai.csv: needs a header row with columns annotator or reader, value");
  }, 60_000);
});
