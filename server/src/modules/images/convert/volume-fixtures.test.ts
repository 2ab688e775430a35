import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifest, NO_FIXTURES, type ManifestVolumeEntry } from "../../../testing/shared-fixtures.js";
import { hasTool, iodErrors, NO_DICOM3TOOLS } from "../../../testing/tools.js";
import { readDicomFile } from "../dicom/read.js";
import { joinDetached } from "../ingest/detached.js";
import { prepareInstance } from "../ingest/prepare.js";
import { IngestRefusal, type PreparedInstance } from "../ingest/prepared.js";
import { chestPng } from "../../../testing/images.js";

// Every NIfTI and NRRD file of the shared manifest, as one upload: those that should parse become
// one multi-frame DICOM image each, readable back (and by DCMTK), of the sizes the manifest gives;
// files that hold the same volume in other forms give the same pixels and the same geometry.

const manifest = loadManifest();
const hasDcmtk = hasTool("dcm2pnm");

type Outcome = { entry: ManifestVolumeEntry; prepared?: PreparedInstance; refused?: string; ignored?: string };

function ingestAll(): Outcome[] {
  const entries = [...manifest!.nifti, ...manifest!.nrrd];
  const files = entries.map((e) => ({ name: e.path, bytes: new Uint8Array(fs.readFileSync(path.join(manifest!.dir, e.path))) }));
  const opts = { projectKey: new Uint8Array(32).fill(7), retainLongitudinalModifiedDates: false };
  return joinDetached(files).map((file, i): Outcome => {
    const entry = entries[i]!;
    if ("ignored" in file) return { entry, ignored: file.ignored };
    if ("refused" in file) return { entry, refused: file.refused };
    try {
      return { entry, prepared: prepareInstance(file, opts) };
    } catch (err) {
      if (err instanceof IngestRefusal) return { entry, refused: err.message };
      throw err;
    }
  });
}

/** Each frame's values as meant (stored × slope + intercept), and the geometry, of a written volume. */
function decoded(prepared: PreparedInstance) {
  const { dict } = readDicomFile(prepared.bytes, "written");
  const v = (tag: string) => dict[tag]?.Value as unknown[] | undefined;
  const bits = Number(v("00280100")![0]);
  const buffer = v("7FE00010")![0] as ArrayBuffer;
  const count = prepared.rows! * prepared.columns! * prepared.frames;
  const stored = bits === 16 ? new Uint16Array(buffer, 0, count) : new Uint8Array(buffer, 0, count);
  const slope = Number(v("00281053")?.[0] ?? 1);
  const intercept = Number(v("00281052")?.[0] ?? 0);
  const shared = (v("52009229")?.[0] ?? {}) as Record<string, { Value?: Array<Record<string, { Value?: unknown[] }>> }>;
  const perFrame = (v("52009230") ?? []) as Array<Record<string, { Value?: Array<Record<string, { Value?: unknown[] }>> }>>;
  return {
    values: Array.from(stored, (s) => s * slope + intercept),
    orientation: shared["00209116"]?.Value?.[0]?.["00200037"]?.Value?.map(Number) ?? null,
    spacing: shared["00289110"]?.Value?.[0]?.["00280030"]?.Value?.map(Number) ?? null,
    positions: perFrame.map((f) => f["00209113"]?.Value?.[0]?.["00200032"]?.Value?.map(Number)),
  };
}

describe.skipIf(!manifest)(`the NIfTI and NRRD fixtures as one upload (${manifest ? "fixtures present" : NO_FIXTURES})`, () => {
  const outcomes = manifest ? ingestAll() : [];
  const byPath = new Map(outcomes.map((o) => [o.entry.path, o]));

  it("stores every volume that should parse and refuses the rest, naming the file", () => {
    expect(outcomes.length).toBe(15);
    const wrong = outcomes.filter((o) => (o.entry.expectedToParse ? !!o.refused : !o.refused)).map((o) => ({ path: o.entry.path, refused: o.refused }));
    expect(wrong, JSON.stringify(wrong, null, 1)).toEqual([]);
    for (const o of outcomes.filter((x) => x.refused)) expect(o.refused!.startsWith(`${o.entry.path}: `), o.refused).toBe(true);
    // The detached header's data file went in with it, and says so.
    expect(outcomes.filter((o) => o.ignored).map((o) => [o.entry.path, o.ignored])).toEqual([
      ["nrrd/BallBinary30x30x30.raw", "nrrd/BallBinary30x30x30.raw: the image data of nrrd/BallBinary30x30x30.nhdr, stored with it"],
    ]);
  });

  it("gives each volume the sizes its header gives: a slice per frame, further axes as more frames", () => {
    for (const o of outcomes.filter((x) => x.prepared)) {
      const sizes = o.entry.dim ?? o.entry.header!.sizes.split(" ").map(Number);
      const [columns, rows = 1, ...rest] = sizes;
      const { prepared } = o;
      expect(prepared!.sopClassUid, o.entry.path).toMatch(/^1\.2\.840\.10008\.5\.1\.4\.1\.1\.7\.[234]$/);
      expect(prepared!.frames, o.entry.path).toBe(rest.reduce((a, b) => a * b, 1));
      // A slice may be turned for display: its two sides, in either order.
      expect([prepared!.columns, prepared!.rows].sort(), o.entry.path).toEqual([columns, rows].sort());
      expect(prepared!.hasPixelData).toBe(true);
    }
  });

  it("reads the same volume alike in every form it comes in", () => {
    const groups = [
      ["nifti/BallBinary30x30x30.nii.gz", "nrrd/BallBinary30x30x30.nrrd", "nrrd/BallBinary30x30x30_gz.nrrd", "nrrd/BallBinary30x30x30_bz2.nrrd", "nrrd/BallBinary30x30x30.nhdr"],
      ["nifti/little.nii.gz", "nifti/big.nii.gz"],
      ["nifti/avg152T1_LR_nifti.nii.gz", "nifti/avg152T1_LR_nifti2.nii.gz"],
    ];
    for (const group of groups) {
      const [first, ...others] = group.map((p) => ({ path: p, ...decoded(byPath.get(p)!.prepared!) }));
      expect(first!.values.some((v) => v !== first!.values[0]), `${first!.path} is not uniform`).toBe(true);
      for (const other of others) {
        expect(other.values.length, other.path).toBe(first!.values.length);
        const worst = other.values.reduce((m, v, i) => Math.max(m, Math.abs(v - first!.values[i]!)), 0);
        expect(worst, `${other.path} against ${first!.path}`).toBeLessThan(1e-3);
        expect(other.orientation, other.path).toEqual(first!.orientation);
        expect(other.spacing, other.path).toEqual(first!.spacing);
        expect(other.positions, other.path).toEqual(first!.positions);
      }
    }
  });

  it("gives the same volume the same UIDs each time it comes (found already stored), another volume others", () => {
    const prepare = (p: string, bytes = new Uint8Array(fs.readFileSync(path.join(manifest!.dir, p)))) =>
      prepareInstance({ name: p, bytes }, { projectKey: new Uint8Array(32).fill(7), retainLongitudinalModifiedDates: false });
    const uids = (p: PreparedInstance) => [p.studyInstanceUid, p.seriesInstanceUid, p.sopInstanceUid];
    const again = prepare("nifti/little.nii.gz");
    expect(uids(again)).toEqual(uids(byPath.get("nifti/little.nii.gz")!.prepared!));
    // The same voxels in another file (big-endian) are another file: new UIDs.
    expect(again.sopInstanceUid).not.toBe(byPath.get("nifti/big.nii.gz")!.prepared!.sopInstanceUid);
    // The detached header joined with its data is, byte for byte, the attached file: the same volume.
    const sop = (p: string) => byPath.get(p)!.prepared!.sopInstanceUid;
    expect(sop("nrrd/BallBinary30x30x30.nhdr")).toBe(sop("nrrd/BallBinary30x30x30.nrrd"));
    const others = outcomes.filter((o) => o.prepared && o.entry.path !== "nrrd/BallBinary30x30x30.nhdr").map((o) => o.prepared!.sopInstanceUid);
    expect(new Set(others).size).toBe(others.length);
  });

  it("places the MNI template where its header says, shown as radiologists read it", () => {
    // sform: x = -2i + 90, y = 2j - 126, z = 2k - 72 (RAS, mm). In LPS, the columns run to the
    // patient's left and the rows to the back, so the top-left pixel is the right front corner.
    const { orientation, spacing, positions } = decoded(byPath.get("nifti/avg152T1_LR_nifti.nii.gz")!.prepared!);
    expect(orientation).toEqual([1, 0, 0, 0, 1, 0]);
    expect(spacing).toEqual([2, 2]);
    expect(positions[0]).toEqual([-90, -90, -72]);
    expect(positions[90]).toEqual([-90, -90, 108]);
  });

  it.skipIf(!hasTool("dciodvfy"))(`writes volumes (and a PNG) that dicom3tools' IOD check finds no error in${hasTool("dciodvfy") ? "" : ` (${NO_DICOM3TOOLS})`}`, () => {
    const png = prepareInstance({ name: "cxr.png", bytes: new Uint8Array(chestPng(16, 12, 3)) }, { projectKey: new Uint8Array(32), retainLongitudinalModifiedDates: false });
    const written = [...outcomes.filter((x) => x.prepared).map((o) => [o.entry.path, o.prepared!] as const), ["cxr.png", png] as const];
    expect(written.flatMap(([name, prepared]) => iodErrors(prepared.bytes).map((e) => `${name}: ${e}`))).toEqual([]);
  });

  it.skipIf(!hasDcmtk)("writes volumes DCMTK decodes, frame by frame (skipped without dcm2pnm: apt-get install dcmtk)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-volumes-"));
    try {
      for (const o of outcomes.filter((x) => x.prepared)) {
        const file = path.join(dir, "v.dcm");
        fs.writeFileSync(file, o.prepared!.bytes);
        const frame = String(o.prepared!.frames);
        execFileSync("dcm2pnm", ["--frame", frame, "--write-raw-pnm", file, path.join(dir, "v.pnm")], { stdio: "pipe" });
        expect(fs.statSync(path.join(dir, "v.pnm")).size, o.entry.path).toBeGreaterThan(0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
