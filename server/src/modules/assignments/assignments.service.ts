import { createHash } from "node:crypto";
import type { EntityManager } from "typeorm";
import { can, isUuid, loadProjectResource, requireAccess, requireActor, type Actor } from "../../access/access.js";
import { MATRIX } from "../../access/roles.js";
import { archived, invalid, type FieldProblem } from "../../errors.js";
import type { Database } from "../../platform/database/index.js";
import type { Bus } from "../../platform/pubsub/bus.js";
import { AnnotationsRepository } from "../annotations/annotations.repository.js";
import { annotationChannel, type AnnotationEventPayload } from "../annotations/annotations.service.js";
import type { MyReading } from "../cases/cases.repository.js";
import { describeHeader, readCsvTable } from "../cases/csv.js";
import type { LedgerService } from "../ledger/ledger.service.js";
import { AssignmentsRepository, type CaseRef } from "./assignments.repository.js";

/** Cases one call may name (a manager's selection, or a distribution's list). */
export const MAX_ASSIGNMENT_CASES = 10_000;
/** Readers one call may name. */
export const MAX_ASSIGNMENT_READERS = 500;
/** The most readers distribution gives a case (as a project's readers per case). */
const MAX_READERS_PER_CASE = 100;
/** Largest assignment CSV. */
export const MAX_ASSIGNMENTS_CSV_BYTES = 10 * 1024 * 1024;

const CASE_COLUMNS = ["case", "case_key", "key"];
const READER_COLUMNS = ["reader", "email", "reader_email", "e_mail"];

export interface AssignedReaderRow {
  readerId: string;
  name: string;
  assignedAt: Date;
  reading: MyReading;
}

export interface AssignmentChangeOutcome {
  changed: number;
  unchanged: number;
}

export interface DistributionOutcome {
  assigned: number;
  cases: number;
  shortCases: number;
}

export interface AssignmentImportOutcome {
  assigned: number;
  unchanged: number;
  problems: string[];
}

/** Readers who may be assigned: those who may annotate. */
const READER_ROLES = MATRIX["case.annotate"];

// Managers assign cases to readers. An assignment holds one of the case's reader slots for its
// reader until they submit or skip the case (the queue counts it as it counts a claim); with the
// project's assignedReading, readers read only their assigned cases (the access module refuses a
// reading of another). Readings, drafts and skips never change with an assignment.
export class AssignmentsService {
  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly ledger: LedgerService,
  ) {}

  assign(actor: Actor | null, projectId: string, caseIds: string[], readerIds: string[]): Promise<AssignmentChangeOutcome> {
    return this.change(actor, projectId, "case.assign", async (repo, who, lock) => {
      const cases = await this.requireCases(repo, projectId, caseIds, "caseIds");
      const readers = await this.requireReaders(repo, projectId, readerIds);
      await lock();
      const pairs = cases.flatMap((c) => readers.map((r) => ({ caseId: c.id, readerId: r })));
      const made = await repo.insert(projectId, pairs, who.userId);
      return { pairs: made, outcome: { changed: made.length, unchanged: pairs.length - made.length } };
    });
  }

  unassign(actor: Actor | null, projectId: string, caseIds: string[], readerIds: string[]): Promise<AssignmentChangeOutcome> {
    return this.change(actor, projectId, "case.unassign", async (repo, _who, lock) => {
      // Excluded cases may be unassigned too; a former member's assignments too.
      const cases = await this.requireCases(repo, projectId, caseIds, "caseIds", true);
      const ids = this.requireIds(readerIds, "readerIds", MAX_ASSIGNMENT_READERS);
      await lock();
      const gone = await repo.delete(projectId, cases.map((c) => c.id), ids);
      return { pairs: gone, outcome: { changed: gone.length, unchanged: cases.length * ids.length - gone.length } };
    });
  }

  /**
   * Tops up each case (the given ones, or all of the project's) to `readersPerCase` readers (by default
   * the readers each case needs, its split's own number where the project sets one) from
   * `readerIds`, counting those who submitted it and those assigned to it who have not skipped it
   * (readersCoveredSql counts the same); each pick the free reader with
   * the fewest assigned cases, ties in an order shuffled per case (a hash of the case and the
   * reader), so that pairs of readers come out even. Deterministic for the same state.
   */
  distribute(actor: Actor | null, projectId: string, readerIds: string[], readersPerCaseIn: number | null, caseIds: string[] | null): Promise<DistributionOutcome> {
    return this.change(actor, projectId, "case.assign", async (repo, who, lock) => {
      const readers = await this.requireReaders(repo, projectId, readerIds);
      if (readersPerCaseIn != null && (!Number.isInteger(readersPerCaseIn) || readersPerCaseIn < 1 || readersPerCaseIn > MAX_READERS_PER_CASE)) {
        throw invalid([{ field: "readersPerCase", message: `must be a whole number from 1 to ${MAX_READERS_PER_CASE}` }]);
      }
      if (caseIds) await this.requireCases(repo, projectId, caseIds, "caseIds");
      await lock();
      const states = await repo.readingStates(projectId, caseIds, READER_ROLES);
      const load = await repo.loads(projectId, readers);
      const pairs: Array<{ caseId: string; readerId: string }> = [];
      let cases = 0;
      let shortCases = 0;
      for (const state of states) {
        // As readersCoveredSql counts them: submitted, or assigned (live) and not skipped.
        const covered = new Set([...state.assigned, ...state.submitted]);
        let need = (readersPerCaseIn ?? state.needed) - covered.size;
        if (need <= 0) continue;
        const ties = new Map(readers.map((r) => [r, tieBreak(state.id, r)]));
        const unavailable = new Set([...state.assignedAny, ...state.submitted, ...state.skipped]);
        const free = readers.filter((r) => !unavailable.has(r));
        free.sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || ties.get(a)!.localeCompare(ties.get(b)!));
        const picked = free.slice(0, need);
        for (const r of picked) {
          pairs.push({ caseId: state.id, readerId: r });
          load.set(r, (load.get(r) ?? 0) + 1);
        }
        need -= picked.length;
        if (picked.length) cases++;
        if (need > 0) shortCases++;
      }
      const made = await repo.insert(projectId, pairs, who.userId);
      return { pairs: made, outcome: { assigned: made.length, cases, shortCases } };
    });
  }

  /** Assigns from a CSV of case keys and readers' e-mail addresses; rows that cannot be used are listed back. */
  async importCsv(actor: Actor | null, projectId: string, csv: string): Promise<AssignmentImportOutcome> {
    // Who may import, before anything about the file: a non-manager learns nothing from it.
    await this.manage(this.db.dataSource.manager, actor, projectId);
    if (Buffer.byteLength(csv) > MAX_ASSIGNMENTS_CSV_BYTES) throw invalid([{ field: "csv", message: `is larger than ${MAX_ASSIGNMENTS_CSV_BYTES / 1024 / 1024} MB` }]);
    const table = readCsvTable(csv);
    const caseCol = table.names.findIndex((n) => CASE_COLUMNS.includes(n));
    const readerCol = table.names.findIndex((n) => READER_COLUMNS.includes(n));
    const missing: FieldProblem[] = [];
    if (caseCol < 0) missing.push({ field: "csv", message: `needs a case key column (${CASE_COLUMNS.join(", ")})${describeHeader(table)}` });
    if (readerCol < 0) missing.push({ field: "csv", message: `needs a reader column with e-mail addresses (${READER_COLUMNS.join(", ")})${describeHeader(table)}` });
    if (missing.length) throw invalid(missing);
    const rows = table.rows.map(({ line, record }) => ({ line, key: (record[caseCol] ?? "").trim(), email: (record[readerCol] ?? "").trim().toLowerCase() }));
    return this.change(actor, projectId, "case.assign", async (repo, who, lock) => {
      const cases = new Map((await repo.casesByKey(projectId, [...new Set(rows.map((r) => r.key))])).map((c) => [c.key, c]));
      const members = new Map((await repo.readers(projectId, READER_ROLES, { emails: [...new Set(rows.map((r) => r.email))] })).map((r) => [r.email, r]));
      const problems: string[] = [];
      const pairs = new Map<string, { caseId: string; readerId: string }>();
      for (const row of rows) {
        const c = cases.get(row.key);
        const reader = members.get(row.email);
        if (!row.key || !row.email) problems.push(`line ${row.line}: ${!row.key ? "no case key" : "no reader"}`);
        else if (!c) problems.push(`line ${row.line}: no case of this project has the key "${row.key}"`);
        else if (c.excluded) problems.push(`line ${row.line}: case "${row.key}" was excluded from the project`);
        else if (!reader) problems.push(`line ${row.line}: ${row.email} is not a member of this project who may annotate`);
        else pairs.set(`${c.id} ${reader.id}`, { caseId: c.id, readerId: reader.id });
      }
      await lock();
      const made = await repo.insert(projectId, [...pairs.values()], who.userId);
      return { pairs: made, outcome: { assigned: made.length, unchanged: pairs.size - made.length, problems } };
    });
  }

  /** Whether the case is assigned to the actor (any member who may view the case may ask of themselves). */
  async assignedToMe(actor: Actor | null, caseId: string): Promise<boolean> {
    const who = requireActor(actor);
    return isUuid(caseId) && new AssignmentsRepository(this.db.dataSource.manager).isAssigned(caseId, who.userId);
  }

  /**
   * The cases' assigned readers, for those who follow the project's progress (stats.view): a map
   * from case id to its readers; null for anyone else. The cases must be of `projectId`.
   */
  async assignedReaders(actor: Actor | null, projectId: string, caseIds: readonly string[]): Promise<Map<string, AssignedReaderRow[]> | null> {
    const who = requireActor(actor);
    const em = this.db.dataSource.manager;
    const resource = await loadProjectResource(em, who.userId, projectId);
    if (!resource || !can(who, "stats.view", resource)) return null;
    const byCase = new Map<string, AssignedReaderRow[]>(caseIds.map((id) => [id, []]));
    for (const r of await new AssignmentsRepository(em).assignedReaders(caseIds, READER_ROLES)) {
      byCase.get(r.caseId)?.push({ readerId: r.readerId, name: r.name, assignedAt: r.assignedAt, reading: r.reading });
    }
    return byCase;
  }

  // ---- helpers

  /**
   * One change of the project's assignments, in a transaction: the manager's access, then `work`,
   * which validates, takes the queue's lock (`lock`: claims and assignments change in turn) and
   * writes, answering the pairs it changed; then a ledger leaf per case changed and, once committed,
   * an ASSIGNED event per reader concerned.
   */
  private async change<T>(
    actor: Actor | null,
    projectId: string,
    type: "case.assign" | "case.unassign",
    work: (repo: AssignmentsRepository, who: Actor, lock: () => Promise<void>) => Promise<{ pairs: Array<{ caseId: string; readerId: string }>; outcome: T }>,
  ): Promise<T> {
    const { pairs, outcome } = await this.db.tx(async (em) => {
      const who = await this.manage(em, actor, projectId);
      const done = await work(new AssignmentsRepository(em), who, () => new AnnotationsRepository(em).lockQueue(projectId));
      await this.record(em, type, who.userId, projectId, done.pairs);
      return done;
    });
    await this.announce(projectId, [...new Set(pairs.map((p) => p.readerId))]);
    return outcome;
  }

  private async manage(em: EntityManager, actor: Actor | null, projectId: string): Promise<Actor> {
    const access = await requireAccess(em, actor, "project.manage", projectId);
    if (access.archived) throw archived();
    return actor!;
  }

  private requireIds(ids: string[], field: string, max: number): string[] {
    if (!ids.length) throw invalid([{ field, message: "must name at least one" }]);
    if (ids.length > max) throw invalid([{ field, message: `may name at most ${max}` }]);
    const bad = ids.findIndex((id) => !isUuid(id));
    if (bad >= 0) throw invalid([{ field: `${field}[${bad}]`, message: `"${ids[bad]}" is not an id` }]);
    return [...new Set(ids.map((id) => id.toLowerCase()))];
  }

  /** The project's cases named by `ids`, every one of them; excluded ones refused unless `allowExcluded`. */
  private async requireCases(repo: AssignmentsRepository, projectId: string, ids: string[], field: string, allowExcluded = false): Promise<CaseRef[]> {
    const unique = this.requireIds(ids, field, MAX_ASSIGNMENT_CASES);
    const found = new Map((await repo.cases(projectId, unique)).map((c) => [c.id, c]));
    const problems: FieldProblem[] = [];
    ids.forEach((id, i) => {
      const c = found.get(id.toLowerCase());
      if (!c) problems.push({ field: `${field}[${i}]`, message: "is not a case of this project" });
      else if (c.excluded && !allowExcluded) problems.push({ field: `${field}[${i}]`, message: `case "${c.key}" was excluded from the project; include it again first` });
    });
    if (problems.length) throw invalid(problems.slice(0, 20));
    return [...found.values()];
  }

  /** The readers named, each a member of the project who may annotate (their account not disabled). */
  private async requireReaders(repo: AssignmentsRepository, projectId: string, ids: string[]): Promise<string[]> {
    const unique = this.requireIds(ids, "readerIds", MAX_ASSIGNMENT_READERS);
    const found = new Set((await repo.readers(projectId, READER_ROLES, { ids: unique })).map((r) => r.id));
    const problems: FieldProblem[] = [];
    ids.forEach((id, i) => {
      if (!found.has(id.toLowerCase())) problems.push({ field: `readerIds[${i}]`, message: "is not a member of this project who may annotate" });
    });
    if (problems.length) throw invalid(problems.slice(0, 20));
    return unique;
  }

  /** One ledger leaf per case whose assignments changed: the case and the readers, as pseudonyms. */
  private async record(em: EntityManager, type: "case.assign" | "case.unassign", actorId: string, projectId: string, pairs: ReadonlyArray<{ caseId: string; readerId: string }>): Promise<void> {
    const byCase = new Map<string, string[]>();
    for (const p of pairs) byCase.set(p.caseId, [...(byCase.get(p.caseId) ?? []), this.ledger.pseudonym(p.readerId)]);
    await this.ledger.recordMany(
      em,
      [...byCase].map(([caseId, readers]) => ({ type, actorId, projectId, objectId: caseId, change: { caseId, readers: readers.sort() } })),
    );
  }

  /** Each reader whose assignments changed hears of it (their queue changed), as do those who follow progress. */
  private async announce(projectId: string, readerIds: readonly string[]): Promise<void> {
    const at = new Date().toISOString();
    for (const readerId of readerIds) {
      await this.bus.publish(annotationChannel(projectId), { kind: "ASSIGNED", projectId, caseId: null, readerId, version: null, at } satisfies AnnotationEventPayload);
    }
  }
}

/** A reader's place among equals for one case: a hash, so ties fall differently from case to case. */
function tieBreak(caseId: string, readerId: string): string {
  return createHash("sha256").update(`${caseId}:${readerId}`).digest("hex");
}

