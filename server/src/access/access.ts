import type { EntityManager } from "typeorm";
import { forbidden, notFound, unauthenticated } from "../errors.js";
import { preparedQuery } from "../platform/database/prepared.js";
import type { ProjectMode } from "../modules/projects/projects.entity.js";
import { ACTIONS, MATRIX, type Action, type Role } from "./roles.js";

/** Who is acting: a logged-in user (by session cookie or API token), or nobody. */
export interface Actor {
  userId: string;
  via: "session" | "token";
  sessionId?: string;
  tokenId?: string;
}

/** What an action is taken on. Resource-dependent rules (blind reading) read the optional fields. */
export interface ProjectResource {
  projectId: string;
  role: Role | null;
  blindReading: boolean;
  /** For annotations.viewOthers on a case: has this reader submitted the case? */
  readerHasSubmitted?: boolean;
  /** The project's readers read only the cases assigned to them (projects.assigned_reading). */
  assignedReading?: boolean;
  /** For case.annotate when writing a reading of a case: is it assigned to this reader? Unset: not asked (the project's queue, reading one's own work). */
  readerIsAssigned?: boolean;
}

// The one place that says yes or no. Every resolver, subscription, route and job goes through here.
export function can(actor: Actor | null, action: Action, resource: ProjectResource): boolean {
  if (!actor || !resource.role) return false;
  if (!MATRIX[action].includes(resource.role)) return false;
  if (action === "annotations.viewOthers" && resource.role === "ANNOTATOR" && resource.blindReading) {
    return resource.readerHasSubmitted === true;
  }
  if (action === "case.annotate" && assignmentRefusal(resource)) return false;
  return true;
}

/**
 * Assigned reading: where a project's readers read only the cases assigned to them, writing a
 * reading of another case is refused, with this message. Null when the assignment does not stand in
 * the way (or was not asked: readerIsAssigned unset). The role is can()'s to judge.
 */
export function assignmentRefusal(resource: Pick<ProjectResource, "assignedReading" | "readerIsAssigned">): string | null {
  return resource.assignedReading === true && resource.readerIsAssigned === false
    ? "This case is not assigned to you: in this project readers read only the cases a manager assigned to them"
    : null;
}

/** Throws FORBIDDEN with assignmentRefusal's message when the assignment stands in the way. */
export function requireAssigned(resource: Pick<ProjectResource, "assignedReading" | "readerIsAssigned">): void {
  const refusal = assignmentRefusal(resource);
  if (refusal) throw forbidden(refusal);
}

export function permissionsOf(resource: ProjectResource, actor: Actor | null): Action[] {
  return ACTIONS.filter((a) => can(actor, a, resource));
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}

/**
 * The one server-level permission: administering the server's accounts (listing, creating and
 * disabling them, issuing password links). It opens no project: an administrator sees a project's
 * data only as one of its members.
 */
export async function requireServerAdmin(em: EntityManager, actor: Actor | null): Promise<Actor> {
  const who = requireActor(actor);
  const [row] = await em.query(`SELECT admin AND disabled_at IS NULL AS ok FROM users WHERE id = $1`, [who.userId]);
  if (row?.ok !== true) throw forbidden("Only an administrator of this server can do this");
  return who;
}

/**
 * Loads the actor's standing on a project with one query and checks the action.
 * A project the actor may not see, or may not act on, answers "not found" so ids do not leak.
 */
export async function requireAccess(
  em: EntityManager,
  actor: Actor | null,
  action: Action,
  projectId: string,
  extra: Partial<Pick<ProjectResource, "readerHasSubmitted">> = {},
): Promise<ProjectResource & { archived: boolean; mode: ProjectMode }> {
  const who = requireActor(actor);
  const resource = await loadProjectResource(em, who.userId, projectId);
  if (!resource || !can(who, action, { ...resource, ...extra })) throw notFound("Project");
  return { ...resource, ...extra };
}

export async function loadProjectResource(
  em: EntityManager,
  userId: string,
  projectId: string,
): Promise<(ProjectResource & { archived: boolean; mode: ProjectMode }) | null> {
  if (!isUuid(projectId)) return null;
  const rows: Array<{ role: Role; blind_reading: boolean; archived: boolean; mode: ProjectMode; assigned_reading: boolean }> = await em.query(
    `SELECT m.role, p.blind_reading, p.archived_at IS NOT NULL AS archived, p.mode, p.assigned_reading
       FROM projects p JOIN memberships m ON m.project_id = p.id AND m.user_id = $2
      WHERE p.id = $1`,
    [projectId, userId],
  );
  const row = rows[0];
  if (!row) return null;
  return { projectId, role: row.role, blindReading: row.blind_reading, assignedReading: row.assigned_reading, archived: row.archived, mode: row.mode };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

/**
 * SQL: is the session (placeholder `session`) or, without one, the API token (`token`) an actor came with still valid (not
 * logged out, revoked or expired)? Both ids null: false. The one statement of that rule, used by
 * credentialsLive and loadCaseResource.
 */
const CREDENTIALS_LIVE = (session: string, token: string) => `CASE
    WHEN ${session}::uuid IS NOT NULL THEN EXISTS (SELECT 1 FROM sessions WHERE id = ${session}::uuid AND expires_at > now())
    WHEN ${token}::uuid IS NOT NULL THEN EXISTS (
      SELECT 1 FROM api_tokens WHERE id = ${token}::uuid AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()))
    ELSE false END`;

const credentialIds = (actor: Actor) => [actor.sessionId ?? null, actor.sessionId ? null : (actor.tokenId ?? null)];

/** Is the session or API token this actor came with still valid (not logged out, revoked or expired)? */
export async function credentialsLive(em: EntityManager, actor: Actor): Promise<boolean> {
  if (!actor.sessionId && !actor.tokenId) return false;
  const [row] = await em.query(`SELECT ${CREDENTIALS_LIVE("$1", "$2")} AS live`, credentialIds(actor));
  return row?.live === true;
}

/**
 * In one query: are the actor's credentials still live (as credentialsLive), and the actor's
 * standing (as loadProjectResource) on the project the case belongs to. resource is null when the
 * case does not exist or the actor is not a member of its project; decide with can() as usual.
 */
export async function loadCaseResource(
  em: EntityManager,
  actor: Actor,
  caseId: string,
): Promise<{ live: boolean; resource: (ProjectResource & { archived: boolean }) | null }> {
  const ids = credentialIds(actor);
  if (!isUuid(caseId)) return { live: await credentialsLive(em, actor), resource: null };
  const rows = await preparedQuery<{ live: boolean; project_id: string | null; role: Role | null; blind_reading: boolean | null; assigned_reading: boolean | null; archived: boolean | null }>(
    em,
    "access_case_resource",
    `SELECT ${CREDENTIALS_LIVE("$3", "$4")} AS live, r.project_id, r.role, r.blind_reading, r.assigned_reading, r.archived
       FROM (SELECT 1) AS one
       LEFT JOIN (
         SELECT p.id AS project_id, m.role, p.blind_reading, p.assigned_reading, p.archived_at IS NOT NULL AS archived
           FROM cases c JOIN projects p ON p.id = c.project_id JOIN memberships m ON m.project_id = p.id AND m.user_id = $2
          WHERE c.id = $1
       ) AS r ON true`,
    [caseId, actor.userId, ...ids],
  );
  const row = rows[0]!;
  const resource = row.project_id
    ? { projectId: row.project_id, role: row.role, blindReading: row.blind_reading === true, assignedReading: row.assigned_reading === true, archived: row.archived === true }
    : null;
  return { live: row.live === true, resource };
}

