import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { NO_REWARD_VECTORS, readVectorCsv, readVectorJson, rewardVectorsDir } from "../../../testing/reward-vectors.js";
import { agreementStats, type AgreementStats, type AgreementVote, type AiCall } from "./agreement.js";
import { cohenKappa } from "./kappa.js";

const VECTORS = rewardVectorsDir();

interface ExpectedAgreement {
  all_negative: number;
  all_positive: number;
  cells_lt2: number;
  cells_with_2plus: number;
  disagreement: number;
  fleiss_Pbar: number;
  fleiss_kappa: number | null;
  krippendorff_alpha: number | null;
  unanimity_rate: number;
}
interface ExpectedScenario {
  agreement: { per_label: Record<string, ExpectedAgreement>; pooled: ExpectedAgreement };
  kappa_vs_ai: Record<string, Record<string, number | null>>;
}

function close(got: number | null, want: number | null, tol = 1e-9): void {
  if (want === null) expect(got).toBeNull();
  else {
    expect(got).not.toBeNull();
    expect(Math.abs(got! - want)).toBeLessThan(tol);
  }
}

function checkAgainst(got: AgreementStats, want: ExpectedAgreement): void {
  expect(got.allNegative).toBe(want.all_negative);
  expect(got.allPositive).toBe(want.all_positive);
  expect(got.cellsLt2).toBe(want.cells_lt2);
  expect(got.cellsWith2Plus).toBe(want.cells_with_2plus);
  expect(got.mixed).toBe(want.disagreement);
  close(got.fleissPBar, want.fleiss_Pbar);
  close(got.fleissKappa, want.fleiss_kappa);
  close(got.krippendorffAlpha, want.krippendorff_alpha);
  close(got.unanimityRate, want.unanimity_rate);
}

describe("agreementStats", () => {
  it.skipIf(!VECTORS)(`reproduces every agreement statistic and κ vs AI in syn3_expected.json (${NO_REWARD_VECTORS})`, () => {
    const dir = VECTORS!;
    const votes: AgreementVote[] = readVectorCsv(dir, "syn3_annotations.csv").map((r) => ({
      caseId: r.image!,
      label: r.label!,
      reader: r.annotator!,
      value: r.value === "1" || r.value === "true",
      seconds: r.time_s ? Number(r.time_s) : null,
    }));
    const ai: AiCall[] = readVectorCsv(dir, "syn3_ai.csv").map((r) => ({ caseId: r.image!, label: r.label!, probability: Number(r.ai_prob) }));
    const report = agreementStats(votes, ai);
    const expected = readVectorJson<{ scenarios: Record<string, ExpectedScenario> }>(dir, "syn3_expected.json");
    const scenarios = Object.values(expected.scenarios);
    expect(scenarios.length).toBe(2);
    for (const scenario of scenarios) {
      expect(report.labels).toEqual(Object.keys(scenario.agreement.per_label).sort());
      for (const stats of report.perLabel) {
        checkAgainst(stats, scenario.agreement.per_label[stats.label]!);
        for (const k of stats.readerVsAi) close(k.kappa, scenario.kappa_vs_ai[k.reader]![stats.label]!);
      }
      checkAgainst(report.pooled, scenario.agreement.pooled);
    }
    expect(report.pooled.confidenceAlpha).toBeNull();
    expect(report.cells.length).toBe(60);
  });

  it("hand-computed small example", () => {
    // Label X: c1 = [A T, B T, C T], c2 = [A T, B F], c3 = [A F] (lone vote), c4 = [B F, C F].
    // Label Y: c1 = [A F, B F].
    const v = (caseId: string, label: string, reader: string, value: boolean, confidence?: number): AgreementVote => ({ caseId, label, reader, value, confidence });
    const votes = [
      v("c1", "X", "A", true, 5),
      v("c1", "X", "B", true, 4),
      v("c1", "X", "C", true, 5),
      v("c2", "X", "A", true, 2),
      v("c2", "X", "B", false, 3),
      v("c3", "X", "A", false, 1),
      v("c4", "X", "B", false, 1),
      v("c4", "X", "C", false, 1),
      v("c1", "Y", "B", false),
      v("c1", "Y", "A", false),
    ];
    const ai: AiCall[] = [
      { caseId: "c1", label: "X", probability: 0.9 },
      { caseId: "c2", label: "X", probability: 0.5 }, // 0.5 is not > 0.5: the call is false
      { caseId: "c3", label: "X", probability: 0.2 },
    ];
    const r = agreementStats(votes, ai);
    expect(r.labels).toEqual(["X", "Y"]);
    expect(r.readers).toEqual(["A", "B", "C"]);
    const x = r.perLabel[0]!;
    expect([x.cells, x.votes, x.positiveVotes, x.cellsWith2Plus, x.cellsLt2]).toEqual([4, 8, 4, 3, 1]);
    expect([x.allPositive, x.allNegative, x.mixed]).toEqual([1, 1, 1]);
    expect(x.unanimityRate).toBeCloseTo(2 / 3, 14);
    // Vote pairs: c1 3 of 3 agree, c2 0 of 1, c4 1 of 1 → 4/5; P̄ = (1 + 0 + 1)/3.
    expect(x.meanPairwiseAgreement).toBeCloseTo(4 / 5, 14);
    expect(x.fleissPBar).toBeCloseTo(2 / 3, 14);
    // Fleiss: counted votes 7, 4 true → pe = (16 + 9)/49 = 25/49; κ = (2/3 − 25/49)/(24/49) = 23/72.
    expect(x.fleissKappa).toBeCloseTo(23 / 72, 14);
    const ab = x.readerPairs.find((p) => p.readerA === "A" && p.readerB === "B")!;
    expect(ab.n).toBe(2);
    expect(ab.agreement).toBe(0.5);
    expect(ab.kappa).toBe(cohenKappa([[true, true], [true, false]]));
    const bc = x.readerPairs.find((p) => p.readerA === "B" && p.readerB === "C")!;
    expect([bc.n, bc.agreement, bc.kappa]).toEqual([2, 1, 1]);
    expect(x.readerPairs.map((p) => `${p.readerA}${p.readerB}`)).toEqual(["AB", "AC", "BC"]);
    // A vs AI over c1, c2, c3: (T,T), (T,F), (F,F).
    const aAi = x.readerVsAi.find((k) => k.reader === "A")!;
    expect(aAi.n).toBe(3);
    expect(aAi.kappa).toBe(cohenKappa([[true, true], [true, false], [false, false]]));
    expect(x.readerVsAi.find((k) => k.reader === "C")!.n).toBe(1);
    expect(x.confidenceAlpha).not.toBeNull();
    const y = r.perLabel[1]!;
    expect(y.fleissKappa).toBeNull();
    expect(y.unanimityRate).toBe(1);
    expect(y.readerVsAi.every((k) => k.n === 0 && k.kappa === null)).toBe(true);
    expect(y.confidenceAlpha).toBeNull();
    expect(r.pooled.cells).toBe(5);
    expect(r.pooled.allNegative).toBe(2);
    expect(r.cells.map((c) => `${c.label}${c.caseId}:${c.majority}`)).toEqual(["Xc1:true", "Xc2:null", "Xc3:false", "Xc4:false", "Yc1:false"]);
    // No AI input: no κ vs AI at all; JSON round trip loses nothing (no Maps, no undefined).
    const noAi = agreementStats(votes);
    expect(noAi.pooled.readerVsAi).toEqual([]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("does not depend on input order or reader names (permutation)", () => {
    const rnd = seededRandom(31);
    const votes: AgreementVote[] = [];
    for (let c = 0; c < 80; c++) {
      for (const label of ["L1", "L2"]) {
        const truth = rnd() < 0.3;
        for (const reader of ["r1", "r2", "r3", "r4"]) {
          if (rnd() < 0.2) continue;
          votes.push({ caseId: `c${c}`, label, reader, value: rnd() < 0.8 ? truth : !truth, confidence: 1 + Math.floor(rnd() * 5) });
        }
      }
    }
    const a = agreementStats(votes);
    const shuffled = votes.map((v) => ({ v, k: rnd() })).sort((x, y) => x.k - y.k).map((x) => x.v);
    expect(agreementStats(shuffled)).toEqual(a);
    // Renaming readers (a permutation) keeps every reader-independent number.
    const rename: Record<string, string> = { r1: "r3", r2: "r1", r3: "r4", r4: "r2" };
    const b = agreementStats(votes.map((v) => ({ ...v, reader: rename[v.reader]! })));
    for (const key of ["fleissKappa", "krippendorffAlpha", "unanimityRate", "meanPairwiseAgreement", "confidenceAlpha"] as const) {
      expect(b.pooled[key]).toBeCloseTo(a.pooled[key]!, 12);
    }
  });

  it("completes on 10,000 cases × 5 readers × 10 labels", () => {
    const rnd = seededRandom(1);
    const votes: AgreementVote[] = [];
    const ai: AiCall[] = [];
    for (let c = 0; c < 10_000; c++) {
      for (let l = 0; l < 10; l++) {
        const truth = rnd() < 0.2;
        ai.push({ caseId: `case${c}`, label: `label${l}`, probability: truth ? 0.5 + rnd() / 2 : rnd() / 2 });
        for (let r = 0; r < 5; r++) votes.push({ caseId: `case${c}`, label: `label${l}`, reader: `reader${r}`, value: rnd() < 0.85 ? truth : !truth });
      }
    }
    const report = agreementStats(votes, ai);
    expect(report.pooled.votes).toBe(500_000);
    expect(report.pooled.readerPairs.length).toBe(10);
    expect(report.cells.length).toBe(100_000);
  });
});
