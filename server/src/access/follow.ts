import type { EntityManager } from "typeorm";
import { listen, type Bus } from "../platform/pubsub/bus.js";
import { can, credentialsLive, loadProjectResource, requireAccess, type Actor } from "./access.js";
import type { Action } from "./roles.js";

/**
 * A project's channel as a subscription for one actor: open to those who may take `action` in the
 * project now, and checked again at every event (the session or token still live, the role still
 * allowing it), so a revoked member's stream ends at the next event. `load` turns a message into
 * what the subscriber gets; null skips it.
 */
export async function followProject<P, T>(
  em: EntityManager,
  bus: Bus,
  actorIn: Actor | null,
  projectId: string,
  channel: string,
  action: Action,
  load: (payload: P) => Promise<T | null> | T | null,
): Promise<AsyncIterable<T>> {
  await requireAccess(em, actorIn, action, projectId);
  const actor = actorIn!;
  // Listening before the first event can be published, so none is missed.
  const source = await listen<P>(bus, channel);
  return (async function* () {
    try {
      for await (const { payload } of source) {
        const resource = (await credentialsLive(em, actor)) ? await loadProjectResource(em, actor.userId, projectId) : null;
        if (!resource || !can(actor, action, resource)) return;
        const out = await load(payload);
        if (out !== null) yield out;
      }
    } finally {
      await source.return?.();
    }
  })();
}
