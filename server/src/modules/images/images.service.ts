import { randomBytes } from "node:crypto";
import type { Actor } from "../../access/access.js";
import { isUuid, requireAccess } from "../../access/access.js";
import { archived, invalid, notFound } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../platform/database/index.js";
import type { BlobStore } from "../../platform/storage/store.js";
import type { UploadBatchEntity, UploadResultEntity, UploadSource } from "./images.entity.js";
import { ImagesRepository, type InstanceRow, type SeriesRow, type StudyFilter, type StudyRow } from "./images.repository.js";
import { expandArchives } from "./ingest/archives.js";
import { IngestRefusal, type PrepareOptions, type PreparedInstance } from "./ingest/prepared.js";

export interface UploadFile {
  name: string;
  bytes: Uint8Array;
}

/** Parses, de-identifies and re-writes one upload, off the API event loop. */
export type Preparer = (file: UploadFile, opts: PrepareOptions) => Promise<PreparedInstance>;

export interface UploadOutcome {
  batch: UploadBatchEntity;
  results: UploadResultEntity[];
}

export const MAX_BATCHES_PAGE = 100;

const caseKeyOf = (fileName: string) => fileName.replace(/^.*[\\/]/, "").replace(/\.(dcm|dicom|png|jpe?g)$/i, "") || "image";

export class ImagesService {
  constructor(
    private readonly db: Database,
    private readonly store: BlobStore,
    private readonly prepare: Preparer,
    private readonly log: Logger,
    private readonly limits: { maxArchiveBytes: number } = { maxArchiveBytes: 4 * 1024 ** 3 },
  ) {}

  private repo(em = this.db.dataSource.manager) {
    return new ImagesRepository(em);
  }

  /**
   * Ingests a batch. Every file is parsed, de-identified and re-written before anything of it is
   * stored; a refused file stores nothing and the rest of the batch still goes in.
   */
  async upload(actor: Actor | null, projectId: string, files: UploadFile[], source: UploadSource): Promise<UploadOutcome> {
    const access = await requireAccess(this.db.dataSource.manager, actor, "data.upload", projectId);
    if (access.archived) throw archived();
    const repo = this.repo();
    const [settings] = await this.db.dataSource.query(`SELECT deid_retain_dates FROM projects WHERE id = $1`, [projectId]);
    const projectKey = await repo.projectKey(projectId, () => randomBytes(32));
    const opts: PrepareOptions = { projectKey: new Uint8Array(projectKey), retainLongitudinalModifiedDates: !!settings?.deid_retain_dates };
    const expanded = await expandArchives(files, { maxEntries: 100_000, maxTotalBytes: this.limits.maxArchiveBytes });
    const batch = await repo.insertBatch(projectId, actor!.userId, source, expanded.length);

    try {
      await this.ingestAll(batch.id, projectId, expanded, opts);
    } catch (err) {
      // An unexpected failure (not a bad file): the batch says so instead of staying RUNNING.
      await this.db.dataSource.query(`UPDATE upload_batches SET status = 'FAILED', finished_at = now() WHERE id = $1`, [batch.id]);
      throw err;
    }
    const finished = await repo.finishBatch(batch.id);
    this.log.info({ batch: batch.id, project: projectId, total: finished.total, stored: finished.stored, refused: finished.refused }, "upload finished");
    return { batch: finished, results: await repo.results(batch.id) };
  }

  private async ingestAll(batchId: string, projectId: string, expanded: Awaited<ReturnType<typeof expandArchives>>, opts: PrepareOptions): Promise<void> {
    const repo = this.repo();
    const batch = { id: batchId };
    for (const [position, file] of expanded.entries()) {
      if ("refused" in file) {
        await repo.recordResult(batch.id, position, file.name, "REFUSED", file.refused, null);
        continue;
      }
      let prepared: PreparedInstance;
      try {
        prepared = await this.prepare(file, opts);
      } catch (err) {
        const message = err instanceof IngestRefusal || (err as { fileName?: string }).fileName ? (err as Error).message : `${file.name}: could not be read`;
        if (!(err instanceof IngestRefusal)) this.log.warn({ batch: batch.id, position, code: (err as { code?: string }).code }, "upload refused");
        await repo.recordResult(batch.id, position, file.name, err instanceof IngestRefusal && err.kind === "ignored" ? "IGNORED" : "REFUSED", message, null);
        continue;
      }
      await this.storeOne(projectId, batch.id, position, file.name, prepared);
    }
  }

  private async storeOne(projectId: string, batchId: string, position: number, fileName: string, p: PreparedInstance): Promise<void> {
    const existing = await this.repo().findInstanceByUid(projectId, p.sopInstanceUid);
    if (existing) {
      // The same file again maps to the same UIDs (they are keyed per project): keep the first copy.
      await this.repo().recordResult(batchId, position, fileName, "DUPLICATE", `${fileName}: already in the project`, existing.id);
      return;
    }
    // The content hash in the key: two different files claiming one SOP Instance UID never overwrite each other.
    const storageKey = `${projectId}/${p.studyInstanceUid}/${p.seriesInstanceUid}/${p.sopInstanceUid}.${p.sha256.slice(0, 16)}.dcm`;
    await this.store.put(storageKey, p.bytes);
    try {
      await this.db.tx(async (em) => {
        const repo = this.repo(em);
        // Serialises ingest per project (not the project row, which settings edits lock) so study,
        // series and case rows are created once.
        await em.query(`SELECT pg_advisory_xact_lock(hashtext('ingest:' || $1))`, [projectId]);
        const raced = await repo.findInstanceByUid(projectId, p.sopInstanceUid);
        if (raced) {
          await repo.recordResult(batchId, position, fileName, "DUPLICATE", `${fileName}: already in the project`, raced.id);
          if (raced.storageKey !== storageKey) await this.store.delete(storageKey).catch(() => undefined);
          return;
        }
        const study = await repo.upsertStudy({
          projectId,
          studyInstanceUid: p.studyInstanceUid,
          patientId: p.patientId,
          studyDate: p.studyDate,
          description: p.studyDescription,
        });
        const series = await repo.upsertSeries({
          projectId,
          studyId: study.id,
          seriesInstanceUid: p.seriesInstanceUid,
          modality: p.modality,
          seriesNumber: p.seriesNumber,
          description: p.seriesDescription,
        });
        const instance = await repo.insertInstance({
          projectId,
          seriesId: series.id,
          sopInstanceUid: p.sopInstanceUid,
          sopClassUid: p.sopClassUid,
          transferSyntaxUid: p.transferSyntaxUid,
          instanceNumber: p.instanceNumber,
          rows: p.rows,
          columns: p.columns,
          frames: p.frames,
          storageKey,
          sizeBytes: String(p.bytes.byteLength),
          sha256: p.sha256,
          metadata: p.metadata,
        });
        if (p.hasPixelData) {
          let key = caseKeyOf(fileName);
          for (let n = 2; await repo.caseKeyTaken(projectId, key); n++) key = `${caseKeyOf(fileName)}-${n}`;
          await repo.insertCase({ projectId, key, studyId: study.id, seriesId: series.id, instanceId: instance.id });
        }
        await repo.recordResult(batchId, position, fileName, "STORED", null, instance.id);
      });
    } catch (err) {
      // Nothing half-stored: without its index row the file goes too.
      await this.store.delete(storageKey).catch(() => undefined);
      throw err;
    }
  }

  /** An upload's outcome, file by file; only for those who may upload to its project. */
  async batch(actor: Actor | null, batchId: string): Promise<UploadOutcome> {
    const repo = this.repo();
    const batch = isUuid(batchId) ? await repo.findBatch(batchId) : null;
    if (!batch) throw notFound("Upload");
    try {
      await requireAccess(this.db.dataSource.manager, actor, "data.upload", batch.projectId);
    } catch (err) {
      if ((err as { code?: string }).code === "NOT_FOUND") throw notFound("Upload");
      throw err;
    }
    return { batch, results: await repo.results(batchId) };
  }

  /** A project's recent uploads, newest first, without their per-file results; only for those who may upload to it. */
  async batches(actor: Actor | null, projectId: string, first: number): Promise<UploadBatchEntity[]> {
    await requireAccess(this.db.dataSource.manager, actor, "data.upload", projectId);
    if (!Number.isInteger(first) || first < 1 || first > MAX_BATCHES_PAGE) {
      throw invalid([{ field: "first", message: `must be a whole number from 1 to ${MAX_BATCHES_PAGE}` }]);
    }
    return this.repo().batches(projectId, first);
  }

  /** The per-file results of a batch that this service already handed to the caller (batch or batches). */
  results(batchId: string): Promise<UploadResultEntity[]> {
    return this.repo().results(batchId);
  }

  // ---- reading, for the DICOMweb routes: every call checks project.view first

  async studies(actor: Actor | null, projectId: string, filter: StudyFilter): Promise<StudyRow[]> {
    await requireAccess(this.db.dataSource.manager, actor, "project.view", projectId);
    return this.repo().studies(projectId, filter);
  }

  async series(actor: Actor | null, projectId: string, study: string | undefined, series: string | undefined, limit: number, offset: number): Promise<SeriesRow[]> {
    await requireAccess(this.db.dataSource.manager, actor, "project.view", projectId);
    return this.repo().series(projectId, study, series, limit, offset);
  }

  async instances(
    actor: Actor | null,
    projectId: string,
    where: { studyInstanceUid?: string | undefined; seriesInstanceUid?: string | undefined; sopInstanceUid?: string | undefined },
    limit = 10_000,
    offset = 0,
  ): Promise<InstanceRow[]> {
    await requireAccess(this.db.dataSource.manager, actor, "project.view", projectId);
    return this.repo().instances(projectId, where, limit, offset);
  }

  /** Instances by id, for answering an upload that this service itself just checked. */
  instancesById(projectId: string, ids: string[]): Promise<InstanceRow[]> {
    return this.repo().instancesById(projectId, ids);
  }

  file(row: InstanceRow): Promise<Buffer> {
    return this.store.get(row.storageKey);
  }
}
