import type { EntityManager } from "typeorm";
import * as Y from "yjs";
import { can, loadCaseResource, requireActor, requireAssigned, type Actor, type ProjectResource } from "../../access/access.js";
import { assignmentFacts } from "../assignments/assignments.repository.js";
import { archived, conflict, invalid, notFound, unauthenticated } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../platform/database/index.js";
import type { Bus } from "../../platform/pubsub/bus.js";
import { blindReadingFacts, type AnnotationsService, type RoiInput } from "../annotations/annotations.service.js";
import { CasesRepository } from "../cases/cases.repository.js";
import { userChannel } from "../projects/projects.service.js";
import {
  checkClientId,
  decodeBase64,
  decodeStateVector,
  decodeUpdate,
  encodeBase64,
  layerName,
  mergeStored,
  parseLayer,
  roisFromDoc,
  wellFormedRois,
  type Layer,
} from "./collab.document.js";
import { CollabHub, collabChannel, type CollabMessage } from "./collab.hub.js";
import { CollabRepository } from "./collab.repository.js";

export interface CompactionBounds {
  /** Compact a document once it has more than this many stored rows... */
  rows: number;
  /** ...or more than this many bytes in them. */
  bytes: number;
}

export const DEFAULT_COMPACTION: CompactionBounds = { rows: 100, bytes: 256 * 1024 };
/** Updates a slow subscriber may have waiting before they are merged into one (Yjs updates merge; none is lost). */
export const SUBSCRIBER_BUFFER = 256;

export interface CollabSyncResult {
  caseId: string;
  layer: string;
  /** What the client's state vector lacks (everything without one). */
  update: Uint8Array;
  stateVector: Uint8Array;
}

export interface CollabAckResult {
  caseId: string;
  layer: string;
  updateId: string;
}

export type CollabEventKind = "UPDATE" | "ACCESS_REVOKED";

export interface CollabEventPayload {
  kind: CollabEventKind;
  caseId: string;
  layer: string;
  update: string | null;
  clientId: string | null;
}

type Mode = "read" | "write";

/**
 * Live collaboration documents: one Yjs document per (case, layer), synced over GraphQL. An update
 * is acknowledged only once it is committed to PostgreSQL (with, for a reader's layer, its
 * projection into the reader's draft ROIs); then it fans out to subscribers on every replica.
 */
export class CollabService {
  readonly hub: CollabHub;
  private readonly compactions = new Map<string, Promise<unknown>>();
  /** Read checks in flight, per credentials and layer: one user's streams of one document share them. */
  private readonly readChecks = new Map<string, { startedAt: number; allowed: Promise<boolean> }>();

  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly annotations: AnnotationsService,
    private readonly log: Logger,
    readonly bounds: CompactionBounds = DEFAULT_COMPACTION,
  ) {
    this.hub = new CollabHub(bus);
  }

  /** The update a client with this state vector is missing, and the server's state vector. */
  async sync(actor: Actor | null, caseId: string, layerText: string, stateVectorText?: string | null): Promise<CollabSyncResult> {
    const layer = parseLayer(layerText);
    const stateVector = decodeStateVector(stateVectorText);
    const em = this.db.dataSource.manager;
    await this.layerAccess(em, actor, caseId, layer, "read");
    const state = await this.state(em, caseId, layer);
    return {
      caseId,
      layer: layerName(layer),
      update: stateVector ? Y.diffUpdate(state, stateVector) : state,
      stateVector: Y.encodeStateVectorFromUpdate(state),
    };
  }

  /**
   * Stores a client's update durably (and projects a reader's layer), then fans it out. The consensus
   * layer takes two statements, each committed on its own: the access check (credentials, case,
   * role, archived) and the write (document created on first use, update appended, the document's
   * size). A reader's layer is one transaction, as its update is projected into the reader's draft.
   */
  async update(actor: Actor | null, caseId: string, layerText: string, updateText: string, clientIdText?: string | null): Promise<CollabAckResult> {
    const layer = parseLayer(layerText);
    const update = decodeUpdate(updateText);
    const clientId = checkClientId(clientIdText);
    const name = layerName(layer);
    const stored = layer.kind === "reader" ? await this.storeReaderUpdate(actor, caseId, layer, update, clientId) : await this.storeUpdate(actor, caseId, layer, update, clientId);
    // Committed: acknowledged. A failed publish only delays other replicas' subscribers until they resync.
    await this.hub.publish(collabChannel(caseId, name), { caseId, layer: name, update: updateText, clientId }).catch((err: Error) => {
      this.log.warn({ err: err.message, caseId, layer: name }, "collab update stored but not published");
    });
    if (stored.rows > this.bounds.rows || stored.bytes > this.bounds.bytes) this.compactSoon(stored.documentId);
    return { caseId, layer: name, updateId: stored.id };
  }

  /**
   * Access checked, then the update appended in one statement that creates the document on first
   * use; that statement commits on its own (no transaction: one round trip for BEGIN and one for
   * COMMIT fewer), so the answer still waits for the update to be durable.
   */
  private async storeUpdate(actor: Actor | null, caseId: string, layer: Layer, update: Uint8Array, clientId: string | null) {
    const em = this.db.dataSource.manager;
    const access = await this.layerAccess(em, actor, caseId, layer, "write");
    if (access.archived) throw archived();
    // An excluded case is no longer read or decided (a reader's layer is refused by its projection into the draft).
    if (!(await new CasesRepository(em).isIncluded(caseId))) throw conflict("This case was excluded from the project; its consensus layer no longer changes");
    const repo = new CollabRepository(em);
    // Null only when another first write created the document meanwhile: the next try sees it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const appended = await repo.appendEnsuring(access.projectId, caseId, layerName(layer), null, update, clientId, access.who.userId);
      if (appended) return appended;
    }
    throw new Error(`collab document ${caseId}/${layerName(layer)} neither found nor created`);
  }

  /** A reader's layer: access, the document, the projection into the reader's draft and the append in one transaction. */
  private async storeReaderUpdate(actor: Actor | null, caseId: string, layer: Layer & { kind: "reader" }, update: Uint8Array, clientId: string | null) {
    return this.db.tx(async (em) => {
      const access = await this.layerAccess(em, actor, caseId, layer, "write");
      if (access.archived) throw archived();
      const repo = new CollabRepository(em);
      const doc = await repo.ensureDocument(access.projectId, caseId, layerName(layer), layer.readerId);
      // Read under the reader's lock (taken by the projection), so concurrent writes project in turn.
      await this.annotations.projectDraftRois(em, caseId, layer.readerId, async () => {
        const after = new Y.Doc();
        try {
          Y.applyUpdate(after, mergeStored([...(await repo.updates(doc.id)).map((u) => u.data), update]));
        } catch {
          throw invalid([{ field: "update", message: "cannot be applied to this document" }]);
        }
        const { rois, problems } = roisFromDoc(after);
        after.destroy();
        if (problems.length) throw invalid(problems);
        return rois;
      });
      // The document exists in this transaction (ensureDocument above): the append finds it.
      const appended = await repo.appendEnsuring(access.projectId, caseId, layerName(layer), layer.readerId, update, clientId, access.who.userId);
      if (!appended) throw new Error(`collab document ${doc.id} not found for its append`);
      return appended;
    });
  }

  /**
   * Other clients' updates to a document, as they are stored. Access is checked when subscribing and
   * again before every event (and whenever the listener's memberships change): on losing it the
   * stream sends ACCESS_REVOKED and ends. Subscribe first, then sync: nothing is missed in between.
   */
  async updates(actorIn: Actor | null, caseId: string, layerText: string, exceptClientId?: string | null): Promise<AsyncIterableIterator<CollabEventPayload>> {
    const layer = parseLayer(layerText);
    const except = checkClientId(exceptClientId, "exceptClientId");
    const em = this.db.dataSource.manager;
    await this.layerAccess(em, actorIn, caseId, layer, "read");
    const actor = actorIn!;
    const name = layerName(layer);
    const stream = new CollabStream(SUBSCRIBER_BUFFER, (notBefore) => this.mayRead(actor, caseId, layer, notBefore), except, { caseId, layer: name });
    try {
      stream.onEnd(await this.hub.join(collabChannel(caseId, name), (m) => stream.push(m)));
      // A revoked or changed role is heard here at once, not only with the document's next update.
      stream.onEnd(await this.bus.subscribe(userChannel(actor.userId), () => stream.recheck()));
    } catch (err) {
      await stream.return();
      throw err;
    }
    return stream;
  }

  /**
   * May this actor, with the credentials it came with, still read the layer? A check already in
   * flight for the same credentials and layer that started after `notBefore` (performance.now())
   * answers instead of a new one: a user's many streams of one document (tabs, or the fan-out
   * bench's subscribers) would otherwise each run the same three queries at the same moment.
   */
  private mayRead(actor: Actor, caseId: string, layer: Layer, notBefore = -Infinity): Promise<boolean> {
    const key = `${actor.userId}:${actor.sessionId ?? ""}:${actor.tokenId ?? ""}:${caseId}:${layerName(layer)}`;
    const inFlight = this.readChecks.get(key);
    if (inFlight && inFlight.startedAt > notBefore) return inFlight.allowed;
    const check = { startedAt: performance.now(), allowed: this.checkRead(actor, caseId, layer) };
    this.readChecks.set(key, check);
    const done = () => {
      if (this.readChecks.get(key) === check) this.readChecks.delete(key);
    };
    check.allowed.then(done, done);
    return check.allowed;
  }

  private async checkRead(actor: Actor, caseId: string, layer: Layer): Promise<boolean> {
    // Credentials and standing in one query (layerAccess refuses dead credentials as unauthenticated).
    return this.layerAccess(this.db.dataSource.manager, actor, caseId, layer, "read").then(
      () => true,
      (err: { code?: string }) => {
        if (err.code === "NOT_FOUND" || err.code === "UNAUTHENTICATED") return false;
        throw err;
      },
    );
  }

  /**
   * Merges a document's rows into one snapshot. Reads the rows, writes their merge and deletes exactly
   * those rows in one transaction: an update appended meanwhile is not among them and survives. One
   * compaction per document at a time, across replicas (an advisory lock; a busy document is skipped).
   */
  async compact(documentId: string, hooks: { afterRead?: () => Promise<void> } = {}): Promise<{ merged: number } | null> {
    return this.db.tx(async (em) => {
      const repo = new CollabRepository(em);
      if (!(await repo.tryLockCompaction(documentId))) return null;
      const rows = await repo.updates(documentId);
      if (rows.length < 2) return null;
      // Tests commit a concurrent append here, the moment a range delete would lose it.
      await hooks.afterRead?.();
      await repo.insertSnapshot(documentId, Y.mergeUpdates(rows.map((r) => r.data)));
      const deleted = await repo.deleteUpdates(documentId, rows.map((r) => r.id));
      if (deleted !== rows.length) throw new Error(`compaction of ${documentId} deleted ${deleted} of ${rows.length} rows; rolled back`);
      return { merged: rows.length };
    });
  }

  /** Resolves when the compactions started so far have ended. */
  async idle(): Promise<void> {
    while (this.compactions.size) await Promise.allSettled([...this.compactions.values()]);
  }

  private compactSoon(documentId: string): void {
    if (this.compactions.has(documentId)) return;
    const run = new Promise((r) => setImmediate(r))
      .then(() => this.compact(documentId))
      .catch((err: Error) => this.log.warn({ err: err.message, documentId }, "collab compaction failed; the next update retries"))
      .finally(() => this.compactions.delete(documentId));
    this.compactions.set(documentId, run);
  }

  /**
   * A page of the project's consensus layers as ROIs (the Yjs documents are the source of truth),
   * in case key order after `afterKey`; regions whose shape does not hold are left out (wellFormedRois). No access check: for exports, which check data.export.
   */
  async consensusRois(projectId: string, afterKey: string | null, limit: number): Promise<Array<{ caseId: string; caseKey: string; rois: RoiInput[] }>> {
    const docs = await new CollabRepository(this.db.dataSource.manager).consensusDocuments(projectId, afterKey, limit);
    return docs.map((d) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, mergeStored(d.updates));
      const rois = wellFormedRois(doc);
      doc.destroy();
      return { caseId: d.caseId, caseKey: d.caseKey, rois };
    });
  }

  /** The stored state of a document: the merge of all its rows. */
  private async state(em: EntityManager, caseId: string, layer: Layer): Promise<Uint8Array> {
    const repo = new CollabRepository(em);
    const doc = await repo.findDocument(caseId, layerName(layer));
    return mergeStored(doc ? (await repo.updates(doc.id)).map((u) => u.data) : []);
  }

  /**
   * Who may use a layer, through the access module: a reader their own layer (case.annotate);
   * another reader's layer, read only, whoever may see others' work on the case (blind reading: an
   * annotator only after submitting it); the consensus layer, read and write, reviewers (case.review)
   * and readers who may see others' work on the case. Anyone else: the case does not exist.
   */
  private async layerAccess(em: EntityManager, actor: Actor | null, caseId: string, layer: Layer, mode: Mode) {
    const who = requireActor(actor);
    // One query: the credentials still live, the case's project, the actor's role there, archived.
    const { live, resource } = await loadCaseResource(em, who, caseId);
    if (!live) throw unauthenticated();
    if (!resource || !(await this.allowed(em, who, resource, caseId, layer, mode))) throw notFound("Case");
    // Writing one's own layer is writing one's reading: where readers read only their assigned cases, refused for another, saying so.
    if (mode === "write" && layer.kind === "reader") requireAssigned({ ...resource, ...(await assignmentFacts(em, resource, caseId, who.userId)) });
    return { who, projectId: resource.projectId, archived: resource.archived };
  }

  private async allowed(em: EntityManager, who: Actor, resource: ProjectResource, caseId: string, layer: Layer, mode: Mode): Promise<boolean> {
    const seesOthers = async () => can(who, "annotations.viewOthers", { ...resource, ...(await blindReadingFacts(em, caseId, who.userId)) });
    if (layer.kind === "reader") {
      if (layer.readerId === who.userId) return can(who, "case.annotate", resource);
      return mode === "read" && (await seesOthers());
    }
    return can(who, "case.review", resource) || (can(who, "case.annotate", resource) && (await seesOthers()));
  }
}

/**
 * How long a subscriber's "may read" answer serves the updates that follow it. Access is still
 * checked again at once on a change of the user's memberships (a revoked role ends the stream
 * without waiting); this only spares a burst of updates the same three queries each. It bounds how
 * late a logout or a change of reading mode takes effect on a live stream.
 */
export const ACCESS_RECHECK_MS = 1000;

/**
 * The event for a stored update, one object for every stream of the document in this process: the
 * collabUpdates field is executed once per event (SHARED_RESULT), keyed by this object. Streams of
 * one document share its channel, so they agree on `doc`.
 */
const events = new WeakMap<CollabMessage, CollabEventPayload>();
function eventOf(message: CollabMessage, doc: { caseId: string; layer: string }): CollabEventPayload {
  let event = events.get(message);
  if (!event) events.set(message, (event = { kind: "UPDATE", ...doc, update: message.update, clientId: message.clientId }));
  return event;
}

/** A membership change asks for an access check that started after it (performance.now()). */
interface Recheck {
  recheckAfter: number;
}

/**
 * One subscriber's stream: a bounded queue (overflow merges the waiting updates into one, so a slow
 * client is never sent a gap), an access check before each event, and cleanup exactly once.
 * While updates flow, the check is renewed in the background before its answer expires, so no
 * update waits for it; an update after a pause waits for a fresh one, as does a membership change.
 */
export class CollabStream implements AsyncIterableIterator<CollabEventPayload> {
  private readonly queue: Array<CollabMessage | Recheck> = [];
  /** Until when (performance.now()) the last positive access check holds for updates. */
  private allowedUntil = 0;
  private renewing = false;
  private wake: (() => void) | null = null;
  private ended = false;
  private readonly cleanups: Array<() => Promise<void>> = [];

  constructor(
    private readonly max: number,
    /** Answers whether the subscriber may still read, from a check started after `notBefore` if given. */
    private readonly mayRead: (notBefore?: number) => Promise<boolean>,
    private readonly except: string | null,
    private readonly doc: { caseId: string; layer: string },
    private readonly recheckMs = ACCESS_RECHECK_MS,
  ) {}

  onEnd(cleanup: () => Promise<void>): void {
    if (this.ended) void cleanup();
    else this.cleanups.push(cleanup);
  }

  push(m: CollabMessage): void {
    if (this.ended) return;
    this.queue.push(m);
    if (this.queue.length > this.max) this.squash();
    this.notify();
  }

  recheck(): void {
    if (this.ended) return;
    this.queue.push({ recheckAfter: performance.now() });
    this.notify();
  }

  async next(): Promise<IteratorResult<CollabEventPayload>> {
    for (;;) {
      if (this.ended) return { value: undefined, done: true };
      const item = this.queue.shift();
      if (item === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const recheck = "recheckAfter" in item;
      const now = performance.now();
      let allowed = !recheck && now < this.allowedUntil;
      if (allowed) {
        if (this.allowedUntil - now < this.recheckMs / 2) this.renew();
      } else {
        try {
          allowed = await this.mayRead(recheck ? item.recheckAfter : undefined);
        } catch (err) {
          await this.return();
          throw err;
        }
        this.allowedUntil = allowed ? now + this.recheckMs : 0;
      }
      if (this.ended) return { value: undefined, done: true };
      if (!allowed) {
        await this.return();
        return { value: { kind: "ACCESS_REVOKED", ...this.doc, update: null, clientId: null }, done: false };
      }
      if (recheck || (this.except && item.clientId === this.except)) continue;
      return { value: eventOf(item, this.doc), done: false };
    }
  }

  async return(): Promise<IteratorResult<CollabEventPayload>> {
    if (!this.ended) {
      this.ended = true;
      this.queue.length = 0;
      this.notify();
      await Promise.allSettled(this.cleanups.splice(0).map((c) => c()));
    }
    return { value: undefined, done: true };
  }

  async throw(err?: unknown): Promise<IteratorResult<CollabEventPayload>> {
    await this.return();
    throw err;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /**
   * Checks access again in the background while the last answer still holds. A yes extends it (from
   * when this check was asked); a no ends the stream as a membership change would; a failure is left
   * to the check at expiry, which waits for its answer.
   */
  private renew(): void {
    if (this.renewing) return;
    this.renewing = true;
    const asked = performance.now();
    this.mayRead().then(
      (allowed) => {
        this.renewing = false;
        if (allowed) this.allowedUntil = Math.max(this.allowedUntil, asked + this.recheckMs);
        else {
          // Nothing more goes out on the old answer: the next item waits for a fresh check.
          this.allowedUntil = 0;
          this.recheck();
        }
      },
      () => (this.renewing = false),
    );
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /**
   * Merges every waiting update into one; its client id is unknown, so nobody drops it as an echo
   * (applying one's own update again is harmless). A waiting membership recheck stays, first.
   */
  private squash(): void {
    const updates = this.queue.filter((i): i is CollabMessage => !("recheckAfter" in i));
    const rechecks = this.queue.filter((i): i is Recheck => "recheckAfter" in i);
    const merged = Y.mergeUpdates(updates.map((m) => decodeBase64(m.update, "update", Number.MAX_SAFE_INTEGER)));
    this.queue.length = 0;
    if (rechecks.length) this.queue.push({ recheckAfter: Math.max(...rechecks.map((r) => r.recheckAfter)) });
    this.queue.push({ hub: "", caseId: this.doc.caseId, layer: this.doc.layer, update: encodeBase64(merged), clientId: null });
  }
}
