import { randomUUID } from "node:crypto";
import { isIP } from "node:net";
import type { EntityManager } from "typeorm";
import { isUuid, requireAccess, requireActor, type Actor } from "../../access/access.js";
import { AppError, archived, conflict, dicomPeerFailed, invalid, notFound, type ErrorCode, type FieldProblem } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../platform/database/index.js";
import type { Bus } from "../../platform/pubsub/bus.js";
import { DimseError, type DimseClient, type RetrieveSummary, type StoreAnswer, type StudyMatch } from "../../platform/dimse/client.js";
import { Status, type DicomNode, type ReceivedInstance } from "../../platform/dimse/dimse.js";
import type { AssociationSink, IncomingAssociation, StorageRouter } from "../../platform/dimse/scp.js";
import type { ImagesService, UploadFile, UploadOutcome } from "../images/images.service.js";
import type { DicomPeerEntity } from "./pacs.entity.js";
import { PacsRepository } from "./pacs.repository.js";

export interface PeerInput {
  name: string;
  aeTitle: string;
  host: string;
  port: number;
}

export interface PeerStudyQuery {
  patientId?: string | null | undefined;
  studyDate?: string | null | undefined;
  accessionNumber?: string | null | undefined;
  modality?: string | null | undefined;
  limit?: number | null | undefined;
}

export type RetrieveMethod = "GET" | "MOVE";

export interface EchoResult {
  ok: boolean;
  millis: number;
  message: string;
}

export interface PacsSettings {
  /** Our AE title: the calling AE of our requests, the called AE of our storage SCP, the C-MOVE destination. */
  aeTitle: string;
  /** Is our storage SCP listening (DICOM_PORT set)? Without it no C-MOVE can reach us. */
  scpEnabled: boolean;
  /** What one retrieval or one incoming association may hold in memory before ingest. */
  maxBytes: number;
}

export const MAX_FIND_LIMIT = 500;
const DEFAULT_FIND_LIMIT = 100;

/** Instances a C-MOVE we asked for is sending to our SCP, collected for one upload batch. */
interface PendingMove {
  projectId: string;
  actor: Actor;
  collector: Collector;
}

/** Files held in memory until they go to ingest as one batch. */
class Collector {
  readonly files: UploadFile[] = [];
  private bytes = 0;
  /** Keeps case keys of different retrievals from the same peer apart. */
  private readonly stamp = compactTime(new Date());
  refusedForSize = 0;

  constructor(
    private readonly peerName: string,
    private readonly maxBytes: number,
  ) {}

  add(instance: ReceivedInstance): StoreAnswer {
    if (this.bytes + instance.bytes.byteLength > this.maxBytes) {
      this.refusedForSize++;
      return { ok: false, status: Status.OutOfResources, comment: "retrieval exceeds the upload size limit" };
    }
    this.bytes += instance.bytes.byteLength;
    // Named after the peer, never after the sender's UIDs: the name becomes the case key readers see.
    this.files.push({ name: `${this.peerName}-${this.stamp}-${this.files.length + 1}.dcm`, bytes: instance.bytes });
    return { ok: true };
  }
}

/**
 * A C-MOVE asked of a replica without the storage SCP, handed over the bus to the one that runs it
 * (docker-compose.yml runs it on one replica; the PACS knows one destination for our AE title).
 */
const MOVE_REQUESTS = "pacs.move.requests";
const moveAnswers = (requestId: string) => `pacs.move.answers.${requestId}`;
/** How long the asking replica waits for the SCP's replica to take the move. */
export const MOVE_TAKEN_MS = 5_000;
/** How long it waits for the retrieval to end: a study of thousands of images over a slow link. */
const MOVE_DONE_MS = 60 * 60_000;

interface MoveRequest {
  requestId: string;
  actor: Actor;
  peerId: string;
  studyInstanceUid: string;
}
type MoveAnswer = { taken: true } | { batchId: string } | { error: { code: ErrorCode | null; message: string; extensions?: Record<string, unknown> } };

export class PacsService {
  private readonly pendingMoves = new Map<string, PendingMove>();
  /** One C-MOVE per peer AE title and study at a time, so the instances coming back are attributed unambiguously. */
  private readonly moveQueues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly images: ImagesService,
    private readonly dimse: DimseClient,
    private readonly log: Logger,
    private readonly settings: PacsSettings,
    private readonly bus: Bus,
  ) {}

  private repo(em: EntityManager = this.db.dataSource.manager) {
    return new PacsRepository(em);
  }

  async peers(actor: Actor | null, projectId: string): Promise<DicomPeerEntity[]> {
    await requireAccess(this.db.dataSource.manager, actor, "data.upload", projectId);
    return this.repo().peers(projectId);
  }

  async addPeer(actorIn: Actor | null, projectId: string, input: PeerInput): Promise<DicomPeerEntity> {
    const actor = requireActor(actorIn);
    const clean = { name: input.name.trim(), aeTitle: input.aeTitle.trim(), host: input.host.trim(), port: input.port };
    const problems = peerProblems(clean);
    if (problems.length) throw invalid(problems);
    return this.db.tx(async (em) => {
      const access = await requireAccess(em, actor, "data.upload", projectId);
      if (access.archived) throw archived();
      const repo = this.repo(em);
      // The unique index decides under concurrency; this check gives the usual answer first.
      if (await repo.nameTaken(projectId, clean.name)) throw conflict(`A DICOM peer named "${clean.name}" already exists`, "name");
      try {
        return await repo.insertPeer({ projectId, ...clean, createdBy: actor.userId });
      } catch (err) {
        if ((err as { code?: string }).code === "23505") throw conflict(`A DICOM peer named "${clean.name}" already exists`, "name");
        throw err;
      }
    });
  }

  async removePeer(actor: Actor | null, id: string): Promise<boolean> {
    const peer = await this.peerFor(actor, id, true);
    await this.repo().deletePeer(peer.id);
    return true;
  }

  /** C-ECHO. A peer that cannot be reached is an answer here (ok: false), not an error. */
  async echo(actor: Actor | null, id: string): Promise<EchoResult> {
    const peer = await this.peerFor(actor, id, false);
    const started = performance.now();
    try {
      const { millis, status } = await this.dimse.echo(node(peer));
      return status === Status.Success
        ? { ok: true, millis, message: `${peer.aeTitle} answered C-ECHO with Success` }
        : { ok: false, millis, message: `${peer.aeTitle} answered C-ECHO with status 0x${status.toString(16).padStart(4, "0")}` };
    } catch (err) {
      if (!(err instanceof DimseError)) throw err;
      return { ok: false, millis: Math.round(performance.now() - started), message: err.message };
    }
  }

  /**
   * C-FIND at study level. The answer carries the PACS's own identifiers, which data owners may see
   * of their own PACS; nothing of it is stored.
   */
  async findStudies(actor: Actor | null, id: string, query: PeerStudyQuery): Promise<StudyMatch[]> {
    const problems = queryProblems(query);
    if (problems.length) throw invalid(problems);
    const peer = await this.peerFor(actor, id, false);
    const keys = {
      patientId: query.patientId?.trim() || null,
      studyDate: query.studyDate?.trim() || null,
      accessionNumber: query.accessionNumber?.trim() || null,
      modality: query.modality?.trim() || null,
    };
    try {
      return await this.dimse.findStudies(node(peer), keys, query.limit ?? DEFAULT_FIND_LIMIT);
    } catch (err) {
      if (err instanceof DimseError) throw dicomPeerFailed(`C-FIND on ${peer.name} failed: ${err.message}`);
      throw err;
    }
  }

  /**
   * Retrieves a study into the peer's project, as one upload batch with source DIMSE. GET: the
   * instances come back on our own association. MOVE: the peer sends them to our storage SCP, which
   * hands them to the move waiting for them.
   */
  async retrieve(actorIn: Actor | null, id: string, studyInstanceUid: string, method: RetrieveMethod): Promise<UploadOutcome> {
    const actor = requireActor(actorIn);
    const uid = studyInstanceUid.trim();
    if (!UID.test(uid) || uid.length > 64) throw invalid([{ field: "studyInstanceUid", message: "must be a DICOM UID (digits and dots, at most 64 characters)" }]);
    const peer = await this.peerFor(actor, id, true);
    if (method === "MOVE" && !this.settings.scpEnabled) {
      // Another replica may run it (with Redis, replicas share a bus); alone, this server has none.
      if (this.bus.kind === "redis") return this.moveThroughScpReplica(actor, peer, uid);
      throw invalid([{ field: "method", message: "this server runs no storage SCP (DICOM_PORT is not set), so nothing can be moved to it; use GET" }]);
    }
    const collector = new Collector(slug(peer.name), this.settings.maxBytes);
    let summary: RetrieveSummary;
    try {
      summary =
        method === "GET"
          ? await this.dimse.getStudy(node(peer), uid, async (instance) => collector.add(instance))
          : await this.expectingMove(peer, uid, { projectId: peer.projectId, actor, collector }, () => this.dimse.moveStudy(node(peer), uid, this.settings.aeTitle));
    } catch (err) {
      if (err instanceof DimseError) throw dicomPeerFailed(`C-${method} from ${peer.name} failed: ${err.message}`);
      throw err;
    }
    if (!collector.files.length) {
      throw dicomPeerFailed(
        summary.status === Status.Success
          ? `${peer.name} sent no instances of this study`
          : `C-${method} from ${peer.name} failed: ${summary.comment}${summary.failed ? `, ${summary.failed} failed` : ""}`,
      );
    }
    if (summary.failed || collector.refusedForSize) {
      this.log.warn({ peer: peer.id, method, received: collector.files.length, failed: summary.failed, refusedForSize: collector.refusedForSize }, "DIMSE retrieval incomplete");
    }
    return this.images.upload(actor, peer.projectId, collector.files, "DIMSE");
  }

  /**
   * For the replica that runs the storage SCP: takes the C-MOVEs other replicas are asked for (see
   * moveThroughScpReplica) and runs them as its own, with the asking user's rights, checked again
   * here. Answers the function that stops it; a no-op without the SCP or without a shared bus.
   */
  async serveMoves(): Promise<() => Promise<void>> {
    if (!this.settings.scpEnabled || this.bus.kind !== "redis") return async () => {};
    return this.bus.subscribe(MOVE_REQUESTS, (message) => void this.takeMove(message.payload as MoveRequest));
  }

  private async takeMove(request: MoveRequest): Promise<void> {
    const { requestId, actor, peerId, studyInstanceUid } = request ?? ({} as MoveRequest);
    if (typeof requestId !== "string" || typeof peerId !== "string" || typeof studyInstanceUid !== "string" || typeof actor?.userId !== "string") {
      this.log.warn({ requestId }, "DIMSE: a C-MOVE handed over by another replica was malformed; ignored");
      return;
    }
    const answer = (a: MoveAnswer) => this.bus.publish(moveAnswers(requestId), a).catch((err: Error) => this.log.error({ err: err.message, requestId }, "DIMSE: could not answer a replica's C-MOVE"));
    await answer({ taken: true });
    try {
      const { batch } = await this.retrieve(actor, peerId, studyInstanceUid, "MOVE");
      await answer({ batchId: batch.id });
    } catch (err) {
      if (err instanceof AppError) {
        await answer({ error: { code: err.code, message: err.message, extensions: err.extensions } });
      } else {
        this.log.error({ err: (err as Error).message, requestId, peerId }, "DIMSE: a C-MOVE taken for another replica failed");
        await answer({ error: { code: null, message: "the C-MOVE failed on the replica that runs the storage SCP" } });
      }
    }
  }

  /**
   * A C-MOVE asked of this replica, which runs no storage SCP: the replica that does runs it (the
   * instances come to its SCP) and says which upload batch holds them. Fails when no replica takes it
   * within MOVE_TAKEN_MS.
   */
  private async moveThroughScpReplica(actor: Actor, peer: DicomPeerEntity, studyInstanceUid: string): Promise<UploadOutcome> {
    const requestId = randomUUID();
    let taken = false;
    let settle!: (a: MoveAnswer | "untaken" | "late") => void;
    const answered = new Promise<MoveAnswer | "untaken" | "late">((resolve) => (settle = resolve));
    const unsubscribe = await this.bus.subscribe(moveAnswers(requestId), (message) => {
      const a = message.payload as MoveAnswer;
      if ("taken" in a) taken = true;
      else settle(a);
    });
    const untaken = setTimeout(() => taken || settle("untaken"), MOVE_TAKEN_MS);
    const late = setTimeout(() => settle("late"), MOVE_DONE_MS);
    let answer: MoveAnswer | "untaken" | "late";
    try {
      await this.bus.publish(MOVE_REQUESTS, { requestId, actor, peerId: peer.id, studyInstanceUid } satisfies MoveRequest);
      answer = await answered;
    } finally {
      clearTimeout(untaken);
      clearTimeout(late);
      await unsubscribe();
    }
    if (answer === "untaken") {
      throw invalid([{ field: "method", message: "no replica of this server runs a storage SCP (DICOM_PORT), so nothing can be moved to it; use GET" }]);
    }
    if (answer === "late") throw dicomPeerFailed(`C-MOVE from ${peer.name} did not end within ${MOVE_DONE_MS / 60_000} minutes`);
    if ("error" in answer) {
      if (answer.error.code) throw new AppError(answer.error.code, answer.error.message, answer.error.extensions ?? {});
      throw new Error(answer.error.message);
    }
    return this.images.batch(actor, (answer as { batchId: string }).batchId);
  }

  /** Decides, for our storage SCP, where instances arriving on an association go. */
  storageRouter(): StorageRouter {
    return { open: (association) => this.openIncoming(association) };
  }

  private async openIncoming(association: IncomingAssociation): Promise<AssociationSink | null> {
    const peers = await this.repo().peersWithAeTitle(association.callingAeTitle);
    if (!peers.length) return null;
    return new IncomingAssociationSink(this, association, peers);
  }

  /** A C-MOVE we asked for, with the instances it sends back attributed to it for as long as it runs. */
  private async expectingMove<T>(peer: DicomPeerEntity, studyInstanceUid: string, pending: PendingMove, move: () => Promise<T>): Promise<T> {
    const key = moveKey(peer.aeTitle, studyInstanceUid);
    const before = this.moveQueues.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(async () => {
      this.pendingMoves.set(key, pending);
      try {
        return await move();
      } finally {
        this.pendingMoves.delete(key);
      }
    });
    this.moveQueues.set(key, run);
    try {
      return await run;
    } finally {
      if (this.moveQueues.get(key) === run) this.moveQueues.delete(key);
    }
  }

  /** @internal for IncomingAssociationSink */
  pendingMove(callingAeTitle: string, studyInstanceUid: string | null): PendingMove | undefined {
    return studyInstanceUid ? this.pendingMoves.get(moveKey(callingAeTitle, studyInstanceUid)) : undefined;
  }

  /** @internal for IncomingAssociationSink: may this peer's registrant still upload to its project? */
  async pushAllowed(peer: DicomPeerEntity): Promise<StoreAnswer & { actor?: Actor }> {
    if (!peer.createdBy) return { ok: false, status: Status.NotAuthorized, comment: "peer has no registrant; add it again" };
    // Unsolicited C-STOREs act with the upload rights of whoever registered the peer.
    const actor: Actor = { userId: peer.createdBy, via: "session" };
    try {
      const access = await requireAccess(this.db.dataSource.manager, actor, "data.upload", peer.projectId);
      if (access.archived) return { ok: false, status: Status.NotAuthorized, comment: "project is archived" };
    } catch {
      return { ok: false, status: Status.NotAuthorized, comment: "peer's registrant may no longer upload" };
    }
    return { ok: true, actor };
  }

  /** @internal for IncomingAssociationSink */
  async ingest(actor: Actor, projectId: string, files: UploadFile[], callingAeTitle: string): Promise<void> {
    const { batch } = await this.images.upload(actor, projectId, files, "DIMSE");
    this.log.info({ batch: batch.id, project: projectId, calling: callingAeTitle, total: batch.total, stored: batch.stored, refused: batch.refused }, "DIMSE C-STOREs ingested");
  }

  newCollector(peerName: string): Collector {
    return new Collector(slug(peerName), this.settings.maxBytes);
  }

  private async peerFor(actor: Actor | null, id: string, forChange: boolean): Promise<DicomPeerEntity> {
    requireActor(actor);
    const peer = isUuid(id) ? await this.repo().findPeer(id) : null;
    if (!peer) throw notFound("DICOM peer");
    let access: Awaited<ReturnType<typeof requireAccess>>;
    try {
      access = await requireAccess(this.db.dataSource.manager, actor, "data.upload", peer.projectId);
    } catch (err) {
      // Someone who may not use this project's peers learns nothing about them either.
      if ((err as { code?: string }).code === "NOT_FOUND") throw notFound("DICOM peer");
      throw err;
    }
    if (forChange && access.archived) throw archived();
    return peer;
  }
}

/**
 * The instances of one incoming association. Those a C-MOVE of ours is waiting for go to that move;
 * the rest go to the peer's project as one batch when the association ends.
 */
class IncomingAssociationSink implements AssociationSink {
  private pushed: { peer: DicomPeerEntity; actor: Actor; collector: Collector } | null = null;
  private refusal: StoreAnswer | null = null;

  constructor(
    private readonly service: PacsService,
    private readonly association: IncomingAssociation,
    private readonly peers: DicomPeerEntity[],
  ) {}

  async store(instance: ReceivedInstance): Promise<StoreAnswer> {
    const pending = this.service.pendingMove(this.association.callingAeTitle, instance.studyInstanceUid);
    if (pending) return pending.collector.add(instance);
    const target = await this.pushTarget();
    return target.ok ? this.pushed!.collector.add(instance) : target;
  }

  async close(): Promise<void> {
    const pushed = this.pushed;
    if (!pushed?.collector.files.length) return;
    await this.service.ingest(pushed.actor, pushed.peer.projectId, pushed.collector.files, this.association.callingAeTitle);
  }

  /** Checked once per association: which project unsolicited instances go to, and may they. */
  private async pushTarget(): Promise<StoreAnswer> {
    if (this.pushed) return { ok: true };
    if (this.refusal) return this.refusal;
    const projects = new Set(this.peers.map((p) => p.projectId));
    if (projects.size > 1) {
      this.refusal = { ok: false, status: Status.NotAuthorized, comment: "AE title belongs to several projects" };
      return this.refusal;
    }
    const peer = this.peers.find((p) => p.createdBy) ?? this.peers[0]!;
    const allowed = await this.service.pushAllowed(peer);
    if (!allowed.ok || !allowed.actor) {
      this.refusal = allowed.ok ? { ok: false, status: Status.NotAuthorized, comment: "not allowed" } : allowed;
      return this.refusal;
    }
    this.pushed = { peer, actor: allowed.actor, collector: this.service.newCollector(peer.name) };
    return { ok: true };
  }
}

const node = (p: DicomPeerEntity): DicomNode => ({ aeTitle: p.aeTitle, host: p.host, port: p.port });
const moveKey = (aeTitle: string, studyInstanceUid: string) => `${aeTitle}\u0000${studyInstanceUid}`;

const UID = /^[0-9]+(\.[0-9]+)*$/;
// PS3.5 AE: default character repertoire without backslash or control characters.
const AE_TITLE = /^[\x20-\x5b\x5d-\x7e]{1,16}$/;
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const DATE_RANGE = /^(\d{8})?(-(\d{8})?)?$/;
const MODALITY = /^[A-Z0-9_]{1,16}$/;
// Query values: wildcards allowed, but no backslash (it would make the key multi-valued).
const QUERY_TEXT = /^[^\\\x00-\x1f]*$/;

function peerProblems(p: PeerInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!p.name) problems.push({ field: "name", message: "must not be empty" });
  else if (p.name.length > 64) problems.push({ field: "name", message: "must be at most 64 characters" });
  if (!p.aeTitle) problems.push({ field: "aeTitle", message: "must not be empty" });
  else if (!AE_TITLE.test(p.aeTitle)) problems.push({ field: "aeTitle", message: "must be 1 to 16 printable ASCII characters without a backslash" });
  if (!p.host) problems.push({ field: "host", message: "must not be empty" });
  else if (!isIP(p.host) && !HOST_NAME.test(p.host)) problems.push({ field: "host", message: "must be a host name or an IP address" });
  if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) problems.push({ field: "port", message: "must be a whole number from 1 to 65535" });
  return problems;
}

function queryProblems(q: PeerStudyQuery): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const text = (field: "patientId" | "accessionNumber", max: number) => {
    const v = q[field]?.trim();
    if (v && (v.length > max || !QUERY_TEXT.test(v))) problems.push({ field, message: `must be at most ${max} characters, without a backslash` });
  };
  text("patientId", 64);
  text("accessionNumber", 16);
  const date = q.studyDate?.trim();
  if (date && (!DATE_RANGE.test(date) || date === "-")) problems.push({ field: "studyDate", message: "must be YYYYMMDD or a range YYYYMMDD-YYYYMMDD (either end may be left open)" });
  const modality = q.modality?.trim();
  if (modality && !MODALITY.test(modality)) problems.push({ field: "modality", message: "must be a modality code such as CT, MR or CR" });
  if (q.limit != null && (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_FIND_LIMIT)) {
    problems.push({ field: "limit", message: `must be a whole number from 1 to ${MAX_FIND_LIMIT}` });
  }
  return problems;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "pacs";
}

function compactTime(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
}
