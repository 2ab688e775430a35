import { beforeAll, describe, expect, it } from "vitest";
import { loadModel, run } from "../../platform/onnx/runtime.js";
import { cxrCases } from "../../testing/cxr.js";
import { seededRandom } from "../../testing/random.js";
import { preprocess, validateModel } from "./metadata.js";
import { INPUT } from "./onnx-build.js";
import { auroc, exportTrainedModel, extractPooledFeatures, isHeldOut, logistic, predictPooled, trainLinearHead, type TrainedModel } from "./train.js";

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

  it("reports progress from 0 to 100 without going back", () => {
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(100);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    expect(new Set(progress).size).toBeGreaterThan(5);
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
