import fs from "node:fs";
import path from "node:path";
import { deflateRawSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { chestPng } from "../../../testing/images.js";
import { loadManifest, NO_FIXTURES } from "../../../testing/shared-fixtures.js";
import { NIFTI_DATATYPE, niftiFile, nrrdFile } from "../../../testing/volumes.js";
import { readDicomFile, type DicomFile } from "../dicom/read.js";
import {
  BE,
  concat,
  definedSequence,
  element,
  encapsulatedPixelData,
  IMPLICIT,
  LE,
  part10,
  sequence,
  us,
  type Syntax,
} from "../dicom/synthetic.js";
import { prepareInstance } from "./prepare.js";
import { IngestRefusal, type PrepareOptions } from "./prepared.js";

// Ingest under damaged input: files the project makes itself (Part 10 in each encoding, a bare data
// set, deflate, encapsulated pixel data, sequences, a private block, a PNG), each damaged many ways
// by a seeded generator (bytes overwritten, lengths set to odd values, cut short, ranges dropped,
// doubled or inserted). Whatever comes in, ingest either refuses the file with a message that names
// it (an IngestRefusal: the uploader's per-file result) or stores a de-identified file that reads
// back; anything else (a TypeError, a RangeError...) is a bug in our reading, reported with the seed
// and the damage that found it, so it can be replayed.

const NAME = "Fuzz^Patient^Identifying";
const PATIENT_ID = "FUZZ-PID-0042";
const INSTITUTION = "Fuzz General Hospital";
const PRIVATE_TEXT = "PRIVATE-FUZZ-SECRET";
const STUDY = "1.2.826.0.1.3680043.2.1125.1.11";
const SERIES = "1.2.826.0.1.3680043.2.1125.1.12";
const INSTANCE = "1.2.826.0.1.3680043.2.1125.1.13";
const REFERENCED = "1.2.826.0.1.3680043.2.1125.1.14";

const opts: PrepareOptions = { projectKey: new Uint8Array(32).fill(7), retainLongitudinalModifiedDates: false };

/** A small CT image with the identifying attributes and structures de-identification deals with, in `syntax`. */
function richDataset(syntax: Syntax): Uint8Array {
  return concat(
    element(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.2", syntax),
    element(0x00080018, "UI", INSTANCE, syntax),
    element(0x00080060, "CS", "CT", syntax),
    element(0x00080080, "LO", INSTITUTION, syntax),
    sequence(0x00081140, [element(0x00081155, "UI", REFERENCED, syntax)], syntax),
    definedSequence(0x00081250, [concat(element(0x00080100, "SH", "113100", syntax), element(0x00080104, "LO", "Fuzz code", syntax))], syntax),
    element(0x00090010, "LO", "FUZZ CREATOR", syntax),
    element(0x00091001, "LO", PRIVATE_TEXT, syntax),
    element(0x00100010, "PN", NAME, syntax),
    element(0x00100020, "LO", PATIENT_ID, syntax),
    element(0x0020000d, "UI", STUDY, syntax),
    element(0x0020000e, "UI", SERIES, syntax),
    us(0x00280002, [1], syntax),
    element(0x00280004, "CS", "MONOCHROME2", syntax),
    us(0x00280010, [6], syntax),
    us(0x00280011, [5], syntax),
    us(0x00280100, [16], syntax),
    us(0x00280101, [12], syntax),
    us(0x00280102, [11], syntax),
    us(0x00280103, [0], syntax),
    element(0x7fe00010, "OW", Uint8Array.from({ length: 60 }, (_, i) => (i * 37) & 0xff), syntax),
  );
}

interface Seed {
  name: string;
  bytes: Uint8Array;
}

function seeds(): Seed[] {
  const jpeg = concat(
    element(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7"),
    element(0x00080018, "UI", INSTANCE),
    element(0x00080080, "LO", INSTITUTION),
    element(0x00100010, "PN", NAME),
    element(0x0020000d, "UI", STUDY),
    element(0x0020000e, "UI", SERIES),
    us(0x00280002, [1]),
    element(0x00280004, "CS", "MONOCHROME2"),
    element(0x00280008, "IS", "2"),
    us(0x00280010, [4]),
    us(0x00280011, [4]),
    us(0x00280100, [8]),
    encapsulatedPixelData([Uint8Array.from([0xff, 0xd8, 1, 2, 3, 4, 0xff, 0xd9]), Uint8Array.from([0xff, 0xd8, 5, 6, 7, 8, 0xff, 0xd9])], { offsets: [0, 16] }),
  );
  return [
    { name: "explicit-le.dcm", bytes: part10("1.2.840.10008.1.2.1", richDataset(LE)) },
    { name: "implicit-le.dcm", bytes: part10("1.2.840.10008.1.2", richDataset(IMPLICIT)) },
    { name: "explicit-be.dcm", bytes: part10("1.2.840.10008.1.2.2", richDataset(BE)) },
    { name: "bare.dcm", bytes: richDataset(IMPLICIT) },
    { name: "deflated.dcm", bytes: part10("1.2.840.10008.1.2.1.99", deflateRawSync(richDataset(LE))) },
    { name: "jpeg.dcm", bytes: part10("1.2.840.10008.1.2.4.50", jpeg) },
    { name: "image.png", bytes: new Uint8Array(chestPng(12, 9, 3)) },
    ...volumeSeeds(),
  ];
}

/** NIfTI and NRRD volumes in their encodings, their headers' free text naming the patient. */
function volumeSeeds(): Seed[] {
  const values = Array.from({ length: 5 * 4 * 3 }, (_, i) => ((i * 37) % 200) - 50);
  const nifti = (version: 1 | 2, littleEndian: boolean, datatype: number) =>
    niftiFile({ version, littleEndian, datatype, dims: [5, 4, 3], pixdim: [0.8, 0.8, 2], values, qformCode: 1, quatern: [0, 0, 0.3], qoffset: [10, -20, 5], descrip: NAME, auxFile: PATIENT_ID });
  const nrrd = (encoding: string, endian: "little" | "big" | null = "little") =>
    nrrdFile({ type: "short", sizes: [5, 4, 3], encoding, endian, space: "RAS", spaceDirections: [[0.8, 0, 0], [0, 0.8, 0], [0, 0, 2]], spaceOrigin: [1, 2, 3], values, content: NAME, keyValues: { patient: PATIENT_ID } });
  return [
    { name: "volume.nii", bytes: nifti(1, true, NIFTI_DATATYPE.int16) },
    { name: "volume-be-float.nii", bytes: nifti(2, false, NIFTI_DATATYPE.float32) },
    { name: "volume.nii.gz", bytes: new Uint8Array(gzipSync(nifti(1, true, NIFTI_DATATYPE.int16))) },
    { name: "volume.nrrd", bytes: nrrd("raw") },
    { name: "volume-be.nrrd", bytes: nrrd("raw", "big") },
    { name: "volume-gz.nrrd", bytes: nrrd("gzip") },
    { name: "volume-ascii.nrrd", bytes: nrrd("ascii", null) },
    { name: "volume-hex.nrrd", bytes: nrrd("hex") },
  ];
}


const ODD_LENGTHS = [0, 1, 2, 3, 0xfffe, 0xffff, 0x7fffffff, 0xfffffffe, 0xffffffff, 0x10000];

/** Damages a copy of `bytes` by one to three operations; says what it did. */
function damage(bytes: Uint8Array, rnd: () => number): { bytes: Uint8Array; what: string[] } {
  let b: Uint8Array = Uint8Array.from(bytes);
  const what: string[] = [];
  const int = (n: number) => Math.floor(rnd() * n);
  // Mostly past the preamble, where the structure is.
  const at = () => (b.length > 140 && rnd() < 0.9 ? 132 + int(b.length - 132) : int(Math.max(b.length, 1)));
  const ops = 1 + int(3);
  for (let k = 0; k < ops && b.length > 0; k++) {
    const op = int(7);
    const p = at();
    if (op === 0) {
      const n = 1 + int(4);
      for (let i = 0; i < n && p + i < b.length; i++) b[p + i] = int(256);
      what.push(`overwrite ${n} at ${p}`);
    } else if (op === 1 || op === 2) {
      const v = rnd() < 0.7 ? ODD_LENGTHS[int(ODD_LENGTHS.length)]! : int(2 ** 32);
      const width = op === 1 ? 4 : 2;
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      if (p + width <= b.length) {
        if (width === 4) view.setUint32(p, v >>> 0, true);
        else view.setUint16(p, v & 0xffff, true);
        what.push(`uint${width * 8} ${v >>> 0} at ${p}`);
      }
    } else if (op === 3) {
      b = b.slice(0, p);
      what.push(`cut at ${p}`);
    } else if (op === 4) {
      const n = 1 + int(16);
      b = concat(b.slice(0, p), b.slice(p + n));
      what.push(`drop ${n} at ${p}`);
    } else if (op === 5) {
      const n = 1 + int(32);
      b = concat(b.slice(0, p + n), b.slice(p, p + n), b.slice(p + n));
      what.push(`double ${n} at ${p}`);
    } else {
      const n = 1 + int(8);
      b = concat(b.slice(0, p), Uint8Array.from({ length: n }, () => int(256)), b.slice(p));
      what.push(`insert ${n} at ${p}`);
    }
  }
  return { bytes: b, what };
}

/** Every element of a data set, items included: [tag, element]. */
function* walk(ds: Record<string, { vr: string; Value?: unknown[] }>): Generator<[string, { vr: string; Value?: unknown[] }]> {
  for (const [tag, el] of Object.entries(ds)) {
    yield [tag, el];
    if (el.vr === "SQ") for (const item of el.Value ?? []) if (item && typeof item === "object") yield* walk(item as Record<string, { vr: string; Value?: unknown[] }>);
  }
}

/** Attributes that carry the patient's or the instance's identity. */
const IDENTIFYING_TAGS = ["00080018", "00080050", "00080080", "00080081", "00080090", "00081155", "00100010", "00100020", "00100030", "0020000D", "0020000E", "00200052"];

type Originals = Map<string, Set<string>>;

/** The identifying values of a file as it came (what its stored copy must not keep); none for a PNG. */
function originalsOf(seed: Seed): Originals {
  const originals: Originals = new Map();
  let file: DicomFile;
  try {
    file = readDicomFile(seed.bytes, seed.name);
  } catch {
    return originals;
  }
  for (const [tag, el] of walk(file.dict as Record<string, { vr: string; Value?: unknown[] }>)) {
    if (!IDENTIFYING_TAGS.includes(tag.toUpperCase())) continue;
    for (const v of valuesOf(el)) if (v.trim().length >= 2) originals.set(tag.toUpperCase(), (originals.get(tag.toUpperCase()) ?? new Set()).add(v));
  }
  return originals;
}

/** An element's values as text (a person name's every group). */
function valuesOf(el: { Value?: unknown[] }): string[] {
  return (el.Value ?? []).flatMap((v) => (typeof v === "string" ? [v] : v && typeof v === "object" ? Object.values(v).filter((x): x is string => typeof x === "string") : []));
}

/**
 * What must not survive de-identification, checked on the stored file as read back: no private
 * element, no element of a group that has no place in a data set, and no identifying attribute with
 * an original value, at any depth. (Damage can also move a value under another tag, even one the
 * profile keeps, such as Modality: no reader can tell, so that is not looked for.)
 */
function leaks(file: DicomFile, originals: Originals): string[] {
  const found: string[] = [];
  for (const [tag, el] of walk(file.dict as Record<string, { vr: string; Value?: unknown[] }>)) {
    const group = Number.parseInt(tag.slice(0, 4), 16);
    if (group % 2 === 1) found.push(`private ${tag}`);
    if (group === 0 || group === 2) found.push(`${tag} in the data set`);
    const kept = originals.get(tag.toUpperCase());
    if (kept) for (const v of valuesOf(el)) if (kept.has(v)) found.push(`${tag} keeps ${v}`);
  }
  return found;
}

const isVolume = (name: string) => /\.(nii|nii\.gz|nrrd)$/.test(name);

/** `rounds` damaged copies of `seed` through ingest's preparation; what went wrong, if anything. */
function fuzz(seed: Seed, rounds: number): { bugs: string[]; refused: number; stored: number } {
  const originals = originalsOf(seed);
  const bugs: string[] = [];
  let refused = 0;
  let stored = 0;
  for (let round = 0; round < rounds; round++) {
    const damaged = damage(seed.bytes, seededRandom(round * 7919 + seed.name.length));
    const name = `${seed.name}#${round}`;
    const replay = `${seed.name} round ${round} (${damaged.what.join(", ")})`;
    try {
      const out = prepareInstance({ name, bytes: damaged.bytes }, opts);
      stored++;
      let back: DicomFile;
      try {
        back = readDicomFile(out.bytes, name);
      } catch (err) {
        bugs.push(`${replay}: stored a file that does not read back: ${(err as Error).message}`);
        continue;
      }
      const leaked = leaks(back, originals);
      // A volume's header text is never carried over, whatever the damage (a DICOM file's values can
      // be moved under a kept tag by damage, so this holds for volumes only).
      if (isVolume(seed.name)) {
        const text = Buffer.from(out.bytes).toString("latin1");
        leaked.push(...[NAME, PATIENT_ID].filter((t) => text.includes(t)).map((t) => `the header's ${t}`));
      }
      if (leaked.length) bugs.push(`${replay}: stored with ${leaked.join("; ")}`);
    } catch (err) {
      if (!(err instanceof IngestRefusal)) {
        bugs.push(`${replay}: ${(err as Error).name}: ${(err as Error).message} at ${(err as Error).stack?.split("\n")[1]?.trim()}`);
      } else if (!err.message.startsWith(name)) {
        bugs.push(`${replay}: a refusal that does not name the file: ${err.message}`);
      } else {
        refused++;
      }
    }
  }
  return { bugs, refused, stored };
}

// FUZZ_ROUNDS=30000 for a longer search (about 2 s per seed); each round replays from its number alone.
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 2000);

describe("ingest of damaged files (seeded fuzzing of read, de-identify, write)", () => {
  for (const seed of seeds()) {
    it(`${seed.name}: ${ROUNDS} damaged copies are each refused with a message naming the file, or stored de-identified`, { timeout: 30_000 + ROUNDS }, () => {
      // The undamaged file goes in, and is de-identified: the fuzzing starts from a file that works.
      const originals = originalsOf(seed);
      if (!seed.name.endsWith(".png") && !isVolume(seed.name)) expect(originals.get("00100010")?.size, "the seed's patient name was read").toBe(1);
      const clean = prepareInstance({ name: seed.name, bytes: seed.bytes }, opts);
      expect(leaks(readDicomFile(clean.bytes, seed.name), originals)).toEqual([]);

      const { bugs, refused, stored } = fuzz(seed, ROUNDS);
      expect(bugs.slice(0, 20)).toEqual([]);
      // Both outcomes happen: the damage is neither always fatal nor always harmless.
      expect(refused + stored).toBe(ROUNDS);
      expect(refused).toBeGreaterThan(0);
      expect(stored).toBeGreaterThan(0);
    });
  }
});

const manifest = loadManifest();
/** Small files of every kind that should parse: the real-world structures the synthetic seeds lack. */
// FUZZ_FIXTURE_ROUNDS and FUZZ_FIXTURE_KB for a longer search, with larger files.
const FIXTURE_KB = Number(process.env.FUZZ_FIXTURE_KB ?? 64);
const fixtureSeeds = [...(manifest?.dicom ?? []), ...(manifest?.nifti ?? []), ...(manifest?.nrrd ?? [])].filter(
  // A detached header and its data file go in together, not one by one.
  (f) => f.expectedToParse && !/\.(nhdr|raw)$/.test(f.path) && fs.statSync(path.join(manifest!.dir, f.path)).size <= FIXTURE_KB * 1024,
);
const FIXTURE_ROUNDS = Number(process.env.FUZZ_FIXTURE_ROUNDS ?? 150);

describe.skipIf(!manifest)(`ingest of damaged copies of the shared fixtures${manifest ? "" : ` (skipped: ${NO_FIXTURES})`}`, () => {
  it(`${fixtureSeeds.length} fixtures of at most ${FIXTURE_KB} KB that parse, ${FIXTURE_ROUNDS} damaged copies each: each refused with a message naming the file, or stored de-identified`, { timeout: 30_000 + FIXTURE_ROUNDS * 50 }, () => {
    expect(fixtureSeeds.length).toBeGreaterThan(10);
    const bugs: string[] = [];
    for (const f of fixtureSeeds) bugs.push(...fuzz({ name: f.path, bytes: new Uint8Array(fs.readFileSync(path.join(manifest!.dir, f.path))) }, FIXTURE_ROUNDS).bugs);
    expect(bugs.slice(0, 20)).toEqual([]);
  });
});
