import type { EntityManager } from "typeorm";
import type { Role } from "../../access/roles.js";
import { LabelDefinitionEntity, MembershipEntity, ProjectEntity } from "./projects.entity.js";

/** A group of classification labels with one answer; `labelIds` in the labels' order, archived ones included. */
export interface LabelGroupRow {
  id: string;
  projectId: string;
  name: string;
  ordinal: boolean;
  required: boolean;
  labelIds: string[];
}

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  createdAt: Date;
  admin: boolean;
  disabled: boolean;
  role: Role;
  grantedAt: Date;
}

// The only code that queries the database for projects, label definitions and memberships.
export class ProjectsRepository {
  constructor(private readonly em: EntityManager) {}

  findProject(id: string): Promise<ProjectEntity | null> {
    return this.em.findOneBy(ProjectEntity, { id });
  }

  /** Locks the project row for the rest of the transaction (serialises label and member edits). */
  lockProject(id: string): Promise<ProjectEntity | null> {
    return this.em.createQueryBuilder(ProjectEntity, "p").setLock("pessimistic_write").where("p.id = :id", { id }).getOne();
  }

  async projectsOf(userId: string, includeArchived: boolean): Promise<Array<{ project: ProjectEntity; role: Role }>> {
    const qb = this.em
      .createQueryBuilder(ProjectEntity, "p")
      .innerJoin(MembershipEntity, "m", "m.projectId = p.id AND m.userId = :userId", { userId })
      .addSelect("m.role", "member_role")
      .orderBy("p.archivedAt IS NULL", "DESC")
      .addOrderBy("p.updatedAt", "DESC");
    if (!includeArchived) qb.andWhere("p.archivedAt IS NULL");
    const { entities, raw } = await qb.getRawAndEntities();
    return entities.map((project, i) => ({ project, role: (raw[i] as { member_role: Role }).member_role }));
  }

  insertProject(data: Omit<ProjectEntity, "id" | "createdAt" | "updatedAt" | "archivedAt">): Promise<ProjectEntity> {
    return this.em.save(this.em.create(ProjectEntity, { ...data, archivedAt: null }));
  }

  async updateProject(id: string, patch: Partial<Pick<ProjectEntity, "name" | "description" | "mode" | "blindReading" | "readersPerCase" | "retainLongitudinalModifiedDates" | "caseUnit" | "caseKeySource" | "queueOrder" | "assignedReading" | "splitTrain" | "splitValidation" | "splitGroup" | "readersValidation" | "readersTest" | "archivedAt">>): Promise<ProjectEntity> {
    await this.em.update(ProjectEntity, { id }, patch);
    return (await this.findProject(id))!;
  }

  labels(projectId: string, includeArchived: boolean): Promise<LabelDefinitionEntity[]> {
    const qb = this.em
      .createQueryBuilder(LabelDefinitionEntity, "l")
      .where("l.projectId = :projectId", { projectId })
      .orderBy("l.position", "ASC")
      .addOrderBy("l.createdAt", "ASC");
    if (!includeArchived) qb.andWhere("l.archivedAt IS NULL");
    return qb.getMany();
  }

  findLabel(id: string): Promise<LabelDefinitionEntity | null> {
    return this.em.findOneBy(LabelDefinitionEntity, { id });
  }

  async nextLabelPosition(projectId: string): Promise<number> {
    const [row] = await this.em.query(
      `SELECT coalesce(max(position), -1) + 1 AS next FROM label_definitions WHERE project_id = $1`,
      [projectId],
    );
    return Number(row.next);
  }

  async labelNameTaken(projectId: string, name: string, exceptId?: string): Promise<boolean> {
    const rows = await this.em.query(
      `SELECT 1 FROM label_definitions
        WHERE project_id = $1 AND lower(name) = lower($2) AND archived_at IS NULL AND ($3::uuid IS NULL OR id <> $3)`,
      [projectId, name, exceptId ?? null],
    );
    return rows.length > 0;
  }

  insertLabel(data: Omit<LabelDefinitionEntity, "id" | "createdAt" | "updatedAt" | "archivedAt" | "groupId">): Promise<LabelDefinitionEntity> {
    return this.em.save(this.em.create(LabelDefinitionEntity, { ...data, archivedAt: null, groupId: null }));
  }

  /** The project's label groups by their first label's place (`groupId`: that one alone). */
  async labelGroups(projectId: string, groupId: string | null = null): Promise<LabelGroupRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT g.id, g.project_id, g.name, g.ordinal, g.required,
              coalesce(array_agg(l.id ORDER BY l.position, l.created_at, l.id) FILTER (WHERE l.id IS NOT NULL), '{}') AS label_ids,
              min(l.position) AS first
         FROM label_groups g LEFT JOIN label_definitions l ON l.group_id = g.id
        WHERE g.project_id = $1 AND ($2::uuid IS NULL OR g.id = $2)
        GROUP BY g.id
        ORDER BY first NULLS LAST, g.created_at, g.id`,
      [projectId, groupId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      projectId: r.project_id as string,
      name: r.name as string,
      ordinal: r.ordinal as boolean,
      required: r.required as boolean,
      labelIds: r.label_ids as string[],
    }));
  }

  async findLabelGroup(id: string): Promise<{ id: string; projectId: string } | null> {
    const [r] = await this.em.query(`SELECT id, project_id FROM label_groups WHERE id = $1`, [id]);
    return r ? { id: r.id as string, projectId: r.project_id as string } : null;
  }

  async labelGroupNameTaken(projectId: string, name: string, exceptId: string | null): Promise<boolean> {
    const rows = await this.em.query(
      `SELECT 1 FROM label_groups WHERE project_id = $1 AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3)`,
      [projectId, name, exceptId],
    );
    return rows.length > 0;
  }

  async insertLabelGroup(projectId: string, g: { name: string; ordinal: boolean; required: boolean }): Promise<string> {
    const [r] = await this.em.query(
      `INSERT INTO label_groups (project_id, name, ordinal, required) VALUES ($1, $2, $3, $4) RETURNING id`,
      [projectId, g.name, g.ordinal, g.required],
    );
    return r.id as string;
  }

  async updateLabelGroup(id: string, g: { name: string; ordinal: boolean; required: boolean }): Promise<void> {
    await this.em.query(`UPDATE label_groups SET name = $2, ordinal = $3, required = $4, updated_at = now() WHERE id = $1`, [id, g.name, g.ordinal, g.required]);
  }

  async deleteLabelGroup(id: string): Promise<void> {
    // The labels' updated_at moves too, so whatever fingerprints the labels sees the change.
    await this.em.query(`UPDATE label_definitions SET group_id = NULL, updated_at = now() WHERE group_id = $1`, [id]);
    await this.em.query(`DELETE FROM label_groups WHERE id = $1`, [id]);
  }

  /** Makes `labelIds` the group's active labels: other active labels in it leave it; archived ones stay (their recorded answers still belong to it). */
  async setGroupLabels(groupId: string, labelIds: string[]): Promise<void> {
    await this.em.query(
      `UPDATE label_definitions SET group_id = CASE WHEN id = ANY($2::uuid[]) THEN $1::uuid ELSE NULL END, updated_at = now()
        WHERE (group_id = $1 AND archived_at IS NULL) OR id = ANY($2::uuid[])`,
      [groupId, labelIds],
    );
  }

  async updateLabel(id: string, patch: Partial<Pick<LabelDefinitionEntity, "name" | "description" | "color" | "position" | "archivedAt">>): Promise<LabelDefinitionEntity> {
    await this.em.update(LabelDefinitionEntity, { id }, patch);
    return (await this.findLabel(id))!;
  }

  async members(projectId: string): Promise<MemberRow[]> {
    const rows: Array<{ user_id: string; name: string; email: string; created_at: Date; admin: boolean; disabled: boolean; role: Role; granted_at: Date }> = await this.em.query(
      `SELECT m.user_id, u.name, u.email, u.created_at, u.admin, u.disabled_at IS NOT NULL AS disabled, m.role, m.granted_at
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.project_id = $1
        ORDER BY array_position(ARRAY['OWNER','MANAGER','DATA_OWNER','REVIEWER','ANNOTATOR','TRAINEE','VIEWER'], m.role), u.name`,
      [projectId],
    );
    return rows.map((r) => ({ userId: r.user_id, name: r.name, email: r.email, createdAt: r.created_at, admin: r.admin, disabled: r.disabled, role: r.role, grantedAt: r.granted_at }));
  }

  findMembership(projectId: string, userId: string): Promise<MembershipEntity | null> {
    return this.em.findOneBy(MembershipEntity, { projectId, userId });
  }

  async countOwners(projectId: string): Promise<number> {
    const [row] = await this.em.query(
      `SELECT count(*) AS n FROM memberships WHERE project_id = $1 AND role = 'OWNER'`,
      [projectId],
    );
    return Number(row.n);
  }

  async upsertMembership(projectId: string, userId: string, role: Role, grantedBy: string): Promise<void> {
    await this.em.query(
      `INSERT INTO memberships (project_id, user_id, role, granted_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role, granted_by = EXCLUDED.granted_by, updated_at = now()`,
      [projectId, userId, role, grantedBy],
    );
  }

  async deleteMembership(projectId: string, userId: string): Promise<void> {
    await this.em.delete(MembershipEntity, { projectId, userId });
  }

  async touchProject(id: string): Promise<void> {
    await this.em.query(`UPDATE projects SET updated_at = now() WHERE id = $1`, [id]);
  }
}
