// Dawid & Skene (1979) EM: latent true class per item, one confusion matrix per rater.
// Pure and deterministic: items, raters and votes are processed in sorted order, never Map order.

export interface DawidSkeneVote {
  item: string;
  rater: string;
  /** Class index 0..K−1. */
  value: number;
}

export interface DawidSkeneOptions {
  /** Number of classes K; default: 1 + the largest value seen (at least 2). */
  classes?: number;
  /** Default 1000. */
  maxIterations?: number;
  /** Stop when the log-likelihood changes by less than this; default 1e-10. */
  tolerance?: number;
  /** Initial posteriors: each item's vote shares (a soft majority vote), the only choice so far. */
  init?: "majority";
  /**
   * Pseudo-count added to every confusion-matrix entry (and class count) in the M-step.
   * Default 0 (the classic estimator, which the 1979 reference values use). A positive value keeps
   * a rater with a perfect record away from probabilities of exactly 0 or 1.
   */
  smoothing?: number;
}

export interface DawidSkeneResult {
  classes: number;
  /** Sorted item ids. */
  items: string[];
  /** Sorted rater ids. */
  raters: string[];
  /** Posterior P(true class = k) per item. */
  posterior: Map<string, number[]>;
  /** confusion[rater][true][given] = P(rater says `given` | true class). */
  confusion: Map<string, number[][]>;
  /** Class prior (marginal) probabilities. */
  prior: number[];
  /** Log-likelihood of the votes under the final parameters (the last E-step). */
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * General K-class Dawid–Skene EM. Values are class indexes 0..K−1; a rater may rate an item several
 * times (the counts add up, as for observer 1 in the 1979 table). Starts from each item's vote
 * shares (a soft majority vote), then alternates M-step (prior, confusion matrices) and E-step
 * (posteriors, log-likelihood) until the log-likelihood changes by less than `tolerance`.
 */
export function dawidSkene(votes: ReadonlyArray<DawidSkeneVote>, opts: DawidSkeneOptions = {}): DawidSkeneResult {
  const maxIterations = opts.maxIterations ?? 1000;
  const tolerance = opts.tolerance ?? 1e-10;
  const smoothing = opts.smoothing ?? 0;
  let maxValue = 1;
  for (const v of votes) {
    if (!Number.isInteger(v.value) || v.value < 0) throw new RangeError(`class value must be a non-negative integer, got ${v.value}`);
    if (v.value > maxValue) maxValue = v.value;
  }
  const K = opts.classes ?? maxValue + 1;
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`classes must be a positive integer, got ${K}`);
  if (maxValue >= K && votes.some((v) => v.value >= K)) throw new RangeError(`class value out of range 0..${K - 1}`);

  const items = [...new Set(votes.map((v) => v.item))].sort(byString);
  const raters = [...new Set(votes.map((v) => v.rater))].sort(byString);
  const itemIndex = new Map(items.map((x, i) => [x, i]));
  const raterIndex = new Map(raters.map((x, i) => [x, i]));
  const I = items.length;
  const R = raters.length;

  // Votes as flat arrays grouped by item (CSR layout): for item i, entries start[i]..start[i+1]−1
  // hold (rater, value, count); repeat ratings by one rater of one item add up in count.
  const perItem: Array<Map<number, number>> = items.map(() => new Map());
  for (const v of votes) {
    const m = perItem[itemIndex.get(v.item)!]!;
    const key = raterIndex.get(v.rater)! * K + v.value;
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  const start = new Int32Array(I + 1);
  for (let i = 0; i < I; i++) start[i + 1] = start[i]! + perItem[i]!.size;
  const E = start[I]!;
  const eRater = new Int32Array(E);
  const eValue = new Int32Array(E);
  const eCount = new Float64Array(E);
  for (let i = 0; i < I; i++) {
    // Sorted keys: sums below run in the same order whatever order the votes came in.
    const keys = [...perItem[i]!.keys()].sort((a, b) => a - b);
    keys.forEach((key, n) => {
      const e = start[i]! + n;
      eRater[e] = Math.floor(key / K);
      eValue[e] = key % K;
      eCount[e] = perItem[i]!.get(key)!;
    });
  }

  // T[i*K + k]: posterior of class k for item i; starts as each item's vote shares.
  const T = new Float64Array(I * K);
  for (let i = 0; i < I; i++) {
    let n = 0;
    for (let e = start[i]!; e < start[i + 1]!; e++) {
      T[i * K + eValue[e]!]! += eCount[e]!;
      n += eCount[e]!;
    }
    for (let k = 0; k < K; k++) T[i * K + k] = n > 0 ? T[i * K + k]! / n : 1 / K;
  }

  const prior = new Float64Array(K);
  const logPrior = new Float64Array(K);
  // pi[(r*K + j)*K + l] = P(rater r says l | true j)
  const pi = new Float64Array(R * K * K);
  const logPi = new Float64Array(R * K * K);
  let logLikelihood = -Infinity;
  let iterations = 0;
  let converged = false;
  const logTerm = new Float64Array(K);

  while (iterations < maxIterations) {
    iterations++;
    // M-step.
    let priorTotal = 0;
    for (let k = 0; k < K; k++) {
      let s = smoothing;
      for (let i = 0; i < I; i++) s += T[i * K + k]!;
      prior[k] = s;
      priorTotal += s;
    }
    for (let k = 0; k < K; k++) {
      prior[k] = priorTotal > 0 ? prior[k]! / priorTotal : 1 / K;
      logPrior[k] = Math.log(prior[k]!);
    }
    pi.fill(smoothing);
    for (let i = 0; i < I; i++) {
      for (let e = start[i]!; e < start[i + 1]!; e++) {
        const base = eRater[e]! * K * K + eValue[e]!;
        const c = eCount[e]!;
        for (let j = 0; j < K; j++) pi[base + j * K]! += T[i * K + j]! * c;
      }
    }
    for (let rj = 0; rj < R * K; rj++) {
      let row = 0;
      for (let l = 0; l < K; l++) row += pi[rj * K + l]!;
      // A class no item belongs to: its row is unidentified; uniform keeps it harmless.
      for (let l = 0; l < K; l++) {
        const p = row > 0 ? pi[rj * K + l]! / row : 1 / K;
        pi[rj * K + l] = p;
        logPi[rj * K + l] = Math.log(p);
      }
    }
    // E-step in log space. A zero probability is only met through an observed count, where log 0
    // = −∞ rightly rules the class out for that item; 0·log 0 never arises.
    let ll = 0;
    for (let i = 0; i < I; i++) {
      let best = -Infinity;
      for (let j = 0; j < K; j++) {
        let s = logPrior[j]!;
        for (let e = start[i]!; e < start[i + 1]!; e++) s += eCount[e]! * logPi[(eRater[e]! * K + j) * K + eValue[e]!]!;
        logTerm[j] = s;
        if (s > best) best = s;
      }
      if (best === -Infinity) {
        // Cannot happen with the estimator above; fall back to uniform rather than NaN.
        for (let j = 0; j < K; j++) T[i * K + j] = 1 / K;
        continue;
      }
      let z = 0;
      for (let j = 0; j < K; j++) {
        const x = Math.exp(logTerm[j]! - best);
        T[i * K + j] = x;
        z += x;
      }
      for (let j = 0; j < K; j++) T[i * K + j] = T[i * K + j]! / z;
      ll += best + Math.log(z);
    }
    const change = Math.abs(ll - logLikelihood);
    logLikelihood = ll;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }

  const posterior = new Map<string, number[]>();
  items.forEach((item, i) => posterior.set(item, Array.from(T.subarray(i * K, (i + 1) * K))));
  const confusion = new Map<string, number[][]>();
  raters.forEach((rater, r) => {
    confusion.set(
      rater,
      Array.from({ length: K }, (_, j) => Array.from(pi.subarray((r * K + j) * K, (r * K + j + 1) * K))),
    );
  });
  return { classes: K, items, raters, posterior, confusion, prior: Array.from(prior), logLikelihood, iterations, converged };
}

export interface DawidSkeneBinaryResult {
  /** P(true) per item. */
  posterior: Map<string, number>;
  /** P(rater says true | truth true) per rater. */
  sensitivity: Map<string, number>;
  /** P(rater says false | truth false) per rater. */
  specificity: Map<string, number>;
  /** Prior P(true). */
  prevalence: number;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/** Default pseudo-count for the binary model: small enough not to matter with tens of votes. */
export const BINARY_SMOOTHING = 0.01;

/**
 * Binary Dawid–Skene (class 1 = true) on top of the general EM. Smoothing defaults to
 * BINARY_SMOOTHING pseudo-counts per confusion entry, so a rater with a perfect record gets a
 * sensitivity just under 1 instead of exactly 1 (which would make any later disagreement
 * impossible and the posteriors 0/1 hard).
 */
export function dawidSkeneBinary(
  votes: ReadonlyArray<{ item: string; rater: string; value: boolean }>,
  opts: Omit<DawidSkeneOptions, "classes"> = {},
): DawidSkeneBinaryResult {
  const res = dawidSkene(
    votes.map((v) => ({ item: v.item, rater: v.rater, value: v.value ? 1 : 0 })),
    { ...opts, classes: 2, smoothing: opts.smoothing ?? BINARY_SMOOTHING },
  );
  const posterior = new Map<string, number>();
  for (const item of res.items) posterior.set(item, res.posterior.get(item)![1]!);
  const sensitivity = new Map<string, number>();
  const specificity = new Map<string, number>();
  for (const rater of res.raters) {
    const c = res.confusion.get(rater)!;
    sensitivity.set(rater, c[1]![1]!);
    specificity.set(rater, c[0]![0]!);
  }
  return {
    posterior,
    sensitivity,
    specificity,
    prevalence: res.prior[1]!,
    logLikelihood: res.logLikelihood,
    iterations: res.iterations,
    converged: res.converged,
  };
}
