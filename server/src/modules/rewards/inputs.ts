import { createHash } from "node:crypto";
import { invalid, type FieldProblem } from "../../errors.js";
import { readCsvTable, type CsvTable } from "../cases/csv.js";

/** One reader's answer on one label of one case. */
export interface LabelVote {
  caseId: string;
  label: string;
  reader: string;
  value: boolean;
  /** Seconds spent on this label, when recorded. */
  seconds?: number;
}

/** The AI's probability that a label is present on a case; its call is probability > 0.5. */
export interface AiProbability {
  caseId: string;
  label: string;
  probability: number;
}

/** Everything a reward policy or the agreement statistics read. */
export interface RewardInputs {
  votes: ReadonlyArray<LabelVote>;
  ai?: ReadonlyArray<AiProbability>;
  /** Mean seconds per label, when given instead of (or beside) per-vote times; it wins over them. */
  labelSeconds?: ReadonlyMap<string, number>;
}

// Accepted header spellings: REWARD.md's, and the one the authors' notebook exports (image, time_s, ai_prob).
const CASE = ["case", "case_id", "image"];
const LABEL = ["label"];
const READER = ["annotator", "reader"];
const VALUE = ["value"];
const SECONDS = ["seconds", "time_s"];
const PROBABILITY = ["probability", "ai_prob"];

/** Stop listing problems after this many: one wrong column would otherwise repeat on every row. */
const MAX_PROBLEMS = 20;

/** Reads a labels CSV: `case,label,annotator,value[,seconds]` (or `image,label,annotator,value,time_s`). */
export function parseLabelsCsv(text: string, file = "labels.csv"): LabelVote[] {
  const t = table(text, file);
  const at = columns(t, file, { case: CASE, label: LABEL, annotator: READER, value: VALUE }, { seconds: SECONDS });
  const problems = new Problems(file);
  const votes: LabelVote[] = [];
  const seen = new Map<string, number>();
  for (const { line, record } of t.rows) {
    const caseId = problems.text(line, record, at.case, "case");
    const label = problems.text(line, record, at.label, "label");
    const reader = problems.text(line, record, at.annotator, "annotator");
    const value = problems.boolean(line, record, at.value, "value");
    const seconds = at.seconds === undefined ? undefined : problems.seconds(line, record, at.seconds, t.names[at.seconds]!, true);
    if (caseId === undefined || label === undefined || reader === undefined || value === undefined || seconds === null) continue;
    const key = JSON.stringify([caseId, label, reader]);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.add(line, undefined, `a second answer by '${reader}' on case '${caseId}', label '${label}' (the first is row ${earlier})`);
      continue;
    }
    seen.set(key, line);
    votes.push(seconds === undefined ? { caseId, label, reader, value } : { caseId, label, reader, value, seconds });
  }
  problems.throwIfAny();
  return votes;
}

/** Reads an AI CSV: `case,label,probability` (or `image,label,ai_prob`). */
export function parseAiCsv(text: string, file = "ai.csv"): AiProbability[] {
  const t = table(text, file);
  const at = columns(t, file, { case: CASE, label: LABEL, probability: PROBABILITY }, {});
  const problems = new Problems(file);
  const rows: AiProbability[] = [];
  const seen = new Map<string, number>();
  for (const { line, record } of t.rows) {
    const caseId = problems.text(line, record, at.case, "case");
    const label = problems.text(line, record, at.label, "label");
    const probability = problems.probability(line, record, at.probability, t.names[at.probability]!);
    if (caseId === undefined || label === undefined || probability === undefined) continue;
    const key = JSON.stringify([caseId, label]);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.add(line, undefined, `a second probability for case '${caseId}', label '${label}' (the first is row ${earlier})`);
      continue;
    }
    seen.set(key, line);
    rows.push({ caseId, label, probability });
  }
  problems.throwIfAny();
  return rows;
}

/** Reads label mean times: `label,seconds`. */
export function parseLabelTimesCsv(text: string, file = "times.csv"): Map<string, number> {
  const t = table(text, file);
  const at = columns(t, file, { label: LABEL, seconds: SECONDS }, {});
  const problems = new Problems(file);
  const out = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const { line, record } of t.rows) {
    const label = problems.text(line, record, at.label, "label");
    const seconds = problems.seconds(line, record, at.seconds, t.names[at.seconds]!, false);
    if (label === undefined || seconds === undefined || seconds === null) continue;
    const earlier = seen.get(label);
    if (earlier !== undefined) {
      problems.add(line, undefined, `a second time for label '${label}' (the first is row ${earlier})`);
      continue;
    }
    seen.set(label, line);
    out.set(label, seconds);
  }
  problems.throwIfAny();
  return out;
}

function table(text: string, file: string): CsvTable {
  try {
    return readCsvTable(text);
  } catch (err) {
    const fields = (err as { extensions?: { fields?: FieldProblem[] } }).extensions?.fields;
    throw invalid([{ field: file, message: fields?.[0]?.message ?? (err as Error).message }]);
  }
}

/** Finds each wanted column by any of its spellings; a missing required one names what the header has. */
function columns<R extends string, O extends string>(
  t: CsvTable,
  file: string,
  required: Record<R, string[]>,
  optional: Record<O, string[]>,
): Record<R, number> & Partial<Record<O, number>> {
  const out: Record<string, number> = {};
  const missing: string[] = [];
  for (const [name, spellings] of Object.entries<string[]>(required)) {
    const i = t.names.findIndex((n) => spellings.includes(n));
    if (i < 0) missing.push(spellings.join(" or "));
    else out[name] = i;
  }
  for (const [name, spellings] of Object.entries<string[]>(optional)) {
    const i = t.names.findIndex((n) => spellings.includes(n));
    if (i >= 0) out[name] = i;
  }
  if (missing.length) {
    const has = t.hasHeader ? `the header row has ${t.names.map((n) => `'${n}'`).join(", ")}` : "the file is empty";
    throw invalid([{ field: file, message: `needs a header row with column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; ${has}` }]);
  }
  return out as Record<R, number> & Partial<Record<O, number>>;
}

/** Collects row problems so one run reports many; rows are the file's line numbers (the header is row 1). */
class Problems {
  private readonly list: FieldProblem[] = [];
  private dropped = 0;
  constructor(private readonly file: string) {}

  add(line: number, column: string | undefined, message: string): void {
    if (this.list.length >= MAX_PROBLEMS) {
      this.dropped++;
      return;
    }
    this.list.push({ field: `${this.file} row ${line}${column ? `, column ${column}` : ""}`, message });
  }

  throwIfAny(): void {
    if (!this.list.length) return;
    if (this.dropped) this.list.push({ field: this.file, message: `and ${this.dropped} more problem${this.dropped > 1 ? "s" : ""}` });
    throw invalid(this.list);
  }

  private cell(line: number, record: string[], i: number, column: string): string | undefined {
    const v = record[i];
    if (v === undefined) {
      this.add(line, column, `missing (the row has ${record.length} field${record.length === 1 ? "" : "s"})`);
      return undefined;
    }
    return v.trim();
  }

  text(line: number, record: string[], i: number, column: string): string | undefined {
    const v = this.cell(line, record, i, column);
    if (v === undefined) return undefined;
    if (v === "") {
      this.add(line, column, "is empty");
      return undefined;
    }
    return v;
  }

  boolean(line: number, record: string[], i: number, column: string): boolean | undefined {
    const v = this.cell(line, record, i, column);
    if (v === undefined) return undefined;
    const lower = v.toLowerCase();
    if (lower === "1" || lower === "true") return true;
    if (lower === "0" || lower === "false") return false;
    this.add(line, column, `expected 0, 1, true or false, got '${v}'`);
    return undefined;
  }

  /** Seconds ≥ 0; an empty cell is "not recorded" (undefined) when allowed, null marks a problem. */
  seconds(line: number, record: string[], i: number, column: string, emptyAllowed: boolean): number | undefined | null {
    const v = record[i] === undefined && emptyAllowed ? "" : this.cell(line, record, i, column);
    if (v === undefined) return null;
    if (v === "") {
      if (emptyAllowed) return undefined;
      this.add(line, column, "is empty; expected seconds (a number ≥ 0)");
      return null;
    }
    const n = strictNumber(v);
    if (n === undefined || n < 0) {
      this.add(line, column, `expected seconds (a number ≥ 0), got '${v}'`);
      return null;
    }
    return n;
  }

  probability(line: number, record: string[], i: number, column: string): number | undefined {
    const v = this.cell(line, record, i, column);
    if (v === undefined) return undefined;
    const n = strictNumber(v);
    if (n === undefined || n < 0 || n > 1) {
      this.add(line, column, `expected a probability between 0 and 1, got '${v}'`);
      return undefined;
    }
    return n;
  }
}

/** A decimal number as written in a CSV ("1e3" and ".5" too); Number("") and Number(" ") would be 0. */
function strictNumber(v: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v)) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * SHA-256 of the inputs in a canonical order and form: the same data in any row order hashes the same.
 * Defined as the hash of these lines, sorted in code-unit order and joined by "\n":
 *   ["vote",label,case,reader,value,seconds|null]   ["ai",label,case,probability]   ["seconds",label,seconds]
 * (JSON). Votes are grouped by label and case rather than sorted one by one — same order, since a JSON
 * string is never a proper prefix of another, so lines compare as their (label, case) JSON do first.
 */
export function inputsHash(inputs: RewardInputs): string {
  const hash = createHash("sha256");
  let buffer = "";
  let first = true;
  const emit = (line: string) => {
    buffer += first ? line : `\n${line}`;
    first = false;
    if (buffer.length > 1 << 16) {
      hash.update(buffer);
      buffer = "";
    }
  };
  const sorted = (xs: string[]) => xs.sort(byCodeUnit);
  // "ai" < "seconds" < "vote": the three groups never interleave.
  for (const line of sorted((inputs.ai ?? []).map((a) => JSON.stringify(["ai", a.label, a.caseId, a.probability])))) emit(line);
  for (const line of sorted([...(inputs.labelSeconds ?? new Map<string, number>())].map(([label, t]) => JSON.stringify(["seconds", label, t])))) emit(line);

  const byLabel = new Map<string, Map<string, LabelVote[]>>();
  for (const v of inputs.votes) {
    let cases = byLabel.get(v.label);
    if (!cases) byLabel.set(v.label, (cases = new Map()));
    const cell = cases.get(v.caseId);
    if (cell) cell.push(v);
    else cases.set(v.caseId, [v]);
  }
  const readerJson = new Map<string, string>();
  const jsonOf = (r: string) => {
    let j = readerJson.get(r);
    if (j === undefined) readerJson.set(r, (j = JSON.stringify(r)));
    return j;
  };
  const keyed = (keys: Iterable<string>) => [...keys].map((k) => [JSON.stringify(k), k] as const).sort((a, b) => byCodeUnit(a[0], b[0]));
  for (const [labelJson, label] of keyed(byLabel.keys())) {
    const cases = byLabel.get(label)!;
    for (const [caseJson, caseId] of keyed(cases.keys())) {
      const prefix = `["vote",${labelJson},${caseJson},`;
      const lines = cases.get(caseId)!.map((v) => `${prefix}${jsonOf(v.reader)},${v.value},${JSON.stringify(v.seconds ?? null)}]`);
      for (const line of sorted(lines)) emit(line);
    }
  }
  hash.update(buffer);
  return hash.digest("hex");
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
