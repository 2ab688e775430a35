import type { EntityManager } from "typeorm";
import { MATRIX } from "../../access/roles.js";
import { readersCoveredSql, caseBlockedSql, readersDoneSql } from "./progress-sql.js";
import { caseIncluded, EXCLUSION_INFO_COLUMNS, exclusionInfo, exclusionJoins, type CaseExclusionInfo } from "./exclusions.js";
import { caseHoldsInstance, caseImageOrder } from "./case-images.js";
import { CASE_SPLITS, readersNeeded, readersNeededSql, splitGroupSql, splitSql, type CaseSplit, type SplitGroup, type SplitSettings } from "./splits.js";

/** A case as readers and tools see it: the case row with its image's de-identified UIDs and geometry. */
export interface CaseRow {
  id: string;
  projectId: string;
  key: string;
  createdAt: Date;
  modality: string | null;
  studyInstanceUid: string;
  seriesInstanceUid: string | null;
  sopInstanceUid: string | null;
  rows: number | null;
  columns: number | null;
  frames: number | null;
  /** 1 for an image case; the images of its series (a series case) or of every series of its study (a study case). */
  images: number;
  /** 1, or a study case's series (with images). */
  series: number;
  report: string | null;
  readersDone: number;
  readersNeeded: number;
  /** Why a manager excluded the case from its project; null while it is in it. */
  exclusion: CaseExclusionInfo | null;
  /** The dataset split the case is in (splits.ts). */
  split: CaseSplit;
  /** Where the user who listed the cases stands with each (page() only). */
  myReading?: MyReading;
  /** Whether the case is assigned to the user who listed the cases (page() only). */
  assignedToMe?: boolean;
  /** The readers the case is assigned to, by id (exportPage() only). */
  assignedReaderIds?: string[];
  /** created_at to the microsecond, as text, so a cursor made from it compares exactly in SQL. */
  cursorAt: string;
}

export interface CaseFilter {
  keyContains?: string | null | undefined;
  modality?: string | null | undefined;
  hasReport?: boolean | null | undefined;
  /** Where the user listing the cases stands with them. */
  myReading?: MyReading | null | undefined;
  /** True: only excluded cases; false: only cases in the project. */
  excluded?: boolean | null | undefined;
  /** How far the reading of cases in the project has come (excluded cases never match). */
  progress?: CaseProgress | null | undefined;
  /** Only the cases assigned to this reader. */
  assignedTo?: string | null | undefined;
  /** Cases in the project with fewer (true) or as many (false) readers covered (readersCoveredSql) as readers per case. */
  underAssigned?: boolean | null | undefined;
  /** Only the cases in this dataset split. */
  split?: CaseSplit | null | undefined;
}

/** A dataset split's cases (those not excluded), their groups, the readers each needs and how many have them. */
export interface SplitSummaryRow {
  split: CaseSplit;
  cases: number;
  groups: number;
  readersPerCase: number;
  complete: number;
}

/** How far a case's reading has come: all its readers, some, none, or too few left to complete it (BLOCKED, among the PARTLY_READ and UNREAD). */
export const CASE_PROGRESS = ["COMPLETE", "PARTLY_READ", "UNREAD", "BLOCKED"] as const;
export type CaseProgress = (typeof CASE_PROGRESS)[number];

/** Where a user stands with a case: submitted it (a revision may be open), skipped it, has a draft, or none of these. */
export const MY_READINGS = ["NOT_STARTED", "DRAFT", "SUBMITTED", "SKIPPED"] as const;
export type MyReading = (typeof MY_READINGS)[number];

/** A user's standing with case c (SQL; the user's id at the placeholder `me`): submitted first, then skipped, then a draft. */
export const myReadingSql = (me: string) => `CASE
    WHEN EXISTS (SELECT 1 FROM annotations m WHERE m.case_id = c.id AND m.reader_id = ${me} AND m.status = 'SUBMITTED') THEN 'SUBMITTED'
    WHEN EXISTS (SELECT 1 FROM case_skips k WHERE k.case_id = c.id AND k.reader_id = ${me}) THEN 'SKIPPED'
    WHEN EXISTS (SELECT 1 FROM annotations m WHERE m.case_id = c.id AND m.reader_id = ${me} AND m.status = 'DRAFT') THEN 'DRAFT'
    ELSE 'NOT_STARTED' END`;

/** A position in the (created_at, id) order of a project's cases. */
export interface CasePosition {
  at: string;
  id: string;
}

// The only code that queries cases for the API. The rows themselves are created by ingest (ImagesRepository).
export class CasesRepository {
  constructor(private readonly em: EntityManager) {}

  /** Up to `limit` cases of a project after `after`, in (created_at, id) order, each with where `userId` stands with it. */
  async page(projectId: string, userId: string, filter: CaseFilter, after: CasePosition | null, limit: number): Promise<CaseRow[]> {
    const params: unknown[] = [projectId, userId];
    const where = ["c.project_id = $1", ...this.filterSql(filter, params, userId)];
    if (after) {
      params.push(after.at, after.id);
      where.push(`(c.created_at, c.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit);
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `${selectCases(`${myReadingSql("$2::uuid")} AS my_reading, EXISTS (SELECT 1 FROM case_assignments am WHERE am.case_id = c.id AND am.reader_id = $2::uuid) AS assigned_to_me,`)}
        WHERE ${where.join(" AND ")} ORDER BY c.created_at, c.id LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({ ...toCaseRow(r), myReading: r.my_reading as MyReading, assignedToMe: r.assigned_to_me === true }));
  }

  /** Where a user stands with one case. */
  async myReading(caseId: string, userId: string): Promise<MyReading> {
    const [row] = await this.em.query(`SELECT ${myReadingSql("$2::uuid")} AS my_reading FROM cases c WHERE c.id = $1`, [caseId, userId]);
    return (row?.my_reading as MyReading | undefined) ?? "NOT_STARTED";
  }

  /** How many cases of a project match the filter (whatever the page), for `userId`. */
  async count(projectId: string, userId: string, filter: CaseFilter): Promise<number> {
    const params: unknown[] = [projectId];
    const where = ["c.project_id = $1", ...this.filterSql(filter, params, userId)];
    const [row] = await this.em.query(
      `SELECT count(*)::int AS n FROM cases c JOIN projects p ON p.id = c.project_id JOIN studies st ON st.id = c.study_id LEFT JOIN series se ON se.id = c.series_id WHERE ${where.join(" AND ")}`,
      params,
    );
    return Number(row.n);
  }

  /** Up to `limit` of a project's cases after `after`, in (created_at, id) order, excluded ones included: for the case list's export. */
  async exportPage(projectId: string, after: CasePosition | null, limit: number): Promise<CaseRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `${selectCases("ARRAY(SELECT ca.reader_id::text FROM case_assignments ca WHERE ca.case_id = c.id ORDER BY ca.reader_id) AS assigned_reader_ids,")}
        WHERE c.project_id = $1 AND ($2::timestamptz IS NULL OR (c.created_at, c.id) > ($2::timestamptz, $3::uuid))
        ORDER BY c.created_at, c.id LIMIT $4`,
      [projectId, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map((r) => ({ ...toCaseRow(r), assignedReaderIds: r.assigned_reader_ids as string[] }));
  }

  /** Whether a case is in its project (a manager has not excluded it). */
  async isIncluded(caseId: string): Promise<boolean> {
    const [r] = await this.em.query(`SELECT ${caseIncluded("$1::uuid")} AS included`, [caseId]);
    return r.included as boolean;
  }

  /** The project's dataset split settings. */
  async splitSettings(projectId: string): Promise<SplitSettings> {
    const [r] = await this.em.query(`SELECT split_train, split_validation, split_group FROM projects WHERE id = $1`, [projectId]);
    return { trainPercent: Number(r.split_train), validationPercent: Number(r.split_validation), groupBy: r.split_group as SplitGroup };
  }

  /** Each of the project's cases' dataset split; with `includedOnly`, cases excluded from the project left out. */
  async caseSplits(projectId: string, includedOnly: boolean): Promise<Map<string, CaseSplit>> {
    const rows: Array<{ id: string; split: CaseSplit }> = await this.em.query(
      `SELECT c.id, ${splitSql("c", "st", "p")} AS split FROM cases c JOIN studies st ON st.id = c.study_id JOIN projects p ON p.id = c.project_id
        WHERE c.project_id = $1 AND (NOT $2::boolean OR ${caseIncluded("c.id")})`,
      [projectId, includedOnly],
    );
    return new Map(rows.map((r) => [r.id, r.split]));
  }

  /** The project's cases in it (not excluded) and their groups, per dataset split. */
  async splitSummary(projectId: string): Promise<SplitSummaryRow[]> {
    const rows: Array<{ split: CaseSplit; cases: number; groups: number; complete: number }> = await this.em.query(
      `SELECT x.split, count(*)::int AS cases, count(DISTINCT x.grp)::int AS groups, count(*) FILTER (WHERE ${readersDoneSql("x.id")} >= x.needed)::int AS complete
         FROM (SELECT c.id, ${splitSql("c", "st", "p")} AS split,
                      ${splitGroupSql("c", "st", "p.split_group")} AS grp,
                      ${readersNeededSql("c", "p", "st")} AS needed
                 FROM cases c JOIN projects p ON p.id = c.project_id JOIN studies st ON st.id = c.study_id
                WHERE c.project_id = $1 AND ${caseIncluded("c.id")}) x
        GROUP BY x.split`,
      [projectId],
    );
    const [p] = await this.em.query(`SELECT readers_per_case, readers_validation, readers_test FROM projects WHERE id = $1`, [projectId]);
    const readers = { readersPerCase: Number(p.readers_per_case), validation: p.readers_validation, test: p.readers_test };
    return CASE_SPLITS.map((split) => ({ split, cases: 0, groups: 0, complete: 0, ...rows.find((r) => r.split === split), readersPerCase: readersNeeded(split, readers) }));
  }

  async find(id: string): Promise<CaseRow | null> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`${selectCases()} WHERE c.id = $1`, [id]);
    return rows[0] ? toCaseRow(rows[0]) : null;
  }

  /**
   * Sets (or, with null, clears) the report of each case named by key, in one statement.
   * Returns the keys that named a case of the project.
   */
  async setReports(projectId: string, reports: Array<{ key: string; report: string | null }>): Promise<string[]> {
    if (!reports.length) return [];
    const rows: Array<{ key: string }> = await this.em.query(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE ... RETURNING with [rows, count], not rows.
      `WITH updated AS (
         UPDATE cases c SET report = v.report
           FROM unnest($2::text[], $3::text[]) AS v(key, report)
          WHERE c.project_id = $1 AND c.key = v.key
         RETURNING c.key)
       SELECT key FROM updated`,
      [projectId, reports.map((r) => r.key), reports.map((r) => r.report)],
    );
    return rows.map((r) => r.key);
  }

  private filterSql(f: CaseFilter, params: unknown[], userId: string): string[] {
    const where: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll("?", `$${params.length}`));
    };
    // strpos, not LIKE: the user's text is matched as text, % and _ included.
    if (f.keyContains) add("strpos(lower(c.key), lower(?)) > 0", f.keyContains);
    // A study case has every modality of its series.
    if (f.modality) {
      add(
        "(upper(se.modality) = upper(?) OR (c.instance_id IS NULL AND c.series_id IS NULL AND EXISTS (SELECT 1 FROM series m WHERE m.study_id = c.study_id AND upper(m.modality) = upper(?))))",
        f.modality,
      );
    }
    if (f.hasReport != null) add("(c.report IS NOT NULL) = ?", f.hasReport);
    if (f.excluded != null) where.push(f.excluded ? `NOT ${caseIncluded("c.id")}` : caseIncluded("c.id"));
    if (f.progress) {
      const needed = readersNeededSql("c", "p", "st");
      const done = readersDoneSql("c.id");
      where.push(caseIncluded("c.id"));
      if (f.progress === "COMPLETE") where.push(`${done} >= ${needed}`);
      else if (f.progress === "UNREAD") where.push(`${done} = 0`);
      else if (f.progress === "PARTLY_READ") where.push(`${done} BETWEEN 1 AND ${needed} - 1`);
      else {
        params.push([...MATRIX["case.annotate"]]);
        where.push(caseBlockedSql("c.id", "c.project_id", needed, `$${params.length}::text[]`));
      }
    }
    if (f.assignedTo) add("EXISTS (SELECT 1 FROM case_assignments af WHERE af.case_id = c.id AND af.reader_id = ?::uuid)", f.assignedTo);
    if (f.underAssigned != null) {
      params.push([...MATRIX["case.annotate"]]);
      const covered = readersCoveredSql("c.id", `$${params.length}::text[]`);
      where.push(caseIncluded("c.id"), `${covered} ${f.underAssigned ? "<" : ">="} ${readersNeededSql("c", "p", "st")}`);
    }
    if (f.split) add(`${splitSql("c", "st", "p")} = ?`, f.split);
    if (f.myReading) {
      params.push(userId);
      add(`(${myReadingSql(`$${params.length}::uuid`)}) = ?`, f.myReading);
    }
    return where;
  }
}

/** The cases' columns, and `extra` ones ahead of them (ending in a comma). */
const selectCases = (extra = "") => `
  SELECT ${extra} c.id, c.project_id, c.key, c.created_at, c.report,
         to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
         coalesce(nullif(se.modality, ''), sc.modalities) AS modality, st.study_instance_uid, se.series_instance_uid,
         i.sop_instance_uid,
         coalesce(i.rows, sc.rows) AS rows, coalesce(i.columns, sc.columns) AS columns, coalesce(i.frames, sc.frames) AS frames,
         CASE WHEN c.instance_id IS NULL THEN coalesce(sc.images, 0) ELSE 1 END AS images,
         CASE WHEN c.instance_id IS NULL THEN coalesce(sc.series, 0) ELSE 1 END AS series,
         (SELECT count(DISTINCT a.reader_id) FROM annotations a WHERE a.case_id = c.id AND a.status = 'SUBMITTED')::int AS readers_done,
         ${readersNeededSql("c", "p", "st")} AS readers_needed,
         ${splitSql("c", "st", "p")} AS split,
         ${EXCLUSION_INFO_COLUMNS}
    FROM cases c
    JOIN projects p ON p.id = c.project_id
    JOIN studies st ON st.id = c.study_id
    LEFT JOIN series se ON se.id = c.series_id
    LEFT JOIN instances i ON i.id = c.instance_id
    ${exclusionJoins("c.id")}
    -- A series or study case: its images and series, the geometry of its first image, and (a
    -- study's) the modalities of its series.
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS images, count(DISTINCT x.series_id)::int AS series,
             (array_agg(x.rows ORDER BY ${caseImageOrder("xs", "x")}))[1] AS rows,
             (array_agg(x.columns ORDER BY ${caseImageOrder("xs", "x")}))[1] AS columns,
             (array_agg(x.frames ORDER BY ${caseImageOrder("xs", "x")}))[1] AS frames,
             string_agg(DISTINCT nullif(xs.modality, ''), ', ') AS modalities
        FROM instances x JOIN series xs ON xs.id = x.series_id
       WHERE c.instance_id IS NULL AND ${caseHoldsInstance("c", "x")} AND x.rows IS NOT NULL) sc ON true`;

function toCaseRow(r: Record<string, unknown>): CaseRow {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    key: r.key as string,
    createdAt: r.created_at as Date,
    modality: r.modality as string | null,
    studyInstanceUid: r.study_instance_uid as string,
    seriesInstanceUid: r.series_instance_uid as string | null,
    sopInstanceUid: r.sop_instance_uid as string | null,
    rows: r.rows as number | null,
    columns: r.columns as number | null,
    frames: r.frames as number | null,
    images: Number(r.images),
    series: Number(r.series),
    report: r.report as string | null,
    readersDone: Number(r.readers_done),
    readersNeeded: Number(r.readers_needed),
    exclusion: exclusionInfo(r),
    split: r.split as CaseSplit,
    cursorAt: r.cursor_at as string,
  };
}
