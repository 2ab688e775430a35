import { describe, expect, it } from "vitest";
import { cxrCases, generateCxr } from "./cxr.js";

const mean = (a: ArrayLike<number>, idx: number[]) => idx.reduce((s, i) => s + a[i]!, 0) / idx.length;

describe("synthetic chest X-ray", () => {
  it("is deterministic per seed and differs between seeds", () => {
    const a = generateCxr({ seed: 4, width: 96, height: 96, findings: { nodule: true } });
    const b = generateCxr({ seed: 4, width: 96, height: 96, findings: { nodule: true } });
    const c = generateCxr({ seed: 5, width: 96, height: 96, findings: { nodule: true } });
    expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
    expect(a.nodule).toEqual(b.nodule);
    expect(Buffer.from(a.pixels).equals(Buffer.from(c.pixels))).toBe(false);
  });

  it("draws the nodule where it says: brighter than the ring around it", () => {
    for (let seed = 0; seed < 10; seed++) {
      const im = generateCxr({ seed, width: 128, height: 128, findings: { nodule: true }, noise: 0 });
      const { x, y, radius } = im.nodule!;
      const at = (dx: number, dy: number) => Math.round(y + dy) * 128 + Math.round(x + dx);
      const ring = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => at(Math.cos(k) * radius * 2.2, Math.sin(k) * radius * 2.2));
      expect(im.pixels[at(0, 0)]!).toBeGreaterThan(mean(im.pixels, ring) + 30);
    }
  });

  it("cardiomegaly widens the bright heart; effusion brightens a lung base", () => {
    const rowMean = (p: ArrayLike<number>, y: number) => mean(p, Array.from({ length: 128 }, (_, x) => y * 128 + x));
    let wider = 0;
    let brighter = 0;
    for (let seed = 0; seed < 8; seed++) {
      const normal = generateCxr({ seed, width: 128, height: 128, noise: 0 });
      const big = generateCxr({ seed, width: 128, height: 128, noise: 0, findings: { cardiomegaly: true } });
      const wet = generateCxr({ seed, width: 128, height: 128, noise: 0, findings: { effusion: true } });
      if (rowMean(big.pixels, 80) > rowMean(normal.pixels, 80)) wider++;
      if (mean(wet.pixels, Array.from({ length: 128 * 20 }, (_, i) => 75 * 128 + i)) > mean(normal.pixels, Array.from({ length: 128 * 20 }, (_, i) => 75 * 128 + i))) brighter++;
    }
    expect(wider).toBe(8);
    expect(brighter).toBe(8);
  });

  it("writes 12-bit pixels when asked", () => {
    const im = generateCxr({ seed: 1, width: 64, height: 64, bitsStored: 12 });
    expect(im.pixels).toBeInstanceOf(Uint16Array);
    expect(Math.max(...im.pixels)).toBeGreaterThan(255);
    expect(Math.max(...im.pixels)).toBeLessThanOrEqual(4095);
  });

  it("random cases carry every label kind and mix them", () => {
    const cases = cxrCases(60, { size: 64 });
    for (const key of ["cardiomegaly", "effusion", "nodule", "AP", "female"] as const) {
      const positives = cases.filter((c) => c.labels[key]).length;
      expect(positives, key).toBeGreaterThan(10);
      expect(positives, key).toBeLessThan(50);
    }
    expect(new Set(cases.map((c) => c.id)).size).toBe(60);
    expect(cases.every((c) => c.labels.age >= 20 && c.labels.age <= 90)).toBe(true);
  });
});
