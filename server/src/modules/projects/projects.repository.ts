import type { EntityManager } from "typeorm";
import type { Role } from "../../access/roles.js";
import { LabelDefinitionEntity, MembershipEntity, ProjectEntity } from "./projects.entity.js";

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
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

  async updateProject(id: string, patch: Partial<Pick<ProjectEntity, "name" | "description" | "mode" | "blindReading" | "readersPerCase" | "retainLongitudinalModifiedDates" | "caseUnit" | "caseKeySource" | "queueOrder" | "archivedAt">>): Promise<ProjectEntity> {
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

  insertLabel(data: Omit<LabelDefinitionEntity, "id" | "createdAt" | "updatedAt" | "archivedAt">): Promise<LabelDefinitionEntity> {
    return this.em.save(this.em.create(LabelDefinitionEntity, { ...data, archivedAt: null }));
  }

  async updateLabel(id: string, patch: Partial<Pick<LabelDefinitionEntity, "name" | "description" | "color" | "position" | "archivedAt">>): Promise<LabelDefinitionEntity> {
    await this.em.update(LabelDefinitionEntity, { id }, patch);
    return (await this.findLabel(id))!;
  }

  async members(projectId: string): Promise<MemberRow[]> {
    const rows: Array<{ user_id: string; name: string; email: string; role: Role; granted_at: Date }> = await this.em.query(
      `SELECT m.user_id, u.name, u.email, m.role, m.granted_at
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.project_id = $1
        ORDER BY array_position(ARRAY['OWNER','MANAGER','DATA_OWNER','REVIEWER','ANNOTATOR','TRAINEE','VIEWER'], m.role), u.name`,
      [projectId],
    );
    return rows.map((r) => ({ userId: r.user_id, name: r.name, email: r.email, role: r.role, grantedAt: r.granted_at }));
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
