import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { writePart10 } from "./codes.js";
import { readMeasurementReportSR, SrImportError } from "./sr-import.js";
import { measurementReportDataset } from "./sr.js";
import { ctImage, secondaryCaptureImage, sourceOf } from "./test-sources.js";
import type { ImportedMeasurementReport, MeasurementReportInput } from "./types.js";

// Reports from other systems are trees of content items that may be built in any way the standard
// allows, and in some it does not. Starting from our own Measurement Reports (a rectangle and a
// freehand outline, labels with and without confidence, on a single-frame and a CT image), a seeded
// generator changes the tree: items dropped, doubled or moved, value types, relationship types and
// codes swapped, values set to empty, wrong-typed, huge, negative or not numbers. Each changed
// report either is refused with an SrImportError (the file's per-file reason) or reads into
// annotations whose every value has the type the import then checks; any other error is a bug.

type Item = Record<string, unknown>;

const input = (source: MeasurementReportInput["source"]): MeasurementReportInput => ({
  source,
  reader: { id: "reader-1", displayName: "Reader 1" },
  project: { id: "project-1", name: "Chest" },
  caseKey: "case-1",
  labels: [
    { name: "Pneumothorax", value: true, confidence: 60 },
    { name: "Effusion", value: false, confidence: null },
  ],
  rois: [
    { id: "roi-1", className: "Pneumothorax", kind: "rectangle", points: [[2, 3], [20, 25]] },
    { id: "roi-2", className: "Effusion", kind: "freehand", points: [[1, 1], [9, 2], [7, 8], [2, 6]] },
  ],
  version: 1,
  submittedAt: new Date("2026-01-01T00:00:00Z"),
});


/** Every object in the tree with the path to it (the root included), sequences' items as objects. */
function objects(root: Item): Array<{ item: Item; path: string }> {
  const out: Array<{ item: Item; path: string }> = [];
  const visit = (item: Item, path: string) => {
    out.push({ item, path });
    for (const [k, v] of Object.entries(item)) {
      if (Array.isArray(v)) v.forEach((x, i) => x && typeof x === "object" && !ArrayBuffer.isView(x) && !(x instanceof ArrayBuffer) && visit(x as Item, `${path}.${k}[${i}]`));
    }
  };
  visit(root, "");
  return out;
}

const STRANGE: unknown[] = ["", " ", "0", "-1", "1e309", "NaN", "CONTAINER", "SCOORD", "CODE", "NUM", "TEXT", "POLYLINE", "POINT", "CIRCLE", "ELLIPSE", "MULTIPOINT", "CONTAINS", "HAS PROPERTIES", "INFERRED FROM", "SELECTED FROM", "HAS OBS CONTEXT", "1.2.3", "x".repeat(300)];
const NUMBERS: number[] = [0, -1, 1, 2, 3, 1e9, -1e9, 0.5, 65535, 2 ** 31];

/** One to four changes to the tree; says what they were. */
function change(root: Item, rnd: () => number): string[] {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: T[]): T => xs[int(xs.length)]!;
  const what: string[] = [];
  for (let k = 1 + int(4); k > 0; k--) {
    const all = objects(root);
    const { item, path } = pick(all);
    const keys = Object.keys(item);
    if (!keys.length) continue;
    const key = pick(keys);
    const value = item[key];
    const op = int(8);
    if (op === 0 && path !== "") {
      delete item[key];
      what.push(`delete ${path}.${key}`);
    } else if (op === 1) {
      item[key] = pick(STRANGE);
      what.push(`${path}.${key} = ${JSON.stringify(item[key]).slice(0, 20)}`);
    } else if (op === 2) {
      item[key] = pick(NUMBERS);
      what.push(`${path}.${key} = ${String(item[key])}`);
    } else if (op === 3 && Array.isArray(value)) {
      // Drop, double or reverse a sequence's items, or empty it.
      const how = int(4);
      item[key] = how === 0 ? value.slice(1) : how === 1 ? [...value, ...value] : how === 2 ? [...value].reverse() : [];
      what.push(`${["drop the first of", "double", "reverse", "empty"][how]} ${path}.${key}`);
    } else if (op === 4 && Array.isArray(value) && value.every((v) => typeof v === "number")) {
      const how = int(4);
      item[key] = how === 0 ? value.slice(0, int(value.length)) : how === 1 ? [...value, pick(NUMBERS)] : how === 2 ? value.map(() => pick(NUMBERS)) : value.map((v) => -v);
      what.push(`${["cut", "lengthen", "scramble", "negate"][how]} ${path}.${key}`);
    } else if (op === 5) {
      // Another item's content in this one's place (codes, value types and values mixed up).
      const other = pick(all).item;
      const otherKeys = Object.keys(other);
      if (otherKeys.length) {
        const otherKey = pick(otherKeys);
        item[key] = clone(other[otherKey]);
        what.push(`${path}.${key} = copy of another item's ${otherKey}`);
      }
    } else if (op === 6) {
      item[key] = [];
      what.push(`${path}.${key} = []`);
    } else {
      item[key] = [{}];
      what.push(`${path}.${key} = [{}]`);
    }
  }
  return what;
}

/** A deep copy as plain data (dcmjs's content item classes become plain objects; binary values are copied). */
function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value instanceof ArrayBuffer) return value.slice(0) as T;
  if (ArrayBuffer.isView(value)) return (value as unknown as Uint8Array).slice() as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)])) as T;
  return value;
}

const isPoint = (p: unknown) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === "number" && Number.isFinite(v));

/** What the import relies on when it reads a report; empty when all holds. */
function malformed(report: ImportedMeasurementReport): string[] {
  const found: string[] = [];
  if (typeof report.sopInstanceUid !== "string" || !report.sopInstanceUid) found.push("no SOP Instance UID");
  if (typeof report.studyInstanceUid !== "string" || !report.studyInstanceUid) found.push("no Study Instance UID");
  for (const l of report.labels) {
    if (typeof l.name !== "string" || typeof l.value !== "boolean") found.push(`label ${JSON.stringify(l)}`);
    if (l.confidence !== null && (typeof l.confidence !== "number" || !Number.isFinite(l.confidence))) found.push(`confidence ${JSON.stringify(l.confidence)}`);
  }
  for (const r of report.rois) {
    if (r.kind !== "rectangle" && r.kind !== "freehand") found.push(`ROI kind ${JSON.stringify(r.kind)}`);
    if (typeof r.className !== "string") found.push(`ROI class ${JSON.stringify(r.className)}`);
    if (typeof r.sopInstanceUid !== "string") found.push(`ROI image ${JSON.stringify(r.sopInstanceUid)}`);
    if (!Array.isArray(r.points) || !r.points.every(isPoint)) found.push(`ROI points ${JSON.stringify(r.points).slice(0, 80)}`);
    if (r.frame !== null && !(Number.isInteger(r.frame) && r.frame >= 1)) found.push(`ROI frame ${JSON.stringify(r.frame)}`);
  }
  if (!report.warnings.every((w) => typeof w === "string")) found.push("a warning that is not text");
  return found;
}

// FUZZ_ROUNDS=20000 for a longer search; each round replays from its number alone.
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 1500);

describe("readMeasurementReportSR on changed report trees (seeded fuzzing)", () => {
  // dcmjs warns on the console about every name it does not know in a changed tree: thousands of lines.
  const dcmjsLog = (createRequire(__filename)("dcmjs") as { log: { getLevel(): number; setLevel(level: number | string): void } }).log;
  let level = 0;
  beforeAll(() => {
    level = dcmjsLog.getLevel();
    dcmjsLog.setLevel("error");
  });
  afterAll(() => dcmjsLog.setLevel(level));

  for (const [name, source] of [
    ["secondary capture", () => sourceOf(secondaryCaptureImage())],
    ["CT", () => sourceOf(ctImage())],
  ] as const) {
    it(`${name}: ${ROUNDS} changed reports are each refused with an SrImportError or read into well-typed annotations`, { timeout: 30_000 + ROUNDS * 20 }, () => {
      const original = measurementReportDataset(input(source())) as Item;
      const clean = readMeasurementReportSR(writePart10(original), "clean.dcm");
      expect(clean.rois).toHaveLength(2);
      expect(clean.labels).toHaveLength(2);

      const bugs: string[] = [];
      let refused = 0;
      let read = 0;
      let unwritable = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const tree = clone(original);
        const what = change(tree, seededRandom(round * 104729 + name.length));
        const replay = `${name} round ${round} (${what.join("; ")})`;
        let bytes: Uint8Array;
        try {
          bytes = writePart10(tree);
        } catch {
          unwritable++; // the change made something no DICOM writer can encode: nothing to read
          continue;
        }
        try {
          const report = readMeasurementReportSR(bytes, `r${round}.dcm`);
          read++;
          const wrong = malformed(report);
          if (wrong.length) bugs.push(`${replay}: read with ${wrong.join(", ")}`);
        } catch (err) {
          if (err instanceof SrImportError) {
            if (!err.message.startsWith(`r${round}.dcm: `)) bugs.push(`${replay}: a refusal that does not name the file: ${err.message}`);
            refused++;
          } else {
            bugs.push(`${replay}: ${(err as Error).name}: ${(err as Error).message} at ${(err as Error).stack?.split("\n")[1]?.trim()}`);
          }
        }
      }
      expect(bugs.slice(0, 20)).toEqual([]);
      expect(refused + read + unwritable).toBe(ROUNDS);
      expect(refused).toBeGreaterThan(0);
      expect(read).toBeGreaterThan(ROUNDS / 4);
    });
  }
});
