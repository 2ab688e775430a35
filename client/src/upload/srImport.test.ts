import { describe, expect, it } from "vitest";
import { MAX_SR_REQUEST_BYTES, planSrImport } from "./srImport";

const f = (name: string, size: number) => ({ name, size });
const names = (requests: Array<Array<{ name: string }>>) => requests.map((r) => r.map((x) => x.name));

describe("importing structured reports from the browser", () => {
  it("plans requests by bytes and by count, in the files' order", () => {
    const plan = planSrImport([f("a", 40), f("b", 40), f("c", 40), f("d", 10)], 100, 10);
    expect(names(plan.requests)).toEqual([["a", "b"], ["c", "d"]]);
    expect(plan.tooLarge).toEqual([]);
    expect(names(planSrImport([f("a", 1), f("b", 1), f("c", 1)], 100, 2).requests)).toEqual([["a", "b"], ["c"]]);
    expect(planSrImport([], 100, 2)).toEqual({ requests: [], tooLarge: [] });
  });

  it("sets aside a file larger than one request may carry; the others still go", () => {
    const plan = planSrImport([f("a", 10), f("huge", 101), f("b", 100)], 100, 10);
    expect(names(plan.requests)).toEqual([["a"], ["b"]]);
    expect(plan.tooLarge.map((x) => x.name)).toEqual(["huge"]);
  });

  it("keeps each request under the server's 12 MB JSON body once encoded", () => {
    expect(Math.ceil(MAX_SR_REQUEST_BYTES / 3) * 4 + 64 * 1024).toBeLessThan(12 * 1024 * 1024);
  });
});
