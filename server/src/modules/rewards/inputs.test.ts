import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../testing/random.js";
import { rewardVectorsDir } from "../../testing/reward-vectors.js";
import { inputsHash, parseAiCsv, parseLabelsCsv, parseLabelTimesCsv, type RewardInputs } from "./inputs.js";

describe("labels CSV", () => {
  it("reads REWARD.md's header, 0/1 and true/false, with and without seconds", () => {
    const votes = parseLabelsCsv("case,label,annotator,value,seconds\nc1,L1,A,1,4.5\nc1,L1,B,FALSE,\nc2,L1,A,true,1e1\nc2,L1,B,0\n");
    expect(votes).toEqual([
      { caseId: "c1", label: "L1", reader: "A", value: true, seconds: 4.5 },
      { caseId: "c1", label: "L1", reader: "B", value: false },
      { caseId: "c2", label: "L1", reader: "A", value: true, seconds: 10 },
      { caseId: "c2", label: "L1", reader: "B", value: false },
    ]);
  });

  it("reads the notebook's header (image, time_s), CRLF and a BOM", () => {
    const votes = parseLabelsCsv("\uFEFFimage,label,annotator,value,time_s\r\nimg01,L1,A,0,5.61\r\n");
    expect(votes).toEqual([{ caseId: "img01", label: "L1", reader: "A", value: false, seconds: 5.61 }]);
  });

  it("a file without a seconds column has no times", () => {
    expect(parseLabelsCsv("case,label,annotator,value\nc1,L1,A,1\n")).toEqual([{ caseId: "c1", label: "L1", reader: "A", value: true }]);
  });

  it("names the file, the row and the column of a bad value", () => {
    const text = "case,label,annotator,value,seconds\nc1,L1,A,1,3\nc1,L1,B,yes,3\n";
    expect(() => parseLabelsCsv(text, "labels.csv")).toThrow("labels.csv row 3, column value: expected 0, 1, true or false, got 'yes'");
  });

  it("rejects negative or non-numeric seconds, naming the column as the file spells it", () => {
    expect(() => parseLabelsCsv("image,label,annotator,value,time_s\ni,L,A,1,-2\n", "x.csv")).toThrow("x.csv row 2, column time_s: expected seconds (a number ≥ 0), got '-2'");
    expect(() => parseLabelsCsv("image,label,annotator,value,time_s\ni,L,A,1,abc\n", "x.csv")).toThrow(/got 'abc'/);
  });

  it("rejects a duplicate (case, label, annotator), naming both rows", () => {
    const text = "case,label,annotator,value\nc1,L1,A,1\nc2,L1,A,1\nc1,L1,A,0\n";
    expect(() => parseLabelsCsv(text, "labels.csv")).toThrow("labels.csv row 4: a second answer by 'A' on case 'c1', label 'L1' (the first is row 2)");
  });

  it("rejects empty fields and short rows", () => {
    expect(() => parseLabelsCsv("case,label,annotator,value\n,L1,A,1\n", "l.csv")).toThrow("l.csv row 2, column case: is empty");
    expect(() => parseLabelsCsv("case,label,annotator,value\nc1,L1,A\n", "l.csv")).toThrow("l.csv row 2, column value: missing (the row has 3 fields)");
  });

  it("names missing columns and what the header has", () => {
    expect(() => parseLabelsCsv("case,label,reader_name,value\nc,L,A,1\n", "l.csv")).toThrow("l.csv: needs a header row with column annotator or reader; the header row has 'case', 'label', 'reader_name', 'value'");
    expect(() => parseLabelsCsv("", "l.csv")).toThrow(/l\.csv: needs a header row .* the file is empty/);
  });

  it("lists several problems at once, up to a limit", () => {
    const rows = Array.from({ length: 30 }, (_, i) => `c${i},L,A,maybe`).join("\n");
    let message = "";
    try {
      parseLabelsCsv(`case,label,annotator,value\n${rows}\n`, "l.csv");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split("; ")).toHaveLength(21);
    expect(message).toContain("l.csv row 2, column value");
    expect(message).toContain("and 10 more problems");
  });

  it("reports a file that is not CSV with its name", () => {
    expect(() => parseLabelsCsv('case,label\n"unclosed,L\n', "bad.csv")).toThrow(/^bad\.csv: is not valid CSV/);
  });
});

describe("AI CSV", () => {
  it("reads both headers and checks the probability", () => {
    expect(parseAiCsv("case,label,probability\nc1,L1,0.25\n")).toEqual([{ caseId: "c1", label: "L1", probability: 0.25 }]);
    expect(parseAiCsv("image,label,ai_prob\nimg01,L1,1\n")).toEqual([{ caseId: "img01", label: "L1", probability: 1 }]);
    expect(() => parseAiCsv("case,label,probability\nc1,L1,1.5\n", "ai.csv")).toThrow("ai.csv row 2, column probability: expected a probability between 0 and 1, got '1.5'");
    expect(() => parseAiCsv("case,label,probability\nc1,L1,0.1\nc1,L1,0.2\n", "ai.csv")).toThrow("ai.csv row 3: a second probability for case 'c1', label 'L1' (the first is row 2)");
  });
});

describe("label times CSV", () => {
  it("reads label,seconds and rejects duplicates and bad numbers", () => {
    expect(parseLabelTimesCsv("label,seconds\nL1,4.5\nL2,9\n")).toEqual(new Map([["L1", 4.5], ["L2", 9]]));
    expect(() => parseLabelTimesCsv("label,seconds\nL1,4\nL1,5\n", "t.csv")).toThrow("t.csv row 3: a second time for label 'L1' (the first is row 2)");
    expect(() => parseLabelTimesCsv("label,seconds\nL1,\n", "t.csv")).toThrow("t.csv row 2, column seconds: is empty; expected seconds (a number ≥ 0)");
  });
});

describe("inputs hash", () => {
  it("ignores row order and sees any change of a vote, a time or an AI probability", () => {
    const votes = parseLabelsCsv("case,label,annotator,value,seconds\nc1,L1,A,1,3\nc1,L1,B,0,4\nc2,L1,A,0,\n");
    const ai = parseAiCsv("case,label,probability\nc1,L1,0.7\nc2,L1,0.2\n");
    const h = inputsHash({ votes, ai });
    expect(inputsHash({ votes: [...votes].reverse(), ai: [...ai].reverse() })).toBe(h);
    expect(inputsHash({ votes: votes.map((v, i) => (i === 1 ? { ...v, value: true } : v)), ai })).not.toBe(h);
    expect(inputsHash({ votes: votes.map((v, i) => (i === 0 ? { ...v, seconds: 3.5 } : v)), ai })).not.toBe(h);
    expect(inputsHash({ votes, ai: ai.map((a, i) => (i === 0 ? { ...a, probability: 0.71 } : a)) })).not.toBe(h);
    expect(inputsHash({ votes })).not.toBe(h);
    expect(inputsHash({ votes, ai, labelSeconds: new Map([["L1", 5]]) })).not.toBe(h);
  });
});

describe.skipIf(!rewardVectorsDir())("the syn3 vectors (needs ../shared/testdata/reward)", () => {
  it("parse completely: 3 readers x 20 cases x 3 labels, every vote timed, 60 AI rows", () => {
    const dir = rewardVectorsDir()!;
    const votes = parseLabelsCsv(fs.readFileSync(path.join(dir, "syn3_annotations.csv"), "utf8"));
    expect(votes).toHaveLength(180);
    expect(new Set(votes.map((v) => v.reader))).toEqual(new Set(["A", "B", "C"]));
    expect(votes.every((v) => typeof v.seconds === "number")).toBe(true);
    expect(parseAiCsv(fs.readFileSync(path.join(dir, "syn3_ai.csv"), "utf8"))).toHaveLength(60);
  });
});

describe("inputsHash at scale", () => {
  // The definition, written the slow way: every line, sorted, joined. The fast one must match it.
  function definition(inputs: RewardInputs): string {
    const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const lines = [
      ...inputs.votes.map((v) => JSON.stringify(["vote", v.label, v.caseId, v.reader, v.value, v.seconds ?? null])),
      ...(inputs.ai ?? []).map((a) => JSON.stringify(["ai", a.label, a.caseId, a.probability])),
      ...[...(inputs.labelSeconds ?? new Map<string, number>())].map(([label, s]) => JSON.stringify(["seconds", label, s])),
    ].sort(byKey);
    return createHash("sha256").update(lines.join("\n")).digest("hex");
  }

  it("equals the definition on names that are prefixes of each other, quoted, or outside the BMP", () => {
    const rand = seededRandom(7);
    const names = ["L1", "L1 ", "L1a", 'L"1', "L\\1", "L1\u0000", "Lé", "L😀", "l1", "", "L10", "L1,2"];
    const pick = () => names[Math.floor(rand() * names.length)]!;
    const seen = new Set<string>();
    const votes: RewardInputs["votes"][number][] = [];
    for (let n = 0; n < 3000; n++) {
      const v = { caseId: pick(), label: pick(), reader: pick(), value: rand() < 0.5 };
      const key = JSON.stringify([v.caseId, v.label, v.reader]);
      if (seen.has(key)) continue;
      seen.add(key);
      votes.push(rand() < 0.5 ? v : { ...v, seconds: Math.round(rand() * 1e4) / 100 });
    }
    const ai = names.map((l, i) => ({ caseId: names[(i * 5) % names.length]!, label: l, probability: rand() }));
    const inputs: RewardInputs = { votes, ai, labelSeconds: new Map(names.map((l, i) => [l, i * 1.5])) };
    expect(votes.length).toBeGreaterThan(1000);
    expect(inputsHash(inputs)).toBe(definition(inputs));
    expect(inputsHash({ votes })).toBe(definition({ votes }));
    expect(inputsHash({ votes: [] })).toBe(definition({ votes: [] }));
  });
});
