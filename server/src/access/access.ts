import type { EntityManager } from "typeorm";
import { notFound, unauthenticated } from "../errors.js";
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
}

// The one place that says yes or no. Every resolver, subscription, route and job goes through here.
export function can(actor: Actor | null, action: Action, resource: ProjectResource): boolean {
  if (!actor || !resource.role) return false;
  if (!MATRIX[action].includes(resource.role)) return false;
  if (action === "annotations.viewOthers" && resource.role === "ANNOTATOR" && resource.blindReading) {
    return resource.readerHasSubmitted === true;
  }
  return true;
}

export function permissionsOf(resource: ProjectResource, actor: Actor | null): Action[] {
  return ACTIONS.filter((a) => can(actor, a, resource));
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
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
): Promise<ProjectResource & { archived: boolean }> {
  const who = requireActor(actor);
  const resource = await loadProjectResource(em, who.userId, projectId);
  if (!resource || !can(who, action, { ...resource, ...extra })) throw notFound("Project");
  return { ...resource, ...extra };
}

export async function loadProjectResource(
  em: EntityManager,
  userId: string,
  projectId: string,
): Promise<(ProjectResource & { archived: boolean }) | null> {
  if (!isUuid(projectId)) return null;
  const rows: Array<{ role: Role; blind_reading: boolean; archived: boolean }> = await em.query(
    `SELECT m.role, p.blind_reading, p.archived_at IS NOT NULL AS archived
       FROM projects p JOIN memberships m ON m.project_id = p.id AND m.user_id = $2
      WHERE p.id = $1`,
    [projectId, userId],
  );
  const row = rows[0];
  if (!row) return null;
  return { projectId, role: row.role, blindReading: row.blind_reading, archived: row.archived };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

/** Is the session or API token this actor came with still valid (not logged out, revoked or expired)? */
export async function credentialsLive(em: EntityManager, actor: Actor): Promise<boolean> {
  if (actor.sessionId) {
    const rows = await em.query(`SELECT 1 FROM sessions WHERE id = $1 AND expires_at > now()`, [actor.sessionId]);
    return rows.length > 0;
  }
  if (actor.tokenId) {
    const rows = await em.query(
      `SELECT 1 FROM api_tokens WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [actor.tokenId],
    );
    return rows.length > 0;
  }
  return false;
}
