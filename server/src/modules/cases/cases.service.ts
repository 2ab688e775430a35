import type { EntityManager } from "typeorm";
import { can, isUuid, requireAccess, requireActor, type Actor } from "../../access/access.js";
import { archived, forbidden, invalid, notFound, type FieldProblem } from "../../errors.js";
import type { Database } from "../../platform/database/index.js";
import { randomBytes } from "node:crypto";
import { ImagesRepository } from "../images/images.repository.js";
import { identifierDigest, MAX_MAPPING_CSV_BYTES, readMappingCsv, type CaseIdentifierKind } from "./case-keys.js";
import { describeHeader, readCsvTable } from "./csv.js";
import { AiRepository } from "../ai/ai.repository.js";
import { CASE_SPLITS, type CaseSplit } from "./splits.js";
import { CasesRepository, type CaseFilter, type CasePosition, type CaseRow, type MyReading, type SplitSummaryRow } from "./cases.repository.js";

export interface CasePage {
  edges: Array<{ cursor: string; node: CaseRow }>;
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number;
}

export interface ReportImportOutcome {
  /** Cases whose report was set or cleared. */
  matched: number;
  /** Rows naming a key that is no case of the project. */
  unmatched: Array<{ line: number; key: string }>;
  /** Rows that were skipped or that need a look, in words, each starting with its line. */
  problems: string[];
}

export interface CaseKeyMappingInfo {
  identifier: CaseIdentifierKind;
  entries: number;
  importedAt: Date;
}

export interface MappingImportOutcome {
  mapping: CaseKeyMappingInfo;
  /** Rows skipped, in words, each starting with its line; never quoting an identifier. */
  problems: string[];
}

export interface SplitLabelCount {
  label: string;
  split: CaseSplit;
  cases: number;
  positive: number;
  negative: number;
}

export const MAX_CASES_PAGE = 200;
export const MAX_REPORTS_CSV_BYTES = 10 * 1024 * 1024;

const CASE_COLUMNS = ["case", "case_key", "key"];
const REPORT_COLUMNS = ["report", "text"];

export class CasesService {
  constructor(private readonly db: Database) {}

  private repo(em: EntityManager = this.db.dataSource.manager) {
    return new CasesRepository(em);
  }

  /** A page of a project's cases in the order they were created; any member may read them. */
  async page(actor: Actor | null, projectId: string, first: number, after: string | null | undefined, filter: CaseFilter = {}): Promise<CasePage> {
    const access = await requireAccess(this.db.dataSource.manager, actor, "project.view", projectId);
    const me = actor!.userId;
    const problems: FieldProblem[] = [];
    if (filter.assignedTo != null) {
      if (!isUuid(filter.assignedTo)) problems.push({ field: "filter.assignedTo", message: "is not an id" });
      else if (filter.assignedTo.toLowerCase() !== me && !can(actor, "stats.view", access)) {
        throw forbidden("Only those who follow the project's progress may list the cases assigned to another reader");
      }
    }
    if (filter.underAssigned != null && !can(actor, "stats.view", access)) {
      throw forbidden("Only those who follow the project's progress may list cases by their assigned readers");
    }
    if (!Number.isInteger(first) || first < 1 || first > MAX_CASES_PAGE) {
      problems.push({ field: "first", message: `must be a whole number from 1 to ${MAX_CASES_PAGE}` });
    }
    const position = after == null ? null : decodeCursor(after);
    if (position === undefined) problems.push({ field: "after", message: "is not a cursor from this list" });
    if (problems.length) throw invalid(problems);

    const repo = this.repo();
    // One more than asked tells whether another page follows.
    const [rows, totalCount] = await Promise.all([repo.page(projectId, me, filter, position ?? null, first + 1), repo.count(projectId, me, filter)]);
    const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor({ at: node.cursorAt, id: node.id }), node }));
    return { edges, endCursor: edges.at(-1)?.cursor ?? null, hasNextPage: rows.length > first, totalCount };
  }

  /**
   * Where the user stands with a case (a list already says; this is for a case another query
   * returned, which checked that they may see it).
   */
  async myReading(actor: Actor | null, caseId: string): Promise<MyReading> {
    return this.repo().myReading(caseId, requireActor(actor).userId);
  }

  /** How the project's cases (those not excluded) fall into its dataset splits; any member may see it. */
  async splitSummary(actor: Actor | null, projectId: string): Promise<SplitSummaryRow[]> {
    await requireAccess(this.db.dataSource.manager, actor, "project.view", projectId);
    return this.repo().splitSummary(projectId);
  }

  /**
   * Per classification label and dataset split, how many of the split's cases (those not excluded)
   * have a consensus of yes and of no (AiRepository.consensusLabels: what a model trained here learns
   * and is measured on); the rest are unread, tied or unanswered. Whether the splits' prevalences
   * match, before a model is trained or exported for. Readers' answers, so only for those who follow
   * the project's statistics (stats.view): in blind reading a reader learns nothing from it.
   */
  async splitLabelCounts(actor: Actor | null, projectId: string): Promise<SplitLabelCount[]> {
    await requireAccess(this.db.dataSource.manager, actor, "stats.view", projectId);
    const ai = new AiRepository(this.db.dataSource.manager);
    const [labels, consensus, splits] = await Promise.all([ai.classificationLabels(projectId), ai.consensusLabels(projectId), this.repo().caseSplits(projectId, true)]);
    const cases = new Map<CaseSplit, number>();
    for (const split of splits.values()) cases.set(split, (cases.get(split) ?? 0) + 1);
    const counts = new Map<string, { positive: number; negative: number }>();
    const key = (label: string, split: CaseSplit) => `${split}\u0000${label}`;
    for (const [caseId, values] of consensus.byCase) {
      const split = splits.get(caseId);
      if (!split) continue;
      for (const [label, value] of Object.entries(values)) {
        const c = counts.get(key(label, split)) ?? { positive: 0, negative: 0 };
        if (value) c.positive++;
        else c.negative++;
        counts.set(key(label, split), c);
      }
    }
    return labels.flatMap((label) => CASE_SPLITS.map((split) => ({ label, split, cases: cases.get(split) ?? 0, positive: 0, negative: 0, ...counts.get(key(label, split)) })));
  }

  /** One case, for anyone who may view its project; otherwise it does not exist. */
  async get(actor: Actor | null, caseId: string): Promise<CaseRow> {
    requireActor(actor);
    const row = isUuid(caseId) ? await this.repo().find(caseId) : null;
    if (!row) throw notFound("Case");
    try {
      await requireAccess(this.db.dataSource.manager, actor, "project.view", row.projectId);
    } catch (err) {
      if ((err as { code?: string }).code === "NOT_FOUND") throw notFound("Case");
      throw err;
    }
    return row;
  }

  /**
   * Sets case reports from a CSV with a header row: a case key column and a report column. Every
   * matched row is written in one transaction; a blank report clears the case's report. A CSV that
   * cannot be read writes nothing.
   */
  async importReports(actor: Actor | null, projectId: string, csv: string): Promise<ReportImportOutcome> {
    const access = await requireAccess(this.db.dataSource.manager, actor, "data.upload", projectId);
    if (access.archived) throw archived();
    const bytes = Buffer.byteLength(csv, "utf8");
    if (bytes > MAX_REPORTS_CSV_BYTES) {
      throw invalid([{ field: "csv", message: `must be at most ${MAX_REPORTS_CSV_BYTES / 1024 / 1024} MB (got ${(bytes / 1024 / 1024).toFixed(1)} MB)` }]);
    }
    const { rows, problems } = readReportsCsv(csv);

    // Later rows win over earlier ones for the same case; say so, since it may be a mistake.
    const byKey = new Map<string, { line: number; report: string | null }>();
    for (const row of rows) {
      const earlier = byKey.get(row.key);
      if (earlier) problems.push(`line ${row.line}: case "${row.key}" was already given on line ${earlier.line}; this row replaces it`);
      byKey.set(row.key, { line: row.line, report: row.report });
    }

    const matched = await this.db.tx((em) => this.repo(em).setReports(projectId, [...byKey].map(([key, v]) => ({ key, report: v.report }))));
    const found = new Set(matched);
    const unmatched = [...byKey].filter(([key]) => !found.has(key)).map(([key, v]) => ({ line: v.line, key })).sort((a, b) => a.line - b.line);
    return { matched: found.size, unmatched, problems };
  }

  /**
   * Replaces the project's case key mapping with a CSV of identifier → case key. The identifiers
   * are stored only as HMACs under the project's de-identification key, so the mapping can name
   * cases on upload without the project keeping who they are. Uploads with caseKeys MAPPING use it.
   */
  async importCaseKeyMapping(actor: Actor | null, projectId: string, csv: string): Promise<MappingImportOutcome> {
    const access = await requireAccess(this.db.dataSource.manager, actor, "data.upload", projectId);
    if (access.archived) throw archived();
    const bytes = Buffer.byteLength(csv, "utf8");
    if (bytes > MAX_MAPPING_CSV_BYTES) {
      throw invalid([{ field: "csv", message: `must be at most ${MAX_MAPPING_CSV_BYTES / 1024 / 1024} MB (got ${(bytes / 1024 / 1024).toFixed(1)} MB)` }]);
    }
    const { identifier, entries, problems } = readMappingCsv(csv);
    if (!entries.length) throw invalid([{ field: "csv", message: `has no usable rows${problems.length ? ` (${problems[0]}${problems.length > 1 ? ", ..." : ""})` : ""}` }]);
    const mapping = await this.db.tx(async (em) => {
      const { projectKey } = await new ImagesRepository(em).ingestSettings(projectId, () => randomBytes(32));
      await em.query(`DELETE FROM case_key_mappings WHERE project_id = $1`, [projectId]);
      const [row] = await em.query(
        `INSERT INTO case_key_mappings (project_id, identifier, entries, imported_by) VALUES ($1, $2, $3, $4) RETURNING imported_at`,
        [projectId, identifier, entries.length, actor!.userId],
      );
      const key = new Uint8Array(projectKey);
      for (let i = 0; i < entries.length; i += 5000) {
        const chunk = entries.slice(i, i + 5000);
        await em.query(
          `INSERT INTO case_key_map_entries (project_id, digest, case_key) SELECT $1, d, k FROM unnest($2::bytea[], $3::text[]) AS x(d, k)`,
          [projectId, chunk.map((e) => identifierDigest(key, identifier, e.value)), chunk.map((e) => e.key)],
        );
      }
      return { identifier, entries: entries.length, importedAt: row.imported_at as Date };
    });
    return { mapping, problems };
  }

  /** The project's case key mapping (what it maps from, how many entries), or null. */
  async caseKeyMapping(actor: Actor | null, projectId: string): Promise<CaseKeyMappingInfo | null> {
    await requireAccess(this.db.dataSource.manager, actor, "data.upload", projectId);
    const [row] = await this.db.dataSource.query(`SELECT identifier, entries, imported_at FROM case_key_mappings WHERE project_id = $1`, [projectId]);
    return row ? { identifier: row.identifier, entries: row.entries, importedAt: row.imported_at } : null;
  }
}

// Cursors are opaque to clients: base64url of "<created_at to the microsecond>|<id>".
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f-]{36})$/;

export function encodeCursor(p: CasePosition): string {
  return Buffer.from(`${p.at}|${p.id}`, "utf8").toString("base64url");
}

/** The position a cursor stands for, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): CasePosition | undefined {
  if (cursor.length > 200) return undefined;
  const m = CURSOR.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m || !isUuid(m[2]!) || Number.isNaN(Date.parse(m[1]!))) return undefined;
  return { at: m[1]!, id: m[2]! };
}

interface ReportCsvRow {
  line: number;
  key: string;
  report: string | null;
}

/** Reads the reports CSV (RFC 4180). Throws a BAD_USER_INPUT on field csv when it cannot be used at all. */
export function readReportsCsv(csv: string): { rows: ReportCsvRow[]; problems: string[] } {
  const table = readCsvTable(csv);
  const { names } = table;
  const keyAt = firstIndex(names, CASE_COLUMNS);
  const reportAt = firstIndex(names, REPORT_COLUMNS);
  const missing = [
    ...(keyAt < 0 ? [`${CASE_COLUMNS[0]} (or ${CASE_COLUMNS.slice(1).join(", ")})`] : []),
    ...(reportAt < 0 ? [`${REPORT_COLUMNS[0]} (or ${REPORT_COLUMNS.slice(1).join(", ")})`] : []),
  ];
  if (missing.length) {
    const found = describeHeader(table);
    throw invalid([{ field: "csv", message: `is missing the column${missing.length > 1 ? "s" : ""} ${missing.join(" and ")}${found}` }]);
  }

  const rows: ReportCsvRow[] = [];
  const problems: string[] = [];
  for (const { record, line } of table.rows) {
    if (record.length > names.length) {
      // Most often a report with an unquoted comma: taking part of it would be worse than skipping it.
      problems.push(`line ${line}: ${record.length} fields where the header has ${names.length}; skipped (put text that contains commas in double quotes)`);
      continue;
    }
    if (record.length <= Math.max(keyAt, reportAt)) {
      problems.push(`line ${line}: ${record.length} field${record.length === 1 ? "" : "s"} where the header has ${names.length}; skipped`);
      continue;
    }
    const key = record[keyAt]!.trim();
    if (!key) {
      problems.push(`line ${line}: no case key; skipped`);
      continue;
    }
    const report = record[reportAt]!.trim();
    rows.push({ line, key, report: report || null });
  }
  return { rows, problems };
}

function firstIndex(names: string[], wanted: string[]): number {
  for (const w of wanted) {
    const i = names.indexOf(w);
    if (i >= 0) return i;
  }
  return -1;
}
