import { isUuid, requireAccess, type Actor } from "../../access/access.js";
import { archived, invalid, notFound, type FieldProblem } from "../../errors.js";
import type { Database } from "../../platform/database/index.js";
import type { Bus } from "../../platform/pubsub/bus.js";
import type { Logger } from "../../logger.js";
import { AnnotationsRepository } from "../annotations/annotations.repository.js";
import { annotationChannel, type AnnotationEventPayload } from "../annotations/annotations.service.js";
import type { ExportsService } from "../exports/exports.service.js";
import { inIngestTransaction } from "../images/images.repository.js";
import type { ImagesService } from "../images/images.service.js";
import type { LedgerService } from "../ledger/ledger.service.js";
import { DELETION_NOTE_MAX, DELETION_REASONS, DeletionsRepository, KEPT_OUT_REASONS, type CaseDeletionRow, type DeletionReason } from "./deletions.repository.js";

/** Cases one call may delete. */
export const MAX_DELETION_CASES = 1000;
/** Deletion records one page of the list holds at most. */
export const MAX_DELETIONS_PAGE = 500;

export interface CaseDeletionOutcome {
  /** Cases deleted. */
  cases: number;
  /** Images (instances) deleted with them. */
  images: number;
  /** Readers' readings (drafts or submissions, counted per case and reader) deleted with them. */
  readings: number;
  /** Files their store kept: an external DICOMweb store that refuses deletes. */
  filesLeft: number;
  /** The project's earlier exports, removed because they may hold the deleted cases. */
  exportsRemoved: number;
}

/**
 * Deleting cases for good: a subject withdrew consent, an image shows what de-identification
 * cannot remove, or the wrong files went in. Excluding a case (a manager's) keeps everything;
 * this keeps nothing but a record of the deletion and a ledger leaf.
 */
export class DeletionsService {
  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly ledger: LedgerService,
    private readonly images: Pick<ImagesService, "removeFiles">,
    private readonly exports: Pick<ExportsService, "purgeExpired">,
    private readonly log: Logger,
    /** Called once the project's cases changed (a trainee's score is over its gold cases). */
    private readonly onCasesChanged: (projectId: string) => Promise<void> = async () => undefined,
  ) {}

  /**
   * Deletes the cases with their images and everything made from them, in one transaction under
   * the project's ingest lock (no upload adds an image to a series being deleted) and the queue's
   * lock (no reader is handed a case being deleted). Nothing is deleted when any case is refused.
   * Then the files go from their store, and the project's earlier exports, which may hold them.
   */
  async deleteCases(actor: Actor | null, projectId: string, caseIdsIn: string[], reason: DeletionReason, noteIn: string | null | undefined): Promise<CaseDeletionOutcome> {
    const problems: FieldProblem[] = [];
    if (!(DELETION_REASONS as readonly string[]).includes(reason)) problems.push({ field: "reason", message: `must be one of ${DELETION_REASONS.join(", ")}` });
    const note = noteIn?.trim() || null;
    if (note && note.length > DELETION_NOTE_MAX) problems.push({ field: "note", message: `must be at most ${DELETION_NOTE_MAX} characters (it has ${note.length})` });
    if (reason === "OTHER" && !note) problems.push({ field: "note", message: "say why the cases are deleted when the reason is OTHER" });
    if (!caseIdsIn.length) problems.push({ field: "caseIds", message: "must name at least one case" });
    if (caseIdsIn.length > MAX_DELETION_CASES) problems.push({ field: "caseIds", message: `may name at most ${MAX_DELETION_CASES} cases in one call` });
    caseIdsIn.forEach((id, i) => isUuid(id) || problems.push({ field: `caseIds[${i}]`, message: `"${id}" is not an id` }));
    if (problems.length) throw invalid(problems.slice(0, 20));
    if (!isUuid(projectId)) throw notFound("Project");
    const caseIds = [...new Set(caseIdsIn.map((id) => id.toLowerCase()))];
    // Checked before taking the project's ingest lock too, so that a caller without the right never holds it.
    await requireAccess(this.db.dataSource.manager, actor, "data.delete", projectId);

    const done = await inIngestTransaction(this.db.dataSource, projectId, async (em) => {
      const access = await requireAccess(em, actor, "data.delete", projectId);
      if (access.archived) throw archived();
      await new AnnotationsRepository(em).lockQueue(projectId);
      const repo = new DeletionsRepository(em);
      const found = new Map((await repo.cases(projectId, caseIds)).map((c) => [c.id, c]));
      const missing: FieldProblem[] = [];
      caseIdsIn.forEach((id, i) => found.has(id.toLowerCase()) || missing.push({ field: `caseIds[${i}]`, message: "is not a case of this project" }));
      if (missing.length) throw invalid(missing.slice(0, 20));

      const images = await repo.images(caseIds);
      const sharing = await repo.sharingCases(caseIds, images, 5);
      if (sharing.total) {
        const more = sharing.total > sharing.keys.length ? ` and ${sharing.total - sharing.keys.length} more` : "";
        throw invalid([
          {
            field: "caseIds",
            message: `the images of these cases are also those of other cases, which deleting them would take too: ${sharing.keys.map((k) => `"${k}"`).join(", ")}${more}; delete them together`,
          },
        ]);
      }
      const readings = await repo.readings(caseIds);
      const imagesOf = new Map<string, number>();
      for (const i of images) imagesOf.set(i.caseId, (imagesOf.get(i.caseId) ?? 0) + 1);
      const records = [...found.values()].map((c) => ({ caseId: c.id, caseKey: c.key, images: imagesOf.get(c.id) ?? 0, readings: readings.get(c.id) ?? 0 }));

      await repo.deleteAll(caseIds, images, `Deleted later (${reason})`);
      await repo.record(projectId, actor!.userId, reason, note, records);
      if (KEPT_OUT_REASONS.includes(reason)) await repo.keepOut(projectId, images);
      // The case id and the reason only: the key and the note could name the patient.
      await this.ledger.recordMany(
        em,
        records.map((r) => ({ type: "case.delete" as const, actorId: actor!.userId, projectId, objectId: r.caseId, change: { caseId: r.caseId, reason, images: r.images } })),
      );
      const exportsRemoved = await repo.expireExports(projectId);
      return { images, records, exportsRemoved };
    });

    // Committed: the index no longer knows these files, so nothing serves them while they go.
    const keysOf = new Map<string, string>();
    for (const i of done.images) keysOf.set(i.storageKey, i.caseId);
    const left = await this.images.removeFiles(projectId, [...keysOf.keys()]);
    const leftPerCase = new Map<string, number>();
    for (const key of left) leftPerCase.set(keysOf.get(key)!, (leftPerCase.get(keysOf.get(key)!) ?? 0) + 1);
    if (left.size) {
      await new DeletionsRepository(this.db.dataSource.manager).setFilesLeft(leftPerCase);
      this.log.warn({ project: projectId, files: left.size }, "deleted cases: the project's store kept some of their files");
    }
    if (done.exportsRemoved) await this.exports.purgeExpired();

    const at = new Date().toISOString();
    for (const r of done.records) {
      await this.bus.publish(annotationChannel(projectId), { kind: "DELETED", projectId, caseId: r.caseId, readerId: null, version: null, at } satisfies AnnotationEventPayload);
    }
    await this.onCasesChanged(projectId);
    return {
      cases: done.records.length,
      images: new Set(done.images.map((i) => i.instanceId)).size,
      readings: done.records.reduce((n, r) => n + r.readings, 0),
      filesLeft: left.size,
      exportsRemoved: done.exportsRemoved,
    };
  }

  /** The project's deleted cases, newest first (data.delete: those who may delete may see what was). */
  async list(actor: Actor | null, projectId: string, first: number): Promise<CaseDeletionRow[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_DELETIONS_PAGE) throw invalid([{ field: "first", message: `must be a whole number from 1 to ${MAX_DELETIONS_PAGE}` }]);
    await requireAccess(this.db.dataSource.manager, actor, "data.delete", projectId);
    return new DeletionsRepository(this.db.dataSource.manager).list(projectId, first);
  }
}
