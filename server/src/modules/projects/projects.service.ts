import type { EntityManager } from "typeorm";
import { credentialsLive, isUuid, loadProjectResource, permissionsOf, requireAccess, requireActor, type Actor } from "../../access/access.js";
import type { Action, Role } from "../../access/roles.js";
import { archived, conflict, forbidden, invalid, notFound, type FieldProblem } from "../../errors.js";
import { listen, type Bus } from "../../platform/pubsub/bus.js";
import type { Database } from "../../platform/database/index.js";
import { AccountsRepository } from "../accounts/accounts.repository.js";
import { normaliseEmail } from "../accounts/accounts.service.js";
import type { CaseKeySource, CaseUnit, LabelDefinitionEntity, LabelKind, ProjectEntity, ProjectMode, QueueOrder, RoiShape } from "./projects.entity.js";
import { ProjectsRepository, type LabelGroupRow, type MemberRow } from "./projects.repository.js";
import type { LedgerService } from "../ledger/ledger.service.js";
import { DEFAULT_SPLIT, splitProblems, type SplitGroup } from "../cases/splits.js";

export type ProjectEventKind =
  | "PROJECT_UPDATED"
  | "PROJECT_ARCHIVED"
  | "PROJECT_UNARCHIVED"
  | "LABELS_CHANGED"
  | "MEMBERS_CHANGED"
  /** Sent to one subscriber, last, when they can no longer see the project. */
  | "ACCESS_REVOKED";

export interface ProjectEventPayload {
  kind: ProjectEventKind;
  projectId: string;
  at: string;
}

export const projectChannel = (projectId: string) => `project:${projectId}`;
export const userChannel = (userId: string) => `user:${userId}`;

export type MembershipEventKind = "ADDED" | "ROLE_CHANGED" | "REMOVED";

/** Told to the member concerned, so their project list changes without a reload. */
export interface MembershipEventPayload {
  kind: MembershipEventKind;
  projectId: string;
  role: Role | null;
  at: string;
}

export interface ProjectSettingsInput {
  description?: string | null | undefined;
  mode?: ProjectMode | null | undefined;
  blindReading?: boolean | null | undefined;
  retainLongitudinalModifiedDates?: boolean | null | undefined;
  caseUnit?: CaseUnit | null | undefined;
  caseKeySource?: CaseKeySource | null | undefined;
  readersPerCase?: number | null | undefined;
  queueOrder?: QueueOrder | null | undefined;
  assignedReading?: boolean | null | undefined;
  datasetSplit?: { trainPercent: number; validationPercent: number; groupBy?: SplitGroup | null | undefined } | null | undefined;
  /** Given: both replace what was set (null or omitted: the split's cases need readersPerCase). */
  readersPerSplit?: { validation?: number | null | undefined; test?: number | null | undefined } | null | undefined;
}

export interface LabelInput {
  kind: LabelKind;
  roiShape?: RoiShape | null | undefined;
  name: string;
  description?: string | null | undefined;
  color?: string | null | undefined;
}

export interface LabelGroupInput {
  name: string;
  labelIds: string[];
  ordinal?: boolean | null | undefined;
  required?: boolean | null | undefined;
}

/** A group's labels at most: a scale or a list of answers, not a label set. */
export const MAX_GROUP_LABELS = 20;

export interface LabelPatch {
  name?: string | null | undefined;
  description?: string | null | undefined;
  color?: string | null | undefined;
}

export interface ProjectView {
  project: ProjectEntity;
  role: Role;
  permissions: Action[];
}

// Distinct on dark and light backgrounds; new labels take the next one.
const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324"];
const COLOR = /^#[0-9a-fA-F]{6}$/;
const MAX_READERS_PER_CASE = 100;

export class ProjectsService {
  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly ledger: LedgerService,
  ) {}

  private repo(em: EntityManager = this.db.dataSource.manager) {
    return new ProjectsRepository(em);
  }

  async create(actorIn: Actor | null, name: string, settings: ProjectSettingsInput): Promise<ProjectView> {
    const actor = requireActor(actorIn);
    const problems = [...nameProblems(name), ...settingsProblems(settings)];
    if (problems.length) throw invalid(problems);
    const project = await this.db.tx(async (em) => {
      const repo = this.repo(em);
      const project = await repo.insertProject({
        name: name.trim(),
        description: settings.description?.trim() ?? "",
        mode: settings.mode ?? "STANDARD",
        blindReading: settings.blindReading ?? true,
        retainLongitudinalModifiedDates: settings.retainLongitudinalModifiedDates ?? false,
        caseUnit: settings.caseUnit ?? "IMAGE",
        caseKeySource: settings.caseKeySource ?? "FILE_NAME",
        readersPerCase: settings.readersPerCase ?? 3,
        queueOrder: settings.queueOrder ?? "DEFAULT",
        assignedReading: settings.assignedReading ?? false,
        splitTrain: settings.datasetSplit?.trainPercent ?? DEFAULT_SPLIT.trainPercent,
        splitValidation: settings.datasetSplit?.validationPercent ?? DEFAULT_SPLIT.validationPercent,
        splitGroup: settings.datasetSplit?.groupBy ?? DEFAULT_SPLIT.groupBy,
        readersValidation: settings.readersPerSplit?.validation ?? null,
        readersTest: settings.readersPerSplit?.test ?? null,
        createdBy: actor.userId,
      });
      await repo.upsertMembership(project.id, actor.userId, "OWNER", actor.userId);
      return project;
    });
    return this.view(actor, project, "OWNER");
  }

  async mine(actorIn: Actor | null, includeArchived: boolean): Promise<ProjectView[]> {
    const actor = requireActor(actorIn);
    const rows = await this.repo().projectsOf(actor.userId, includeArchived);
    return rows.map(({ project, role }) => this.view(actor, project, role));
  }

  async get(actor: Actor | null, id: string): Promise<ProjectView> {
    const access = await requireAccess(this.db.dataSource.manager, actor, "project.view", id);
    const project = await this.repo().findProject(id);
    if (!project) throw notFound("Project");
    return this.view(actor!, project, access.role!);
  }

  rename(actor: Actor | null, id: string, name: string): Promise<ProjectView> {
    const problems = nameProblems(name);
    if (problems.length) throw invalid(problems);
    return this.updateProject(actor, id, "project.manage", { name: name.trim() }, "PROJECT_UPDATED");
  }

  updateSettings(actor: Actor | null, id: string, input: ProjectSettingsInput): Promise<ProjectView> {
    const problems = settingsProblems(input);
    if (problems.length) throw invalid(problems);
    const patch: Parameters<ProjectsRepository["updateProject"]>[1] = {};
    if (input.description != null) patch.description = input.description.trim();
    if (input.mode != null) patch.mode = input.mode;
    if (input.blindReading != null) patch.blindReading = input.blindReading;
    if (input.retainLongitudinalModifiedDates != null) patch.retainLongitudinalModifiedDates = input.retainLongitudinalModifiedDates;
    if (input.readersPerCase != null) patch.readersPerCase = input.readersPerCase;
    if (input.caseUnit != null) patch.caseUnit = input.caseUnit;
    if (input.caseKeySource != null) patch.caseKeySource = input.caseKeySource;
    if (input.queueOrder != null) patch.queueOrder = input.queueOrder;
    if (input.assignedReading != null) patch.assignedReading = input.assignedReading;
    if (input.datasetSplit != null) {
      patch.splitTrain = input.datasetSplit.trainPercent;
      patch.splitValidation = input.datasetSplit.validationPercent;
      if (input.datasetSplit.groupBy != null) patch.splitGroup = input.datasetSplit.groupBy;
    }
    if (input.readersPerSplit != null) {
      patch.readersValidation = input.readersPerSplit.validation ?? null;
      patch.readersTest = input.readersPerSplit.test ?? null;
    }
    return this.updateProject(actor, id, "project.manage", patch, "PROJECT_UPDATED", false, async (em, before, after) => {
      // Which cases are a model's test set is part of the science: a change of the split is on the ledger.
      const split = (p: ProjectEntity) => ({ trainPercent: p.splitTrain, validationPercent: p.splitValidation, groupBy: p.splitGroup });
      if (JSON.stringify(split(before)) === JSON.stringify(split(after))) return;
      await this.ledger.record(em, { type: "project.split", actorId: actor!.userId, projectId: id, objectId: id, change: split(after) });
    });
  }

  archive(actor: Actor | null, id: string): Promise<ProjectView> {
    return this.updateProject(actor, id, "project.archive", { archivedAt: new Date() }, "PROJECT_ARCHIVED", true);
  }

  unarchive(actor: Actor | null, id: string): Promise<ProjectView> {
    return this.updateProject(actor, id, "project.archive", { archivedAt: null }, "PROJECT_UNARCHIVED", true);
  }

  labels(projectId: string, includeArchived: boolean): Promise<LabelDefinitionEntity[]> {
    return this.repo().labels(projectId, includeArchived);
  }

  async createLabel(actor: Actor | null, projectId: string, input: LabelInput): Promise<LabelDefinitionEntity> {
    const problems = labelProblems(input);
    if (problems.length) throw invalid(problems);
    const label = await this.db.tx(async (em) => {
      await this.writable(em, actor, "labels.edit", projectId);
      const repo = this.repo(em);
      const name = input.name.trim();
      if (await repo.labelNameTaken(projectId, name)) throw conflict(`A label named "${name}" already exists`, "name");
      const position = await repo.nextLabelPosition(projectId);
      return repo.insertLabel({
        projectId,
        kind: input.kind,
        roiShape: input.kind === "ROI" ? input.roiShape! : null,
        name,
        description: input.description?.trim() ?? "",
        color: (input.color ?? PALETTE[position % PALETTE.length]!).toLowerCase(),
        position,
      });
    });
    await this.publish(projectId, "LABELS_CHANGED");
    return label;
  }

  /** Renames, re-describes or re-colours a label. Its id, kind and data stay, so nothing annotated is lost. */
  async updateLabel(actor: Actor | null, labelId: string, patch: LabelPatch): Promise<LabelDefinitionEntity> {
    const problems: FieldProblem[] = [];
    if (patch.name != null) problems.push(...nameProblems(patch.name));
    if (patch.color != null && !COLOR.test(patch.color)) problems.push({ field: "color", message: "must be a colour like #1a2b3c" });
    if (problems.length) throw invalid(problems);
    const label = await this.db.tx(async (em) => {
      const repo = this.repo(em);
      const current = await this.labelFor(em, actor, labelId);
      const update: Parameters<ProjectsRepository["updateLabel"]>[1] = {};
      if (patch.name != null) {
        const name = patch.name.trim();
        if (!current.archivedAt && (await repo.labelNameTaken(current.projectId, name, current.id))) {
          throw conflict(`A label named "${name}" already exists`, "name");
        }
        update.name = name;
      }
      if (patch.description != null) update.description = patch.description.trim();
      if (patch.color != null) update.color = patch.color.toLowerCase();
      return repo.updateLabel(current.id, update);
    });
    await this.publish(label.projectId, "LABELS_CHANGED");
    return label;
  }

  /** Archived labels disappear from new annotations; everything already recorded with them stays. */
  async setLabelArchived(actor: Actor | null, labelId: string, archive: boolean): Promise<LabelDefinitionEntity> {
    const label = await this.db.tx(async (em) => {
      const repo = this.repo(em);
      const current = await this.labelFor(em, actor, labelId);
      if (!archive && current.archivedAt && (await repo.labelNameTaken(current.projectId, current.name, current.id))) {
        throw conflict(`Another label is now named "${current.name}"; rename one of them first`, "name");
      }
      const patch: Parameters<ProjectsRepository["updateLabel"]>[1] = { archivedAt: archive ? new Date() : null };
      if (!archive && current.archivedAt) patch.position = await repo.nextLabelPosition(current.projectId);
      return repo.updateLabel(current.id, patch);
    });
    await this.publish(label.projectId, "LABELS_CHANGED");
    return label;
  }

  /** Sets the order of the project's active labels; the list must name each of them exactly once. */
  async reorderLabels(actor: Actor | null, projectId: string, labelIds: string[]): Promise<LabelDefinitionEntity[]> {
    const labels = await this.db.tx(async (em) => {
      await this.writable(em, actor, "labels.edit", projectId);
      const repo = this.repo(em);
      const active = await repo.labels(projectId, false);
      const known = new Set(active.map((l) => l.id));
      const given = new Set(labelIds);
      if (given.size !== labelIds.length || given.size !== known.size || labelIds.some((id) => !known.has(id))) {
        throw invalid([{ field: "labelIds", message: "must list every active label of the project exactly once" }]);
      }
      for (const [position, id] of labelIds.entries()) await repo.updateLabel(id, { position });
      return repo.labels(projectId, false);
    });
    await this.publish(projectId, "LABELS_CHANGED");
    return labels;
  }

  /**
   * Copies another project's active labels (kind, shape, name, description, colour, in their order)
   * and label groups into this one, after its own labels: the set a research group reuses, or an
   * education project's course mirroring the main reading. A label whose name this project already
   * uses is not copied; a group is made where its labels are here (copied or already here, as
   * classification labels in no group) and its name is free. What was left out is named.
   */
  async copyLabels(actor: Actor | null, projectId: string, sourceProjectId: string): Promise<{ created: LabelDefinitionEntity[]; groups: LabelGroupRow[]; skipped: string[] }> {
    if (projectId === sourceProjectId) throw invalid([{ field: "sourceProjectId", message: "is this project" }]);
    const out = await this.db.tx(async (em) => {
      await requireAccess(em, actor, "project.view", sourceProjectId);
      await this.writable(em, actor, "labels.edit", projectId);
      const repo = this.repo(em);
      const [source, sourceGroups, here] = await Promise.all([repo.labels(sourceProjectId, false), repo.labelGroups(sourceProjectId), repo.labels(projectId, false)]);
      const byName = new Map(here.map((l) => [l.name.toLowerCase(), l]));
      const created: LabelDefinitionEntity[] = [];
      const skipped: string[] = [];
      let position = await repo.nextLabelPosition(projectId);
      for (const l of source) {
        if (byName.has(l.name.toLowerCase())) {
          skipped.push(`label "${l.name}": this project has a label of that name`);
          continue;
        }
        const label = await repo.insertLabel({ projectId, kind: l.kind, roiShape: l.roiShape, name: l.name, description: l.description, color: l.color, position: position++ });
        created.push(label);
        byName.set(label.name.toLowerCase(), label);
      }
      const groups: LabelGroupRow[] = [];
      const names = new Set((await repo.labelGroups(projectId)).map((g) => g.name.toLowerCase()));
      const sourceName = new Map(source.map((l) => [l.id, l.name.toLowerCase()]));
      for (const g of sourceGroups) {
        const members = g.labelIds.filter((id) => sourceName.has(id)).map((id) => byName.get(sourceName.get(id)!));
        const usable = members.length >= 2 && members.every((l) => l && l.kind === "CLASSIFICATION" && !l.groupId);
        if (names.has(g.name.toLowerCase())) skipped.push(`group "${g.name}": this project has a group of that name`);
        else if (!usable) skipped.push(`group "${g.name}": its labels here are not all classification labels free to group`);
        else {
          const id = await repo.insertLabelGroup(projectId, { name: g.name, ordinal: g.ordinal, required: g.required });
          await repo.setGroupLabels(id, members.map((l) => l!.id));
          names.add(g.name.toLowerCase());
          groups.push((await repo.labelGroups(projectId, id))[0]!);
        }
      }
      return { created, groups, skipped };
    });
    if (out.created.length || out.groups.length) await this.publish(projectId, "LABELS_CHANGED");
    return out;
  }

  labelGroups(projectId: string): Promise<LabelGroupRow[]> {
    return this.repo().labelGroups(projectId);
  }

  /**
   * Groups classification labels among which a reader gives one answer. The labels move next to
   * each other, in the order given (a scale's, lowest first), where the first of them stood.
   */
  createLabelGroup(actor: Actor | null, projectId: string, input: LabelGroupInput): Promise<LabelGroupRow> {
    return this.writeLabelGroup(actor, { projectId }, input);
  }

  /** Renames a group, changes its settings or its labels (the list is its active labels, in order; archived ones stay in it). */
  updateLabelGroup(actor: Actor | null, groupId: string, input: LabelGroupInput): Promise<LabelGroupRow> {
    return this.writeLabelGroup(actor, { groupId }, input);
  }

  /** Its labels stay, ungrouped, with everything recorded with them. */
  async deleteLabelGroup(actor: Actor | null, groupId: string): Promise<boolean> {
    const projectId = await this.db.tx(async (em) => {
      const group = await this.labelGroupFor(em, actor, groupId);
      await this.repo(em).deleteLabelGroup(group.id);
      return group.projectId;
    });
    await this.publish(projectId, "LABELS_CHANGED");
    return true;
  }

  private async writeLabelGroup(actor: Actor | null, target: { projectId: string } | { groupId: string }, input: LabelGroupInput): Promise<LabelGroupRow> {
    const groupId = "groupId" in target ? target.groupId : null;
    const problems = nameProblems(input.name);
    const ids = input.labelIds;
    if (ids.length < 2 || ids.length > MAX_GROUP_LABELS) problems.push({ field: "labelIds", message: `must name 2 to ${MAX_GROUP_LABELS} labels` });
    else if (new Set(ids).size !== ids.length) problems.push({ field: "labelIds", message: "must name each label once" });
    if (problems.length) throw invalid(problems);
    const group = await this.db.tx(async (em) => {
      const projectId = "groupId" in target ? (await this.labelGroupFor(em, actor, target.groupId)).projectId : target.projectId;
      if (!groupId) await this.writable(em, actor, "labels.edit", projectId);
      const repo = this.repo(em);
      const name = input.name.trim();
      if (await repo.labelGroupNameTaken(projectId, name, groupId)) throw conflict(`A label group named "${name}" already exists`, "name");
      const active = await repo.labels(projectId, false);
      const byId = new Map(active.map((l) => [l.id, l]));
      const groups = new Map((await repo.labelGroups(projectId)).map((g) => [g.id, g.name]));
      ids.forEach((id, i) => {
        const label = isUuid(id) ? byId.get(id) : undefined;
        const at = `labelIds[${i}]`;
        if (!label) problems.push({ field: at, message: "is not an active label of this project" });
        else if (label.kind !== "CLASSIFICATION") problems.push({ field: at, message: `"${label.name}" is an ROI class; a group holds classification labels` });
        else if (label.groupId && label.groupId !== groupId) problems.push({ field: at, message: `"${label.name}" is in the group "${groups.get(label.groupId)}"; take it out of that one first` });
      });
      if (problems.length) throw invalid(problems);
      const settings = { name, ordinal: input.ordinal ?? false, required: input.required ?? false };
      const id = groupId ?? (await repo.insertLabelGroup(projectId, settings));
      if (groupId) await repo.updateLabelGroup(groupId, settings);
      await repo.setGroupLabels(id, ids);
      // The group's labels together, in its order, where the first of them stood.
      const members = new Set(ids);
      const order = active.map((l) => l.id);
      const first = order.findIndex((l) => members.has(l));
      const placed = [...order.slice(0, first), ...ids, ...order.slice(first).filter((l) => !members.has(l))];
      for (const [position, labelId] of placed.entries()) if (byId.get(labelId)!.position !== position) await repo.updateLabel(labelId, { position });
      return (await repo.labelGroups(projectId, id))[0]!;
    });
    await this.publish(group.projectId, "LABELS_CHANGED");
    return group;
  }

  async members(actor: Actor | null, projectId: string): Promise<MemberRow[]> {
    await requireAccess(this.db.dataSource.manager, actor, "members.view", projectId);
    return this.repo().members(projectId);
  }

  /** Grants a role, or changes it. Only an owner may make or unmake owners; the last owner stays. */
  async grantRole(actorIn: Actor | null, projectId: string, email: string, role: Role): Promise<MemberRow> {
    const actor = requireActor(actorIn);
    const row = await this.db.tx(async (em) => {
      const access = await this.writable(em, actor, "members.grant", projectId);
      const repo = this.repo(em);
      const user = await new AccountsRepository(em).findUserByEmail(normaliseEmail(email));
      if (!user) throw invalid([{ field: "email", message: "no account has this e-mail address" }]);
      const existing = await repo.findMembership(projectId, user.id);
      if ((role === "OWNER" || existing?.role === "OWNER") && access.role !== "OWNER") {
        throw forbidden("Only an owner can grant or change the owner role");
      }
      if (existing?.role === "OWNER" && role !== "OWNER" && (await repo.countOwners(projectId)) <= 1) {
        throw forbidden("The last owner cannot be removed; make someone else an owner first");
      }
      await repo.upsertMembership(projectId, user.id, role, actor.userId);
      await this.ledger.record(em, { type: "role.grant", actorId: actor.userId, projectId, objectId: user.id, change: { projectId, userId: user.id, role, previousRole: existing?.role ?? null } });
      await repo.touchProject(projectId);
      const row = (await repo.members(projectId)).find((m) => m.userId === user.id)!;
      return { ...row, previousRole: existing?.role ?? null };
    });
    await this.publish(projectId, "MEMBERS_CHANGED");
    if (row.previousRole !== role) await this.tellMember(row.userId, row.previousRole ? "ROLE_CHANGED" : "ADDED", projectId, role);
    const { previousRole: _p, ...member } = row;
    return member;
  }

  async revokeRole(actorIn: Actor | null, projectId: string, userId: string): Promise<boolean> {
    const actor = requireActor(actorIn);
    await this.db.tx(async (em) => {
      const access = await this.writable(em, actor, "members.grant", projectId);
      const repo = this.repo(em);
      const existing = isUuid(userId) ? await repo.findMembership(projectId, userId) : null;
      if (!existing) throw notFound("Member");
      if (existing.role === "OWNER") {
        if (access.role !== "OWNER") throw forbidden("Only an owner can remove an owner");
        if ((await repo.countOwners(projectId)) <= 1) {
          throw forbidden("The last owner cannot be removed; make someone else an owner first");
        }
      }
      await repo.deleteMembership(projectId, userId);
      await this.ledger.record(em, { type: "role.revoke", actorId: actor.userId, projectId, objectId: userId, change: { projectId, userId, role: existing.role } });
      await repo.touchProject(projectId);
    });
    await this.publish(projectId, "MEMBERS_CHANGED");
    await this.tellMember(userId, "REMOVED", projectId, null);
    return true;
  }

  /**
   * The live events of a project. Access is checked when subscribing and again on every event,
   * so a member whose role is revoked, or whose session or token has ended, gets ACCESS_REVOKED and the stream ends.
   */
  async events(actorIn: Actor | null, projectId: string): Promise<AsyncIterable<ProjectEventPayload>> {
    await requireAccess(this.db.dataSource.manager, actorIn, "project.view", projectId);
    const actor = actorIn!;
    const source = await listen<ProjectEventPayload>(this.bus, projectChannel(projectId));
    const em = this.db.dataSource.manager;
    return (async function* () {
      try {
        for await (const envelope of source) {
          if (!(await credentialsLive(em, actor)) || !(await loadProjectResource(em, actor.userId, projectId))) {
            yield { kind: "ACCESS_REVOKED", projectId, at: new Date().toISOString() } satisfies ProjectEventPayload;
            return;
          }
          yield envelope.payload;
        }
      } finally {
        await source.return?.();
      }
    })();
  }

  private async updateProject(
    actor: Actor | null,
    id: string,
    action: Action,
    patch: Parameters<ProjectsRepository["updateProject"]>[1],
    event: ProjectEventKind,
    allowArchived = false,
    /** Work in the same transaction once the row has changed (ledger leaves). */
    then?: (em: EntityManager, before: ProjectEntity, after: ProjectEntity) => Promise<void>,
  ): Promise<ProjectView> {
    const { project, role } = await this.db.tx(async (em) => {
      const access = await this.writable(em, actor, action, id, allowArchived);
      const before = then ? (await this.repo(em).findProject(id))! : null;
      const project = await this.repo(em).updateProject(id, patch);
      if (then) await then(em, before!, project);
      return { project, role: access.role! };
    });
    await this.publish(id, event);
    return this.view(actor!, project, role);
  }

  /**
   * Locks the project for the rest of the transaction and checks the actor's standing under the
   * lock, so a role changed by a concurrent request is seen (a demoted owner cannot still make
   * owners). The first check keeps actors who may not act from taking the lock at all.
   */
  /** Checks the action on a project that is not archived, holding the project's row lock until the transaction ends. */
  async writable(em: EntityManager, actor: Actor | null, action: Action, projectId: string, allowArchived = false) {
    await requireAccess(em, actor, action, projectId);
    await this.repo(em).lockProject(projectId);
    const access = await requireAccess(em, actor, action, projectId);
    if (access.archived && !allowArchived) throw archived();
    return access;
  }

  private labelGroupFor(em: EntityManager, actor: Actor | null, groupId: string): Promise<{ id: string; projectId: string }> {
    return this.editableLabelThing(em, actor, groupId, "Label group", (id) => this.repo(em).findLabelGroup(id));
  }

  private labelFor(em: EntityManager, actor: Actor | null, labelId: string): Promise<LabelDefinitionEntity> {
    return this.editableLabelThing(em, actor, labelId, "Label", (id) => this.repo(em).findLabel(id));
  }

  /**
   * A label or label group the actor may edit, read again under the project's lock (what is
   * changed is what is current). Someone who may not edit the project's labels learns nothing
   * about it either: NOT_FOUND.
   */
  private async editableLabelThing<T extends { projectId: string }>(em: EntityManager, actor: Actor | null, id: string, what: string, find: (id: string) => Promise<T | null>): Promise<T> {
    requireActor(actor);
    const found = isUuid(id) ? await find(id) : null;
    if (!found) throw notFound(what);
    try {
      await this.writable(em, actor, "labels.edit", found.projectId);
    } catch (err) {
      if ((err as { code?: string }).code === "NOT_FOUND") throw notFound(what);
      throw err;
    }
    const current = await find(id);
    if (!current) throw notFound(what);
    return current;
  }

  /** The logged-in user's own membership changes: granted, changed or revoked anywhere. Ends with the session. */
  async membershipEvents(actorIn: Actor | null): Promise<AsyncIterable<MembershipEventPayload>> {
    const actor = requireActor(actorIn);
    const source = await listen<MembershipEventPayload>(this.bus, userChannel(actor.userId));
    const em = this.db.dataSource.manager;
    return (async function* () {
      try {
        for await (const envelope of source) {
          if (!(await credentialsLive(em, actor))) return;
          yield envelope.payload;
        }
      } finally {
        await source.return?.();
      }
    })();
  }

  /** Tells a user their membership changed (their own stream). */
  async tellMember(userId: string, kind: MembershipEventKind, projectId: string, role: Role | null): Promise<void> {
    const payload: MembershipEventPayload = { kind, projectId, role, at: new Date().toISOString() };
    await this.bus.publish(userChannel(userId), payload);
  }

  private view(actor: Actor, project: ProjectEntity, role: Role): ProjectView {
    const permissions = permissionsOf({ projectId: project.id, role, blindReading: project.blindReading }, actor);
    return { project, role, permissions };
  }

  async publish(projectId: string, kind: ProjectEventKind): Promise<void> {
    const payload: ProjectEventPayload = { kind, projectId, at: new Date().toISOString() };
    await this.bus.publish(projectChannel(projectId), payload);
  }
}

function nameProblems(name: string): FieldProblem[] {
  const n = name.trim();
  if (!n) return [{ field: "name", message: "must not be empty" }];
  if (n.length > 200) return [{ field: "name", message: "must be at most 200 characters" }];
  return [];
}

function settingsProblems(s: ProjectSettingsInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (s.readersPerCase != null && (!Number.isInteger(s.readersPerCase) || s.readersPerCase < 1 || s.readersPerCase > MAX_READERS_PER_CASE)) {
    problems.push({ field: "readersPerCase", message: `must be a whole number from 1 to ${MAX_READERS_PER_CASE}` });
  }
  if (s.description != null && s.description.length > 5000) {
    problems.push({ field: "description", message: "must be at most 5000 characters" });
  }
  if (s.datasetSplit != null) problems.push(...splitProblems(s.datasetSplit).map((message) => ({ field: "datasetSplit", message })));
  for (const split of ["validation", "test"] as const) {
    const n = s.readersPerSplit?.[split];
    if (n != null && (!Number.isInteger(n) || n < 1 || n > MAX_READERS_PER_CASE)) {
      problems.push({ field: "readersPerSplit", message: `${split} must be a whole number from 1 to ${MAX_READERS_PER_CASE}, or none for readersPerCase` });
    }
  }
  return problems;
}

function labelProblems(input: LabelInput): FieldProblem[] {
  const problems = nameProblems(input.name);
  if (input.kind === "ROI" && !input.roiShape) problems.push({ field: "roiShape", message: "is required for an ROI class (RECTANGLE, FREEHAND or POINT)" });
  if (input.kind === "CLASSIFICATION" && input.roiShape) problems.push({ field: "roiShape", message: "applies only to ROI classes" });
  if (input.color != null && !COLOR.test(input.color)) problems.push({ field: "color", message: "must be a colour like #1a2b3c" });
  if (input.description != null && input.description.length > 2000) problems.push({ field: "description", message: "must be at most 2000 characters" });
  return problems;
}
