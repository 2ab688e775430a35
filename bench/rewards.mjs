// bench/rewards: a reward epoch (inputs' hash + the default policy, and each markit policy) and the
// full agreement and time statistics over 10^5 and 10^6 labels, with a baseline measured in the same
// run: generating the same input arrays and one pass over them summing votes per cell. Each size
// runs in its own process, so its peak RSS (resourceUsage().maxRSS) is its own.
//
//   npm run build:node && npm run bench:rewards
//
// Knobs: REWARDS_SIZES ("100000,1000000" labels), REWARDS_READERS (10), REWARDS_LABELS (1),
// REWARDS_SEED (1). Cases = size / (readers × labels). Goal: at most 5 s at 10^6, growing linearly.
import "reflect-metadata";
import { spawnSync } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { int, log } from "./lib.mjs";

const dist = "../server/dist/server/src";
// mulberry32: the same stream on every machine (the synthetic images' generator).
const { seededRandom: seeded } = await import(`${dist}/modules/ai/synthetic-cxr.js`);
const READERS = int("REWARDS_READERS", 10);
const LABELS = int("REWARDS_LABELS", 1);
const SEED = int("REWARDS_SEED", 1, 0);
const SIZES = (process.env.REWARDS_SIZES || "100000,1000000").split(",").map((s) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < READERS * LABELS) throw new Error(`REWARDS_SIZES must be whole numbers of labels, at least readers × labels (${READERS * LABELS})`);
  return n;
});

/** Readers of accuracy 0.55 to 0.95 on cases with a hidden truth (prevalence 0.3), times around 8 s, an AI of accuracy 0.85. */
function generate(size) {
  const rand = seeded(SEED);
  const cases = Math.floor(size / (READERS * LABELS));
  const votes = new Array(cases * READERS * LABELS);
  const ai = new Array(cases * LABELS);
  const accuracy = Array.from({ length: READERS }, (_, i) => 0.55 + (0.4 * i) / Math.max(1, READERS - 1));
  const readers = Array.from({ length: READERS }, (_, i) => `reader-${String(i).padStart(2, "0")}`);
  const labels = Array.from({ length: LABELS }, (_, k) => `L${k + 1}`);
  let n = 0;
  let m = 0;
  for (let j = 0; j < cases; j++) {
    const caseId = `case-${String(j).padStart(7, "0")}`;
    for (let k = 0; k < LABELS; k++) {
      const truth = rand() < 0.3;
      const aiRight = rand() < 0.85;
      ai[m++] = { caseId, label: labels[k], probability: aiRight === truth ? 0.5 + rand() / 2 : rand() / 2 };
      for (let i = 0; i < READERS; i++) {
        const right = rand() < accuracy[i];
        votes[n++] = { caseId, label: labels[k], reader: readers[i], value: right ? truth : !truth, seconds: Math.round(100 * (2 + 12 * rand() * rand() + (rand() < 0.01 ? 300 : 0))) / 100 };
      }
    }
  }
  return { votes, ai };
}

/** Wall-clock seconds, and CPU seconds of this process (steadier when other work shares the machine). */
function time(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (c.user + c.system) / 1e6 };
}

async function child(size) {
  const { inputsHash } = await import(`${dist}/modules/rewards/inputs.js`);
  const { runPolicy } = await import(`${dist}/modules/rewards/policies/index.js`);
  const { agreementStats, timeStats } = await import(`${dist}/modules/review/stats/index.js`);
  const generated = time(() => generate(size));
  const inputs = generated.value;
  // Baseline: one pass over the votes, positive and total votes per cell.
  const pass = time(() => {
    const cells = new Map();
    for (const v of inputs.votes) {
      const key = `${v.label}\u0000${v.caseId}`;
      const c = cells.get(key);
      if (c) {
        c[0] += v.value ? 1 : 0;
        c[1]++;
      } else cells.set(key, [v.value ? 1 : 0, 1]);
    }
    return cells.size;
  });
  const hash = time(() => inputsHash(inputs));
  const concord = time(() => runPolicy("concord", inputs, { budget: 1000 }));
  const eq1 = time(() => runPolicy("markit-eq1", inputs, { budget: 1000 }));
  const safe = time(() => runPolicy("markit-eq1-safe", inputs, { budget: 1000 }));
  const agreement = time(() => agreementStats(inputs.votes, inputs.ai, { cells: false }));
  const times = time(() => timeStats(inputs.votes));
  const tokens = Object.values(concord.value.scores.reward_int ?? {}).reduce((a, b) => a + b, 0);
  if (tokens !== 1000) throw new Error(`concord shared ${tokens} tokens, not the budget`);
  const mem = process.memoryUsage();
  process.stdout.write(
    JSON.stringify({
      size: inputs.votes.length,
      cases: pass.value,
      generate: generated.seconds,
      baselinePass: pass.seconds,
      epoch: hash.seconds + concord.seconds,
      epochCpu: hash.cpu + concord.cpu,
      statsCpu: agreement.cpu + times.cpu,
      baselineCpu: pass.cpu,
      hash: hash.seconds,
      concord: concord.seconds,
      markitEq1: eq1.seconds,
      markitEq1Safe: safe.seconds,
      stats: agreement.seconds + times.seconds,
      agreement: agreement.seconds,
      times: times.seconds,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      heapUsedMB: mem.heapUsed / 2 ** 20,
      fleiss: agreement.value.pooled?.fleissKappa ?? null,
    }) + "\n",
  );
}

if (process.argv[2] === "--size") {
  await child(Number(process.argv[3]));
} else {
  const rows = [];
  for (const size of SIZES) {
    log(`${size} labels: ${READERS} readers × ${Math.floor(size / (READERS * LABELS))} cases × ${LABELS} label(s), seed ${SEED}`);
    const r = spawnSync(process.execPath, ["--max-old-space-size=8192", fileURLToPath(import.meta.url), "--size", String(size)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (r.status !== 0) throw new Error(`the ${size}-label run failed (exit ${r.status})`);
    rows.push(JSON.parse(r.stdout.trim().split("\n").at(-1)));
  }
  const f = (x) => x.toFixed(3);
  console.log(`labels      generate  baseline-pass  epoch(hash+concord)  markit-eq1  markit-eq1-safe  stats(agreement+times)  epoch/baseline  stats/baseline  maxRSS MB`);
  for (const r of rows) {
    console.log(
      `${String(r.size).padEnd(11)} ${f(r.generate).padStart(8)}  ${f(r.baselinePass).padStart(13)}  ${f(r.epoch).padStart(19)}  ${f(r.markitEq1).padStart(10)}  ${f(r.markitEq1Safe).padStart(15)}  ${f(r.stats).padStart(22)}  ${(r.epoch / r.baselinePass).toFixed(1).padStart(14)}  ${(r.stats / r.baselinePass).toFixed(1).padStart(14)}  ${r.maxRssMB.toFixed(0).padStart(9)}`,
    );
  }
  for (const r of rows) console.log(`${r.size} labels, CPU seconds: baseline ${f(r.baselineCpu)}, epoch ${f(r.epochCpu)} (hash ${f(r.hash)} wall, concord ${f(r.concord)} wall), ratio ${(r.epochCpu / r.baselineCpu).toFixed(1)}; statistics ${f(r.statsCpu)}, ratio ${(r.statsCpu / r.baselineCpu).toFixed(1)} (agreement ${f(r.agreement)}, times ${f(r.times)} wall)`);
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    const g = (k) => (b[k] / a[k]).toFixed(2);
    console.log(
      `growth ${a.size} → ${b.size} (×${(b.size / a.size).toFixed(1)} labels): epoch ×${g("epoch")} (CPU ×${g("epochCpu")}), markit-eq1 ×${g("markitEq1")}, stats ×${g("stats")} (CPU ×${g("statsCpu")}), baseline ×${g("baselinePass")}, maxRSS ×${g("maxRssMB")}`,
    );
  }
  // Timings are wall-clock on a shared machine: the load says how much to trust them.
  console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}, node ${process.version}`);
  const big = rows.find((r) => r.size >= 1_000_000);
  if (big) {
    const verdict = (wall, cpu) => (wall <= 5 ? "met" : cpu <= 5 ? "met in CPU time, not in wall time (a loaded machine)" : "NOT met");
    console.log(`goal (≤ 5 s at 10^6): epoch ${f(big.epoch)} s wall / ${f(big.epochCpu)} s CPU — ${verdict(big.epoch, big.epochCpu)}; statistics ${f(big.stats)} s wall / ${f(big.statsCpu)} s CPU — ${verdict(big.stats, big.statsCpu)}`);
  }
  console.log(JSON.stringify({ readers: READERS, labels: LABELS, seed: SEED, rows }));
}
