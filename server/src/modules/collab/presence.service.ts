import { createHash, randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { can, credentialsLive, isUuid, loadProjectResource, requireActor, type Actor } from "../../access/access.js";
import { invalid, notFound, type FieldProblem } from "../../errors.js";
import type { Database } from "../../platform/database/index.js";
import type { Bus, Envelope } from "../../platform/pubsub/bus.js";
import { blindReadingFacts } from "../annotations/annotations.service.js";
import { userChannel } from "../projects/projects.service.js";
import { CollabRepository } from "./collab.repository.js";

/** Someone is gone this long after their last beat (clients beat every ~2 s). */
export const PRESENCE_TTL_MS = 6000;

export interface Pointer {
  x: number;
  y: number;
  sopInstanceUid: string | null;
  frame: number | null;
}

export interface PresentUser {
  userId: string;
  name: string;
  colour: string;
  pointer: Pointer | null;
  lastSeen: Date;
}

export type PresenceEventKind = "PRESENCE" | "ACCESS_REVOKED";

export interface PresenceEventPayload {
  kind: PresenceEventKind;
  caseId: string;
  /** Everyone present, the subscriber included once they beat; empty for ACCESS_REVOKED. */
  users: PresentUser[];
}

/** What crosses the bus, one channel per case. */
type PresenceMessage =
  | { kind: "beat"; hub: string; userId: string; name: string; pointer: Pointer | null; at: number; ageMs?: number }
  | { kind: "leave"; hub: string; userId: string }
  /** A replica that just started listening to the case asks the others to repeat their own users' last beats. */
  | { kind: "who"; hub: string };

export const presenceChannel = (caseId: string) => `presence:${caseId}`;

interface Member {
  userId: string;
  name: string;
  pointer: Pointer | null;
  lastSeen: Date;
  /** The beat came through this replica: it answers "who" for this member. */
  local: boolean;
  timer: NodeJS.Timeout;
}

interface Room {
  members: Map<string, Member>;
  sinks: Set<() => void>;
  ready: Promise<() => Promise<void>>;
}

const UID = /^[0-9]+(\.[0-9]+)*$/;
const MAX_COORDINATE = 1e6;

// Twelve colours that stay apart on a greyscale image and from each other.
const PALETTE = ["#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#fabed4", "#469990", "#dcbeff"];

/** A colour per user, the same on every replica and every visit. */
export const colourOf = (userId: string): string => PALETTE[createHash("sha256").update(userId).digest().readUInt32BE(0) % PALETTE.length]!;

export type PointerInputValue = Pick<Pointer, "x" | "y"> & Partial<Pick<Pointer, "sopInstanceUid" | "frame">>;

export function checkPointer(p: PointerInputValue | null | undefined): Pointer | null {
  if (p == null) return null;
  const problems: FieldProblem[] = [];
  for (const k of ["x", "y"] as const) {
    if (!Number.isFinite(p[k]) || Math.abs(p[k]) > MAX_COORDINATE) problems.push({ field: `pointer.${k}`, message: `must be a number within ±${MAX_COORDINATE}` });
  }
  const sop = p.sopInstanceUid ?? null;
  if (sop !== null && (sop.length > 64 || !UID.test(sop))) problems.push({ field: "pointer.sopInstanceUid", message: "must be a DICOM UID" });
  const frame = p.frame ?? null;
  if (frame !== null && (!Number.isInteger(frame) || frame < 1 || frame > 100_000)) problems.push({ field: "pointer.frame", message: "must be a frame number from 1" });
  if (problems.length) throw invalid(problems);
  return { x: p.x, y: p.y, sopInstanceUid: sop, frame };
}

/**
 * Who is on a case, with their pointer. Presence is ephemeral, so it lives in memory on each replica
 * and never in PostgreSQL: every beat goes onto the bus (one channel per case) and each replica that
 * follows the case keeps the set it heard, with an expiry timer per user measured on its own clock
 * (no clock skew between replicas matters). A replica that starts following a case late asks the
 * others for their users ("who"), so a new subscriber sees everyone at once, not after the next beat.
 * A replica that dies takes nothing with it: its users stop beating and expire everywhere.
 * (Redis keys with a TTL were the alternative; they would still need the bus to push changes, and
 * polling or keyspace notifications to notice expiry, for state nobody needs after a restart.)
 */
export class PresenceService {
  readonly id = randomUUID();
  /** Lowered by tests; read when a beat arrives. */
  ttlMs = PRESENCE_TTL_MS;
  private readonly rooms = new Map<string, Room>();

  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
  ) {}

  /** Records the actor on the case (with their pointer, or none) until they stop beating or leave. */
  async beat(actor: Actor | null, caseId: string, pointerIn: PointerInputValue | null | undefined): Promise<boolean> {
    const pointer = checkPointer(pointerIn);
    const em = this.db.dataSource.manager;
    const who = await this.caseAccess(em, actor, caseId);
    const name = (await new CollabRepository(em).userName(who.userId)) ?? "";
    const room = await this.room(caseId);
    const m: PresenceMessage = { kind: "beat", hub: this.id, userId: who.userId, name, pointer, at: Date.now() };
    this.apply(caseId, room, m, true);
    await this.bus.publish(presenceChannel(caseId), m);
    return true;
  }

  /** Removes the actor from the case at once, on every replica. */
  async leave(actor: Actor | null, caseId: string): Promise<boolean> {
    const who = await this.caseAccess(this.db.dataSource.manager, actor, caseId);
    const m: PresenceMessage = { kind: "leave", hub: this.id, userId: who.userId };
    const room = this.rooms.get(caseId);
    if (room) this.apply(caseId, room, m, true);
    await this.bus.publish(presenceChannel(caseId), m);
    return true;
  }

  /**
   * The people on a case, now and whenever that changes. Access is checked again before every event
   * and whenever the subscriber's memberships change; on losing it the stream sends ACCESS_REVOKED
   * and ends. Pointers are shown only where the subscriber may see others' work on the case (blind
   * reading: an annotator sees who is there, but no one else's pointer before submitting the case).
   */
  async updates(actorIn: Actor | null, caseId: string): Promise<AsyncIterableIterator<PresenceEventPayload>> {
    const em = this.db.dataSource.manager;
    const actor = await this.caseAccess(em, actorIn, caseId);
    const room = await this.room(caseId);
    const stream = new PresenceStream(caseId, async () => {
      if (!(await credentialsLive(em, actor))) return null;
      const projectId = await new CollabRepository(em).caseProject(caseId);
      const resource = projectId ? await loadProjectResource(em, actor.userId, projectId) : null;
      if (!resource || !can(actor, "project.view", resource)) return null;
      const seesOthers = can(actor, "annotations.viewOthers", { ...resource, ...(await blindReadingFacts(em, caseId, actor.userId)) });
      return [...room.members.values()]
        .sort((a, b) => a.userId.localeCompare(b.userId))
        .map((m) => ({
          userId: m.userId,
          name: m.name,
          colour: colourOf(m.userId),
          pointer: seesOthers || m.userId === actor.userId ? m.pointer : null,
          lastSeen: m.lastSeen,
        }));
    });
    const sink = () => stream.changed();
    room.sinks.add(sink);
    stream.onEnd(async () => {
      room.sinks.delete(sink);
      this.release(caseId, room);
    });
    try {
      stream.onEnd(await this.bus.subscribe(userChannel(actor.userId), () => stream.changed()));
    } catch (err) {
      await stream.return();
      throw err;
    }
    return stream;
  }

  /** Subscribers of this replica on a case (for tests). */
  listeners(caseId: string): number {
    return this.rooms.get(caseId)?.sinks.size ?? 0;
  }

  /** The users this replica currently holds on a case (for tests). */
  present(caseId: string): string[] {
    return [...(this.rooms.get(caseId)?.members.keys() ?? [])].sort();
  }

  /** The actor, if they may see the case (project.view on its project); anyone else: not found. */
  private async caseAccess(em: EntityManager, actor: Actor | null, caseId: string): Promise<Actor> {
    const who = requireActor(actor);
    const projectId = isUuid(caseId) ? await new CollabRepository(em).caseProject(caseId) : null;
    const resource = projectId ? await loadProjectResource(em, who.userId, projectId) : null;
    if (!resource || !can(who, "project.view", resource)) throw notFound("Case");
    return who;
  }

  /** The case's room on this replica, listening on the bus (resolves once it does, and is still the case's room). */
  private async room(caseId: string): Promise<Room> {
    for (;;) {
      const room = this.openRoom(caseId);
      await room.ready;
      // Released meanwhile (the last member expired): take the case's new room instead.
      if (this.rooms.get(caseId) === room) return room;
    }
  }

  private openRoom(caseId: string): Room {
    let room = this.rooms.get(caseId);
    if (!room) {
      const members = new Map<string, Member>();
      const sinks = new Set<() => void>();
      const created: Room = { members, sinks, ready: this.bus.subscribe(presenceChannel(caseId), (e) => this.fromBus(caseId, created, e)) };
      room = created;
      this.rooms.set(caseId, created);
      created.ready.then(
        () => this.bus.publish(presenceChannel(caseId), { kind: "who", hub: this.id } satisfies PresenceMessage).catch(() => undefined),
        () => {
          if (this.rooms.get(caseId) === created) this.rooms.delete(caseId);
        },
      );
    }
    return room;
  }

  /** Drops a room nobody uses any more: no subscriber here and no one present. */
  private release(caseId: string, room: Room): void {
    if (room.sinks.size || room.members.size || this.rooms.get(caseId) !== room) return;
    this.rooms.delete(caseId);
    void room.ready.then((unsubscribe) => unsubscribe()).catch(() => undefined);
  }

  private fromBus(caseId: string, room: Room, envelope: Envelope): void {
    const m = envelope.payload as PresenceMessage;
    if (!m || typeof m.kind !== "string") return;
    // Our own message: applied when it was sent.
    if (envelope.origin === this.bus.instanceId && m.hub === this.id) return;
    if (m.kind === "who") {
      for (const member of room.members.values()) {
        if (!member.local) continue;
        const beat: PresenceMessage = {
          kind: "beat",
          hub: this.id,
          userId: member.userId,
          name: member.name,
          pointer: member.pointer,
          at: member.lastSeen.getTime(),
          ageMs: Date.now() - member.lastSeen.getTime(),
        };
        void this.bus.publish(presenceChannel(caseId), beat).catch(() => undefined);
      }
      return;
    }
    this.apply(caseId, room, m, false);
  }

  private apply(caseId: string, room: Room, m: Exclude<PresenceMessage, { kind: "who" }>, local: boolean): void {
    const before = room.members.get(m.userId);
    if (m.kind === "leave") {
      if (!before) return;
      clearTimeout(before.timer);
      room.members.delete(m.userId);
      this.changed(room);
      this.release(caseId, room);
      return;
    }
    const ttl = this.ttlMs - (m.ageMs ?? 0);
    if (ttl <= 0) return;
    // A repeated old beat ("who" answer) never overrides a newer one.
    if (before && m.ageMs !== undefined && before.lastSeen.getTime() >= m.at) return;
    if (before) clearTimeout(before.timer);
    const timer = setTimeout(() => {
      if (room.members.get(m.userId)?.timer !== timer) return;
      room.members.delete(m.userId);
      this.changed(room);
      this.release(caseId, room);
    }, ttl);
    timer.unref(); // a closing server does not wait for anyone to expire
    room.members.set(m.userId, { userId: m.userId, name: m.name, pointer: m.pointer, lastSeen: new Date(m.at), local, timer });
    this.changed(room);
  }

  private changed(room: Room): void {
    for (const sink of [...room.sinks]) sink();
  }
}

/**
 * One subscriber's view of a case's presence. It holds no queue, only "something changed": each
 * event is the current set, built after an access check, so a burst of pointer moves costs one
 * event and a slow client never falls behind. An event equal to the last one sent (say a beat that
 * only renewed someone, or moved a pointer this subscriber may not see) is not sent.
 */
export class PresenceStream implements AsyncIterableIterator<PresenceEventPayload> {
  private dirty = true;
  private wake: (() => void) | null = null;
  private ended = false;
  private last: string | null = null;
  private readonly cleanups: Array<() => Promise<void>> = [];

  constructor(
    private readonly caseId: string,
    /** The current set as this subscriber may see it, or null once they may not. */
    private readonly view: () => Promise<PresentUser[] | null>,
  ) {}

  onEnd(cleanup: () => Promise<void>): void {
    if (this.ended) void cleanup();
    else this.cleanups.push(cleanup);
  }

  changed(): void {
    if (this.ended) return;
    this.dirty = true;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  async next(): Promise<IteratorResult<PresenceEventPayload>> {
    for (;;) {
      if (this.ended) return { value: undefined, done: true };
      if (!this.dirty) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      this.dirty = false;
      let users: PresentUser[] | null;
      try {
        users = await this.view();
      } catch (err) {
        await this.return();
        throw err;
      }
      if (this.ended) return { value: undefined, done: true };
      if (!users) {
        await this.return();
        return { value: { kind: "ACCESS_REVOKED", caseId: this.caseId, users: [] }, done: false };
      }
      const key = JSON.stringify(users.map((u) => [u.userId, u.name, u.pointer]));
      if (key === this.last) continue;
      this.last = key;
      return { value: { kind: "PRESENCE", caseId: this.caseId, users }, done: false };
    }
  }

  async return(): Promise<IteratorResult<PresenceEventPayload>> {
    if (!this.ended) {
      this.ended = true;
      const w = this.wake;
      this.wake = null;
      w?.();
      await Promise.allSettled(this.cleanups.splice(0).map((c) => c()));
    }
    return { value: undefined, done: true };
  }

  async throw(err?: unknown): Promise<IteratorResult<PresenceEventPayload>> {
    await this.return();
    throw err;
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
