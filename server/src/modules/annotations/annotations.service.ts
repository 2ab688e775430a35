import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { can, credentialsLive, isUuid, loadProjectResource, requireAccess, requireActor, requireAssigned, type Actor, type ProjectResource } from "../../access/access.js";
import { assignmentFacts } from "../assignments/assignments.repository.js";
import { MATRIX, type Action } from "../../access/roles.js";
import { archived, conflict, invalid, notFound, type FieldProblem } from "../../errors.js";
import type { Database } from "../../platform/database/index.js";
import { listen, type Bus } from "../../platform/pubsub/bus.js";
import { CasesRepository, type CaseRow } from "../cases/cases.repository.js";
import { isAreaShape, labelNameKey, type RoiShape } from "../projects/projects.entity.js";
import type { AnnotationEntity } from "./annotations.entity.js";
import {
  AnnotationsRepository,
  type AnnotationView,
  type CaseTarget,
  type ExportAnnotationRow,
  type ExportLabelRow,
  type ExportPosition,
  type ExportRoiRow,
  type LabelTimesRow,
  type LabelValueRow,
  type ProjectLabel,
  type ReaderProgressRow,
  type RoiRow,
  SKIP_REASONS,
  type CaseSkipRow,
  type SkipReason,
} from "./annotations.repository.js";
import { EXCLUSION_NOTE_MAX, EXCLUSION_REASONS, type ExclusionReason } from "../cases/exclusions.js";
import { boundingBox, normaliseRoi, samePoints } from "./geometry.js";
import { gradeMessage, isGrade, mergeSession, OPEN_GRACE_SECONDS, summarise, timingProblems, type StoredSession, type TimingReport } from "./timing.js";
import type { LedgerService } from "../ledger/ledger.service.js";

/** How long nextCase holds a slot of a case for a reader; every autosave renews it, submitting ends it. */
export const CLAIM_LEASE_SECONDS = 15 * 60;

/** A reason for an exclusion, in words, for messages. */
export const EXCLUSION_REASON_WORDS: Record<ExclusionReason, string> = {
  IMAGE_QUALITY: "the image is not of diagnostic quality",
  WRONG_IMAGE: "it is the wrong image",
  DUPLICATE: "it duplicates another case",
  INCLUSION_CRITERIA: "it does not meet the study's inclusion criteria",
  OTHER: "for a reason given in its note",
};

/** The longest note a reader may give with a skip. */
export const MAX_SKIP_NOTE = 1000;
export const MAX_LABEL_VALUES = 1000;
export const MAX_ROIS = 1000;
export const MAX_TOTAL_POINTS = 200_000;
/** Annotations per batch of an export: rows stream out a batch at a time. */
export const EXPORT_BATCH = 500;

export interface LabelValueInput {
  labelId: string;
  value: boolean;
  confidence?: number | null | undefined;
}

export interface RoiInput {
  /** A UUID the client chose, kept across saves and versions; one is made when absent. */
  id?: string | null | undefined;
  classId: string;
  kind: RoiShape;
  points: number[][];
  /** Defaults to the case's image; required for a series case. */
  sopInstanceUid?: string | null | undefined;
  /** 1-based; defaults to 1. */
  frame?: number | null | undefined;
  /** The model version whose suggested region this was taken from (predictionRegions); absent when drawn. */
  suggestedBy?: string | null | undefined;
}

export interface AnnotationInput {
  labels: LabelValueInput[];
  /** Replaces the draft's regions; absent or null keeps them. */
  rois?: RoiInput[] | null | undefined;
  timing?: TimingReport | null | undefined;
}

export interface CaseAssignment {
  caseRow: CaseRow;
  annotation: AnnotationView | null;
  leaseExpiresAt: Date;
}

export interface ReadingProgress {
  projectId: string;
  totalCases: number;
  completeCases: number;
  /** Cases that can no longer get all their readers: too few members who may annotate have neither submitted nor skipped them. */
  blockedCases: number;
  /** Cases in the project no reader has submitted yet. */
  unreadCases: number;
  excludedCases: number;
  excludedByReason: Array<{ reason: ExclusionReason; cases: number }>;
  /** Cases in the project with fewer assigned readers than readers per case. */
  underAssignedCases: number;
  assignedReading: boolean;
  readersPerCase: number;
  readers: Array<ReaderProgressRow & { labels: LabelTimesRow[] }>;
  labels: LabelTimesRow[];
}

export type AnnotationEventKind = "SUBMITTED" | "SKIPPED" | "UNSKIPPED" | "EXCLUDED" | "INCLUDED" | "ASSIGNED" | "DELETED" | "ACCESS_REVOKED";

/** Ids only: an event never carries what a reader annotated, so blind reading cannot leak through it. */
export interface AnnotationEventPayload {
  kind: AnnotationEventKind;
  projectId: string;
  caseId: string | null;
  readerId: string | null;
  version: number | null;
  at: string;
}

export const annotationChannel = (projectId: string) => `annotations:${projectId}`;

export type ExportKind = "labels" | "rois";

/** Column names follow the label import format (docs/REWARD.md: case,label,annotator,value,seconds) where they overlap. */
export const EXPORT_COLUMNS: Record<ExportKind, string[]> = {
  labels: ["case", "label", "annotator", "value", "seconds", "confidence", "implicit", "version", "submitted_at", "case_seconds", "idle_seconds", "timing_clamped", "label_id", "group", "split"],
  rois: ["case", "annotator", "class", "kind", "points", "sop_instance_uid", "frame", "version", "submitted_at", "class_id", "roi_id", "suggested_by", "suggestion_changed", "split"],
};

/**
 * The case list's CSV (cases.csv): every case of the project, excluded ones with why, and how far
 * its reading has come: a dataset's manifest, and the counts of a study's flow of cases.
 */
export const CASE_EXPORT_COLUMNS = [
  "case", "case_id", "created_at", "modality", "study_instance_uid", "series_instance_uid", "sop_instance_uid", "images", "series", "rows", "columns",
  "has_report", "readers_done", "readers_needed", "complete", "excluded_reason", "excluded_note", "excluded_at", "assigned_readers", "split",
];

/** The skipped cases' CSV (skips.csv): `annotator` is the reader's id, as in the other CSVs. */
export const SKIP_EXPORT_COLUMNS = ["case", "annotator", "reason", "note", "skipped_at", "case_id"];

export interface CsvExport {
  filename: string;
  columns: string[];
  /** Rows the export will write (after the header), counted in the same snapshot the rows come from. */
  totalRows: number;
  batches(): AsyncGenerator<Array<Array<string | number | null>>>;
  close(): Promise<void>;
}

/** One exported annotation with its label values and ROIs. */
export interface ExportedAnnotation {
  annotation: ExportAnnotationRow;
  labels: ExportLabelRow[];
  rois: ExportRoiRow[];
}

export interface ExportBatches {
  /** Annotations, label value rows and ROI rows the batches hold, counted in the same snapshot. */
  counts: { annotations: number; labelRows: number; roiRows: number };
  batches(): AsyncGenerator<ExportedAnnotation[]>;
  close(): Promise<void>;
}

/**
 * What blind reading needs to decide annotations.viewOthers on a case for a reader: whether they
 * have submitted it. Give it to can()/requireAccess() with that action; collab uses it for layers.
 */
export async function blindReadingFacts(em: EntityManager, caseId: string, readerId: string): Promise<Pick<ProjectResource, "readerHasSubmitted">> {
  return { readerHasSubmitted: await new AnnotationsRepository(em).hasSubmitted(caseId, readerId) };
}

export class AnnotationsService {
  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly ledger: LedgerService,
    /** A case left or rejoined its project: what scores are over changed (education certifies again). */
    private readonly onCasesChanged: (projectId: string) => Promise<void> = async () => undefined,
  ) {}

  private repo(em: EntityManager = this.db.dataSource.manager) {
    return new AnnotationsRepository(em);
  }

  // ---- the queue

  /**
   * Hands the reader the next case to read and holds one of its slots for CLAIM_LEASE_SECONDS. Under
   * a per-project advisory lock, so two readers asking at once never both take a case's last slot.
   */
  async nextCase(actor: Actor | null, projectId: string): Promise<CaseAssignment | null> {
    const picked = await this.db.tx(async (em) => {
      const access = await requireAccess(em, actor, "case.annotate", projectId);
      if (access.archived) throw archived();
      const repo = this.repo(em);
      await repo.lockQueue(projectId);
      await repo.purgeExpiredClaims(projectId);
      const caseId = await repo.pickNextCase(projectId, actor!.userId, null, access.assignedReading === true);
      if (!caseId) return null;
      return { caseId, leaseExpiresAt: await repo.claim(projectId, caseId, actor!.userId, CLAIM_LEASE_SECONDS) };
    });
    if (!picked) return null;
    const em = this.db.dataSource.manager;
    const [caseRow, draft] = await Promise.all([new CasesRepository(em).find(picked.caseId), this.repo().draftOf(picked.caseId, actor!.userId)]);
    if (!caseRow) return null; // deleted in between
    const [annotation] = draft ? await this.repo().views([draft]) : [null];
    return { caseRow, annotation: annotation ?? null, leaseExpiresAt: picked.leaseExpiresAt };
  }

  /**
   * The case nextCase would hand the reader once the case `after` is done (left out), without
   * holding it: for loading its image while they read. Another reader may take it first; nextCase
   * decides. The same access as nextCase; an `after` that is not a case of the project changes nothing.
   */
  async upcomingCase(actor: Actor | null, projectId: string, after: string | null): Promise<CaseRow | null> {
    const em = this.db.dataSource.manager;
    const access = await requireAccess(em, actor, "case.annotate", projectId);
    if (access.archived) throw archived();
    const caseId = await this.repo(em).pickNextCase(projectId, actor!.userId, after && isUuid(after) ? after : null, access.assignedReading === true);
    return caseId ? new CasesRepository(em).find(caseId) : null;
  }

  // ---- skipping a case

  /**
   * The reader will not read the case (the image is not diagnostic, it is the wrong image, it is
   * outside their expertise...): the queue no longer hands it to them, and the slot they held goes
   * to another reader at once. A draft they have is kept. Refused once they have submitted the case
   * (their reading stands; they may revise it). Skipping again replaces the reason and the note.
   */
  async skipCase(actor: Actor | null, caseId: string, reason: SkipReason, noteIn: string | null | undefined): Promise<CaseSkipRow> {
    if (!(SKIP_REASONS as readonly string[]).includes(reason)) throw invalid([{ field: "reason", message: `must be one of ${SKIP_REASONS.join(", ")}` }]);
    const note = noteIn?.trim() || null;
    if (note && note.length > MAX_SKIP_NOTE) throw invalid([{ field: "note", message: `must be at most ${MAX_SKIP_NOTE} characters (it has ${note.length})` }]);
    if (reason === "OTHER" && !note) throw invalid([{ field: "note", message: "say why you skip the case when the reason is OTHER" }]);
    const row = await this.db.tx(async (em) => {
      const { who, access, target } = await this.caseAccess(em, actor, caseId, "case.annotate");
      if (access.archived) throw archived();
      // A trainee's score is over the gold cases they read: skipping would let them choose which.
      if (access.role === "TRAINEE" && access.mode === "EDUCATION") {
        throw conflict("In an education project a trainee reads every case the queue hands them: cases cannot be skipped here");
      }
      const repo = this.repo(em);
      await this.refuseExcluded(repo, caseId);
      await repo.lockReaderCase(caseId, who.userId);
      if (await repo.hasSubmitted(caseId, who.userId)) throw conflict("You have submitted this case; revise your reading rather than skip it");
      const row = await repo.skip(target.projectId, caseId, who.userId, reason, note);
      await repo.releaseClaim(caseId, who.userId);
      // The note is the reader's own words: it stays out of the ledger, as patient data could be in it.
      await this.ledger.record(em, { type: "case.skip", actorId: who.userId, projectId: target.projectId, objectId: caseId, change: { caseId, reason } });
      return row;
    });
    await this.publishSkipEvent("SKIPPED", row.projectId, caseId, row.readerId);
    return row;
  }

  /**
   * Withdraws a skip, so the queue may hand the case to that reader again: a reader their own
   * (readerId omitted), a manager anyone's (project.manage). False when there was no such skip.
   */
  async unskipCase(actor: Actor | null, caseId: string, readerIdIn: string | null | undefined): Promise<boolean> {
    const result = await this.db.tx(async (em) => {
      const self = !readerIdIn || readerIdIn === actor?.userId;
      const { who, access, target } = await this.caseAccess(em, actor, caseId, self ? "case.annotate" : "project.manage");
      if (access.archived) throw archived();
      const readerId = self ? who.userId : readerIdIn!;
      if (!isUuid(readerId)) return null;
      const repo = this.repo(em);
      await repo.lockReaderCase(caseId, readerId);
      if (!(await repo.unskip(caseId, readerId))) return null;
      await this.ledger.record(em, { type: "case.unskip", actorId: who.userId, projectId: target.projectId, objectId: caseId, change: { caseId, reader: this.ledger.pseudonym(readerId) } });
      return { projectId: target.projectId, readerId };
    });
    if (!result) return false;
    await this.publishSkipEvent("UNSKIPPED", result.projectId, caseId, result.readerId);
    return true;
  }

  /** Your skip of the case, if you skipped it. */
  async mySkip(actor: Actor | null, caseId: string): Promise<CaseSkipRow | null> {
    const em = this.db.dataSource.manager;
    const { who } = await this.caseAccess(em, actor, caseId, "case.annotate");
    return this.repo(em).findSkip(caseId, who.userId);
  }

  /**
   * A project's skips, newest first: everyone's for those who follow its progress (stats.view),
   * otherwise the reader's own (case.annotate). `readerId` narrows to one reader.
   */
  async skips(actor: Actor | null, projectId: string, readerId: string | null | undefined): Promise<CaseSkipRow[]> {
    const em = this.db.dataSource.manager;
    const who = requireActor(actor);
    const resource = await loadProjectResource(em, who.userId, projectId);
    const everyone = !!resource && can(who, "stats.view", resource);
    if (!resource || (!everyone && !can(who, "case.annotate", resource))) throw notFound("Project");
    if (readerId && (!isUuid(readerId) || (!everyone && readerId !== who.userId))) return [];
    return this.repo(em).skips(projectId, everyone ? (readerId ?? null) : who.userId);
  }

  // ---- excluding a case

  /**
   * A manager takes a case out of the project (project.manage): the image is unusable, the wrong
   * one, a duplicate, or outside the study's inclusion criteria. Its images, readings, skips and
   * history are kept, but the queue no longer hands it out (every claim on it ends), nothing more is
   * written to it, and progress, the review's statistics, reward epochs, exports and training leave
   * it out until includeCase brings it back. Excluding it again replaces the reason and the note.
   */
  async excludeCase(actor: Actor | null, caseId: string, reason: ExclusionReason, noteIn: string | null | undefined): Promise<void> {
    if (!(EXCLUSION_REASONS as readonly string[]).includes(reason)) throw invalid([{ field: "reason", message: `must be one of ${EXCLUSION_REASONS.join(", ")}` }]);
    const note = noteIn?.trim() || null;
    if (note && note.length > EXCLUSION_NOTE_MAX) throw invalid([{ field: "note", message: `must be at most ${EXCLUSION_NOTE_MAX} characters (it has ${note.length})` }]);
    if (reason === "OTHER" && !note) throw invalid([{ field: "note", message: "say why the case is excluded when the reason is OTHER" }]);
    const projectId = await this.db.tx(async (em) => {
      const { who, access, target } = await this.caseAccess(em, actor, caseId, "project.manage");
      if (access.archived) throw archived();
      const repo = this.repo(em);
      // Under the queue's lock, so no reader is handed the case while it is being taken out.
      await repo.lockQueue(target.projectId);
      await repo.exclude(target.projectId, caseId, who.userId, reason, note);
      // The note is the manager's own words: it stays out of the ledger, as patient data could be in it.
      await this.ledger.record(em, { type: "case.exclude", actorId: who.userId, projectId: target.projectId, objectId: caseId, change: { caseId, reason } });
      return target.projectId;
    });
    await this.publishCaseEvent("EXCLUDED", projectId, caseId);
    await this.onCasesChanged(projectId);
  }

  /** Brings an excluded case back into its project (project.manage). False when it was not excluded. */
  async includeCase(actor: Actor | null, caseId: string): Promise<boolean> {
    const projectId = await this.db.tx(async (em) => {
      const { who, access, target } = await this.caseAccess(em, actor, caseId, "project.manage");
      if (access.archived) throw archived();
      const repo = this.repo(em);
      await repo.lockQueue(target.projectId);
      if (!(await repo.include(caseId))) return null;
      await this.ledger.record(em, { type: "case.include", actorId: who.userId, projectId: target.projectId, objectId: caseId, change: { caseId } });
      return target.projectId;
    });
    if (!projectId) return false;
    await this.publishCaseEvent("INCLUDED", projectId, caseId);
    await this.onCasesChanged(projectId);
    return true;
  }

  private async publishCaseEvent(kind: "EXCLUDED" | "INCLUDED", projectId: string, caseId: string): Promise<void> {
    await this.bus.publish(annotationChannel(projectId), { kind, projectId, caseId, readerId: null, version: null, at: new Date().toISOString() } satisfies AnnotationEventPayload);
  }

  private async publishSkipEvent(kind: "SKIPPED" | "UNSKIPPED", projectId: string, caseId: string, readerId: string): Promise<void> {
    await this.bus.publish(annotationChannel(projectId), { kind, projectId, caseId, readerId, version: null, at: new Date().toISOString() } satisfies AnnotationEventPayload);
  }

  // ---- a reader's own annotation

  /** The reader's open draft of the case, else their latest submission, else null. */
  async mine(actor: Actor | null, caseId: string): Promise<AnnotationView | null> {
    const em = this.db.dataSource.manager;
    const { who } = await this.caseAccess(em, actor, caseId, "case.annotate");
    const repo = this.repo(em);
    const current = (await repo.draftOf(caseId, who.userId)) ?? (await repo.latestSubmitted(caseId, who.userId));
    return current ? (await repo.views([current]))[0]! : null;
  }

  /**
   * What saving and submitting share: the checked case and input, under the reader's lock on the
   * case, and their draft (version 1 opened when they have no annotation; none after a submission).
   */
  private async draftForWriting(em: EntityManager, actor: Actor | null, caseId: string, input: AnnotationInput) {
    const { who, target } = await this.writableCase(em, actor, caseId);
    const repo = this.repo(em);
    const labels = await repo.projectLabels(target.projectId);
    const content = await this.content(repo, target, labels, input, who.userId);
    await repo.lockReaderCase(caseId, who.userId);
    const now = await repo.now();
    let draft = await repo.draftOf(caseId, who.userId);
    if (!draft) {
      if (await repo.latestSubmitted(caseId, who.userId)) throw conflict("You have already submitted this case; revise your annotation to change it");
      draft = await this.openDraft(repo, target, who.userId, 1, now);
    }
    return { who, target, labels, repo, content, now, draft };
  }

  /**
   * Autosave: replaces the draft's label values (and ROIs, when given) with the input and folds its timing report
   * into the draft's sessions. Sending the same save twice changes nothing; a save older than one
   * already stored (same session, less elapsed time) is ignored whole.
   */
  async saveDraft(actor: Actor | null, caseId: string, input: AnnotationInput): Promise<AnnotationView> {
    const id = await this.db.tx(async (em) => {
      const { who, target, repo, content, now, draft } = await this.draftForWriting(em, actor, caseId, input);
      const applied = await this.apply(repo, draft, content, input.timing ?? null, now);
      if (applied === "stale") return draft.id;
      // The first reading of a case keeps its slot while the reader works on it.
      if (draft.version === 1) await repo.claim(target.projectId, caseId, who.userId, CLAIM_LEASE_SECONDS);
      return draft.id;
    });
    return this.view(id);
  }

  /**
   * Saves the input into the reader's draft (opening version 1 when there is none) and submits it.
   * Active classification labels the reader did not tick are recorded as negative (implicit).
   */
  async submit(actor: Actor | null, caseId: string, input: AnnotationInput): Promise<AnnotationView> {
    const { id, event } = await this.db.tx(async (em) => {
      const { who, target, labels, repo, content, now, draft } = await this.draftForWriting(em, actor, caseId, input);
      const unanswered = groupProblems(labels, content.labels, true);
      if (unanswered.length) throw invalid(unanswered);
      // A stale timing report cannot undo the submit click: the content is applied, the stored timing stays.
      const given = new Set(content.labels.map((l) => l.labelId));
      const implicit: LabelValueRow[] = labels
        .filter((l) => l.kind === "CLASSIFICATION" && !l.archived && !given.has(l.id))
        .map((l) => ({ labelId: l.id, value: false, confidence: null, implicit: true, seconds: null, clicks: 0 }));
      await this.apply(repo, draft, { labels: [...content.labels, ...implicit], rois: content.rois }, input.timing ?? null, now, true);
      await repo.markSubmitted(draft.id, now);
      // What was submitted as stored (ROIs may have come through the reader's collaboration layer, not this input).
      const [stored] = await repo.views([(await repo.findById(draft.id))!]);
      const submitted = { labels: stored!.labels.map(({ labelId, value, confidence, implicit }) => ({ labelId, value, confidence, implicit })), rois: stored!.rois };
      await this.ledger.record(em, { type: "annotation.submit", actorId: who.userId, projectId: target.projectId, objectId: draft.id, change: { caseId, version: draft.version, ...submitted } });
      await repo.releaseClaim(caseId, who.userId);
      // Having read it after all, the reader no longer skips it.
      await repo.unskip(caseId, who.userId);
      const event: AnnotationEventPayload = {
        kind: "SUBMITTED",
        projectId: target.projectId,
        caseId,
        readerId: who.userId,
        version: draft.version,
        at: now.toISOString(),
      };
      return { id: draft.id, event };
    });
    await this.bus.publish(annotationChannel(event.projectId), event);
    return this.view(id);
  }

  /**
   * Opens version n+1 as a draft, copied from the reader's latest submission: label values and
   * ROIs (of labels still active) and its timing sessions, frozen, so the latest submission's timing
   * is always the reader's whole time on the case. An open draft is returned as it is.
   */
  async revise(actor: Actor | null, caseId: string): Promise<AnnotationView> {
    const id = await this.db.tx(async (em) => {
      const { who, target } = await this.writableCase(em, actor, caseId);
      const repo = this.repo(em);
      await repo.lockReaderCase(caseId, who.userId);
      const draft = await repo.draftOf(caseId, who.userId);
      if (draft) return draft.id;
      const latest = await repo.latestSubmitted(caseId, who.userId);
      if (!latest) throw conflict("You have not submitted this case; there is nothing to revise");
      const now = await repo.now();
      const next = await repo.insertAnnotation({ projectId: target.projectId, caseId, readerId: who.userId, version: latest.version + 1, openedAt: now });
      await repo.copyContent(latest.id, next.id);
      await this.refreshTiming(repo, next.id, await repo.sessions(next.id), latest.idleThresholdSeconds);
      await this.ledger.record(em, { type: "annotation.revise", actorId: who.userId, projectId: target.projectId, objectId: next.id, change: { caseId, revises: latest.id, fromVersion: latest.version, version: next.version } });
      return next.id;
    });
    return this.view(id);
  }

  /**
   * The projection of a reader's collaboration layer (the Yjs document is the source of truth):
   * under the reader's lock on the case, asks `rois` for the layer's regions and writes them,
   * validated like a save, into the reader's draft (opening version 1 when there is none). Runs in
   * the caller's transaction, so the layer's update and its projection commit together. A reader
   * who has submitted the case must revise it first: a submitted version never changes.
   */
  async projectDraftRois(em: EntityManager, caseId: string, readerId: string, rois: () => Promise<RoiInput[]>): Promise<void> {
    const repo = this.repo(em);
    const target = await repo.caseTarget(caseId);
    if (!target) throw notFound("Case");
    await this.refuseExcluded(repo, caseId);
    await repo.lockReaderCase(caseId, readerId);
    const content = await this.content(repo, target, await repo.projectLabels(target.projectId), { labels: [], rois: await rois() }, readerId);
    let draft = await repo.draftOf(caseId, readerId);
    if (!draft) {
      if (await repo.latestSubmitted(caseId, readerId)) throw conflict("You have submitted this case; revise your annotation to change its regions");
      draft = await this.openDraft(repo, target, readerId, 1, await repo.now());
    }
    await repo.replaceRois(draft.id, content.rois ?? []);
  }

  // ---- others' annotations

  /**
   * Versions of one reader's reading of a case, newest first. Your own include your draft; someone
   * else's are their submitted versions, where you may see others' work on this case.
   */
  async history(actor: Actor | null, caseId: string, readerId: string | null | undefined): Promise<AnnotationView[]> {
    const em = this.db.dataSource.manager;
    const who = requireActor(actor);
    const own = readerId == null || readerId === who.userId;
    await this.caseAccess(em, actor, caseId, own ? "case.annotate" : "annotations.viewOthers");
    if (!own && !isUuid(readerId!)) return [];
    const repo = this.repo(em);
    return repo.views(await repo.versions(caseId, own ? who.userId : readerId!, own));
  }

  /** Every other reader's latest submission of the case, where you may see others' work on it. */
  async others(actor: Actor | null, caseId: string): Promise<AnnotationView[]> {
    const em = this.db.dataSource.manager;
    const { who } = await this.caseAccess(em, actor, caseId, "annotations.viewOthers");
    const repo = this.repo(em);
    return repo.views(await repo.othersLatestSubmitted(caseId, who.userId));
  }

  // ---- statistics and export

  async progress(actor: Actor | null, projectId: string): Promise<ReadingProgress> {
    const em = this.db.dataSource.manager;
    await requireAccess(em, actor, "stats.view", projectId);
    const repo = this.repo(em);
    const [counts, readers, byReader, byLabel] = await Promise.all([
      repo.caseCounts(projectId, MATRIX["case.annotate"]),
      repo.readerProgress(projectId, MATRIX["case.annotate"]),
      repo.labelTimes(projectId, true),
      repo.labelTimes(projectId, false),
    ]);
    return {
      projectId,
      totalCases: counts.total,
      completeCases: counts.complete,
      blockedCases: counts.blocked,
      unreadCases: counts.unread,
      excludedCases: counts.excluded,
      excludedByReason: counts.excludedByReason,
      underAssignedCases: counts.underAssigned,
      assignedReading: counts.assignedReading,
      readersPerCase: counts.readersPerCase,
      readers: readers.map((r) => ({ ...r, labels: byReader.filter((l) => l.readerId === r.readerId) })),
      labels: byLabel,
    };
  }

  async exportSize(actor: Actor | null, projectId: string, allVersions: boolean) {
    const em = this.db.dataSource.manager;
    await requireAccess(em, actor, "data.export", projectId);
    return this.repo(em).exportCounts(projectId, !allVersions);
  }

  /**
   * A CSV export of a project's submitted annotations (each reader's latest version of each case, or
   * every submitted version). Reads in one REPEATABLE READ snapshot, so the count and the rows agree
   * and a submission during the download does not tear it; rows come a batch of annotations at a time.
   * The caller must close() it.
   */
  async openExport(actor: Actor | null, projectId: string, kind: ExportKind, opts: { allVersions: boolean; batchSize?: number }): Promise<CsvExport> {
    await requireAccess(this.db.dataSource.manager, actor, "data.export", projectId);
    const csv = await this.exportSnapshot(projectId, kind, { ...opts, readerId: null });
    try {
      // The export is on the record before a byte leaves.
      await this.db.tx((em) =>
        this.ledger.record(em, {
          type: "export",
          actorId: actor!.userId,
          projectId,
          objectId: projectId,
          change: { format: "csv", kind, versions: opts.allVersions ? "all" : "latest", rows: csv.totalRows },
        }),
      );
    } catch (err) {
      await csv.close();
      throw err;
    }
    return csv;
  }

  /**
   * The project's skipped cases as CSV (permission data.export): which reader skipped which case,
   * why, in their words, and when; the cases a dataset may need to leave out or replace. On the
   * ledger as an export, as the other CSVs are.
   */
  async openSkipsExport(actor: Actor | null, projectId: string): Promise<CsvExport> {
    const em = this.db.dataSource.manager;
    await requireAccess(em, actor, "data.export", projectId);
    const rows = await this.repo(em).skips(projectId, null);
    await this.db.tx((tx) => this.ledger.record(tx, { type: "export", actorId: actor!.userId, projectId, objectId: projectId, change: { format: "csv", kind: "skips", rows: rows.length } }));
    return {
      filename: `concord-${projectId}-skips.csv`,
      columns: SKIP_EXPORT_COLUMNS,
      totalRows: rows.length,
      close: async () => {},
      async *batches() {
        yield rows.map((r) => [r.caseKey, r.readerId, r.reason, r.note, r.skippedAt.toISOString(), r.caseId]);
      },
    };
  }

  /**
   * The project's cases as CSV (permission data.export), excluded ones included and marked, a batch
   * at a time in the order they were uploaded, from one REPEATABLE READ snapshot so the count and
   * the rows agree. The UIDs are the de-identified ones the store serves. On the ledger as an export.
   */
  async openCasesExport(actor: Actor | null, projectId: string, batchSize = EXPORT_BATCH): Promise<CsvExport> {
    await requireAccess(this.db.dataSource.manager, actor, "data.export", projectId);
    const { em, close } = await this.snapshot();
    try {
      const repo = new CasesRepository(em);
      const total = await repo.count(projectId, actor!.userId, {});
      await this.db.tx((tx) => this.ledger.record(tx, { type: "export", actorId: actor!.userId, projectId, objectId: projectId, change: { format: "csv", kind: "cases", rows: total } }));
      return {
        filename: `concord-${projectId}-cases.csv`,
        columns: CASE_EXPORT_COLUMNS,
        totalRows: total,
        close,
        async *batches() {
          let after: { at: string; id: string } | null = null;
          for (;;) {
            const rows = await repo.exportPage(projectId, after, batchSize);
            if (!rows.length) return;
            after = { at: rows.at(-1)!.cursorAt, id: rows.at(-1)!.id };
            yield rows.map((c) => [
              c.key, c.id, c.createdAt.toISOString(), c.modality, c.studyInstanceUid, c.seriesInstanceUid, c.sopInstanceUid, c.images, c.series, c.rows, c.columns,
              c.report === null ? 0 : 1, c.readersDone, c.readersNeeded, c.readersDone >= c.readersNeeded ? 1 : 0,
              c.exclusion?.reason ?? null, c.exclusion?.note ?? null, c.exclusion?.excludedAt.toISOString() ?? null,
              // The readers a manager assigned the case to, by id as `annotator` in the other CSVs, separated by ";".
              (c.assignedReaderIds ?? []).join(";"),
              // TRAIN, VALIDATION or TEST, as the project's dataset split puts the case.
              c.split,
            ]);
            if (rows.length < batchSize) return;
          }
        },
      };
    } catch (err) {
      await close();
      throw err;
    }
  }

  /**
   * Submitted annotations as CSV rows, read in batches from one REPEATABLE READ snapshot (so a
   * large project never sits in memory whole): every reader's, or one reader's. No access check:
   * for openExport and export jobs, which check it themselves.
   */
  async exportSnapshot(projectId: string, kind: ExportKind, opts: { allVersions: boolean; readerId: string | null; batchSize?: number }): Promise<CsvExport> {
    const snapshot = await this.exportBatches(projectId, { ...opts, labels: kind === "labels", rois: kind === "rois" });
    return {
      filename: `concord-${projectId}-${kind}${opts.allVersions ? "-all-versions" : ""}.csv`,
      columns: EXPORT_COLUMNS[kind],
      totalRows: kind === "labels" ? snapshot.counts.labelRows : snapshot.counts.roiRows,
      close: snapshot.close,
      async *batches() {
        for await (const batch of snapshot.batches()) {
          if (kind === "labels") {
            yield batch.flatMap(({ annotation: a, labels }) =>
              labels.map((r) => [
                a.key, r.label, a.readerId, r.value ? 1 : 0, r.seconds, r.confidence, r.implicit ? 1 : 0, a.version, a.submittedAt.toISOString(),
                a.caseSeconds, a.idleSeconds, a.timingClamped ? 1 : 0, r.labelId, r.group, a.split,
              ]),
            );
          } else {
            yield batch.flatMap(({ annotation: a, rois }) =>
              rois.map((r) => [
                a.key,
                a.readerId,
                r.className,
                r.kind,
                JSON.stringify(r.points),
                r.sopInstanceUid,
                r.frame,
                a.version,
                a.submittedAt.toISOString(),
                r.classId,
                r.roiId,
                r.suggestedBy,
                r.suggestionChanged == null ? null : r.suggestionChanged ? 1 : 0,
                a.split,
              ]),
            );
          }
        }
      },
    };
  }

  /**
   * Submitted annotations with their label values and ROIs, a batch of annotations at a time in
   * (case key, reader, version) order, from one REPEATABLE READ READ ONLY snapshot: the counts and
   * the batches agree and a submission meanwhile does not tear the export. No access check (callers
   * check data.export). The caller must close() it.
   */
  async exportBatches(projectId: string, opts: { allVersions: boolean; readerId: string | null; batchSize?: number; labels?: boolean; rois?: boolean }): Promise<ExportBatches> {
    const batchSize = Math.max(1, opts.batchSize ?? EXPORT_BATCH);
    const { em, close } = await this.snapshot();
    try {
      const repo = new AnnotationsRepository(em);
      const latestOnly = !opts.allVersions;
      const counts = await repo.exportCounts(projectId, latestOnly, opts.readerId);
      return {
        counts,
        close,
        async *batches() {
          let after: ExportPosition | null = null;
          for (;;) {
            const annotations = await repo.exportAnnotations(projectId, latestOnly, after, batchSize, opts.readerId);
            if (!annotations.length) return;
            after = annotations.at(-1)!;
            const ids = annotations.map((a) => a.id);
            const byAnnotation = <T extends { annotationId: string }>(rows: T[]) => {
              const by = new Map<string, T[]>();
              for (const r of rows) {
                const list = by.get(r.annotationId);
                if (list) list.push(r);
                else by.set(r.annotationId, [r]);
              }
              return by;
            };
            const labels = opts.labels === false ? new Map<string, ExportLabelRow[]>() : byAnnotation(await repo.exportLabelValues(ids));
            const rois = opts.rois === false ? new Map<string, ExportRoiRow[]>() : byAnnotation(await repo.exportRois(ids));
            yield annotations.map((annotation) => ({ annotation, labels: labels.get(annotation.id) ?? [], rois: rois.get(annotation.id) ?? [] }));
            if (annotations.length < batchSize) return;
          }
        },
      };
    } catch (err) {
      await close();
      throw err;
    }
  }

  // ---- live events

  /**
   * Submissions and skips in a project, as ids. Any member may listen; each event is checked again for the
   * listener: their own submissions, and others' only where they may see others' work on that case
   * (in blind reading, an annotator hears of a case only once they have submitted it). A listener who
   * loses access, or whose session or token ends, gets ACCESS_REVOKED and the stream ends.
   */
  async events(actorIn: Actor | null, projectId: string): Promise<AsyncIterable<AnnotationEventPayload>> {
    await requireAccess(this.db.dataSource.manager, actorIn, "project.view", projectId);
    const actor = actorIn!;
    const source = await listen<AnnotationEventPayload>(this.bus, annotationChannel(projectId));
    const em = this.db.dataSource.manager;
    const repo = this.repo(em);
    return (async function* () {
      try {
        for await (const envelope of source) {
          const resource = (await credentialsLive(em, actor)) ? await loadProjectResource(em, actor.userId, projectId) : null;
          if (!resource) {
            yield { kind: "ACCESS_REVOKED", projectId, caseId: null, readerId: null, version: null, at: new Date().toISOString() } satisfies AnnotationEventPayload;
            return;
          }
          const event = envelope.payload;
          // A manager's exclusion, or a deletion, is about the case, not anyone's reading of it: every member hears of it.
          if (event.readerId === actor.userId || event.kind === "EXCLUDED" || event.kind === "INCLUDED" || event.kind === "DELETED") {
            yield event;
            continue;
          }
          // Whom a manager assigned cases to: that reader (above) and those who follow progress.
          if (event.kind === "ASSIGNED") {
            if (can(actor, "stats.view", resource)) yield event;
            continue;
          }
          const readerHasSubmitted = event.caseId ? await repo.hasSubmitted(event.caseId, actor.userId) : false;
          if (can(actor, "annotations.viewOthers", { ...resource, readerHasSubmitted })) yield event;
        }
      } finally {
        await source.return?.();
      }
    })();
  }

  // ---- helpers

  /**
   * A connection of its own in a REPEATABLE READ READ ONLY transaction: reads that agree with one
   * another (a count and the rows it counts) while submissions go on. The caller must close() it.
   */
  private async snapshot(): Promise<{ em: EntityManager; close: () => Promise<void> }> {
    const runner = this.db.dataSource.createQueryRunner();
    await runner.connect();
    let open = true;
    const close = async () => {
      if (!open) return;
      open = false;
      await runner.query("ROLLBACK").catch(() => undefined);
      await runner.release();
    };
    try {
      await runner.query("START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    } catch (err) {
      await close();
      throw err;
    }
    return { em: runner.manager, close };
  }

  /** Nothing is written to a case a manager excluded: it is no longer read. */
  private async refuseExcluded(repo: AnnotationsRepository, caseId: string): Promise<void> {
    const reason = await repo.exclusionReason(caseId);
    if (reason) throw conflict(`This case was excluded from the project (${EXCLUSION_REASON_WORDS[reason]}); it is no longer read`);
  }

  private async view(id: string): Promise<AnnotationView> {
    const repo = this.repo();
    return (await repo.views([(await repo.findById(id))!]))[0]!;
  }

  /** Checks `action` on the case's project for the actor; a case they may not act on does not exist. */
  private async caseAccess(em: EntityManager, actor: Actor | null, caseId: string, action: Action) {
    const who = requireActor(actor);
    const repo = this.repo(em);
    const target = isUuid(caseId) ? await repo.caseTarget(caseId) : null;
    if (!target) throw notFound("Case");
    const extra = action === "annotations.viewOthers" ? await blindReadingFacts(em, caseId, who.userId) : {};
    try {
      const access = await requireAccess(em, who, action, target.projectId, extra);
      return { who, access, target };
    } catch (err) {
      if ((err as { code?: string }).code === "NOT_FOUND") throw notFound("Case");
      throw err;
    }
  }

  /** A case the actor may write a reading of now: may annotate, project not archived, assigned where that is asked, case not excluded. */
  private async writableCase(em: EntityManager, actor: Actor | null, caseId: string) {
    const { who, access, target } = await this.caseAccess(em, actor, caseId, "case.annotate");
    if (access.archived) throw archived();
    // Where readers read only their assigned cases, a reading of another is refused, saying so.
    requireAssigned({ ...access, ...(await assignmentFacts(em, access, caseId, who.userId)) });
    await this.refuseExcluded(this.repo(em), caseId);
    return { who, target };
  }

  /** Validates the label values, ROIs and timing against the project's labels and the case's images. Regions null: keep the draft's. */
  private async content(
    repo: AnnotationsRepository,
    target: CaseTarget,
    labels: ProjectLabel[],
    input: AnnotationInput,
    readerId: string,
  ): Promise<{ labels: LabelValueRow[]; rois: RoiRow[] | null }> {
    const problems: FieldProblem[] = [];
    const byId = new Map(labels.map((l) => [l.id, l]));

    if (input.labels.length > MAX_LABEL_VALUES) problems.push({ field: "input.labels", message: `must have at most ${MAX_LABEL_VALUES} values` });
    const seen = new Set<string>();
    const values: LabelValueRow[] = [];
    input.labels.slice(0, MAX_LABEL_VALUES).forEach((v, i) => {
      const at = `input.labels[${i}]`;
      const label = isUuid(v.labelId) ? byId.get(v.labelId) : undefined;
      if (!label) problems.push({ field: `${at}.labelId`, message: "is not a label of this project" });
      else if (label.kind !== "CLASSIFICATION") problems.push({ field: `${at}.labelId`, message: `"${label.name}" is an ROI class; regions go in rois` });
      else if (label.archived) problems.push({ field: `${at}.labelId`, message: `"${label.name}" is archived` });
      else if (seen.has(label.id)) problems.push({ field: `${at}.labelId`, message: `"${label.name}" is given more than once` });
      if (v.confidence != null && !isGrade(v.confidence)) problems.push({ field: `${at}.confidence`, message: gradeMessage });
      if (label) seen.add(label.id);
      values.push({ labelId: v.labelId, value: v.value, confidence: v.confidence ?? null, implicit: false, seconds: null, clicks: 0 });
    });

    const given = input.rois ?? [];
    if (given.length > MAX_ROIS) problems.push({ field: "input.rois", message: `must have at most ${MAX_ROIS} regions` });
    const totalPoints = given.reduce((n, r) => n + (Array.isArray(r.points) ? r.points.length : 0), 0);
    if (totalPoints > MAX_TOTAL_POINTS) problems.push({ field: "input.rois", message: `must have at most ${MAX_TOTAL_POINTS} points in all` });
    const rois: RoiRow[] = [];
    /** Index in rois -> index in the input, of the regions taken from a suggestion. */
    const suggested = new Map<number, number>();
    if (given.length <= MAX_ROIS && totalPoints <= MAX_TOTAL_POINTS) {
      const named = [...new Set(given.map((r) => r.sopInstanceUid).filter((u): u is string => !!u))];
      const images = new Map((await repo.caseImages(target.id, named)).map((i) => [i.sopInstanceUid, i]));
      if (target.sopInstanceUid && !images.has(target.sopInstanceUid)) {
        images.set(target.sopInstanceUid, { sopInstanceUid: target.sopInstanceUid, rows: target.rows, columns: target.columns, frames: target.frames ?? 1 });
      }
      const ids = new Set<string>();
      given.forEach((r, i) => {
        const at = `input.rois[${i}]`;
        const before = problems.length;
        const id = r.id ?? randomUUID();
        if (!isUuid(id)) problems.push({ field: `${at}.id`, message: "must be a UUID" });
        else if (ids.has(id.toLowerCase())) problems.push({ field: `${at}.id`, message: "is given to more than one region" });
        ids.add(id.toLowerCase());
        const cls = isUuid(r.classId) ? byId.get(r.classId) : undefined;
        if (!cls) problems.push({ field: `${at}.classId`, message: "is not an ROI class of this project" });
        else if (cls.kind !== "ROI") problems.push({ field: `${at}.classId`, message: `"${cls.name}" is a classification label, not an ROI class` });
        else if (cls.archived) problems.push({ field: `${at}.classId`, message: `"${cls.name}" is archived` });
        else if (cls.roiShape && cls.roiShape !== r.kind) problems.push({ field: `${at}.kind`, message: `must be ${cls.roiShape}, the shape of "${cls.name}"` });
        const sop = r.sopInstanceUid ?? target.sopInstanceUid;
        const image = sop ? images.get(sop) : undefined;
        if (!sop) problems.push({ field: `${at}.sopInstanceUid`, message: "is required: this case is a series; name the image the region lies on" });
        else if (!image) problems.push({ field: `${at}.sopInstanceUid`, message: "is not an image of this case" });
        const frame = r.frame ?? 1;
        if (!Number.isInteger(frame) || frame < 1) problems.push({ field: `${at}.frame`, message: "must be a frame number, 1 or more" });
        else if (image && frame > image.frames) problems.push({ field: `${at}.frame`, message: `must be at most ${image.frames}, the image's frames` });
        const size = image?.rows && image?.columns ? { rows: image.rows, columns: image.columns } : null;
        const shape = normaliseRoi(r.kind, r.points, size, `${at}.points`);
        if (r.suggestedBy != null && !isUuid(r.suggestedBy)) problems.push({ field: `${at}.suggestedBy`, message: "must be a model version id" });
        // Segmentation models suggest areas only (predictionRegions offers none to a point class).
        else if (r.suggestedBy != null && !isAreaShape(r.kind)) problems.push({ field: `${at}.suggestedBy`, message: `must be absent on a ${r.kind === "LINE" ? "line" : "point"}: a model's suggestions are regions, never points or lines` });
        if ("problems" in shape) problems.push(...shape.problems);
        else if (problems.length === before) {
          const suggestedBy = r.suggestedBy?.toLowerCase() ?? null;
          rois.push({ id: id.toLowerCase(), classId: r.classId, kind: r.kind, points: shape.points, sopInstanceUid: sop!, frame, suggestedBy, suggestionChanged: suggestedBy ? true : null });
          if (suggestedBy) suggested.set(rois.length - 1, i);
        }
      });
      if (suggested.size) problems.push(...(await this.compareWithSuggestions(repo, target, readerId, byId, rois, suggested)));
    }
    problems.push(...groupProblems(labels, values, false));
    if (input.timing) {
      const classification = new Set(labels.filter((l) => l.kind === "CLASSIFICATION").map((l) => l.id));
      problems.push(...timingProblems(input.timing, classification, "input.timing"));
    }
    if (problems.length) throw invalid(problems);
    return { labels: values, rois: input.rois == null ? null : rois };
  }

  /**
   * Sets suggestionChanged on the regions taken from a suggestion: false when the model version
   * suggested exactly this region on the case (the same image, frame and shape, as a rectangle its
   * bounding box, within 0.01 px; its label naming the region's class), true when the reader changed
   * it. A version of another project, or one that suggested no regions on the case, is a problem.
   * A region the reader's stored annotation holds as suggested, still of the same class, keeps
   * matching when the class has been renamed since (its name no longer the label's): the reader did
   * not reclassify it, and its shape is compared with that version's suggestions of any label there.
   */
  private async compareWithSuggestions(
    repo: AnnotationsRepository,
    target: CaseTarget,
    readerId: string,
    labels: Map<string, ProjectLabel>,
    rois: RoiRow[],
    suggested: Map<number, number>,
  ): Promise<FieldProblem[]> {
    const taken = [...suggested.keys()].map((k) => rois[k]!);
    const { versions, regions } = await repo.suggestionRegions(
      target.projectId,
      target.id,
      [...new Set(taken.map((r) => r.suggestedBy!))],
      [...new Set(taken.map((r) => r.sopInstanceUid))],
    );
    // The suggestions by version, image, frame and label, each shape as taken worked out once: a
    // save may hold a thousand taken regions against a thousand suggestions on one image.
    // (Indexed a second time without the label, for regions whose class was renamed since they were taken.)
    const where = (version: string, sop: string, frame: number, label: string | null) => JSON.stringify([version, sop, frame, label === null ? null : labelNameKey(label)]);
    type Candidate = { outline: Array<[number, number]>; box?: Array<[number, number]> };
    const candidates = new Map<string, Candidate[]>();
    const add = (at: string, c: Candidate) => {
      const list = candidates.get(at);
      if (list) list.push(c);
      else candidates.set(at, [c]);
    };
    for (const g of regions) {
      const c: Candidate = { outline: g.points };
      add(where(g.modelVersionId, g.sopInstanceUid, g.frame, g.label), c);
      add(where(g.modelVersionId, g.sopInstanceUid, g.frame, null), c);
    }
    const held = await repo.heldSuggestionClasses(target.id, readerId);
    const problems: FieldProblem[] = [];
    for (const [k, i] of suggested) {
      const roi = rois[k]!;
      if (!versions.has(roi.suggestedBy!)) {
        problems.push({ field: `input.rois[${i}].suggestedBy`, message: "is not a model version that suggested regions on this case" });
        continue;
      }
      const before = held.get(roi.id);
      const kept = before?.classId === roi.classId && before.suggestedBy === roi.suggestedBy;
      const same = candidates.get(where(roi.suggestedBy!, roi.sopInstanceUid, roi.frame, kept ? null : labels.get(roi.classId)!.name)) ?? [];
      roi.suggestionChanged = !same.some((c) => samePoints(roi.kind === "RECTANGLE" ? (c.box ??= boundingBox(c.outline)) : c.outline, roi.points));
    }
    return problems;
  }

  private async openDraft(repo: AnnotationsRepository, target: CaseTarget, readerId: string, version: number, now: Date): Promise<AnnotationEntity> {
    // The version was opened when nextCase handed the case over; without a claim, shortly before this first save.
    const claim = await repo.findClaim(target.id, readerId);
    const openedAt = claim && claim.claimedAt <= now ? claim.claimedAt : new Date(now.getTime() - OPEN_GRACE_SECONDS * 1000);
    return repo.insertAnnotation({ projectId: target.projectId, caseId: target.id, readerId, version, openedAt });
  }

  /** Writes content and timing into a draft. "stale": the timing report is older than what is stored; nothing was written unless `force`. */
  private async apply(
    repo: AnnotationsRepository,
    draft: AnnotationEntity,
    content: { labels: LabelValueRow[]; rois: RoiRow[] | null },
    timing: TimingReport | null,
    now: Date,
    force = false,
  ): Promise<"applied" | "stale"> {
    let sessions = await repo.sessions(draft.id);
    let threshold = draft.idleThresholdSeconds;
    if (timing) {
      const existing = sessions.find((s) => s.sessionId === timing.sessionId);
      const others = sessions.filter((s) => s.sessionId !== timing.sessionId);
      const outcome = mergeSession(existing, others, timing, now, draft.openedAt);
      if (outcome.kind === "frozen") {
        throw invalid([{ field: "input.timing.sessionId", message: "belongs to a submitted version; start a new session (a new id) after revising" }]);
      }
      if (outcome.kind === "stale") {
        if (!force) return "stale";
      } else {
        await repo.saveSession(draft.id, outcome.session);
        sessions = [...sessions.filter((s) => s.sessionId !== timing.sessionId), outcome.session];
        threshold = timing.idleThresholdSeconds;
      }
    }
    const summary = await this.refreshTiming(repo, draft.id, sessions, threshold);
    await repo.replaceLabelValues(
      draft.id,
      content.labels.map((v) => ({ ...v, seconds: summary.labels.get(v.labelId)?.seconds ?? null, clicks: summary.labels.get(v.labelId)?.clicks ?? 0 })),
    );
    if (content.rois) await repo.replaceRois(draft.id, content.rois);
    return "applied";
  }

  private async refreshTiming(repo: AnnotationsRepository, id: string, sessions: StoredSession[], threshold: number | null) {
    const summary = summarise(sessions);
    await repo.updateTiming(id, {
      loadedAt: summary.loadedAt,
      caseSeconds: summary.caseSeconds,
      clickCount: summary.clickCount,
      labelClickCount: summary.labelClickCount,
      idleCount: summary.idleCount,
      idleSeconds: summary.idleSeconds,
      idleThresholdSeconds: threshold,
      sessionCount: summary.sessionCount,
      timingClamped: summary.clamped,
    });
    return summary;
  }
}

/**
 * A label group takes one answer: at most one of its labels present in a reading (drafts too), and
 * in a required group exactly one when the reading is submitted (`submitting`). Archived labels
 * take no values, so they never count.
 */
export function groupProblems(labels: readonly ProjectLabel[], values: ReadonlyArray<{ labelId: string; value: boolean }>, submitting: boolean): FieldProblem[] {
  const present = new Set(values.filter((v) => v.value).map((v) => v.labelId));
  const groups = new Map<string, { name: string; required: boolean; labels: ProjectLabel[] }>();
  for (const l of labels) {
    if (!l.group || l.archived || l.kind !== "CLASSIFICATION") continue;
    const g = groups.get(l.group.id) ?? groups.set(l.group.id, { name: l.group.name, required: l.group.required, labels: [] }).get(l.group.id)!;
    g.labels.push(l);
  }
  const problems: FieldProblem[] = [];
  const names = (ls: readonly ProjectLabel[]) => ls.map((l) => `"${l.name}"`).join(", ");
  for (const g of groups.values()) {
    const chosen = g.labels.filter((l) => present.has(l.id));
    if (chosen.length > 1) problems.push({ field: "input.labels", message: `${names(chosen)} are present together, but the group "${g.name}" takes one answer` });
    else if (submitting && g.required && chosen.length === 0) problems.push({ field: "input.labels", message: `the group "${g.name}" needs an answer: one of ${names(g.labels)}` });
  }
  return problems;
}
