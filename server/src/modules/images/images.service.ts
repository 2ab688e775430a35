import { randomBytes, randomUUID } from "node:crypto";
import type { Actor } from "../../access/access.js";
import { isUuid, requireAccess } from "../../access/access.js";
import { archived, invalid, notFound } from "../../errors.js";
import type { Bus } from "../../platform/pubsub/bus.js";
import { listen } from "../../platform/pubsub/bus.js";
import { cleanKey, fileIdentifier, identifierDigest, type CaseIdentifierKind } from "../cases/case-keys.js";
import type { CaseKeySource, CaseUnit } from "../projects/projects.entity.js";
import type { Logger } from "../../logger.js";
import type { LedgerService } from "../ledger/ledger.service.js";
import type { Database } from "../../platform/database/index.js";
import type { SecretBox } from "../../platform/secrets.js";
import { BlobStoreError, type BlobStore } from "../../platform/storage/store.js";
import { UploadResultEntity, type UploadBatchEntity, type UploadResultStatus, type UploadSource } from "./images.entity.js";
import { ImagesRepository, inIngestTransaction, type InstanceRow, type SeriesRow, type StudyFilter, type StudyRow } from "./images.repository.js";
import { expandArchives } from "./ingest/archives.js";
import { joinDetached } from "./ingest/detached.js";
import { IngestRefusal, type PrepareOptions, type PreparedInstance } from "./ingest/prepared.js";
import { ExternalStoreService, ProjectStores, type StoreTimeouts, type WriteTarget } from "./store.service.js";

export interface UploadFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Parses, de-identifies and re-writes uploads, off the API event loop; answers each file in order,
 * with its prepared instance or why not (an IngestRefusal, or an unexpected error).
 */
export type Preparer = (files: UploadFile[], opts: PrepareOptions) => Promise<Array<{ prepared: PreparedInstance } | { error: unknown }>>;

export interface UploadOutcome {
  batch: UploadBatchEntity;
  results: UploadResultEntity[];
  /** The instances this upload stored (not those it found already there), by instance id. */
  stored?: Map<string, StoredInstance>;
}

export const MAX_BATCHES_PAGE = 100;

export interface UploadOptions {
  /** How this upload names new cases; the project's setting when absent. */
  caseKeys?: CaseKeySource | undefined;
  /** An id the client chose for the upload, so it can follow uploadProgress before the upload answers. */
  uploadId?: string | undefined;
}

/** How far an upload has got, as published while it runs. */
export interface UploadProgressPayload {
  uploadId: string;
  projectId: string;
  total: number;
  processed: number;
  stored: number;
  refused: number;
  done: boolean;
}

/** An upload's running counts, kept as its groups are stored. */
type Progress = Omit<UploadProgressPayload, "done">;

export const uploadChannel = (projectId: string) => `uploads:${projectId}`;

/** The case units that group images: a series case holds its series, a study case its study. */
type GroupUnit = Exclude<CaseUnit, "IMAGE">;

/** The UID an image's series or study case is made for. */
const caseGroupOf = (unit: GroupUnit, p: PreparedInstance): string => (unit === "SERIES" ? p.seriesInstanceUid : p.studyInstanceUid);

/** How the cases of one upload are named. */
interface Naming {
  unit: CaseUnit;
  /** Where a case's name comes from: the file name, or an original identifier handed back by prepare. */
  identifier: CaseIdentifierKind;
  /** Names go through the project's mapping (and files it does not list are refused). */
  mapped: boolean;
  projectKey: Uint8Array;
}

const IDENTIFIER_NAMES: Record<CaseIdentifierKind, string> = { FILE_NAME: "file name", PATIENT_ID: "PatientID", ACCESSION_NUMBER: "accession number" };

/** Files per group (prepared, stored, indexed together), and the most input bytes a group holds. */
const GROUP_FILES = 16;
const GROUP_BYTES = 64 * 1024 ** 2;

/** One file of a group: prepared, or already decided (refused or ignored). */
interface Slot {
  position: number;
  name: string;
  prepared?: PreparedInstance;
  result?: { status: "REFUSED" | "IGNORED"; message: string };
}

/** The UIDs a STOW-RS answer gives for a stored instance. */
export type StoredInstance = Pick<InstanceRow, "sopClassUid" | "sopInstanceUid" | "studyInstanceUid" | "seriesInstanceUid">;

type ResultRow = { position: number; fileName: string; status: UploadResultStatus; message: string | null; instanceId: string | null; stored?: StoredInstance };

type KeptFile = { slot: Slot & { prepared: PreparedInstance }; key: string };

/** A stored group waiting to be indexed (ImagesService.index). */
interface IndexJob {
  batchId: string;
  actorId: string;
  /** The files the store kept, each under its key. */
  kept: KeptFile[];
  /** Each image's case name before numbering (nameCases). */
  names: Map<Slot, string>;
  unit: CaseUnit;
  /** The group's results decided before indexing (refused, ignored, already in the project). */
  results: ResultRow[];
  /** Files repeating an earlier file of the group. */
  repeats: Array<{ slot: Slot; first: Slot }>;
  /** The batch's last group: indexing it marks the batch done. */
  last: boolean;
  done: { resolve(o: IndexOutcome): void; reject(err: unknown): void };
}

/** A group's results, its batch as they left it, and the keys of copies that lost a race (to delete). */
interface IndexOutcome {
  results: ResultRow[];
  batch: UploadBatchEntity;
  stale: string[];
}

/** A file repeated within a group shares the first copy's fate: its instance id, or none when the first was not stored. */
function repeatResult({ slot, first }: { slot: Slot; first: Slot }, id: string | undefined): ResultRow {
  return id
    ? { position: slot.position, fileName: slot.name, status: "DUPLICATE", message: `${slot.name}: already in the project`, instanceId: id }
    : { position: slot.position, fileName: slot.name, status: "REFUSED", message: `${slot.name}: not stored: the same instance as ${first.name}, which was not stored`, instanceId: null };
}

/** Why an image deleted from the project stays out (deleted_instances), for its upload result. */
function keptOutWhy(d: { deletedOn: string; reason: string }): string {
  const why = d.reason === "CONSENT_WITHDRAWN" ? "its subject withdrew consent" : "it shows what identifies the patient";
  return `this image was deleted from the project on ${d.deletedOn} because ${why}, and stays out`;
}

/** The first item for each key, in order. */
function firstBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => !seen.has(key(t)) && !!seen.add(key(t)));
}

/**
 * Puts files in a store: at once where it can (putMany), else one by one in parallel. Per entry,
 * null or the store's refusal; any other failure undoes what went in and is thrown.
 */
async function putAll(store: BlobStore, entries: Array<{ key: string; bytes: Uint8Array }>): Promise<Array<BlobStoreError | null>> {
  if (!entries.length) return [];
  if (store.putMany) return store.putMany(entries);
  const settled = await Promise.allSettled(entries.map((e) => store.put(e.key, e.bytes)));
  const broken = settled.find((s): s is PromiseRejectedResult => s.status === "rejected" && !(s.reason instanceof BlobStoreError));
  if (broken) {
    await Promise.all(entries.map((e, i) => (settled[i]!.status === "fulfilled" ? store.delete(e.key).catch(() => undefined) : undefined)));
    throw broken.reason;
  }
  return settled.map((s) => (s.status === "rejected" ? (s.reason as BlobStoreError) : null));
}

export class ImagesService {
  /** Where each project's files go and come from: the local store, or the project's external DICOMweb store. */
  private readonly stores: ProjectStores;
  /** Configuring a project's external store (GraphQL). */
  readonly externalStores: ExternalStoreService;
  /** Per project, stored groups waiting to be indexed while another transaction holds its ingest lock. */
  private readonly indexQueues = new Map<string, IndexJob[]>();

  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    localStore: BlobStore,
    private readonly prepare: Preparer,
    private readonly log: Logger,
    private readonly ledger: LedgerService,
    /** Seals and opens the external stores' credentials. */
    secrets: SecretBox,
    private readonly limits: { maxArchiveBytes: number } = { maxArchiveBytes: 4 * 1024 ** 3 },
    storeTimeouts?: StoreTimeouts,
  ) {
    this.stores = new ProjectStores(db, localStore, secrets, storeTimeouts);
    this.externalStores = new ExternalStoreService(db, secrets, storeTimeouts);
  }

  private repo(em = this.db.dataSource.manager) {
    return new ImagesRepository(em);
  }

  /**
   * Ingests a batch. Every file is parsed, de-identified and re-written before anything of it is
   * stored; a refused file stores nothing and the rest of the batch still goes in.
   */
  async upload(actor: Actor | null, projectId: string, files: UploadFile[], source: UploadSource, options: UploadOptions = {}): Promise<UploadOutcome> {
    const access = await requireAccess(this.db.dataSource.manager, actor, "data.upload", projectId);
    if (access.archived) throw archived();
    if (options.uploadId !== undefined && !isUuid(options.uploadId)) throw invalid([{ field: "uploadId", message: "must be a UUID" }]);
    // Zip archives opened, and a volume's detached header and data file joined into one.
    const expanded = joinDetached(await expandArchives(files, { maxEntries: 100_000, maxTotalBytes: this.limits.maxArchiveBytes }));
    // The settings and the batch in one statement; it makes no batch for an upload refused here.
    const { settings, batch } = await this.repo().startUpload(projectId, () => randomBytes(32), {
      createdBy: actor!.userId,
      source,
      total: expanded.length,
      id: options.uploadId,
      caseKeys: options.caseKeys,
    });
    const keySource = options.caseKeys ?? settings.caseKeySource;
    if (keySource === "MAPPING" && !settings.mapping) {
      throw invalid([{ field: "caseKeys", message: "the project has no case key mapping: import one (a CSV of identifier and case_key) first, or name cases another way" }]);
    }
    if (!batch) throw invalid([{ field: "uploadId", message: "is already the id of another upload" }]);
    const naming: Naming = {
      unit: settings.caseUnit,
      identifier: keySource === "MAPPING" ? settings.mapping! : keySource,
      mapped: keySource === "MAPPING",
      projectKey: new Uint8Array(settings.projectKey),
    };
    const opts: PrepareOptions = {
      projectKey: naming.projectKey,
      retainLongitudinalModifiedDates: settings.retainDates,
      ...(naming.identifier === "FILE_NAME" ? {} : { caseIdentifier: naming.identifier }),
    };
    const target = this.stores.forWriting(settings.store);

    const progress: Progress = { uploadId: batch.id, projectId, total: expanded.length, processed: 0, stored: 0, refused: 0 };
    let recorded: ResultRow[];
    let finished: UploadBatchEntity;
    try {
      ({ recorded, finished } = await this.ingestAll(batch.id, projectId, actor!.userId, expanded, opts, target, naming, progress));
    } catch (err) {
      // An unexpected failure (not a bad file): the batch says so instead of staying RUNNING.
      await this.db.dataSource.query(`UPDATE upload_batches SET status = 'FAILED', finished_at = now() WHERE id = $1`, [batch.id]);
      await this.publishProgress(progress, true);
      throw err;
    }
    await this.publishProgress(progress, true);
    this.log.info({ batch: batch.id, project: projectId, total: finished.total, stored: finished.stored, refused: finished.refused }, "upload finished");
    // Every result was recorded by this call: answered from memory, in upload order.
    const stored = new Map(recorded.flatMap((r) => (r.stored ? [[r.instanceId!, r.stored] as const] : [])));
    const results = recorded
      .sort((a, b) => a.position - b.position)
      .map((r) => Object.assign(new UploadResultEntity(), { batchId: batch.id, position: r.position, fileName: r.fileName, status: r.status, message: r.message, instanceId: r.instanceId }));
    return { batch: finished, results, stored };
  }

  /**
   * Files go in groups: a group is prepared on the worker threads while the one before it is
   * stored (one STOW-RS request to an external store) and indexed (one transaction).
   */
  private async ingestAll(
    batchId: string,
    projectId: string,
    actorId: string,
    expanded: Awaited<ReturnType<typeof expandArchives>>,
    opts: PrepareOptions,
    target: WriteTarget,
    naming: Naming,
    progress: Progress,
  ): Promise<{ recorded: ResultRow[]; finished: UploadBatchEntity }> {
    const recorded: ResultRow[] = [];
    const groups: number[][] = [];
    let current: number[] = [];
    let bytes = 0;
    for (const [position, file] of expanded.entries()) {
      const size = "bytes" in file ? file.bytes.byteLength : 0;
      if (current.length && (current.length >= GROUP_FILES || bytes + size > GROUP_BYTES)) {
        groups.push(current);
        current = [];
        bytes = 0;
      }
      current.push(position);
      bytes += size;
    }
    if (current.length) groups.push(current);
    // Never rejects (every file's failure is its result), so a prefetched group cannot go unhandled.
    let next = groups.length ? this.prepareGroup(batchId, expanded, groups[0]!, opts) : null;
    // The last group marks the batch done as it records its results; an empty batch is done at once.
    let finished: UploadBatchEntity | null = null;
    for (let g = 0; g < groups.length; g++) {
      const slots = await next!;
      next = g + 1 < groups.length ? this.prepareGroup(batchId, expanded, groups[g + 1]!, opts) : null;
      const { results: done, batch } = await this.storeGroup(projectId, batchId, actorId, slots, target, naming, !next);
      finished = batch;
      recorded.push(...done);
      progress.processed += done.length;
      progress.stored += done.filter((r) => r.status === "STORED" || r.status === "DUPLICATE").length;
      progress.refused += done.filter((r) => r.status === "REFUSED").length;
      if (next) await this.publishProgress(progress, false);
    }
    return { recorded, finished: finished ?? (await this.repo().finishBatch(batchId)) };
  }

  private async publishProgress(progress: Progress, done: boolean): Promise<void> {
    const payload: UploadProgressPayload = { ...progress, done };
    try {
      await this.bus.publish(uploadChannel(progress.projectId), payload);
    } catch (err) {
      // Progress is a courtesy: an upload never fails for want of it.
      this.log.warn({ batch: progress.uploadId, err: (err as Error).message }, "upload progress not published");
    }
  }

  /**
   * An upload's progress as it runs, ending with done. For those who may upload to the project; an
   * upload that already ended answers its final state at once.
   */
  async progress(actor: Actor | null, projectId: string, uploadId: string): Promise<AsyncIterable<UploadProgressPayload>> {
    await requireAccess(this.db.dataSource.manager, actor, "data.upload", projectId);
    if (!isUuid(uploadId)) throw invalid([{ field: "uploadId", message: "must be a UUID" }]);
    // Listening before looking, so an upload that ends in between is not missed.
    const source = await listen<UploadProgressPayload>(this.bus, uploadChannel(projectId));
    const repo = this.repo();
    return (async function* () {
      try {
        const known = await repo.findBatch(uploadId);
        if (known && known.projectId === projectId && known.status !== "RUNNING") {
          yield { uploadId, projectId, total: known.total, processed: known.total, stored: known.stored, refused: known.refused, done: true };
          return;
        }
        for await (const { payload } of source) {
          if (payload.uploadId !== uploadId) continue;
          yield payload;
          if (payload.done) return;
        }
      } finally {
        await source.return?.();
      }
    })();
  }

  private async prepareGroup(batchId: string, expanded: Awaited<ReturnType<typeof expandArchives>>, positions: number[], opts: PrepareOptions): Promise<Slot[]> {
    const readable = positions.flatMap((position) => {
      const file = expanded[position]!;
      return "bytes" in file ? [{ position, file }] : [];
    });
    let answers: Awaited<ReturnType<Preparer>>;
    try {
      answers = await this.prepare(readable.map((r) => r.file), opts);
    } catch (err) {
      answers = readable.map(() => ({ error: err }));
    }
    const answerOf = new Map(readable.map((r, i) => [r.position, answers[i]!]));
    return positions.map((position): Slot => {
      const file = expanded[position]!;
      if ("refused" in file) return { position, name: file.name, result: { status: "REFUSED", message: file.refused } };
      if ("ignored" in file) return { position, name: file.name, result: { status: "IGNORED", message: file.ignored } };
      const answer = answerOf.get(position)!;
      if ("prepared" in answer) return { position, name: file.name, prepared: answer.prepared };
      const err = answer.error;
      const message = err instanceof IngestRefusal || (err as { fileName?: string }).fileName ? (err as Error).message : `${file.name}: could not be read`;
      if (!(err instanceof IngestRefusal)) this.log.warn({ batch: batchId, position, code: (err as { code?: string }).code }, "upload refused");
      return { position, name: file.name, result: { status: err instanceof IngestRefusal && err.kind === "ignored" ? "IGNORED" : "REFUSED", message } };
    });
  }

  /**
   * Stores and indexes one group; returns the results it recorded and the batch as they left it
   * (the last group also marks the batch done, in the same statement).
   */
  private async storeGroup(
    projectId: string,
    batchId: string,
    actorId: string,
    slotsIn: Slot[],
    target: WriteTarget,
    naming: Naming,
    last: boolean,
  ): Promise<{ results: ResultRow[]; batch: UploadBatchEntity }> {
    const results: ResultRow[] = [];
    const { slots, names } = await this.nameCases(projectId, slotsIn, naming);
    const prepared = slots.filter((s): s is Slot & { prepared: PreparedInstance } => !!s.prepared);
    // The same file again maps to the same UIDs (they are keyed per project): keep the first copy.
    const existing = new Map((await this.repo().instancesByUid(projectId, prepared.map((s) => s.prepared.sopInstanceUid))).map((r) => [r.sopInstanceUid, r]));
    const firstOf = new Map<string, Slot>();
    const toStore: KeptFile[] = [];
    const repeats: Array<{ slot: Slot; first: Slot }> = [];
    for (const slot of slots) {
      if (!slot.prepared) {
        results.push({ position: slot.position, fileName: slot.name, status: slot.result!.status, message: slot.result!.message, instanceId: null });
        continue;
      }
      const sop = slot.prepared.sopInstanceUid;
      const known = existing.get(sop);
      if (known) {
        results.push({ position: slot.position, fileName: slot.name, status: "DUPLICATE", message: `${slot.name}: already in the project`, instanceId: known.id });
        continue;
      }
      const first = firstOf.get(sop);
      if (first) {
        repeats.push({ slot, first });
        continue;
      }
      firstOf.set(sop, slot);
      toStore.push({ slot: slot as Slot & { prepared: PreparedInstance }, key: target.keyFor(projectId, slot.prepared) });
    }

    // Store first: an external store that refuses a file, or does not answer, refuses that file; the rest go on.
    const outcomes = await putAll(target.store, toStore.map((e) => ({ key: e.key, bytes: e.slot.prepared.bytes })));
    const kept: typeof toStore = [];
    for (const [i, e] of toStore.entries()) {
      const refusal = outcomes[i];
      if (!refusal) {
        kept.push(e);
        continue;
      }
      this.log.warn({ batch: batchId, position: e.slot.position, status: refusal.status }, "store refused an upload");
      results.push({ position: e.slot.position, fileName: e.slot.name, status: "REFUSED", message: `${e.slot.name}: not stored: ${refusal.message}`, instanceId: null });
    }

    if (!kept.length) {
      const recorded = [...results, ...repeats.map((r) => repeatResult(r, undefined))];
      const batches = await this.repo().recordResults(recorded.map((r) => ({ ...r, batchId })), new Set(last ? [batchId] : []));
      return { results: recorded, batch: batches.get(batchId)! };
    }
    let outcome: IndexOutcome;
    try {
      outcome = await this.index(projectId, { batchId, actorId, kept, names, unit: naming.unit, results, repeats, last });
    } catch (err) {
      // Nothing half-stored: without their index rows the files go too. The refusals decided
      // before indexing still go into the upload's report (best effort: the upload fails anyway).
      await Promise.all(kept.map((e) => target.store.delete(e.key).catch(() => undefined)));
      if (results.length) await this.repo().recordResults(results.map((r) => ({ ...r, batchId }))).catch(() => undefined);
      throw err;
    }
    // A copy that lost a race to the same instance under another key is not kept.
    await Promise.all(outcome.stale.map((key) => target.store.delete(key).catch(() => undefined)));
    return outcome;
  }

  /**
   * Indexes a stored group. Groups of concurrent uploads to one project wait for the project's
   * ingest lock anyway: those that queue up meanwhile are indexed together, in one transaction, in
   * the order they came, as if one after the other. When such a transaction fails, each of its
   * groups is tried alone, so one group's failure is not another's.
   */
  private index(projectId: string, job: Omit<IndexJob, "done">): Promise<IndexOutcome> {
    return new Promise<IndexOutcome>((resolve, reject) => {
      const queue = this.indexQueues.get(projectId);
      const entry = { ...job, done: { resolve, reject } };
      if (queue) {
        queue.push(entry);
        return;
      }
      this.indexQueues.set(projectId, [entry]);
      void this.drainIndexQueue(projectId);
    });
  }

  private async drainIndexQueue(projectId: string): Promise<void> {
    for (let jobs = this.indexQueues.get(projectId)!; jobs.length; jobs = this.indexQueues.get(projectId)!) {
      this.indexQueues.set(projectId, []);
      try {
        const outcomes = await this.indexJobs(projectId, jobs);
        jobs.forEach((job, i) => job.done.resolve(outcomes[i]!));
      } catch (err) {
        if (jobs.length === 1) jobs[0]!.done.reject(err);
        else for (const job of jobs) await this.indexJobs(projectId, [job]).then(([o]) => job.done.resolve(o!), job.done.reject);
      }
    }
    this.indexQueues.delete(projectId);
  }

  /** Indexes groups in one transaction, under the project's ingest lock; one outcome per group. */
  private indexJobs(projectId: string, jobs: IndexJob[]): Promise<IndexOutcome[]> {
    return inIngestTransaction(this.db.dataSource, projectId, async (em) => {
      const repo = this.repo(em);
      const kept = jobs.flatMap((j) => j.kept);
      const images = jobs.flatMap((j) => j.kept.filter((e) => e.slot.prepared.hasPixelData).map((e) => ({ e, job: j })));
      const groupsOf = (unit: GroupUnit) => [...new Set(images.filter(({ job }) => job.unit === unit).map(({ e }) => caseGroupOf(unit, e.slot.prepared)))];
      const state = await repo.ingestState(
        projectId,
        [...new Set(kept.map((e) => e.slot.prepared.sopInstanceUid))],
        images.map(({ e, job }) => job.names.get(e.slot)!),
        groupsOf("SERIES"),
        groupsOf("STUDY"),
      );
      // What the groups before have indexed counts as already there for the ones after.
      const known = state.instances;
      const taken = state.takenKeys;
      const withCases = { SERIES: state.seriesWithCases, STUDY: state.studiesWithCases };
      const indexed: Array<KeptFile & { id: string; batchId: string }> = [];
      const cases: Array<{ key: string; studyInstanceUid: string; seriesInstanceUid: string | null; instanceId: string | null }> = [];
      const outcomes = jobs.map((job): Omit<IndexOutcome, "batch"> => {
        const ids = new Map<string, string>();
        const stale: string[] = [];
        const done: ResultRow[] = [];
        const mine: Array<KeptFile & { id: string }> = [];
        for (const e of job.kept) {
          const p = e.slot.prepared;
          const out = state.keptOut.get(p.sopInstanceUid);
          if (out) {
            // Deleted to stay out: its file, just stored, goes again.
            done.push({ position: e.slot.position, fileName: e.slot.name, status: "REFUSED", message: `${e.slot.name}: not stored: ${keptOutWhy(out)}`, instanceId: null });
            stale.push(e.key);
            continue;
          }
          const r = known.get(p.sopInstanceUid);
          if (r) {
            done.push({ position: e.slot.position, fileName: e.slot.name, status: "DUPLICATE", message: `${e.slot.name}: already in the project`, instanceId: r.id });
            ids.set(p.sopInstanceUid, r.id);
            if (r.storageKey !== e.key) stale.push(e.key);
            continue;
          }
          // Ids made here, so cases, results and ledger leaves can name their instances before the rows exist.
          const id = randomUUID();
          known.set(p.sopInstanceUid, { id, storageKey: e.key });
          ids.set(p.sopInstanceUid, id);
          mine.push({ ...e, id });
          const { sopClassUid, sopInstanceUid, studyInstanceUid, seriesInstanceUid } = p;
          done.push({ position: e.slot.position, fileName: e.slot.name, status: "STORED", message: null, instanceId: id, stored: { sopClassUid, sopInstanceUid, studyInstanceUid, seriesInstanceUid } });
        }
        indexed.push(...mine.map((e) => ({ ...e, batchId: job.batchId })));
        // One case per image, or per series or study (made by its first image); a key the project
        // (or an earlier image) already uses gets -2, -3... Under the ingest lock, so the keys read
        // here stay free until insert, and a series or study gets its case once. Images that come
        // later to a series or study with a case are in it already (case-images.ts).
        let images = mine.filter((e) => e.slot.prepared.hasPixelData);
        const unit = job.unit;
        if (unit !== "IMAGE") images = firstBy(images, (e) => caseGroupOf(unit, e.slot.prepared)).filter((e) => !withCases[unit].has(caseGroupOf(unit, e.slot.prepared)));
        for (const e of images) {
          const p = e.slot.prepared;
          const base = job.names.get(e.slot)!;
          let key = base;
          for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
          taken.add(key);
          if (unit !== "IMAGE") withCases[unit].add(caseGroupOf(unit, p));
          cases.push({
            key,
            studyInstanceUid: p.studyInstanceUid,
            seriesInstanceUid: job.unit === "STUDY" ? null : p.seriesInstanceUid,
            instanceId: job.unit === "IMAGE" ? e.id : null,
          });
        }
        return { results: [...job.results, ...done, ...job.repeats.map((r) => repeatResult(r, ids.get(r.first.prepared!.sopInstanceUid)))], stale };
      });
      const ps = indexed.map((e) => e.slot.prepared);
      const made = await repo.indexGroup(
        projectId,
        {
          studies: firstBy(ps, (p) => p.studyInstanceUid).map((p) => ({ studyInstanceUid: p.studyInstanceUid, patientId: p.patientId, studyDate: p.studyDate, description: p.studyDescription })),
          series: firstBy(ps, (p) => p.seriesInstanceUid).map((p) => ({
            studyInstanceUid: p.studyInstanceUid,
            seriesInstanceUid: p.seriesInstanceUid,
            modality: p.modality,
            seriesNumber: p.seriesNumber,
            description: p.seriesDescription,
          })),
          instances: indexed.map(({ slot: { prepared: p }, key, id }) => ({
            id,
            seriesInstanceUid: p.seriesInstanceUid,
            sopInstanceUid: p.sopInstanceUid,
            sopClassUid: p.sopClassUid,
            transferSyntaxUid: p.transferSyntaxUid,
            instanceNumber: p.instanceNumber,
            rows: p.rows,
            columns: p.columns,
            frames: p.frames,
            storageKey: key,
            sizeBytes: String(p.bytes.byteLength),
            sha256: p.sha256,
            metadataJson: p.metadataJson,
          })),
          cases,
        },
        outcomes.flatMap((o, i) => o.results.map((r) => ({ ...r, batchId: jobs[i]!.batchId }))),
        new Set(jobs.filter((j) => j.last).map((j) => j.batchId)),
      );
      if (made.cases !== cases.length) throw new Error("case keys changed under the ingest lock");
      // One leaf per stored image, committed with its index rows: ids and the file's hash, nothing from the header.
      await this.ledger.recordMany(
        em,
        indexed.map(({ slot: { prepared: p }, id, batchId }) => ({
          type: "image.upload" as const,
          actorId: jobs.find((j) => j.batchId === batchId)!.actorId,
          projectId,
          objectId: id,
          change: { batchId, instanceId: id, sopInstanceUid: p.sopInstanceUid, sha256: p.sha256 },
        })),
      );
      return outcomes.map((o, i) => ({ ...o, batch: made.batches.get(jobs[i]!.batchId)! }));
    });
  }

  /**
   * The name each image's case would get (before -2, -3... for keys in use). Under a mapping, an
   * image whose identifier the mapping does not list is refused here, before anything of it is stored.
   */
  private async nameCases(projectId: string, slots: Slot[], naming: Naming): Promise<{ slots: Slot[]; names: Map<Slot, string> }> {
    const names = new Map<Slot, string>();
    const images = slots.filter((s) => s.prepared?.hasPixelData);
    // A converted file is a series of its own: named after the file even where series are named by folder.
    const byFile = (s: Slot) => fileIdentifier(s.name, s.prepared!.wholeSeries ? "IMAGE" : naming.unit);
    const identifierOf = (s: Slot) => (naming.identifier === "FILE_NAME" ? byFile(s) : (s.prepared!.caseIdentifier ?? "").trim());
    if (!naming.mapped) {
      // Without the identifier asked for, a case is named after its file.
      for (const s of images) names.set(s, cleanKey(identifierOf(s)) || cleanKey(byFile(s)) || "image");
      return { slots, names };
    }
    const digests = new Map(images.map((s) => [s, identifierOf(s) ? identifierDigest(naming.projectKey, naming.identifier, identifierOf(s)) : null]));
    const keys = await this.repo().mappedKeys(projectId, [...digests.values()].filter((d): d is Buffer => !!d));
    const what = IDENTIFIER_NAMES[naming.identifier];
    const out = slots.map((s) => {
      if (!digests.has(s)) return s;
      const digest = digests.get(s);
      const key = digest ? keys.get(digest.toString("hex")) : undefined;
      if (key) {
        names.set(s, key);
        return s;
      }
      // The identifier itself is not repeated: the message goes to logs and reports.
      const message = digest ? `${s.name}: its ${what} is not in the project's case key mapping; not stored` : `${s.name}: it has no ${what} to look up in the project's case key mapping; not stored`;
      return { position: s.position, name: s.name, result: { status: "REFUSED" as const, message } };
    });
    return { slots: out, names };
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

  /** An instance's file; BlobStoreError when its external store cannot serve it. */
  file(row: InstanceRow): Promise<Buffer> {
    return this.fileAt(row.projectId, row.storageKey);
  }

  /**
   * Removes the files of deleted instances (their index rows already gone), a few at a time.
   * Answers the keys whose store kept the file: an external DICOMweb store that refuses deletes
   * (DELETE is not part of PS3.18; Orthanc's plugin refuses it), or one that did not answer.
   */
  async removeFiles(projectId: string, keys: readonly string[]): Promise<Set<string>> {
    const left = new Set<string>();
    for (let at = 0; at < keys.length; at += 16) {
      const batch = keys.slice(at, at + 16);
      const removed = await Promise.all(batch.map((k) => this.stores.remove(projectId, k).catch(() => false)));
      batch.forEach((k, i) => removed[i] || left.add(k));
    }
    return left;
  }

  /** An instance's file by its project and storage key. */
  fileAt(projectId: string, storageKey: string): Promise<Buffer> {
    return this.stores.read(projectId, storageKey);
  }
}
