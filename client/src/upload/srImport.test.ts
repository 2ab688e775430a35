import { describe, expect, it } from "vitest";
import { MAX_SR_REQUEST_BYTES, parseMaskLabels, planSrImport } from "./srImport";

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

describe("label names for label masks (an nnU-Net dataset.json)", () => {
  it("reads nnU-Net v2's name-to-value map and v1's value-to-name map, without the background", () => {
    const v2 = parseMaskLabels(JSON.stringify({ name: "Dataset003_Liver", labels: { background: 0, liver: 1, tumour: 2 }, channel_names: { "0": "CT" } }));
    expect(v2).toEqual([{ value: 1, name: "liver" }, { value: 2, name: "tumour" }]);
    const v1 = parseMaskLabels(JSON.stringify({ labels: { "0": "background", "2": "Tumour ", "1": "Liver" } }));
    expect(v1).toEqual([{ value: 1, name: "Liver" }, { value: 2, name: "Tumour" }]);
    expect(parseMaskLabels(JSON.stringify({ "3": "spleen" }))).toEqual([{ value: 3, name: "spleen" }]);
  });

  it("leaves out nnU-Net's regions (several values) and refuses what names no label, saying why", () => {
    expect(parseMaskLabels(JSON.stringify({ labels: { background: 0, whole_tumor: [1, 2, 3], edema: 1 } }))).toEqual([{ value: 1, name: "edema" }]);
    expect(() => parseMaskLabels("{nope")).toThrow(/^not JSON/);
    expect(() => parseMaskLabels(JSON.stringify({ labels: { background: 0 } }))).toThrow("names no label other than the background");
    expect(() => parseMaskLabels(JSON.stringify([1, 2]))).toThrow(/no label names in it/);
    expect(() => parseMaskLabels(JSON.stringify({ labels: { liver: 1, hepar: 1 } }))).toThrow('label 1 is named twice ("liver", "hepar")');
    expect(() => parseMaskLabels(JSON.stringify({ labels: { liver: 1.5 } }))).toThrow('"liver": 1.5 is not a label value and its name');
  });
});
