import { describe, expect, it } from "vitest";
import { cineRateOf, loaderSchemeOf, seriesLabel, seriesOfStack, stackImagesOf, stackOrder, type DicomJson } from "./stack";

const instance = (sop: string, number: number | string | null, frames?: number, rows: number | null = 64) => ({
  "00080018": { vr: "UI", Value: [sop] },
  "0020000E": { vr: "UI", Value: ["2.25.9"] },
  ...(number === null ? {} : { "00200013": { vr: "IS", Value: [number] } }),
  ...(frames ? { "00280008": { vr: "IS", Value: [frames] } } : {}),
  ...(rows === null ? {} : { "00280010": { vr: "US", Value: [rows] } }),
});

describe("case stacks", () => {
  it("orders instances by instance number, then UID, those without a number last", () => {
    const order = stackOrder([instance("1.3", 10), instance("1.9", null), instance("1.2", "2"), instance("1.1", 10)]);
    expect(order.map((i) => i["00080018"]?.Value?.[0])).toEqual(["1.2", "1.1", "1.3", "1.9"]);
  });

  it("makes one wadors image id per frame and skips instances that are not images", () => {
    const images = stackImagesOf("http://h/dicomweb/projects/p", "2.25.1", [instance("1.5", 2, 3), instance("1.4", 1), instance("1.6", 3, undefined, null)]);
    expect(images.map(({ imageId, sopInstanceUid, frame }) => ({ imageId, sopInstanceUid, frame }))).toEqual([
      { imageId: "wadors:http://h/dicomweb/projects/p/studies/2.25.1/series/2.25.9/instances/1.4/frames/1", sopInstanceUid: "1.4", frame: 1 },
      { imageId: "wadors:http://h/dicomweb/projects/p/studies/2.25.1/series/2.25.9/instances/1.5/frames/1", sopInstanceUid: "1.5", frame: 1 },
      { imageId: "wadors:http://h/dicomweb/projects/p/studies/2.25.1/series/2.25.9/instances/1.5/frames/2", sopInstanceUid: "1.5", frame: 2 },
      { imageId: "wadors:http://h/dicomweb/projects/p/studies/2.25.1/series/2.25.9/instances/1.5/frames/3", sopInstanceUid: "1.5", frame: 3 },
    ]);
  });

  it("says of each image where its orientation markers come from: its plane, its Patient Orientation, or nowhere", () => {
    const [ct, dx, png] = stackImagesOf("http://h/r", "2.25.1", [
      { ...instance("1.1", 1), "00200037": { vr: "DS", Value: [1, 0, 0, 0, 1, 0] } },
      { ...instance("1.2", 2), "00200020": { vr: "CS", Value: ["L", "F"] } },
      instance("1.3", 3),
    ]);
    expect(ct?.orientation).toBe("plane");
    expect(dx?.orientation).toEqual({ left: "R", right: "L", top: "H", bottom: "F" });
    expect(png?.orientation).toBeNull();
  });

  it("gives 1-bit and YBR_FULL_422 images our converting scheme, same URL", () => {
    const pixels = (bits: number, photometric: string, samples: number) => ({
      "00280100": { vr: "US", Value: [bits] },
      "00280004": { vr: "CS", Value: [photometric] },
      "00280002": { vr: "US", Value: [samples] },
    });
    expect(loaderSchemeOf(pixels(1, "MONOCHROME2", 1))).toBe("concord-wadors");
    expect(loaderSchemeOf(pixels(8, "YBR_FULL_422", 3))).toBe("concord-wadors");
    expect(loaderSchemeOf(pixels(8, "YBR_FULL", 3))).toBe("wadors");
    expect(loaderSchemeOf(pixels(16, "MONOCHROME2", 1))).toBe("wadors");
    expect(loaderSchemeOf({})).toBe("wadors");
    const [seg] = stackImagesOf("http://h/r", "2.25.1", [{ ...instance("1.7", 1), ...pixels(1, "MONOCHROME2", 1) }]);
    expect(seg?.orientation).toBeNull();
    expect(seg?.imageId).toBe("concord-wadors:http://h/r/studies/2.25.1/series/2.25.9/instances/1.7/frames/1");
  });

  it("plays an instance at the rate it asks for: display rate, cine rate, frame time, or none", () => {
    const with_ = (tags: Record<string, number | string>) => ({ ...instance("1.1", 1, 10), ...Object.fromEntries(Object.entries(tags).map(([t, v]) => [t, { vr: "IS", Value: [v] }])) });
    expect(cineRateOf(with_({ "00082144": 25, "00180040": 30, "00181063": 100 }))).toBe(25);
    expect(cineRateOf(with_({ "00180040": "30", "00181063": 100 }))).toBe(30);
    expect(cineRateOf(with_({ "00181063": "33.3333" }))).toBeCloseTo(30, 3);
    expect(cineRateOf(with_({ "00181063": 0 }))).toBeNull();
    expect(cineRateOf(with_({ "00181063": 1 }))).toBe(100);
    expect(cineRateOf(instance("1.1", 1))).toBeNull();
    expect(stackImagesOf("http://h/r", "2.25.1", [with_({ "00181063": 50 })]).map((i) => i.frameRate)).toEqual(Array(10).fill(20));
  });
});

describe("a study's stack: several series", () => {
  /** An instance of series `series` (Series Number `number`, none when null), Modality and Series Description as given. */
  const of = (sop: string, series: string, number: number | null, instanceNumber: number, extra: Record<string, string> = {}) => ({
    ...instance(sop, instanceNumber),
    "0020000E": { vr: "UI", Value: [series] },
    ...(number === null ? {} : { "00200011": { vr: "IS", Value: [number] } }),
    ...Object.fromEntries(Object.entries(extra).map(([tag, v]) => [tag, { vr: "CS", Value: [v] }])),
  });
  const sops = (list: Array<Record<string, { Value?: unknown[] }>>) => list.map((i) => i["00080018"]?.Value?.[0]);

  it("keeps each series together, whatever order the instances come in", () => {
    const order = stackOrder([of("a2", "2.25.1", 1, 2), of("b1", "2.25.2", 2, 1), of("a1", "2.25.1", 1, 1), of("b2", "2.25.2", 2, 2), of("a3", "2.25.1", 1, 3)]);
    expect(sops(order)).toEqual(["a1", "a2", "a3", "b1", "b2"]);
  });

  it("orders the series by Series Number, then UID, those without a number last", () => {
    const order = stackOrder([
      of("none", "2.25.1", null, 1),
      of("ten", "2.25.2", 10, 1),
      of("two-b", "2.25.4", 2, 1),
      of("two-a", "2.25.3", 2, 1),
      of("nine", "2.25.5", 9, 1),
      of("none-b", "2.25.0", null, 1),
    ]);
    expect(sops(order)).toEqual(["two-a", "two-b", "nine", "ten", "none-b", "none"]);
  });

  it("answers the series of a stack in order: number, modality, description, where each starts and how many images it has", () => {
    const images = stackImagesOf("http://h/r", "2.25.1", [
      of("cor-1", "2.25.20", 5, 1, { "00080060": "MR", "0008103E": " T1 COR " }),
      { ...of("ax-2", "2.25.10", 3, 2, { "00080060": "MR", "0008103E": "T2 AX" }), "00280008": { vr: "IS", Value: [2] } },
      of("ax-1", "2.25.10", 3, 1, { "00080060": "MR", "0008103E": "T2 AX" }),
      of("loose", "2.25.30", null, 1),
    ]);
    expect(images.map((i) => [i.sopInstanceUid, i.seriesInstanceUid, i.frame])).toEqual([
      ["ax-1", "2.25.10", 1],
      ["ax-2", "2.25.10", 1],
      ["ax-2", "2.25.10", 2],
      ["cor-1", "2.25.20", 1],
      ["loose", "2.25.30", 1],
    ]);
    expect(seriesOfStack(images)).toEqual([
      { seriesInstanceUid: "2.25.10", number: 3, modality: "MR", description: "T2 AX", view: null, start: 0, count: 3, sopInstanceUid: "ax-1" },
      { seriesInstanceUid: "2.25.20", number: 5, modality: "MR", description: "T1 COR", view: null, start: 3, count: 1, sopInstanceUid: "cor-1" },
      { seriesInstanceUid: "2.25.30", number: null, modality: "", description: "", view: null, start: 4, count: 1, sopInstanceUid: "loose" },
    ]);
  });

  it("a series' view is its images' when they share one, else none", () => {
    const mg = (sop: string, series: string, n: number, side: string, view: string): DicomJson => ({
      ...instance(sop, n),
      "0020000E": { vr: "UI", Value: [series] },
      "00200062": { vr: "CS", Value: [side] },
      "00185101": { vr: "CS", Value: [view] },
    });
    const images = stackImagesOf("http://h/r", "2.25.1", [mg("rcc", "2.25.41", 1, "R", "CC"), mg("lcc-1", "2.25.42", 1, "L", "CC"), mg("lmlo", "2.25.42", 2, "L", "MLO")]);
    expect(images.map((i) => i.view)).toEqual(["R CC", "L CC", "L MLO"]);
    expect(seriesOfStack(images).map((s) => s.view)).toEqual(["R CC", null]);
  });

  it("a single series is one series, ordered as before", () => {
    const images = stackImagesOf("http://h/r", "2.25.1", [instance("1.3", 3), instance("1.1", 1), instance("1.2", 2)]);
    expect(images.map((i) => i.sopInstanceUid)).toEqual(["1.1", "1.2", "1.3"]);
    expect(seriesOfStack(images)).toEqual([{ seriesInstanceUid: "2.25.9", number: null, modality: "", description: "", view: null, start: 0, count: 3, sopInstanceUid: "1.1" }]);
    expect(seriesOfStack([])).toEqual([]);
  });

  it("names a series by what it gives of number, modality and description, and its images", () => {
    const series = { seriesInstanceUid: "2.25.10", number: 3, modality: "MR", description: "T2 AX", view: null, start: 0, count: 24, sopInstanceUid: "ax-1" };
    expect(seriesLabel(series)).toBe("3 · MR · T2 AX · 24 images");
    expect(seriesLabel({ ...series, number: null, description: "", count: 1 })).toBe("MR · 1 image");
    // A mammogram's view names it: what the reader looks for (the description is removed by de-identification).
    expect(seriesLabel({ ...series, number: 1, modality: "MG", view: "R CC", description: "", count: 1 })).toBe("1 · MG · R CC · 1 image");
  });
});
