import { describe, expect, it } from "vitest";
import { readyVersions } from "./readyVersions";

const v = (id: string, version: number, status: string, createdAt: string, readyAt: string | null = null) => ({ id, version, status, createdAt, readyAt });

describe("readyVersions", () => {
  const models = [
    { name: "lungs", task: "SEGMENTATION" as const, versions: [v("l1", 1, "READY", "2026-01-01T00:00:00Z", "2026-01-05T00:00:00Z"), v("l2", 2, "VALIDATING", "2026-01-06T00:00:00Z")] },
    { name: "effusion", task: "BINARY" as const, versions: [v("e1", 1, "READY", "2026-01-03T00:00:00Z"), v("e2", 2, "REFUSED", "2026-01-04T00:00:00Z"), v("e3", 3, "READY", "2026-01-02T00:00:00Z", "2026-01-07T00:00:00Z")] },
  ];

  it("offers the READY versions, newest first by when each became ready (created, when that is not known), named by model and version", () => {
    expect(readyVersions(models).map((x) => [x.id, x.text, x.task, x.at])).toEqual([
      ["e3", "effusion · version 3", "BINARY", "2026-01-07T00:00:00Z"],
      ["l1", "lungs · version 1", "SEGMENTATION", "2026-01-05T00:00:00Z"],
      ["e1", "effusion · version 1", "BINARY", "2026-01-03T00:00:00Z"],
    ]);
  });

  it("of the tasks asked for only; none without models", () => {
    expect(readyVersions(models, ["SEGMENTATION"]).map((x) => x.id)).toEqual(["l1"]);
    expect(readyVersions(models, ["BINARY", "MULTILABEL"]).map((x) => x.id)).toEqual(["e3", "e1"]);
    expect(readyVersions(undefined)).toEqual([]);
  });
});
