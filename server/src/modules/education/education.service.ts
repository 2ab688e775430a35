import { randomUUID } from "node:crypto";
import { CasesRepository } from "../cases/cases.repository.js";
import * as Y from "yjs";
import type { EntityManager } from "typeorm";
import { isUuid, requireAccess, requireActor, type Actor } from "../../access/access.js";
import type { Role } from "../../access/roles.js";
import { AppError, archived, invalid, notFound, type FieldProblem } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../platform/database/index.js";
import type { Queue } from "../../platform/queue/queue.js";
import { AnnotationsRepository, type ProjectLabel } from "../annotations/annotations.repository.js";
import type { RoiInput } from "../annotations/annotations.service.js";
import { readCsvTable } from "../cases/csv.js";
import { mergeStored, wellFormedRois } from "../collab/collab.document.js";
import { CollabRepository } from "../collab/collab.repository.js";
import type { ProjectsService } from "../projects/projects.service.js";
import { cohenKappa } from "../review/stats/kappa.js";
import { roiOverlap } from "../review/stats/overlap.js";
import { matchLines, type LinePair, type LineXY } from "../review/stats/lines.js";
import { DEFAULT_POINT_TOLERANCE, matchPoints, mean, meanDistance, matchingF1, type PointPair } from "../review/stats/points.js";
import { EducationRepository, GRANTABLE_ROLES, type CertificationRow, type EducationSettingsRow, type GoldImportRow, type GoldSource, type GrantableRole } from "./education.repository.js";

/** The pass rule until a manager sets one. */
export const DEFAULT_PASS = { passAccuracy: 0.8, minCases: 10 } as const;
export const MAX_GOLD_ROWS = 100_000;

export interface EducationSettingsInput {
  passAccuracy: number;
  minCases: number;
  /** Kept as it was when omitted (10 image pixels at first). */
  pointTolerance?: number | null | undefined;
  targetProjectId?: string | null | undefined;
  grantRole?: GrantableRole | null | undefined;
}

export interface EducationSettingsView {
  projectId: string;
  passAccuracy: number;
  minCases: number;
  pointTolerance: number;
  /** Shown only to those who manage the education project or belong to the target. */
  targetProject: { id: string; name: string } | null;
  grantRole: GrantableRole | null;
  configured: boolean;
  gold: { labels: number; cases: number; imported: number };
}

export interface CertificationView extends CertificationRow {
  grantedProjectName: string | null;
}

export interface TrainingScore {
  projectId: string;
  /** Gold cases the trainee has submitted. */
  cases: number;
  /** Gold labels scored over those cases. */
  labels: number;
  correct: number;
  accuracy: number | null;
  kappa: number | null;
  passAccuracy: number;
  minCases: number;
  passed: boolean;
  certification: CertificationView | null;
}

export interface LabelFeedback {
  labelId: string;
  labelName: string;
  mine: boolean;
  confidence: number | null;
  gold: boolean;
  source: GoldSource;
  correct: boolean;
}

/**
 * A label group's answer against the gold's: the one of its labels given as present, or none.
 * Only for groups whose gold gives one answer (one label present, or none of them).
 */
export interface GroupFeedback {
  groupId: string;
  groupName: string;
  ordinal: boolean;
  /** Label ids, null for none of them. The trainee's is null too when they gave more than one (a submission from before the group). */
  mine: string | null;
  gold: string | null;
  /** The labels' names; null for none of them. */
  mineName: string | null;
  goldName: string | null;
  correct: boolean;
  /** Ordinal groups, both answers a label: how many steps the trainee's lies above (+) or below (−) the gold's. Null otherwise. */
  steps: number | null;
}

/** A point class's points against the gold's, matched one to one within the tolerance on each image (review/stats/points.ts). */
export interface PointFeedback {
  /** Image pixels. */
  tolerance: number;
  /** Gold points with one of the trainee's within the tolerance. */
  found: number;
  missed: number;
  /** The trainee's points that match no gold point. */
  extra: number;
  /** Of the found gold points to the trainee's, in image pixels; null when none was found. */
  meanDistance: number | null;
  /** 2·found / (gold points + the trainee's), the point analogue of Dice; null when neither has any. */
  f1: number | null;
}

/**
 * A line class's lines against the gold's, matched one to one by their midpoints within the
 * tolerance on each image (review/stats/lines.ts), and the found ones' lengths compared: the
 * trainee's minus the gold's, so a positive difference is a line drawn longer than the gold's.
 */
export interface LineFeedback {
  /** Image pixels, between midpoints. */
  tolerance: number;
  /** Gold lines with one of the trainee's there. */
  found: number;
  missed: number;
  /** The trainee's lines that match no gold line. */
  extra: number;
  /** Of the found lines, in image pixels; null when none was found. */
  meanLengthDifference: number | null;
  meanAbsLengthDifference: number | null;
  /** The same over the found lines on images with a pixel spacing, in millimetres; null when none. */
  meanLengthDifferenceMm: number | null;
  meanAbsLengthDifferenceMm: number | null;
  /** 2·found / (gold lines + the trainee's), as for points; null when neither has any. */
  f1: number | null;
}

export interface RoiClassFeedback {
  classId: string;
  className: string;
  /** Regions, or points of a point class, or lines of a line class. */
  goldRegions: number;
  myRegions: number;
  /** Pooled over the case's images; null when neither drew any, for a point or line class, or when an image's size is unknown. */
  dice: number | null;
  /** A point class's feedback; null for other classes. */
  points: PointFeedback | null;
  /** A line class's feedback; null for other classes. */
  lines: LineFeedback | null;
}

export interface TrainingFeedback {
  caseId: string;
  projectId: string;
  annotationId: string;
  version: number;
  labels: LabelFeedback[];
  groups: GroupFeedback[];
  goldRois: RoiInput[];
  myRois: RoiInput[];
  roiClasses: RoiClassFeedback[];
  score: TrainingScore;
}

export interface GoldImportResult {
  imported: number;
  errors: Array<{ line: number; message: string }>;
}

/** Roles a certification may replace in the target: only ones below the granted role, never a sideways or downward change. */
const BELOW: Record<GrantableRole, readonly Role[]> = { VIEWER: [], ANNOTATOR: ["VIEWER", "TRAINEE"], REVIEWER: ["VIEWER", "TRAINEE", "ANNOTATOR"] };

/**
 * Education mode: cases with a gold standard (imported, else adjudicated; ROIs from the consensus
 * layer), feedback to a trainee on a case only once they have submitted it, a running score against
 * the gold and certification, which may grant a role in a linked project.
 */
export class EducationService {
  /** Projects whose certifications this process is checking again; `again`: changed meanwhile. */
  private readonly rechecks = new Map<string, { again: boolean }>();

  constructor(
    private readonly db: Database,
    private readonly projects: ProjectsService,
    private readonly queue: Queue,
    private readonly log: Logger,
  ) {}

  private repo(em: EntityManager = this.db.dataSource.manager) {
    return new EducationRepository(em);
  }

  async settings(actor: Actor | null, projectId: string): Promise<EducationSettingsView> {
    const em = this.db.dataSource.manager;
    await requireAccess(em, actor, "project.view", projectId);
    const repo = this.repo(em);
    const row = await repo.settings(projectId);
    let targetProject: EducationSettingsView["targetProject"] = null;
    if (row?.targetProjectId) {
      const manages = (await requireAccess(em, actor, "project.manage", projectId).then(() => true, () => false)) || (await repo.membershipRole(row.targetProjectId, actor!.userId)) !== null;
      const name = manages ? await repo.projectName(row.targetProjectId) : null;
      if (name) targetProject = { id: row.targetProjectId, name };
    }
    return {
      projectId,
      passAccuracy: row?.passAccuracy ?? DEFAULT_PASS.passAccuracy,
      minCases: row?.minCases ?? DEFAULT_PASS.minCases,
      pointTolerance: row?.pointTolerance ?? DEFAULT_POINT_TOLERANCE,
      targetProject,
      grantRole: row?.grantRole ?? null,
      configured: !!row,
      gold: await repo.goldCounts(projectId),
    };
  }

  /**
   * Sets the pass rule and, optionally, the project and role a pass grants. Needs project.manage here
   * and members.grant in the target: certification grants the role in the setter's name.
   */
  async updateSettings(actorIn: Actor | null, projectId: string, input: EducationSettingsInput): Promise<EducationSettingsView> {
    const actor = requireActor(actorIn);
    const problems: FieldProblem[] = [];
    if (!Number.isFinite(input.passAccuracy) || input.passAccuracy < 0 || input.passAccuracy > 1) problems.push({ field: "passAccuracy", message: "must be a fraction from 0 to 1" });
    if (!Number.isInteger(input.minCases) || input.minCases < 1 || input.minCases > 100_000) problems.push({ field: "minCases", message: "must be a whole number from 1 to 100000" });
    const tolerance = input.pointTolerance;
    if (tolerance != null && !(Number.isFinite(tolerance) && tolerance > 0 && tolerance <= 1000)) problems.push({ field: "pointTolerance", message: "must be a distance in image pixels above 0, at most 1000" });
    // Neither given: the project and role a pass grants stay as they are (null for both stops granting).
    const keepGrant = input.targetProjectId === undefined && input.grantRole === undefined;
    const target = input.targetProjectId ?? null;
    const role = input.grantRole ?? null;
    if (!keepGrant && !target !== !role) problems.push({ field: target ? "grantRole" : "targetProjectId", message: "a target project and a role go together: give both or neither" });
    if (role && !GRANTABLE_ROLES.includes(role)) problems.push({ field: "grantRole", message: `must be one of ${GRANTABLE_ROLES.join(", ")}` });
    if (target && target === projectId) problems.push({ field: "targetProjectId", message: "must be another project" });
    if (problems.length) throw invalid(problems);
    await this.db.tx(async (em) => {
      const access = await requireAccess(em, actor, "project.manage", projectId);
      if (access.archived) throw archived();
      await this.requireEducation(em, projectId);
      const repo = this.repo(em);
      const stored = await repo.settings(projectId);
      const grant = keepGrant ? { target: stored?.targetProjectId ?? null, role: stored?.grantRole ?? null } : { target, role };
      if (grant.target) {
        // A pass grants the role in the name of whoever saved the settings last: they must be able to.
        const ok = await requireAccess(em, actor, "members.grant", grant.target).then((a) => !a.archived, () => false);
        if (!ok) {
          throw invalid([
            {
              field: "targetProjectId",
              message: keepGrant
                ? "a pass grants a role in another project in the name of whoever saves these settings, and you cannot grant roles there: give targetProjectId and grantRole (null for both to stop granting)"
                : "is not an active project where you can grant roles",
            },
          ]);
        }
      }
      const pointTolerance = tolerance ?? stored?.pointTolerance ?? DEFAULT_POINT_TOLERANCE;
      await repo.saveSettings({ projectId, passAccuracy: input.passAccuracy, minCases: input.minCases, pointTolerance, targetProjectId: grant.target, grantRole: grant.role, updatedBy: actor.userId });
    });
    await this.requestRecheck(projectId);
    return this.settings(actor, projectId);
  }

  /**
   * Imports gold labels from CSV `case,label,value` (case key, label name, 0/1/true/false). Every row
   * is checked first; when any is wrong nothing is stored and each bad row is named.
   */
  async importGold(actorIn: Actor | null, projectId: string, csv: string): Promise<GoldImportResult> {
    const actor = requireActor(actorIn);
    const result = await this.db.tx(async (em): Promise<GoldImportResult> => {
      const access = await requireAccess(em, actor, "project.manage", projectId);
      if (access.archived) throw archived();
      await this.requireEducation(em, projectId);
      const table = readCsvTable(csv);
      const col = (name: string) => table.names.indexOf(name);
      const [ci, li, vi] = [col("case"), col("label"), col("value")];
      if (ci < 0 || li < 0 || vi < 0) throw invalid([{ field: "csv", message: "needs a header row with the columns case, label and value" }]);
      if (table.rows.length > MAX_GOLD_ROWS) throw invalid([{ field: "csv", message: `must have at most ${MAX_GOLD_ROWS} rows` }]);
      const repo = this.repo(em);
      const cases = await repo.casesByKey(projectId, [...new Set(table.rows.map((r) => (r.record[ci] ?? "").trim()))]);
      const labels = await new AnnotationsRepository(em).projectLabels(projectId);
      const byName = new Map(labels.filter((l) => !l.archived).map((l) => [l.name.toLowerCase(), l]));
      const errors: GoldImportResult["errors"] = [];
      const rows: GoldImportRow[] = [];
      const seen = new Map<string, number>();
      const present = new Map<string, { name: string; line: number }>();
      for (const { line, record } of table.rows) {
        const key = (record[ci] ?? "").trim();
        const name = (record[li] ?? "").trim();
        const raw = (record[vi] ?? "").trim().toLowerCase();
        const problems: string[] = [];
        const caseId = cases.get(key);
        if (!key) problems.push("the case is empty");
        else if (!caseId) problems.push(`no case "${key}" in this project`);
        const label = byName.get(name.toLowerCase());
        if (!name) problems.push("the label is empty");
        else if (!label) problems.push(`no active label "${name}" in this project`);
        else if (label.kind !== "CLASSIFICATION") problems.push(`"${label.name}" is an ROI class; gold regions are drawn in the consensus layer`);
        const value = raw === "1" || raw === "true" ? true : raw === "0" || raw === "false" ? false : null;
        if (value === null) problems.push(`value "${record[vi] ?? ""}" must be 0, 1, true or false`);
        if (caseId && label) {
          const cell = `${caseId}:${label.id}`;
          const earlier = seen.get(cell);
          if (earlier !== undefined) problems.push(`repeats line ${earlier} (same case and label)`);
          else seen.set(cell, line);
        }
        if (caseId && label?.group && value) {
          // A label group takes one answer: one of its labels present per case.
          const answer = `${caseId}:${label.group.id}`;
          const other = present.get(answer);
          if (other) problems.push(`"${other.name}" (line ${other.line}) is present too, but the group "${label.group.name}" takes one answer`);
          else present.set(answer, { name: label.name, line });
        }
        if (problems.length) errors.push({ line, message: problems.join("; ") });
        else rows.push({ caseId: caseId!, labelId: label!.id, value: value! });
      }
      if (errors.length) return { imported: 0, errors };
      await repo.upsertGold(projectId, rows, actor.userId);
      return { imported: rows.length, errors: [] };
    });
    if (result.imported) await this.requestRecheck(projectId);
    return result;
  }

  /**
   * The gold changed: an adjudication (ReviewService; in an education project it is gold) or a case
   * excluded or included again (AnnotationsService; the scores are over the cases in the project).
   * In an education project certifications are checked again.
   */
  async goldChanged(projectId: string): Promise<void> {
    try {
      if ((await this.modeOf(this.db.dataSource.manager, projectId)) !== "EDUCATION") return;
    } catch (err) {
      this.log.warn({ err: (err as Error).message, projectId }, "education: reading the project's mode after a change of gold failed");
      return;
    }
    await this.requestRecheck(projectId);
  }

  /**
   * After the pass rule or the gold changed: every reader who passes now is to be certified, instead
   * of at their next submission. That scores each reader not yet certified (a course has hundreds),
   * so it is a job (education.recheck), not part of the change's request: an adjudication, the most
   * frequent of these changes, answers at once. Never fails the change that asked: problems are logged.
   */
  private async requestRecheck(projectId: string): Promise<void> {
    try {
      await this.queue.enqueue("education.recheck", { projectId }, { jobId: `education-recheck-${projectId}-${randomUUID()}`, attempts: 2 });
    } catch (err) {
      this.log.warn({ err: (err as Error).message, projectId }, "education: could not queue the check for certifications after a change of rule or gold");
    }
  }

  /**
   * The education.recheck job: certifies every reader of the project who passes now and has no
   * certification; answers how many were certified. A change that arrives while this process is
   * checking the project (a reviewer adjudicating case after case) does not start a second check
   * beside it: the running one goes over the readers once more when it is done, so every change is
   * followed by a whole check that began after it.
   */
  async recheckCertifications(projectId: string): Promise<number> {
    const running = this.rechecks.get(projectId);
    if (running) {
      running.again = true;
      return 0;
    }
    const state = { again: true };
    this.rechecks.set(projectId, state);
    let certified = 0;
    try {
      while (state.again) {
        state.again = false;
        for (const userId of await this.repo().uncertifiedReaders(projectId)) if (await this.certifyIfPassed(projectId, userId)) certified++;
      }
    } finally {
      this.rechecks.delete(projectId);
    }
    return certified;
  }

  /** The caller's running score in an education project. */
  async myScore(actor: Actor | null, projectId: string): Promise<TrainingScore> {
    const em = this.db.dataSource.manager;
    const who = requireActor(actor);
    await requireAccess(em, who, "case.annotate", projectId);
    await this.requireEducation(em, projectId, () => notFound("Project"));
    return this.score(em, projectId, who.userId);
  }

  /**
   * The caller's own latest submission of a case against the gold. Nothing of the gold before they
   * have submitted it: until then the feedback does not exist.
   */
  async feedback(actor: Actor | null, caseId: string): Promise<TrainingFeedback> {
    const em = this.db.dataSource.manager;
    const who = requireActor(actor);
    const annotations = new AnnotationsRepository(em);
    const target = isUuid(caseId) ? await annotations.caseTarget(caseId) : null;
    if (!target) throw notFound("Case");
    await requireAccess(em, who, "case.annotate", target.projectId).catch(() => {
      throw notFound("Case");
    });
    // Adjudications of review projects are not gold for their annotators: feedback exists only in education mode.
    await this.requireEducation(em, target.projectId, () => notFound("Case"));
    const latest = await annotations.latestSubmitted(caseId, who.userId);
    if (!latest) throw new AppError("NOT_FOUND", "No feedback yet: submit the case first");
    const [view] = await annotations.views([latest]);
    const repo = this.repo(em);
    const labels = await annotations.projectLabels(target.projectId);
    const nameOf = new Map(labels.map((l) => [l.id, l.name]));
    const mine = new Map(view!.labels.map((v) => [v.labelId, v]));
    const gold = await repo.caseGold(target.projectId, caseId);
    const tolerance = (await repo.settings(target.projectId))?.pointTolerance ?? DEFAULT_POINT_TOLERANCE;
    const labelFeedback: LabelFeedback[] = gold.map((g) => {
      const m = mine.get(g.labelId);
      const value = m?.value ?? false;
      return { labelId: g.labelId, labelName: nameOf.get(g.labelId) ?? "", mine: value, confidence: m?.confidence ?? null, gold: g.value, source: g.source, correct: value === g.value };
    });
    // A consensus region drawn on an image case may leave its image implicit. A case excluded from
    // the project is no gold: no regions, as caseGold gave no labels.
    const goldRois = (!(await new CasesRepository(em).isIncluded(caseId)) ? [] : await this.consensusRois(em, caseId)).map((r) => ({ ...r, sopInstanceUid: r.sopInstanceUid ?? target.sopInstanceUid, frame: r.frame ?? 1 }));
    const myRois: RoiInput[] = view!.rois.map((r) => ({ id: r.id, classId: r.classId, kind: r.kind, points: r.points, sopInstanceUid: r.sopInstanceUid, frame: r.frame }));
    const sizes = await repo.caseImageSizes(caseId);
    const classIds = [...new Set([...goldRois, ...myRois].map((r) => r.classId))].filter((id) => nameOf.has(id));
    const order = new Map(labels.map((l, i) => [l.id, i]));
    classIds.sort((a, b) => order.get(a)! - order.get(b)!);
    const shapeOf = new Map(labels.map((l) => [l.id, l.roiShape]));
    const roiClasses = classIds.map((classId) => {
      const g = goldRois.filter((r) => r.classId === classId);
      const m = myRois.filter((r) => r.classId === classId);
      const shape = shapeOf.get(classId);
      return {
        classId,
        className: nameOf.get(classId)!,
        goldRegions: g.length,
        myRegions: m.length,
        dice: shape === "POINT" || shape === "LINE" ? null : pooledDice(g, m, sizes, target.sopInstanceUid),
        points: shape === "POINT" ? pooledPoints(g, m, target.sopInstanceUid, tolerance) : null,
        lines: shape === "LINE" ? pooledLines(g, m, target.sopInstanceUid, sizes, tolerance) : null,
      };
    });
    return {
      caseId,
      projectId: target.projectId,
      annotationId: latest.id,
      version: latest.version,
      labels: labelFeedback,
      groups: groupFeedback(labels, new Map(gold.map((g) => [g.labelId, g.value])), new Map(view!.labels.map((v) => [v.labelId, v.value]))),
      goldRois,
      myRois,
      roiClasses,
      score: await this.score(em, target.projectId, who.userId),
    };
  }

  /**
   * Called after a submission. In an education project, a reader whose score passes and who has no
   * certification is certified; when the settings name a target, the role is granted there by
   * ProjectsService in the name of the manager who set the rule (so the grant is a role.grant leaf
   * with that actor, and fails, leaving the certification without a grant, if they may no longer
   * grant roles there). Never fails the submission: problems are logged.
   */
  async afterSubmit(actor: Actor | null, caseId: string): Promise<void> {
    try {
      if (!actor || !isUuid(caseId)) return;
      const em = this.db.dataSource.manager;
      const target = await new AnnotationsRepository(em).caseTarget(caseId);
      if (!target || (await this.modeOf(em, target.projectId)) !== "EDUCATION") return;
      await this.certifyIfPassed(target.projectId, actor.userId);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, caseId }, "education: checking for certification after a submission failed");
    }
  }

  /** Certifies the user when their score passes and they have no certification yet; returns the new certification or null. */
  async certifyIfPassed(projectId: string, userId: string): Promise<CertificationRow | null> {
    const em = this.db.dataSource.manager;
    const repo = this.repo(em);
    if (await repo.certification(projectId, userId)) return null;
    const score = await this.score(em, projectId, userId);
    if (!score.passed) return null;
    const cert = await repo.insertCertification({ projectId, userId, cases: score.cases, accuracy: score.accuracy!, kappa: score.kappa });
    if (!cert) return null;
    const settings = await repo.settings(projectId);
    if (settings?.targetProjectId && settings.grantRole && settings.updatedBy) {
      const role = settings.grantRole;
      const existing = await repo.membershipRole(settings.targetProjectId, userId);
      const email = await repo.userEmail(userId);
      if (email && (existing === null || BELOW[role].includes(existing))) {
        try {
          await this.projects.grantRole({ userId: settings.updatedBy, via: "session" }, settings.targetProjectId, email, role);
          await repo.recordGrant(projectId, userId, settings.targetProjectId, role);
          return { ...cert, grantedProjectId: settings.targetProjectId, grantedRole: role };
        } catch (err) {
          this.log.warn({ err: (err as Error).message, projectId, target: settings.targetProjectId }, "education: certified, but the role could not be granted in the target project");
        }
      }
    }
    return cert;
  }

  private async score(em: EntityManager, projectId: string, userId: string): Promise<TrainingScore> {
    const repo = this.repo(em);
    const [pairs, settings, cert] = [await repo.scoredPairs(projectId, userId), await repo.settings(projectId), await repo.certification(projectId, userId)];
    const rule = ruleOf(settings);
    const cases = new Set(pairs.map((p) => p.caseId)).size;
    const correct = pairs.filter((p) => p.mine === p.gold).length;
    const accuracy = pairs.length ? correct / pairs.length : null;
    const kappa = cohenKappa(pairs.map((p) => [p.mine, p.gold] as const));
    let certification: CertificationView | null = null;
    if (cert) {
      // Named only where the user now belongs: the grant made them a member.
      const name = cert.grantedProjectId && (await repo.membershipRole(cert.grantedProjectId, userId)) ? await repo.projectName(cert.grantedProjectId) : null;
      certification = { ...cert, grantedProjectName: name };
    }
    return {
      projectId,
      cases,
      labels: pairs.length,
      correct,
      accuracy,
      kappa,
      passAccuracy: rule.passAccuracy,
      minCases: rule.minCases,
      passed: passes(rule, cases, accuracy),
      certification,
    };
  }

  /** The consensus layer's well-formed regions (the Yjs document is the source of truth). */
  private async consensusRois(em: EntityManager, caseId: string): Promise<RoiInput[]> {
    const collab = new CollabRepository(em);
    const doc = await collab.findDocument(caseId, "consensus");
    if (!doc) return [];
    const y = new Y.Doc();
    try {
      Y.applyUpdate(y, mergeStored((await collab.updates(doc.id)).map((u) => u.data)));
      return wellFormedRois(y);
    } finally {
      y.destroy();
    }
  }

  private async modeOf(em: EntityManager, projectId: string): Promise<string | null> {
    const rows: Array<{ mode: string }> = await em.query(`SELECT mode FROM projects WHERE id = $1`, [projectId]);
    return rows[0]?.mode ?? null;
  }

  private async requireEducation(em: EntityManager, projectId: string, otherwise: () => Error = () => invalid([{ field: "projectId", message: "the project's mode must be EDUCATION (set it in the project's settings)" }])): Promise<void> {
    if ((await this.modeOf(em, projectId)) !== "EDUCATION") throw otherwise();
  }
}

export function ruleOf(settings: Pick<EducationSettingsRow, "passAccuracy" | "minCases"> | null): { passAccuracy: number; minCases: number } {
  return settings ? { passAccuracy: settings.passAccuracy, minCases: settings.minCases } : { ...DEFAULT_PASS };
}

/** Enough gold cases read and accurate enough. pass_accuracy is stored as a real: compare with a little slack. */
export function passes(rule: { passAccuracy: number; minCases: number }, cases: number, accuracy: number | null): boolean {
  return accuracy !== null && cases >= rule.minCases && accuracy >= rule.passAccuracy - 1e-6;
}

/** Dice of one class's regions, pooled over the images they lie on: 2 Σ|A∩B| / (Σ|A| + Σ|B|). */
export function pooledDice(
  gold: readonly RoiInput[],
  mine: readonly RoiInput[],
  sizes: ReadonlyMap<string, { rows: number | null; columns: number | null }>,
  defaultSop: string | null,
): number | null {
  const where = (r: RoiInput) => `${r.sopInstanceUid ?? defaultSop ?? ""}\u0000${r.frame ?? 1}`;
  const images = new Set([...gold, ...mine].map(where));
  let a = 0;
  let b = 0;
  let both = 0;
  for (const image of images) {
    const size = sizes.get(image.split("\u0000")[0]!);
    if (!size?.rows || !size.columns) return null;
    const on = (rois: readonly RoiInput[]) => rois.filter((r) => where(r) === image).map((r) => ({ kind: r.kind, points: r.points.map((p) => [Number(p[0]), Number(p[1])] as const) }));
    const o = roiOverlap(on(gold), on(mine), size.columns, size.rows);
    a += o.pixelsA;
    b += o.pixelsB;
    both += o.intersection;
  }
  return a + b === 0 ? null : (2 * both) / (a + b);
}

/**
 * A point class's points against the gold's: on each image (and frame) matched one to one within
 * `tolerance` image pixels, the counts summed and the distances pooled over the images.
 */
export function pooledPoints(gold: readonly RoiInput[], mine: readonly RoiInput[], defaultSop: string | null, tolerance = DEFAULT_POINT_TOLERANCE): PointFeedback {
  const where = (r: RoiInput) => `${r.sopInstanceUid ?? defaultSop ?? ""}\u0000${r.frame ?? 1}`;
  const points = (rois: readonly RoiInput[], image: string) => rois.flatMap((r) => (r.kind === "POINT" && where(r) === image && numbers(r.points[0]) ? [r.points[0]] : []));
  const pairs: PointPair[] = [];
  let missed = 0;
  let extra = 0;
  for (const image of new Set([...gold, ...mine].map(where))) {
    const m = matchPoints(points(gold, image), points(mine, image), tolerance);
    pairs.push(...m.pairs);
    missed += m.unmatchedA;
    extra += m.unmatchedB;
  }
  return { tolerance, found: pairs.length, missed, extra, meanDistance: meanDistance(pairs), f1: matchingF1({ pairs, unmatchedA: missed, unmatchedB: extra }) };
}

/** The consensus layer is not checked as a reader's draft is: a place without two finite coordinates is left out where it is read. */
function numbers(p: unknown): p is [number, number] {
  return Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === "number" && Number.isFinite(x));
}

/**
 * A line class's lines against the gold's: on each image (and frame) matched one to one by their
 * midpoints within `tolerance` image pixels, the counts summed and the found lines' length
 * differences (the trainee's minus the gold's) pooled over the images; in millimetres over those on
 * images with a pixel spacing.
 */
export function pooledLines(
  gold: readonly RoiInput[],
  mine: readonly RoiInput[],
  defaultSop: string | null,
  images: ReadonlyMap<string, { spacing?: readonly [number, number] | null }>,
  tolerance = DEFAULT_POINT_TOLERANCE,
): LineFeedback {
  const sopOf = (r: RoiInput) => r.sopInstanceUid ?? defaultSop ?? "";
  const where = (r: RoiInput) => `${sopOf(r)}\u0000${r.frame ?? 1}`;
  const lines = (rois: readonly RoiInput[], image: string) =>
    rois.flatMap((r): LineXY[] => (r.kind === "LINE" && where(r) === image && r.points.length === 2 && numbers(r.points[0]) && numbers(r.points[1]) ? [[r.points[0], r.points[1]]] : []));
  const pairs: LinePair[] = [];
  let missed = 0;
  let extra = 0;
  for (const [image, sop] of new Map([...gold, ...mine].map((r) => [where(r), sopOf(r)]))) {
    // The trainee's first: each pair's difference is theirs minus the gold's.
    const m = matchLines(lines(mine, image), lines(gold, image), tolerance, images.get(sop)?.spacing ?? null);
    pairs.push(...m.pairs);
    extra += m.unmatchedA;
    missed += m.unmatchedB;
  }
  const px = pairs.map((p) => p.lengthDifference);
  const mm = pairs.flatMap((p) => (p.lengthDifferenceMm === null ? [] : [p.lengthDifferenceMm]));
  return {
    tolerance,
    found: pairs.length,
    missed,
    extra,
    meanLengthDifference: mean(px),
    meanAbsLengthDifference: mean(px.map(Math.abs)),
    meanLengthDifferenceMm: mean(mm),
    meanAbsLengthDifferenceMm: mean(mm.map(Math.abs)),
    f1: matchingF1({ pairs, unmatchedA: extra, unmatchedB: missed }),
  };
}

/**
 * Each label group's answer against the gold's. The gold's answer is its one label of the group
 * given as present, or none of them when it gives every label of the group as absent; a group the
 * gold gives two answers in, or leaves open (some labels absent, the rest without a gold value), is
 * left out. The trainee's answer is read from all their values of the group's labels.
 */
export function groupFeedback(labels: readonly ProjectLabel[], gold: ReadonlyMap<string, boolean>, mine: ReadonlyMap<string, boolean>): GroupFeedback[] {
  const groups = new Map<string, { name: string; ordinal: boolean; labels: string[] }>();
  const nameOf = (id: string | null) => (id === null ? null : (labels.find((l) => l.id === id)?.name ?? null));
  // projectLabels lists the labels in their order, so each group's labels come in its order.
  for (const l of labels) {
    if (!l.group) continue;
    const g = groups.get(l.group.id) ?? groups.set(l.group.id, { name: l.group.name, ordinal: l.group.ordinal, labels: [] }).get(l.group.id)!;
    g.labels.push(l.id);
  }
  const out: GroupFeedback[] = [];
  for (const [groupId, g] of groups) {
    const present = g.labels.filter((id) => gold.get(id) === true);
    const settled = present.length === 1 || (present.length === 0 && g.labels.every((id) => gold.get(id) === false));
    if (!settled) continue;
    const chosen = g.labels.filter((id) => mine.get(id) === true);
    const myAnswer = chosen.length === 1 ? chosen[0]! : null;
    const goldAnswer = present[0] ?? null;
    out.push({
      groupId,
      groupName: g.name,
      ordinal: g.ordinal,
      mine: myAnswer,
      gold: goldAnswer,
      mineName: nameOf(myAnswer),
      goldName: nameOf(goldAnswer),
      correct: chosen.length <= 1 && myAnswer === goldAnswer,
      steps: g.ordinal && myAnswer && goldAnswer ? g.labels.indexOf(myAnswer) - g.labels.indexOf(goldAnswer) : null,
    });
  }
  return out;
}
