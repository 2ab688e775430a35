import type { EntityManager } from "typeorm";
import { CasesRepository } from "../cases/cases.repository.js";
import { can, credentialsLive, isUuid, loadProjectResource, requireAccess, requireActor, type Actor, type ProjectResource } from "../../access/access.js";
import type { Action } from "../../access/roles.js";
import { archived, conflict, invalid, notFound } from "../../errors.js";
import type { Compute } from "../../compute/compute.js";
import type { Database } from "../../platform/database/index.js";
import { listen, type Bus } from "../../platform/pubsub/bus.js";
import { blindReadingFacts } from "../annotations/annotations.service.js";
import type { LedgerService } from "../ledger/ledger.service.js";
import { labelNameKey } from "../projects/projects.entity.js";
import { ProjectsRepository, type LabelGroupRow } from "../projects/projects.repository.js";
import { learntFrom } from "../ai/holdout.js";
import { discrepancies, reviewCells, type DiscrepancyOrder, type ModelOverlapResult, type ModelVersusReaders, type ProjectAgreementResult, type ReviewCell } from "./review.analysis.js";
import { DEFAULT_POINT_TOLERANCE } from "./stats/points.js";
import { groupCategories, type GroupCaseAnswers } from "./stats/groups.js";
import { ReviewRepository, type AdjudicationRow, type AdjudicationVersionRow, type CommentRow, type ReaderRow, type RegionSourcesRow, type ReviewLabelRow, type VoteRow } from "./review.repository.js";

export const MAX_COMMENT_LENGTH = 4000;
export const MAX_NOTE_LENGTH = 2000;
export const MAX_PAGE = 500;
/** The largest point tolerance projectAgreement takes, in image pixels: wider than any image is read. */
export const MAX_POINT_TOLERANCE = 10_000;
/** Projects whose fitted votes are kept in memory. */
const FITTED_PROJECTS = 4;

export type ReviewEventKind = "ADJUDICATED" | "ADJUDICATION_CLEARED" | "COMMENTED" | "ACCESS_REVOKED";

/** Ids only, like annotation events: what changed is read through the checked queries. */
export interface ReviewEventPayload {
  kind: ReviewEventKind;
  projectId: string;
  caseId: string | null;
  labelId: string | null;
  commentId: string | null;
  actorId: string | null;
  at: string;
}

export const reviewChannel = (projectId: string) => `review:${projectId}`;

export interface ReviewContext {
  labels: ReviewLabelRow[];
  /** The project's label groups, where the result compares them. */
  groups?: LabelGroupRow[];
  /** Readers whose votes are counted, by id. */
  readers: ReaderRow[];
  /** Names of everyone the result mentions (readers and adjudicators). */
  people: Map<string, ReaderRow>;
}

export interface ReviewMatrixPage extends ReviewContext {
  rows: Array<{ caseId: string; caseKey: string; cells: ReviewCell[] }>;
  totalCases: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface DiscrepancyPage extends ReviewContext {
  items: ReviewCell[];
  total: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

const encodeCursor = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const decodeCursor = (s: string | null | undefined, field: string): string | null => {
  if (s == null || s === "") return null;
  const out = Buffer.from(s, "base64url").toString("utf8");
  if (!out || encodeCursor(out) !== s) throw invalid([{ field, message: "is not a cursor from this list" }]);
  return out;
};

// Review mode (issue 8): agreement statistics, the case × label heatmap, discrepancies, adjudication
// and comments. Who sees what: reviewers, managers and owners (case.review / stats.view) see every
// reader's votes; they are not blinded readers. Annotators never reach the statistics or the heatmap
// (they answer "not found"). Adjudications and comments on one case follow annotations.viewOthers,
// so in blind reading an annotator sees them only once they have submitted the case.
export class ReviewService {
  /** Fitted votes per project, least recently fitted first (see votesWithPosteriors). */
  private readonly fitted = new Map<string, { fingerprint: string; votes: VoteRow[]; posteriors: Map<string, Map<string, number>> }>();

  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly ledger: LedgerService,
    /** Agreement statistics and Dawid–Skene run off the API's event loop. */
    private readonly compute: Compute,
    /** Told after an adjudication changes: in an education project adjudications are gold, and certifications follow them. */
    private readonly onAdjudicated: (projectId: string) => Promise<void> = async () => undefined,
  ) {}

  private repo(em: EntityManager = this.db.dataSource.manager) {
    return new ReviewRepository(em);
  }

  // ---- statistics

  async projectAgreement(
    actor: Actor | null,
    projectId: string,
    labelIds: string[] | null,
    pointTolerance: number | null = null,
  ): Promise<{ result: ProjectAgreementResult; context: ReviewContext }> {
    const em = this.db.dataSource.manager;
    await requireAccess(em, actor, "stats.view", projectId);
    if (pointTolerance !== null && !(Number.isFinite(pointTolerance) && pointTolerance > 0 && pointTolerance <= MAX_POINT_TOLERANCE))
      throw invalid([{ field: "pointTolerance", message: `must be a distance in image pixels above 0 and at most ${MAX_POINT_TOLERANCE}` }]);
    const repo = this.repo(em);
    const labels = await repo.labels(projectId);
    if (labelIds) {
      const known = new Set(labels.map((l) => l.id));
      const unknown = labelIds.findIndex((id) => !isUuid(id) || !known.has(id));
      if (unknown >= 0) throw invalid([{ field: `labelIds[${unknown}]`, message: "is not a label of this project" }]);
    }
    const [votes, rois, submitted, allGroups] = await Promise.all([
      repo.votes(projectId, labelIds),
      repo.roiVotes(projectId),
      repo.submittedReaders(projectId),
      new ProjectsRepository(em).labelGroups(projectId),
    ]);
    const wantedRois = labelIds ? rois.filter((r) => labelIds.includes(r.classId)) : rois;
    // A group is compared when all its labels' votes were read.
    const groups = allGroups.filter((g) => g.labelIds.length > 0 && (!labelIds || g.labelIds.every((id) => labelIds.includes(id))));
    const specs = groups.map((g) => ({ groupId: g.id, labelIds: g.labelIds, ordinal: g.ordinal, required: g.required }));
    // Seconds of CPU on a large project: off the API's event loop.
    const result = await this.compute.run("projectAgreement", votes, labels.map((l) => l.id), wantedRois, submitted, pointTolerance ?? DEFAULT_POINT_TOLERANCE, specs);
    const readers = await this.readers(repo, votes, submitted);
    return { result, context: { labels, groups, readers, people: new Map(readers.map((r) => [r.id, r])) } };
  }

  /**
   * A segmentation model's suggested regions against each reader's latest submitted regions (Dice
   * and IoU per reader and ROI class), on the cases it ran on. Permission stats.view, as for the
   * readers' agreement; the model version must be a READY segmentation model of the project.
   */
  async modelRoiAgreement(actor: Actor | null, projectId: string, modelVersionId: string): Promise<{ result: ModelOverlapResult; sources: RegionSourcesRow[]; context: ReviewContext }> {
    const em = this.db.dataSource.manager;
    await requireAccess(em, actor, "stats.view", projectId);
    const repo = this.repo(em);
    if (!isUuid(modelVersionId) || !(await repo.segmentationVersion(projectId, modelVersionId)))
      throw invalid([{ field: "modelVersionId", message: "must be a ready segmentation model version of this project" }]);
    const [labels, model, rois, submitted, sources] = await Promise.all([
      repo.labels(projectId),
      repo.modelRegions(projectId, modelVersionId),
      repo.roiVotes(projectId),
      repo.submittedReaders(projectId),
      repo.regionSources(projectId, modelVersionId),
    ]);
    const result = await this.compute.run("modelOverlaps", rois, submitted, model.rois, model.cases);
    const readers = await this.readers(repo, [], submitted);
    return { result, sources, context: { labels, readers, people: new Map(readers.map((r) => [r.id, r])) } };
  }

  /**
   * A classifier's version against the readers on one classification label: its ROC curve and AUC
   * over the cases it ran on that have a reference, and each reader's sensitivity and specificity
   * on them. A version trained here is judged on its held-out cases only: it learnt the others.
   */
  async modelReaderComparison(
    actor: Actor | null,
    projectId: string,
    modelVersionId: string,
    labelId: string,
  ): Promise<{ result: ModelVersusReaders; heldOutOnly: boolean; context: ReviewContext }> {
    const { cells, context } = await this.cells(actor, projectId);
    const label = context.labels.find((l) => l.id === labelId);
    if (!label) throw invalid([{ field: "labelId", message: "must be a classification label of this project" }]);
    const repo = this.repo(this.db.dataSource.manager);
    const version = isUuid(modelVersionId) ? await repo.classifierVersion(projectId, modelVersionId) : null;
    if (!version) throw invalid([{ field: "modelVersionId", message: "must be a ready binary or multi-label model version of this project" }]);
    const key = labelNameKey(label.name);
    const outputs = await repo.classifierOutputs(version.id);
    const scores = new Map<string, number>();
    let named = false;
    // Its held-out cases: outside TRAIN of the split it was trained by (a version trained before splits: by a hash of the case id).
    const inTrain = version.trained && version.heldOutSplit ? await repo.trainCases(version.heldOutSplit, outputs.map((p) => p.caseId)) : null;
    const heldOut = (caseId: string) => learntFrom(version.trained, inTrain ? inTrain.has(caseId) : null, caseId) !== true;
    for (const p of outputs) {
      const output = p.outputs.find((o) => labelNameKey(o.label) === key);
      named ||= !!output;
      if (output && heldOut(p.caseId)) scores.set(p.caseId, output.value);
    }
    // A version not run yet has nothing to compare, which the empty result says.
    if (outputs.length && !named) throw invalid([{ field: "labelId", message: `the model has no output named '${label.name}'` }]);
    const result = await this.compute.run(
      "modelVersusReaders",
      cells.filter((c) => c.labelId === labelId),
      scores,
    );
    return { result, heldOutOnly: version.trained, context };
  }

  /** The heatmap: a page of cases (by key) with every reader's vote per label, majority, agreement, posterior and adjudication. */
  async reviewMatrix(actor: Actor | null, projectId: string, first: number, after: string | null | undefined): Promise<ReviewMatrixPage> {
    this.checkFirst(first);
    const afterKey = decodeCursor(after, "after");
    const { cells, context } = await this.cells(actor, projectId);
    const byCase = new Map<string, { caseId: string; caseKey: string; cells: ReviewCell[] }>();
    for (const c of cells) {
      const row = byCase.get(c.caseId);
      if (row) row.cells.push(c);
      else byCase.set(c.caseId, { caseId: c.caseId, caseKey: c.caseKey, cells: [c] });
    }
    const all = [...byCase.values()];
    const start = afterKey === null ? 0 : all.findIndex((r) => r.caseKey > afterKey);
    const rows = start < 0 ? [] : all.slice(start, start + first);
    const hasNextPage = start >= 0 && start + first < all.length;
    return { ...context, rows, totalCases: all.length, endCursor: rows.length ? encodeCursor(rows.at(-1)!.caseKey) : null, hasNextPage };
  }

  /** Cells where readers disagree, in the order asked for; the cursor is a position in that order. */
  async discrepancies(
    actor: Actor | null,
    projectId: string,
    orderBy: DiscrepancyOrder,
    first: number,
    after: string | null | undefined,
    opts: { unadjudicatedOnly?: boolean | null } = {},
  ): Promise<DiscrepancyPage> {
    this.checkFirst(first);
    const position = decodeCursor(after, "after");
    const offset = position === null ? 0 : Number(position);
    if (!Number.isInteger(offset) || offset < 0) throw invalid([{ field: "after", message: "is not a cursor from this list" }]);
    const { cells, context } = await this.cells(actor, projectId);
    const list = discrepancies(cells, orderBy).filter((c) => !opts.unadjudicatedOnly || !c.adjudication);
    const items = list.slice(offset, offset + first);
    const end = offset + items.length;
    return { ...context, items, total: list.length, endCursor: items.length ? encodeCursor(String(end)) : null, hasNextPage: end < list.length };
  }

  private checkFirst(first: number) {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw invalid([{ field: "first", message: `must be between 1 and ${MAX_PAGE}` }]);
  }

  /**
   * The cases of a label group where the readers' answers differ, widest spread first, then by case
   * key; with `pair` (two category indexes), the cases where one reader answered the first and
   * another the second: one cell of the group's confusion matrix. Permission case.review or
   * stats.view, as for the discrepancies.
   */
  async groupCases(
    actor: Actor | null,
    projectId: string,
    groupId: string,
    pair: readonly [number, number] | null,
    first: number,
    after: string | null | undefined,
  ): Promise<{ group: LabelGroupRow; categories: Array<string | null>; items: Array<GroupCaseAnswers & { caseKey: string }>; total: number; endCursor: string | null; hasNextPage: boolean; context: ReviewContext }> {
    this.checkFirst(first);
    const position = decodeCursor(after, "after");
    const offset = position === null ? 0 : Number(position);
    if (!Number.isInteger(offset) || offset < 0) throw invalid([{ field: "after", message: "is not a cursor from this list" }]);
    const em = this.db.dataSource.manager;
    const who = requireActor(actor);
    const resource = await loadProjectResource(em, who.userId, projectId);
    if (!resource || !(can(who, "case.review", resource) || can(who, "stats.view", resource))) throw notFound("Project");
    const group = isUuid(groupId) ? (await new ProjectsRepository(em).labelGroups(projectId, groupId))[0] : undefined;
    if (!group) throw notFound("Label group");
    const repo = this.repo(em);
    const votes = await repo.votes(projectId, group.labelIds);
    const categories = groupCategories(group);
    if (pair && pair.some((c) => !Number.isInteger(c) || c < 0 || c >= categories.length)) {
      throw invalid([{ field: "categories", message: `must be two answers of the group, 0 to ${categories.length - 1}` }]);
    }
    const keyOf = new Map(votes.map((v) => [v.caseId, v.caseKey]));
    // Linear in the group's votes, but a large project has hundreds of thousands: off the API's event loop.
    const found = await this.compute.run("labelGroupCases", votes, { groupId: group.id, labelIds: group.labelIds, ordinal: group.ordinal, required: group.required }, pair);
    const list = found
      .map((c) => ({ ...c, caseKey: keyOf.get(c.caseId) ?? "" }))
      .sort((p, q) => q.spread - p.spread || (p.caseKey < q.caseKey ? -1 : p.caseKey > q.caseKey ? 1 : 0));
    const items = list.slice(offset, offset + first);
    const end = offset + items.length;
    const readers = await this.readers(repo, votes, []);
    const labels = await repo.labels(projectId);
    return {
      group,
      categories,
      items,
      total: list.length,
      endCursor: items.length ? encodeCursor(String(end)) : null,
      hasNextPage: end < list.length,
      context: { labels, readers, people: new Map(readers.map((r) => [r.id, r])) },
    };
  }

  /** Every cell of the project with its Dawid–Skene posterior (fitted over all of the label's votes). */
  private async cells(actor: Actor | null, projectId: string): Promise<{ cells: ReviewCell[]; context: ReviewContext }> {
    const em = this.db.dataSource.manager;
    const who = requireActor(actor);
    const resource = await loadProjectResource(em, who.userId, projectId);
    // Reviewers and those who see the statistics; an annotator (or anyone else) finds no project.
    if (!resource || !(can(who, "case.review", resource) || can(who, "stats.view", resource))) throw notFound("Project");
    const repo = this.repo(em);
    const [labels, { votes, posteriors }, adjudications] = await Promise.all([repo.labels(projectId), this.votesWithPosteriors(repo, projectId), repo.adjudications(projectId, null)]);
    const classification = labels.filter((l) => l.kind === "CLASSIFICATION");
    const cells = reviewCells(votes, classification.map((l) => l.id), adjudications, posteriors);
    const readers = await this.readers(repo, votes, []);
    const people = await this.users([...readers.map((r) => r.id), ...adjudications.flatMap((a) => (a.adjudicatedBy ? [a.adjudicatedBy] : []))]);
    return { cells, context: { labels: classification, readers, people } };
  }

  /**
   * The project's votes and Dawid–Skene posteriors, kept for the few projects reviewed last while
   * their votes do not change: paging through the heatmap must not refit every label each time.
   * Checked against the database on every call, so each replica's copy is never stale.
   */
  private async votesWithPosteriors(repo: ReviewRepository, projectId: string): Promise<{ votes: VoteRow[]; posteriors: Map<string, Map<string, number>> }> {
    const fingerprint = await repo.votesFingerprint(projectId);
    const hit = this.fitted.get(projectId);
    if (hit?.fingerprint === fingerprint) return hit;
    const votes = await repo.votes(projectId, null);
    const byLabel = new Map<string, VoteRow[]>();
    for (const v of votes) (byLabel.get(v.labelId) ?? byLabel.set(v.labelId, []).get(v.labelId)!).push(v);
    const posteriors = await this.compute.run("labelPosteriors", byLabel);
    const entry = { fingerprint, votes, posteriors };
    this.fitted.delete(projectId);
    this.fitted.set(projectId, entry);
    while (this.fitted.size > FITTED_PROJECTS) this.fitted.delete(this.fitted.keys().next().value!);
    return entry;
  }

  private async readers(repo: ReviewRepository, votes: readonly VoteRow[], submitted: ReadonlyArray<{ readerId: string }>): Promise<ReaderRow[]> {
    const ids = [...new Set([...votes.map((v) => v.readerId), ...submitted.map((s) => s.readerId)])];
    return (await repo.users(ids)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  // ---- adjudication

  /**
   * Decides a cell. A label of a label group decided present decides the group's other active
   * labels absent in the same transaction (a group takes one answer), as picking it does in reading.
   */
  async adjudicate(actor: Actor | null, caseId: string, labelId: string, value: boolean, note: string | null | undefined): Promise<AdjudicationRow> {
    const text = (note ?? "").trim();
    if (text.length > MAX_NOTE_LENGTH) throw invalid([{ field: "note", message: `must be at most ${MAX_NOTE_LENGTH} characters` }]);
    const { row, events } = await this.db.tx(async (em) => {
      const { who, projectId } = await this.writableCell(em, actor, caseId, labelId);
      const repo = this.repo(em);
      const others = value ? await this.groupSiblings(em, projectId, labelId) : [];
      // Cells locked in one order, so two reviewers deciding labels of one group cannot deadlock.
      const locked = new Map<string, Awaited<ReturnType<ReviewRepository["lockCell"]>>>();
      for (const id of [labelId, ...others].sort()) locked.set(id, await repo.lockCell(caseId, id));
      const decide = async (id: string, v: boolean) => {
        const { current, lastVersion } = locked.get(id)!;
        const version = lastVersion + 1;
        const { id: versionId, at } = await repo.appendVersion({ caseId, labelId: id, projectId, version, value: v, note: text, by: who.userId });
        const decided: AdjudicationRow = { caseId, labelId: id, projectId, value: v, note: text, adjudicatedBy: who.userId, at, version };
        await repo.putCurrent({ ...decided, adjudicatedBy: who.userId });
        // The note may hold clinical text: the leaf commits to the decision only.
        await this.ledger.record(em, { type: "adjudication", actorId: who.userId, projectId, objectId: versionId, change: { caseId, labelId: id, value: v, previous: current ? current.value : null } });
        return { decided, event: this.event("ADJUDICATED", projectId, caseId, id, null, who.userId, at) };
      };
      const main = await decide(labelId, value);
      const events = [main.event];
      for (const id of others) if (locked.get(id)!.current?.value !== false) events.push((await decide(id, false)).event);
      return { row: main.decided, events };
    });
    for (const event of events) await this.bus.publish(reviewChannel(event.projectId), event);
    await this.onAdjudicated(row.projectId);
    return row;
  }

  /** The other active labels of the label's group; none when it is in no group. */
  private async groupSiblings(em: EntityManager, projectId: string, labelId: string): Promise<string[]> {
    const group = (await new ProjectsRepository(em).labelGroups(projectId)).find((g) => g.labelIds.includes(labelId));
    if (!group) return [];
    const active = new Set((await this.repo(em).labels(projectId)).filter((l) => !l.archived).map((l) => l.id));
    return group.labelIds.filter((id) => id !== labelId && active.has(id));
  }

  /** Removes the cell's adjudication (the majority decides again); false when there was none. */
  async clearAdjudication(actor: Actor | null, caseId: string, labelId: string): Promise<boolean> {
    const out = await this.db.tx(async (em) => {
      const { who, projectId } = await this.writableCell(em, actor, caseId, labelId);
      const repo = this.repo(em);
      const { current, lastVersion } = await repo.lockCell(caseId, labelId);
      if (!current) return null;
      const { id, at } = await repo.appendVersion({ caseId, labelId, projectId, version: lastVersion + 1, value: null, note: "", by: who.userId });
      await repo.deleteCurrent(caseId, labelId);
      await this.ledger.record(em, { type: "adjudication", actorId: who.userId, projectId, objectId: id, change: { caseId, labelId, value: null, previous: current.value } });
      return this.event("ADJUDICATION_CLEARED", projectId, caseId, labelId, null, who.userId, at);
    });
    if (!out) return false;
    await this.bus.publish(reviewChannel(out.projectId), out);
    await this.onAdjudicated(out.projectId);
    return true;
  }

  async caseAdjudications(actor: Actor | null, caseId: string): Promise<AdjudicationRow[]> {
    const em = this.db.dataSource.manager;
    const { projectId } = await this.seeCase(em, actor, caseId);
    return this.repo(em).adjudications(projectId, [caseId]);
  }

  /** Every adjudication and clearing of the case's labels (or one label), newest first per label. */
  async adjudicationHistory(actor: Actor | null, caseId: string, labelId: string | null | undefined): Promise<AdjudicationVersionRow[]> {
    const em = this.db.dataSource.manager;
    await this.seeCase(em, actor, caseId);
    if (labelId != null && !isUuid(labelId)) return [];
    return this.repo(em).versions(caseId, labelId ?? null);
  }

  // ---- comments

  async addCaseComment(actor: Actor | null, caseId: string, body: string): Promise<CommentRow> {
    const text = body.trim();
    if (!text) throw invalid([{ field: "body", message: "must not be empty" }]);
    if (text.length > MAX_COMMENT_LENGTH) throw invalid([{ field: "body", message: `must be at most ${MAX_COMMENT_LENGTH} characters` }]);
    const em = this.db.dataSource.manager;
    const { who, projectId, access } = await this.caseAccess(em, actor, caseId, "case.review");
    if (access.archived) throw archived();
    const row = await this.repo(em).insertComment({ projectId, caseId, authorId: who.userId, body: text });
    await this.bus.publish(reviewChannel(projectId), this.event("COMMENTED", projectId, caseId, null, row.id, who.userId, row.createdAt));
    return row;
  }

  async caseComments(actor: Actor | null, caseId: string): Promise<CommentRow[]> {
    const em = this.db.dataSource.manager;
    await this.seeCase(em, actor, caseId);
    return this.repo(em).comments(caseId);
  }

  async users(ids: string[]): Promise<Map<string, ReaderRow>> {
    return new Map((await this.repo().users([...new Set(ids)])).map((u) => [u.id, u]));
  }

  // ---- live events

  /**
   * Adjudications and comments in a project, as ids. Any member may listen; each event is checked
   * for the listener like caseComments (reviewers, and those who may see others' work on the case).
   */
  async events(actorIn: Actor | null, projectId: string): Promise<AsyncIterable<ReviewEventPayload>> {
    await requireAccess(this.db.dataSource.manager, actorIn, "project.view", projectId);
    const actor = actorIn!;
    const source = await listen<ReviewEventPayload>(this.bus, reviewChannel(projectId));
    const em = this.db.dataSource.manager;
    const self = this;
    return (async function* () {
      try {
        for await (const { payload: event } of source) {
          const resource = (await credentialsLive(em, actor)) ? await loadProjectResource(em, actor.userId, projectId) : null;
          if (!resource) {
            yield self.event("ACCESS_REVOKED", projectId, null, null, null, null, new Date());
            return;
          }
          if (event.caseId && (await self.maySeeCase(em, actor, resource, event.caseId))) yield event;
        }
      } finally {
        await source.return?.();
      }
    })();
  }

  // ---- helpers

  private event(kind: ReviewEventKind, projectId: string, caseId: string | null, labelId: string | null, commentId: string | null, actorId: string | null, at: Date): ReviewEventPayload {
    return { kind, projectId, caseId, labelId, commentId, actorId, at: at.toISOString() };
  }

  private async maySeeCase(em: EntityManager, who: Actor, resource: ProjectResource, caseId: string): Promise<boolean> {
    if (can(who, "case.review", resource)) return true;
    return can(who, "annotations.viewOthers", { ...resource, ...(await blindReadingFacts(em, caseId, who.userId)) });
  }

  /** Reviewers, and whoever may see others' work on the case (blind reading: an annotator after submitting it). */
  private async seeCase(em: EntityManager, actor: Actor | null, caseId: string) {
    const who = requireActor(actor);
    const target = isUuid(caseId) ? await this.repo(em).caseProject(caseId) : null;
    const resource = target ? await loadProjectResource(em, who.userId, target.projectId) : null;
    if (!target || !resource || !(await this.maySeeCase(em, who, resource, caseId))) throw notFound("Case");
    return { who, projectId: target.projectId };
  }

  /** Checks `action` on the case's project; a case the actor may not act on does not exist. */
  private async caseAccess(em: EntityManager, actor: Actor | null, caseId: string, action: Action) {
    const who = requireActor(actor);
    const target = isUuid(caseId) ? await this.repo(em).caseProject(caseId) : null;
    const resource = target ? await loadProjectResource(em, who.userId, target.projectId) : null;
    if (!target || !resource || !can(who, action, resource)) throw notFound("Case");
    return { who, projectId: target.projectId, access: resource };
  }

  private async writableCell(em: EntityManager, actor: Actor | null, caseId: string, labelId: string) {
    const { who, projectId, access } = await this.caseAccess(em, actor, caseId, "case.review");
    if (access.archived) throw archived();
    const label = isUuid(labelId) ? (await this.repo(em).labels(projectId)).find((l) => l.id === labelId) : undefined;
    if (!label) throw invalid([{ field: "labelId", message: "is not a label of this project" }]);
    if (label.kind !== "CLASSIFICATION") throw invalid([{ field: "labelId", message: `"${label.name}" is an ROI class; adjudicate regions on the consensus layer` }]);
    // An excluded case is in no statistic and no consensus: deciding its labels would count nowhere.
    if (!(await new CasesRepository(em).isIncluded(caseId))) throw conflict("The case is excluded from the project; include it again to adjudicate it");
    return { who, projectId };
  }
}
