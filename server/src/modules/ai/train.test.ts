import { beforeAll, describe, expect, it } from "vitest";
import { loadModel, run } from "../../platform/onnx/runtime.js";
import { noisySlice } from "../../testing/ct-images.js";
import { cxrCases } from "../../testing/cxr.js";
import { seededRandom } from "../../testing/random.js";
import { preprocess, validateModel, type GreyImage } from "./metadata.js";
import { isHeldOut } from "./holdout.js";
import { INPUT } from "./onnx-build.js";
import {
  addPixelSums,
  auroc,
  crossValidatedL2,
  L2_GRID,
  exportTrainedModel,
  extractPooledFeatures,
  logistic,
  meanStdOf,
  milLogistic,
  pooledFeatures,
  predictCase,
  predictPooled,
  trainLinearHead,
  type TrainedModel,
  type TrainingCase,
} from "./train.js";

describe("auroc", () => {
  it("matches a hand-worked example", () => {
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 0.35 beats 0.1 only, 0.8 beats both → 3/4.
    expect(auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it("counts ties as one half", () => {
    // Positives {0.5, 0.9}, negatives {0.5, 0.5}: two ties (1) + 0.9 beats both (2) → 3/4.
    expect(auroc([0.5, 0.5, 0.5, 0.9], [false, true, false, true])).toBe(0.75);
    expect(auroc([0.3, 0.3, 0.3], [1, 0, 1])).toBe(0.5);
    expect(auroc([0.9, 0.1], [0, 1])).toBe(0);
  });

  it("is null with one class, and equals brute-force pair counting", () => {
    expect(auroc([0.2, 0.4], [1, 1])).toBeNull();
    const rnd = seededRandom(3);
    const scores = Array.from({ length: 60 }, () => Math.round(rnd() * 8) / 8);
    const labels = scores.map((s) => (rnd() < 0.3 + s * 0.5 ? 1 : 0));
    let wins = 0;
    let pairs = 0;
    scores.forEach((sp, i) => {
      if (!labels[i]) return;
      scores.forEach((sn, j) => {
        if (labels[j]) return;
        pairs++;
        wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
      });
    });
    expect(auroc(scores, labels)).toBeCloseTo(wins / pairs, 12);
  });
});

describe("logistic regression", () => {
  it("stays finite on separable labels (a rare finding one feature predicts exactly), ranking them perfectly", () => {
    const rnd = seededRandom(7);
    // 200 cases, 3 positives, told apart by feature 0 alone: a full Newton step diverges here.
    const X = Array.from({ length: 200 }, (_, i) => Float64Array.from([i < 3 ? 5 + rnd() : rnd(), rnd(), rnd() * 2]));
    const y = X.map((_, i) => (i < 3 ? 1 : 0));
    const { w, b } = logistic(X, y, 0.001);
    expect(Number.isFinite(b) && Math.abs(b) < 1e4).toBe(true);
    expect([...w].every((v) => Number.isFinite(v) && Math.abs(v) < 1e4)).toBe(true);
    const score = X.map((x) => b + w.reduce((s, v, j) => s + v * x[j]!, 0));
    expect(auroc(score, y)).toBe(1);
    // Probabilities stay distinguishable in float32: not every case at 0.
    expect(Math.fround(1 / (1 + Math.exp(-score[0]!)))).toBeGreaterThan(0.5);
  });
});

describe("the L2 strength, by cross-validation", () => {
  const rnd = seededRandom(23);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `case-${i}`);

  it("penalises hardest where the features say nothing about the labels", () => {
    const X = Array.from({ length: 120 }, () => [Float64Array.from({ length: 20 }, gauss)]);
    const y = X.map(() => (rnd() < 0.5 ? 1 : 0));
    const { l2, losses } = crossValidatedL2(X, y, ids(120), "binary");
    expect(losses).toHaveLength(L2_GRID.length);
    // Any fit of noise predicts unseen cases worse the looser it is.
    expect(l2).toBe(L2_GRID.at(-1));
    expect(losses!.at(-1)!).toBeLessThan(losses![0]!);
  });

  it("penalises lightly where one feature tells the labels apart, and takes the strength with the lowest validation loss", () => {
    const X = Array.from({ length: 200 }, () => [Float64Array.from({ length: 5 }, gauss)]);
    const y = X.map(([x]) => (x![0]! + 0.3 * gauss() > 0 ? 1 : 0));
    const { l2, losses } = crossValidatedL2(X, y, ids(200), "binary");
    expect(l2).toBeLessThanOrEqual(0.01);
    expect(losses![L2_GRID.indexOf(l2)]).toBe(Math.min(...losses!));
    // Regression too: a value one feature gives, plus a little noise.
    const v = X.map(([x]) => 3 * x![1]! + 0.1 * gauss());
    expect(crossValidatedL2(X, v, ids(200), "regression").l2).toBeLessThanOrEqual(0.01);
  });

  it("keeps the default with too few cases to cross-validate", () => {
    const X = Array.from({ length: 9 }, () => [Float64Array.from({ length: 3 }, gauss)]);
    expect(crossValidatedL2(X, X.map((_, i) => i % 2), ids(9), "binary")).toEqual({ l2: 0.01, losses: null });
  });
});

describe("multiple-instance logistic regression", () => {
  const rnd = seededRandom(11);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  /**
   * Bags of 10–29 instances of 6 features. A positive bag has a focal finding: one instance with
   * feature 0 raised by 4. Half the negative bags have a diffuse one: every instance raised by 4
   * over the bag's size, so the mean features of the two kinds of bag are alike and only the
   * highest instance tells them apart.
   */
  const bags = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const len = 10 + Math.floor(rnd() * 20);
      const bag = Array.from({ length: len }, () => Float64Array.from({ length: 6 }, gauss));
      if (i % 2) bag[Math.floor(rnd() * len)]![0]! += 4;
      else if (i % 4 === 0) for (const x of bag) x[0]! += 4 / len;
      return { bag, y: i % 2 };
    });
  const train = bags(200);
  const test = bags(200);
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
  const logit = (fit: { w: Float32Array; b: number }, x: Float64Array) => fit.b + x.reduce((s, v, j) => s + v * fit.w[j]!, 0);
  /** The bag's probability as inference gives a case's: the highest of its instances'. */
  const bagScore = (fit: { w: Float32Array; b: number }, bag: Float64Array[]) => sigmoid(Math.max(...bag.map((x) => logit(fit, x))));
  const meanOf = (bag: Float64Array[]) => Float64Array.from(bag[0]!, (_, j) => bag.reduce((s, x) => s + x[j]!, 0) / bag.length);

  it("is plain logistic regression on bags of one instance", () => {
    const X = train.map(({ bag }) => bag[0]!);
    const y = train.map((t) => t.y);
    expect(milLogistic(X.map((x) => [x]), y, 0.01)).toEqual(logistic(X, y, 0.01));
  });

  it("finds a focal finding among a bag's instances, with probabilities near the truth, where the bags' mean features cannot", () => {
    const y = train.map((t) => t.y);
    const mil = milLogistic(train.map((t) => t.bag), y, 0.01);
    // What the fit on mean features (where multiple-instance learning starts) gives under the same max.
    const mean = logistic(train.map((t) => meanOf(t.bag)), y, 0.01);
    const truth = test.map((t) => t.y);
    const average = (ps: number[]) => ps.reduce((a, b) => a + b, 0) / ps.length;
    const report = (fit: { w: Float32Array; b: number }) => {
      const probabilities = test.map((t) => bagScore(fit, t.bag));
      return {
        auroc: auroc(probabilities, truth)!,
        mean: average(probabilities),
        positives: average(probabilities.filter((_, i) => truth[i] === 1)),
        negatives: average(probabilities.filter((_, i) => truth[i] === 0)),
      };
    };
    const m = report(mil);
    const start = report(mean);
    console.log("held-out, multiple-instance:", m, "mean features:", start);
    expect(m.auroc).toBeGreaterThan(0.9);
    // Half the bags are positive: the mean probability is near a half, and the bags of each kind sit on their side.
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(0.1);
    expect(m.positives).toBeGreaterThan(0.7);
    expect(m.negatives).toBeLessThan(0.3);
    // The mean features rank the bags about as well, but their fit under the max calls most negatives positive.
    expect(start.negatives).toBeGreaterThan(0.5);
    // The weight is on the finding's feature.
    expect(Math.abs(mil.w[0]!)).toBeGreaterThan(3 * Math.max(...[...mil.w].slice(1).map(Math.abs)));
  });
});

describe("training on synthetic CT series (a case is a bag of slices)", () => {
  const S = 64;
  const rnd = seededRandom(5);
  /** 7–12 slices a case; in a positive case one slice, anywhere, has a small bright disc. */
  const series = (n: number, first: number) =>
    Array.from({ length: n }, (_, i) => {
      const len = 7 + Math.floor(rnd() * 6);
      const at = Math.floor(rnd() * len);
      const images: GreyImage[] = Array.from({ length: len }, (_, k) => ({ width: S, height: S, data: Float32Array.from(noisySlice(rnd, S, i % 2 === 1 && k === at)), maxValue: 4095 }));
      return { id: `ct-${first + i}`, images, labels: { finding: i % 2 === 1 } };
    });
  const cases = series(160, 0);
  let trained: TrainedModel;

  beforeAll(async () => {
    trained = await trainLinearHead(cases, { task: "binary", labels: ["finding"], size: S });
  });

  it("tells cases with the finding on one slice from cases without on the held-out split", () => {
    const m = trained.metrics[0]!;
    console.log(`held-out AUROC ${m.holdoutAuroc?.toFixed(3)} (${m.holdoutPositives}/${m.holdoutCount} positive)`);
    expect(m.trainCount + m.holdoutCount).toBe(cases.length);
    expect(m.holdoutAuroc).toBeGreaterThan(0.9);
  });

  it("gives a case the highest of its slices' probabilities, as inference aggregates a series, and says so in its metadata", async () => {
    const c = cases.find((x) => trained.holdoutIds.includes(x.id))!;
    const pooled = await pooledFeatures(c.images, trained.normalisation, S);
    const slices = pooled.map((p) => predictPooled(trained, p)[0]!);
    expect(predictCase(trained, pooled)).toEqual([Math.max(...slices)]);
    const { bytes, metadata } = exportTrainedModel(trained);
    expect(metadata.series).toEqual({ aggregate: "max" });
    await expect(validateModel(bytes, metadata)).resolves.toBeTruthy();
    // The exported graph reads one slice as the training code does.
    const model = await loadModel(bytes);
    const input = preprocess(c.images[0]!, metadata);
    const out = await run(model, { [INPUT]: { dims: [1, 1, S, S], data: input } }, [metadata.output.name]);
    expect(Math.abs(out[metadata.output.name]!.data[0]! - slices[0]!)).toBeLessThan(1e-4);
  });

  it("learns the same from a case's pooled features, made beforehand with the normalisation, as from its images", async () => {
    const some = cases.slice(0, 40);
    const normalisation = meanStdOf(addPixelSums(some.filter((c) => !isHeldOut(c.id, 30)).flatMap((c) => c.images)));
    const fromImages = await trainLinearHead(some, { task: "binary", labels: ["finding"], size: S });
    const asFeatures: TrainingCase[] = await Promise.all(some.map(async (c) => ({ id: c.id, labels: c.labels, pooled: await pooledFeatures(c.images, normalisation, S) })));
    const fromFeatures = await trainLinearHead(asFeatures, { task: "binary", labels: ["finding"], size: S, normalisation });
    expect(fromFeatures.normalisation).toEqual(fromImages.normalisation);
    expect(fromFeatures.head.bias).toEqual(fromImages.head.bias);
    expect(fromFeatures.head.weights).toEqual(fromImages.head.weights);
    await expect(trainLinearHead(asFeatures, { task: "binary", labels: ["finding"], size: S })).rejects.toThrow("pooled features need the normalisation they were made with");
  });
});

describe("held-out split", () => {
  it("is a stable function of the case id, near the requested share", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `case-${i}`);
    const held = ids.filter((id) => isHeldOut(id, 30)).length;
    expect(held).toBeGreaterThan(250);
    expect(held).toBeLessThan(350);
    expect(ids.map((id) => isHeldOut(id, 30))).toEqual(ids.map((id) => isHeldOut(id, 30)));
    expect(ids.filter((id) => isHeldOut(id, 0))).toHaveLength(0);
  });
});

describe("training on synthetic chest X-rays", () => {
  const S = 128;
  const cases = cxrCases(200, { size: S, firstSeed: 1000 });
  const progress: number[] = [];
  let findings: TrainedModel;

  beforeAll(async () => {
    findings = await trainLinearHead(cases, { task: "multilabel", labels: ["cardiomegaly", "effusion", "nodule"], onProgress: (p) => progress.push(p) });
  });

  it("separates every finding on the held-out split (AUROC > 0.8)", () => {
    console.log(
      "held-out AUROC:",
      findings.metrics.map((m) => `${m.label} ${m.holdoutAuroc?.toFixed(3)} (${m.holdoutPositives}/${m.holdoutCount} positive)`).join("; "),
    );
    expect(findings.holdoutIds.length).toBeGreaterThan(40);
    expect(findings.trainIds.some((id) => findings.holdoutIds.includes(id))).toBe(false);
    for (const m of findings.metrics) {
      expect(m.holdoutPositives).toBeGreaterThan(5);
      expect(m.holdoutAuroc, m.label).toBeGreaterThan(0.8);
    }
  });

  it("chose each label's L2 strength by cross-validation, and says so in its metrics", async () => {
    for (const m of findings.metrics) {
      expect(L2_GRID).toContain(m.l2);
      expect(m.l2Losses).toHaveLength(L2_GRID.length);
      expect(m.l2Losses![L2_GRID.indexOf(m.l2!)]).toBe(Math.min(...m.l2Losses!));
    }
    console.log("L2 by label:", findings.metrics.map((m) => `${m.label} ${m.l2}`).join(", "));
    const given = await trainLinearHead(cases.slice(0, 60), { task: "binary", labels: ["AP"], l2: 0.05 });
    expect(given.metrics[0]).toMatchObject({ l2: 0.05 });
    expect(given.metrics[0]!.l2Losses).toBeUndefined();
  });

  it("reports progress from 0 to 100 without going back", () => {
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(100);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    expect(new Set(progress).size).toBeGreaterThan(5);
    // The cross-validation's fits move it too, not only each label's end.
    expect(new Set(progress.filter((p) => p > 80 && p < 98)).size).toBeGreaterThan(10);
  });

  it("exports a model that validates and gives the training code's probabilities", async () => {
    const { bytes, metadata } = exportTrainedModel(findings);
    const checked = await validateModel(bytes, metadata);
    expect(checked.featureShape?.[1]).toBe(32);
    const model = await loadModel(bytes);
    const sample = cases.filter((c) => findings.holdoutIds.includes(c.id)).slice(0, 8);
    const inputs = sample.map((c) => preprocess(c.image, metadata));
    const pooled = await extractPooledFeatures(inputs, S);
    for (let i = 0; i < sample.length; i++) {
      const out = await run(model, { [INPUT]: { dims: [1, 1, S, S], data: inputs[i]! } }, [metadata.output.name]);
      const expected = predictPooled(findings, pooled[i]!);
      expected.forEach((p, k) => expect(Math.abs(out[metadata.output.name]!.data[k]! - p)).toBeLessThan(1e-4));
    }
  });

  it("trains the paper's other kinds: binary view position and sex, regression for age", async () => {
    const view = await trainLinearHead(cases, { task: "binary", labels: ["AP"] });
    const sex = await trainLinearHead(cases, { task: "binary", labels: ["female"] });
    const age = await trainLinearHead(cases, { task: "regression", labels: ["age"] });
    const m = age.metrics[0]!;
    console.log(`view AUROC ${view.metrics[0]!.holdoutAuroc?.toFixed(3)}, sex AUROC ${sex.metrics[0]!.holdoutAuroc?.toFixed(3)}, age MAE ${m.holdoutMae?.toFixed(1)} y, R² ${m.holdoutR2?.toFixed(2)}`);
    expect(view.metrics[0]!.holdoutAuroc).toBeGreaterThan(0.9);
    expect(sex.metrics[0]!.holdoutAuroc).toBeGreaterThan(0.9);
    expect(m.holdoutR2).toBeGreaterThan(0.6);
    const { bytes, metadata } = exportTrainedModel(age);
    expect(metadata.output.name).toBe("value");
    await expect(validateModel(bytes, metadata)).resolves.toBeTruthy();
  });

  it("skips unknown labels instead of reading them as negative", async () => {
    const partial = cases.map((c, i) => ({ ...c, labels: { ...c.labels, nodule: i % 2 ? null : c.labels.nodule } }));
    const trained = await trainLinearHead(partial, { task: "multilabel", labels: ["nodule"] });
    const known = partial.filter((c) => c.labels.nodule !== null);
    expect(trained.metrics[0]!.trainCount + trained.metrics[0]!.holdoutCount).toBe(known.length);
  });
});
