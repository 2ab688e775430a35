import { describe, expect, it } from "vitest";
import { caseGroups, readerSeries, type ReadingProgress } from "./plot";

const reader = (readerId: string, caseSeconds: number[]) => ({
  readerId,
  name: `Reader ${readerId}`,
  casesDone: caseSeconds.length,
  drafts: 0,
  medianCaseSeconds: null,
  medianLabelSeconds: null,
  caseSeconds,
  labels: [],
});

describe("the time per case plot", () => {
  it("draws a box of each reader's case times, in the reader's colour, and nothing for a reader without any", () => {
    const progress = { projectId: "p", totalCases: 9, completeCases: 0, readersPerCase: 2, labels: [], readers: [reader("a", [10, 20, 30, 40, 200]), reader("b", []), reader("c", [5])] } as unknown as ReadingProgress;
    const series = readerSeries(progress);
    const groups = caseGroups(progress, series);
    expect(groups.map((g) => g.key)).toEqual(["a", "c"]);
    const [a, c] = groups;
    expect(a!.boxes[0]!.series).toBe(series[0]);
    expect(a!.boxes[0]!.summary).toMatchObject({ n: 5, min: 10, median: 30, upperWhisker: 40, max: 200, outliers: [200] });
    expect(a!.boxes[0]!.median).toBe(30);
    expect(c!.boxes[0]!.summary).toMatchObject({ n: 1, median: 5 });
  });
});
