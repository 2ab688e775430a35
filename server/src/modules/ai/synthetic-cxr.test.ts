import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readDicomFile } from "../images/dicom/read.js";
import {
  CXR_FINDINGS,
  cxrFindingBoxes,
  cxrMasks,
  generateCxr,
  measuredCardiothoracicRatio,
  randomCxr,
  SYNTHETIC_COMMENT,
  SYNTHETIC_PATIENT_NAME,
  syntheticCxrDicom,
  type CxrFinding,
  type CxrImage,
} from "./synthetic-cxr.js";

const S = 128;
/** What the generator drew before the later findings existed (server/src/testing/cxr.ts at commit 46d3e68), for the calls in the test below. */
const LEGACY_DIGESTS = ["3761c32c6adc35a8", "47db7c941014c27a", "a8b20b6847c08fa7"];
const plain = (seed: number, findings: Partial<Record<CxrFinding, boolean>> = {}) => generateCxr({ seed, width: S, height: S, noise: 0, findings, vessels: true });
const mean = (im: CxrImage, idx: number[]) => idx.reduce((s, i) => s + im.pixels[i]!, 0) / Math.max(1, idx.length);
/** Mean absolute difference to the right and lower neighbours: how much fine texture a region has. */
const texture = (im: CxrImage, idx: number[]) =>
  idx.reduce((s, i) => s + Math.abs(im.pixels[i]! - im.pixels[i + 1]!) + Math.abs(im.pixels[i]! - im.pixels[i + im.width]!), 0) / Math.max(1, idx.length);
const where = (n: number, keep: (x: number, y: number) => boolean) => {
  const out: number[] = [];
  for (let i = 0; i < n * n; i++) if (keep(i % n, Math.floor(i / n))) out.push(i);
  return out;
};
/** Pixels whose 2-pixel neighbourhood lies wholly inside the mask (away from its edges). */
const interior = (mask: Uint8Array, w: number) => where(w, (x, y) => {
  for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (!mask[(y + dy) * w + x + dx]) return false;
  return x > 2 && y > 2 && x < w - 3 && y < w - 3;
});

describe("synthetic chest X-ray: every finding", () => {
  it("is deterministic per seed, and a new finding leaves the patient's anatomy as it was", () => {
    const all = Object.fromEntries(CXR_FINDINGS.map((f) => [f, true]));
    const a = generateCxr({ seed: 9, width: 96, height: 96, findings: all, vessels: true });
    const b = generateCxr({ seed: 9, width: 96, height: 96, findings: all, vessels: true });
    expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
    expect(a.geometry).toEqual(b.geometry);
    const normal = plain(9);
    for (const f of ["pneumothorax", "consolidation", "ild", "edema"] as const) {
      const one = plain(9, { [f]: true });
      expect(one.geometry.heart, f).toEqual(normal.geometry.heart);
      expect(one.geometry.rightLung, f).toEqual(normal.geometry.rightLung);
      expect(Buffer.from(one.pixels).equals(Buffer.from(normal.pixels)), f).toBe(false);
    }
  });

  it("without vessel markings and the later findings, draws exactly what it drew before they existed", () => {
    // A digest of the original generator's output for these seeds (noise included): images earlier tests trained on.
    const digest = (im: CxrImage) => createHash("sha256").update(im.pixels).digest("hex").slice(0, 16);
    const seen = [0, 1, 2].map((seed) => digest(generateCxr({ seed, width: 64, height: 64, findings: { cardiomegaly: seed === 1, effusion: seed === 2, nodule: seed === 0 } })));
    expect(seen).toEqual(LEGACY_DIGESTS);
  });

  it("cardiomegaly: the cardiothoracic ratio measured on the masks is 0.5 or more, and below 0.5 without it (PA)", () => {
    for (let seed = 0; seed < 20; seed++) {
      const big = measuredCardiothoracicRatio(plain(seed, { cardiomegaly: true }));
      const normal = measuredCardiothoracicRatio(plain(seed));
      expect(big, `seed ${seed}`).toBeGreaterThanOrEqual(0.5);
      expect(normal, `seed ${seed}`).toBeLessThan(0.5);
      expect(plain(seed).geometry.cardiothoracicRatio).toBeCloseTo(normal, 1);
    }
  });

  it("pneumothorax: the rim between the collapsed lung and the chest wall is darker and has no vessel texture; a pleural line bounds it", () => {
    for (let seed = 0; seed < 8; seed++) {
      const ptx = plain(seed, { pneumothorax: true });
      const normal = plain(seed);
      const rim = interior(cxrMasks(ptx).pneumothorax!, S);
      expect(rim.length, `seed ${seed}`).toBeGreaterThan(40);
      expect(mean(ptx, rim), `seed ${seed}`).toBeLessThan(mean(normal, rim) - 10);
      expect(texture(ptx, rim), `seed ${seed}`).toBeLessThan(texture(normal, rim));
      // The same pixels minus the ribs (which both have): in the rim, the pneumothorax image is flat.
      const diffSpread = (() => {
        const d = rim.map((i) => normal.pixels[i]! - ptx.pixels[i]!);
        const m = d.reduce((s, v) => s + v, 0) / d.length;
        return Math.sqrt(d.reduce((s, v) => s + (v - m) ** 2, 0) / d.length);
      })();
      expect(diffSpread, `seed ${seed}: what the normal image has beyond the rim's air is vessel texture`).toBeGreaterThan(0.5);
      // The pleural line: pixels on the collapsed lung's edge, inside the pleural space, are brighter than the rim.
      const c = ptx.geometry.pneumothorax!.collapsedLung;
      const lung = ptx.geometry.pneumothorax!.side === "right" ? ptx.geometry.rightLung : ptx.geometry.leftLung;
      const edge = where(S, (x, y) => {
        const u = (x + 0.5) / S;
        const v = (y + 0.5) / S;
        const d = Math.hypot((u - c.cx) / c.rx, (v - c.cy) / c.ry);
        return Math.abs(d - 1) < 0.01 && Math.hypot((u - lung.cx) / lung.rx, (v - lung.cy) / lung.ry) < 0.9 && v < c.cy;
      });
      expect(mean(ptx, edge), `seed ${seed}`).toBeGreaterThan(mean(ptx, rim) + 8);
    }
  });

  it("consolidation: a dense patch where it says", () => {
    for (let seed = 0; seed < 8; seed++) {
      const im = plain(seed, { consolidation: true });
      const normal = plain(seed);
      const { centre, radius } = im.geometry.consolidation!;
      const patch = where(S, (x, y) => Math.hypot((x + 0.5) / S - centre.x, (y + 0.5) / S - centre.y) < radius * 0.5);
      expect(mean(im, patch), `seed ${seed}`).toBeGreaterThan(mean(normal, patch) + 20);
    }
  });

  it("interstitial lung disease: more fine texture in the lower zones, the upper zones hardly change", () => {
    for (let seed = 0; seed < 8; seed++) {
      const im = plain(seed, { ild: true });
      const normal = plain(seed);
      const lungs = interior(cxrMasks(im).lungs, S);
      const g = im.geometry.rightLung;
      const lower = lungs.filter((i) => (Math.floor(i / S) + 0.5) / S > g.cy + g.ry * 0.35);
      const upper = lungs.filter((i) => (Math.floor(i / S) + 0.5) / S < g.cy - g.ry * 0.4);
      expect(texture(im, lower), `seed ${seed}`).toBeGreaterThan(texture(normal, lower) * 1.3);
      expect(Math.abs(mean(im, upper) - mean(normal, upper)), `seed ${seed}`).toBeLessThan(3);
    }
  });

  it("pulmonary edema: the perihilar lung brightens much more than the lung apices", () => {
    for (let seed = 0; seed < 8; seed++) {
      const im = plain(seed, { edema: true });
      const normal = plain(seed);
      const lungs = interior(cxrMasks(im).lungs, S);
      const g = im.geometry.rightLung;
      const perihilar = lungs.filter((i) => {
        const v = (Math.floor(i / S) + 0.5) / S;
        const u = (i % S + 0.5) / S;
        return Math.abs(v - g.cy) < 0.05 && Math.abs(u - 0.5) < 0.2;
      });
      const apices = lungs.filter((i) => (Math.floor(i / S) + 0.5) / S < g.cy - g.ry * 0.7);
      const gain = mean(im, perihilar) - mean(normal, perihilar);
      expect(gain, `seed ${seed}`).toBeGreaterThan(15);
      expect(gain, `seed ${seed}`).toBeGreaterThan(4 * Math.abs(mean(im, apices) - mean(normal, apices)));
    }
  });

  it("atelectasis: a dense band and a raised hemidiaphragm on that side", () => {
    for (let seed = 0; seed < 8; seed++) {
      const im = plain(seed, { atelectasis: true });
      const normal = plain(seed);
      const a = im.geometry.atelectasis!;
      const band = where(S, (x, y) => {
        const u = (x + 0.5) / S - a.centre.x;
        const v = (y + 0.5) / S - a.centre.y;
        const along = u * Math.cos(a.angle) + v * Math.sin(a.angle);
        const across = -u * Math.sin(a.angle) + v * Math.cos(a.angle);
        return Math.abs(along) < a.halfLength * 0.6 && Math.abs(across) < a.thickness * 0.4;
      });
      expect(mean(im, band), `seed ${seed}`).toBeGreaterThan(mean(normal, band) + 20);
      const lung = (x: CxrImage) => (a.side === "right" ? x.geometry.rightLung : x.geometry.leftLung);
      expect(lung(im).cy + lung(im).ry, `seed ${seed}: the lung base`).toBeLessThan(lung(normal).cy + lung(normal).ry - 0.02);
    }
  });

  it("boxes the localised findings around where they are drawn", () => {
    for (let seed = 0; seed < 6; seed++) {
      const im = plain(seed, { consolidation: true, pneumothorax: true, atelectasis: true });
      const boxes = cxrFindingBoxes(im);
      expect(boxes.map((b) => b.finding).sort(), `seed ${seed}`).toEqual(["atelectasis", "consolidation", "pneumothorax"]);
      const normal = plain(seed);
      for (const { finding, box } of boxes) {
        const [x0, y0, x1, y1] = box;
        expect(x1 - x0, finding).toBeGreaterThan(3);
        expect(y1 - y0, finding).toBeGreaterThan(1);
        const inside = where(S, (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1);
        const outside = where(S, (x, y) => !(x >= x0 - 2 && x < x1 + 2 && y >= y0 - 2 && y < y1 + 2));
        // What the findings changed lies in their boxes: the change inside is larger than outside.
        const change = (idx: number[]) => idx.reduce((sum, i) => sum + Math.abs(im.pixels[i]! - normal.pixels[i]!), 0) / idx.length;
        expect(change(inside), `seed ${seed} ${finding}`).toBeGreaterThan(change(outside) * 2);
      }
    }
  });

  it("random images draw the findings at the prevalences asked, the first three alone by default", () => {
    const prevalence = Object.fromEntries(CXR_FINDINGS.map((f) => [f, 0.3]));
    const images = Array.from({ length: 200 }, (_, i) => randomCxr(5000 + i, { width: 32, height: 32, prevalence }));
    for (const f of CXR_FINDINGS) {
      const n = images.filter((im) => im.labels[f]).length;
      expect(n, f).toBeGreaterThan(35);
      expect(n, f).toBeLessThan(85);
    }
    const legacy = Array.from({ length: 50 }, (_, i) => randomCxr(7000 + i, { width: 32, height: 32 }));
    expect(legacy.some((im) => im.labels.pneumothorax || im.labels.ild || im.labels.edema || im.labels.atelectasis || im.labels.consolidation)).toBe(false);
  });

  it("takes a few milliseconds per 256 x 256 image with every finding", () => {
    const all = Object.fromEntries(CXR_FINDINGS.map((f) => [f, true]));
    generateCxr({ seed: 1, findings: all, vessels: true }); // warm up
    const t = performance.now();
    for (let i = 0; i < 20; i++) generateCxr({ seed: i, findings: all, bitsStored: 12, vessels: true });
    const ms = (performance.now() - t) / 20;
    console.log(`synthetic CXR 256x256, all findings: ${ms.toFixed(1)} ms per image`);
    // About 10 ms on an idle core; the bound leaves room for a shared, busy test machine.
    expect(ms).toBeLessThan(100);
  });
});

describe("synthetic chest X-ray as DICOM", () => {
  const image = randomCxr(42, { bitsStored: 12, view: "PA", prevalence: { pneumothorax: 1, cardiomegaly: 1 } });
  const bytes = syntheticCxrDicom(image, { patientId: "SYNTH-42" });

  it("is a DX PA MONOCHROME2 12-bit image marked synthetic, read back by dcmjs with its pixels", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dcmjs = require("dcmjs");
    const dict = dcmjs.data.DicomMessage.readFile(Buffer.from(bytes).buffer.slice(0));
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict);
    expect(ds.SOPClassUID).toBe("1.2.840.10008.5.1.4.1.1.1.1");
    expect(ds.Modality).toBe("DX");
    expect(ds.ViewPosition).toBe("PA");
    expect(ds.PhotometricInterpretation).toBe("MONOCHROME2");
    expect([ds.BitsAllocated, ds.BitsStored, ds.HighBit]).toEqual([16, 12, 11]);
    expect(ds.PatientName).toEqual([{ Alphabetic: SYNTHETIC_PATIENT_NAME }]);
    expect(ds.ImageComments).toBe(SYNTHETIC_COMMENT);
    expect(ds.BurnedInAnnotation).toBe("NO");
    expect(ds.ImageType).toEqual(["DERIVED", "SECONDARY"]);
    expect(ds.PatientIdentityRemoved).toBe("YES");
    expect(Number(ds.PixelSpacing[0])).toBeGreaterThan(0.1);
    expect(Number(ds.PixelSpacing[0])).toBeLessThan(3);
    const pixels = new Uint16Array(ds.PixelData[0]);
    expect(pixels.length).toBe(256 * 256);
    expect(Array.from(pixels.subarray(0, 2000))).toEqual(Array.from(image.pixels.subarray(0, 2000)));
    expect(Math.max(...pixels)).toBeLessThanOrEqual(4095);
    // Same image, same file: UIDs come from the seed.
    expect(Buffer.from(syntheticCxrDicom(image, { patientId: "SYNTH-42" })).equals(Buffer.from(bytes))).toBe(true);
  });

  it("is read by the project's own DICOM reader", () => {
    const file = readDicomFile(bytes, "synthetic.dcm");
    expect(file.dict["00080060"]?.Value).toEqual(["DX"]);
    expect(file.dict["00280010"]?.Value).toEqual([256]);
  });

  const dcmdump = spawnSync("dcmdump", ["--version"]).status === 0;
  it.skipIf(!dcmdump)("passes DCMTK's dcmdump (skipped where DCMTK is not installed)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-cxr-"));
    try {
      const file = path.join(dir, "cxr.dcm");
      fs.writeFileSync(file, bytes);
      const run = spawnSync("dcmdump", ["-E", file], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("SYNTHETIC^CXR");
      expect(run.stdout).toContain("DigitalXRayImageStorageForPresentation");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
