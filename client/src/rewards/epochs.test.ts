import { describe, expect, it } from "vitest";
import type { RewardEpochFieldsFragment } from "../generated/graphql";
import { counted, formatTerm, formatTokens, mergeEpochs, readerName } from "./epochs";

const epoch = (id: string, createdAt: string, over: Partial<RewardEpochFieldsFragment> = {}): RewardEpochFieldsFragment => ({
  id,
  projectId: "p",
  policy: "concord",
  budget: 1000,
  kappaThreshold: null,
  inputSource: "PROJECT",
  inputSetId: null,
  modelVersionId: null,
  inputsHash: null,
  status: "QUEUED",
  progress: 0,
  error: null,
  createdAt,
  finishedAt: null,
  ...over,
});

describe("mergeEpochs", () => {
  it("lists newest first and adds epochs only seen live", () => {
    const old = epoch("a", "2026-01-01T00:00:00.000Z", { status: "DONE", progress: 100 });
    const fresh = epoch("b", "2026-01-02T00:00:00.000Z");
    expect(mergeEpochs([old], [fresh]).map((e) => e.id)).toEqual(["b", "a"]);
  });

  it("follows an epoch's progress and end", () => {
    const e = epoch("a", "2026-01-01T00:00:00.000Z");
    const running = { ...e, status: "RUNNING" as const, progress: 40 };
    const done = { ...e, status: "DONE" as const, progress: 100, inputsHash: "ab" };
    expect(mergeEpochs([e], [running])[0]).toEqual(running);
    expect(mergeEpochs([e], [running, done])[0]).toEqual(done);
  });

  it("never takes a finished epoch back, nor lowers a running epoch's progress", () => {
    const e = epoch("a", "2026-01-01T00:00:00.000Z");
    const done = { ...e, status: "DONE" as const, progress: 100 };
    expect(mergeEpochs([done], [{ ...e, status: "RUNNING", progress: 80 }])[0]).toEqual(done);
    const at80 = { ...e, status: "RUNNING" as const, progress: 80 };
    expect(mergeEpochs([at80], [{ ...e, status: "RUNNING", progress: 40 }])[0]).toEqual(at80);
  });
});

describe("readerName", () => {
  const names = new Map([["u1", "Ann Reader"]]);
  it("names a member by name, others by the share's reader", () => {
    expect(readerName({ reader: "u1", readerUserId: "u1" }, names)).toBe("Ann Reader");
    expect(readerName({ reader: "u2", readerUserId: "u2" }, names)).toBe("u2");
    expect(readerName({ reader: "ann", readerUserId: null }, names)).toBe("ann");
  });
});

describe("formatting", () => {
  it("writes tokens whole and terms with four decimals, undefined as a dash", () => {
    expect(formatTokens(1234)).toBe("1,234");
    expect(formatTokens(null)).toBe("—");
    expect(formatTerm(0.123456)).toBe("0.1235");
    expect(formatTerm(0.5)).toBe("0.5");
    expect(formatTerm(Number.NaN)).toBe("—");
  });
});

describe("counted", () => {
  it("puts the noun in the plural except for one", () => {
    expect(counted(1, "label")).toBe("1 label");
    expect(counted(0, "label")).toBe("0 labels");
    expect(counted(12, "vote")).toBe("12 votes");
  });
});
