import type { requests as Requests, responses as Responses } from "dcmjs-dimse";
import { EXPLICIT_LE, IMPLICIT_LE, STATUS_NAMES, Status, dimse, keepRawStoreBytes, noDelay, receivedInstance, type DicomNode, type ReceivedInstance } from "./dimse.js";
import { outboundPolicy, OutboundRefused } from "../outbound.js";

// Our side as a DIMSE service user: C-ECHO, C-FIND, C-GET and C-MOVE against a peer, each on one
// association, each wrapped in a promise that settles exactly once.

const { Client } = dimse;
const { CEchoRequest, CFindRequest, CGetRequest, CMoveRequest } = dimse.requests;
const { CStoreResponse } = dimse.responses;
const { PresentationContext } = dimse.association;

/** A peer could not be reached, refused us, or broke off; the message says which, for the data owner. */
export class DimseError extends Error {
  override readonly name = "DimseError";
}

export interface DimseTimeouts {
  connectMs: number;
  associationMs: number;
  /** Silence on an established association before we give up (a long C-MOVE sends nothing meanwhile). */
  pduMs: number;
}

export const DEFAULT_TIMEOUTS: DimseTimeouts = { connectMs: 5_000, associationMs: 10_000, pduMs: 120_000 };

export interface StudyMatch {
  studyInstanceUid: string;
  studyDate: string | null;
  modalities: string[];
  description: string | null;
  numberOfInstances: number | null;
}

export interface StudyQuery {
  patientId?: string | null | undefined;
  studyDate?: string | null | undefined;
  accessionNumber?: string | null | undefined;
  modality?: string | null | undefined;
}

export interface RetrieveSummary {
  status: number;
  completed: number;
  failed: number;
  warnings: number;
  comment: string;
}

// Storage classes dcmjs-dimse does not propose for C-GET; without a context for one of them, a
// peer like Orthanc aborts the whole C-GET (not just that instance).
const EXTRA_GET_CLASSES = [
  "1.2.840.10008.5.1.4.1.1.66.4", // Segmentation
  "1.2.840.10008.5.1.4.1.1.66.5", // Surface Segmentation
  "1.2.840.10008.5.1.4.1.1.66.1", // Spatial Registration
  "1.2.840.10008.5.1.4.1.1.30", // Parametric Map
  "1.2.840.10008.5.1.4.1.1.88.34", // Comprehensive 3D SR
  "1.2.840.10008.5.1.4.1.1.88.59", // Key Object Selection
  "1.2.840.10008.5.1.4.1.1.88.22", // Enhanced SR
  "1.2.840.10008.5.1.4.1.1.11.1", // Grayscale Softcopy Presentation State
  "1.2.840.10008.5.1.4.1.1.481.1", // RT Image
  "1.2.840.10008.5.1.4.1.1.481.2", // RT Dose
  "1.2.840.10008.5.1.4.1.1.481.3", // RT Structure Set
  "1.2.840.10008.5.1.4.1.1.481.5", // RT Plan
  "1.2.840.10008.5.1.4.1.1.2.1", // Enhanced CT
  "1.2.840.10008.5.1.4.1.1.4.1", // Enhanced MR
  "1.2.840.10008.5.1.4.1.1.1.1.1", // Digital X-Ray for processing
  "1.2.840.10008.5.1.4.1.1.104.1", // Encapsulated PDF
];

export class DimseClient {
  constructor(
    /** Our AE title, as the calling AE of every association we open. */
    private readonly aeTitle: string,
    private readonly timeouts: DimseTimeouts = DEFAULT_TIMEOUTS,
  ) {}

  /** C-ECHO; resolves with the round trip in milliseconds or rejects with a DimseError. */
  async echo(peer: DicomNode): Promise<{ millis: number; status: number }> {
    const started = performance.now();
    const request = new CEchoRequest();
    const [response] = await this.run(peer, request);
    return { millis: Math.round(performance.now() - started), status: response!.getStatus() };
  }

  /** C-FIND at STUDY level in the Study Root model. Empty keys ask the peer to return them. */
  async findStudies(peer: DicomNode, query: StudyQuery, limit: number): Promise<StudyMatch[]> {
    const request = CFindRequest.createStudyFindRequest({
      StudyInstanceUID: "",
      PatientID: query.patientId ?? "",
      StudyDate: query.studyDate ?? "",
      AccessionNumber: query.accessionNumber ?? "",
      ModalitiesInStudy: query.modality ?? "",
      StudyDescription: "",
      NumberOfStudyRelatedInstances: "",
    });
    const responses = await this.run(peer, request);
    const final = responses[responses.length - 1]!;
    if (final.getStatus() !== Status.Success) throw new DimseError(`the peer answered the query with ${statusText(final)}`);
    const matches: StudyMatch[] = [];
    for (const r of responses) {
      if (r.getStatus() !== Status.Pending && r.getStatus() !== Status.PendingWithWarnings) continue;
      const d = r.getDataset();
      const uid = text(d?.getElement("StudyInstanceUID"));
      if (!d || !uid) continue;
      const count = Number(text(d.getElement("NumberOfStudyRelatedInstances")));
      matches.push({
        studyInstanceUid: uid,
        studyDate: text(d.getElement("StudyDate")),
        modalities: list(d.getElement("ModalitiesInStudy")),
        description: text(d.getElement("StudyDescription")),
        numberOfInstances: Number.isInteger(count) && text(d.getElement("NumberOfStudyRelatedInstances")) !== null ? count : null,
      });
      if (matches.length >= limit) break;
    }
    return matches;
  }

  /**
   * C-GET of a study: the peer sends its instances on this same association. Each one goes to
   * `accept`, and the peer hears Success only once `accept` resolved without a refusal.
   */
  async getStudy(peer: DicomNode, studyInstanceUid: string, accept: (instance: ReceivedInstance) => Promise<StoreAnswer>): Promise<RetrieveSummary> {
    const request = CGetRequest.createStudyGetRequest(studyInstanceUid);
    const extra = EXTRA_GET_CLASSES.map((uid) => {
      const context = new PresentationContext(0, uid, EXPLICIT_LE, undefined, false, true);
      context.addTransferSyntaxUid(IMPLICIT_LE);
      return context;
    });
    const responses = await this.run(peer, request, { extraContexts: extra, onStore: accept });
    return summary(responses[responses.length - 1] as Responses.CGetResponse);
  }

  /** C-MOVE of a study to `destination` (an AE title the peer knows, normally ours). */
  async moveStudy(peer: DicomNode, studyInstanceUid: string, destination: string): Promise<RetrieveSummary> {
    const request = CMoveRequest.createStudyMoveRequest(destination, studyInstanceUid);
    const responses = await this.run(peer, request);
    return summary(responses[responses.length - 1] as Responses.CMoveResponse);
  }

  /** One association with one request; resolves with every response to it, the final one last. */
  private run(
    peer: DicomNode,
    request: Requests.Request,
    opts: { extraContexts?: InstanceType<typeof PresentationContext>[]; onStore?: (instance: ReceivedInstance) => Promise<StoreAnswer> } = {},
  ): Promise<Responses.Response[]> {
    // The peer's host as an address the outbound policy allows, connected to as such (no second lookup).
    return outboundPolicy()
      .resolve(peer.host)
      .then(
        ([address]) => this.associate(address!, peer, request, opts),
        (err: NodeJS.ErrnoException) => {
          throw new DimseError(err instanceof OutboundRefused ? err.message : networkText(err, peer));
        },
      );
  }

  private associate(
    address: string,
    peer: DicomNode,
    request: Requests.Request,
    opts: { extraContexts?: InstanceType<typeof PresentationContext>[]; onStore?: (instance: ReceivedInstance) => Promise<StoreAnswer> },
  ): Promise<Responses.Response[]> {
    return new Promise((resolve, reject) => {
      const client = new Client();
      const responses: Responses.Response[] = [];
      let settled = false;
      let failure: DimseError | null = null;
      const finish = () => {
        if (settled) return;
        settled = true;
        const final = responses[responses.length - 1];
        if (failure) reject(failure);
        else if (!final || final.getStatus() === Status.Pending || final.getStatus() === Status.PendingWithWarnings) {
          // The peer closed without a final answer (dcmjs-dimse raises no error for this).
          reject(new DimseError("the peer closed the association without answering"));
        } else resolve(responses);
      };
      request.on("response", (response: Responses.Response) => {
        responses.push(response);
      });
      client.on("associationRejected", (r: { result: number; source: number; reason: number }) => {
        failure ??= new DimseError(`the peer rejected the association (${rejectText(r)})`);
      });
      client.on("networkError", (err: Error) => {
        failure ??= new DimseError(networkText(err, peer));
      });
      client.on("closed", finish);
      if (opts.onStore) {
        const onStore = opts.onStore;
        client.on("cStoreRequest", (req: Requests.CStoreRequest, callback: (r: Responses.CStoreResponse) => void) => {
          void answerStore(req, onStore).then(callback);
        });
      }
      for (const context of opts.extraContexts ?? []) client.addAdditionalPresentationContext(context);
      client.addRequest(request);
      try {
        client.send(address, peer.port, this.aeTitle, peer.aeTitle, {
          connectTimeout: this.timeouts.connectMs,
          associationTimeout: this.timeouts.associationMs,
          pduTimeout: this.timeouts.pduMs,
        });
      } catch (err) {
        settled = true;
        reject(new DimseError((err as Error).message));
        return;
      }
      const network = (client as unknown as { network?: { socket?: import("node:net").Socket } }).network;
      keepRawStoreBytes(network);
      noDelay(network?.socket);
    });
  }
}

/** What we tell a peer about one instance it sent. */
export type StoreAnswer = { ok: true } | { ok: false; status: number; comment: string };

export async function answerStore(req: Requests.CStoreRequest, accept: (instance: ReceivedInstance) => Promise<StoreAnswer>): Promise<Responses.CStoreResponse> {
  const response = CStoreResponse.fromRequest(req);
  let answer: StoreAnswer;
  try {
    const instance = receivedInstance(req);
    answer = instance ? await accept(instance) : { ok: false, status: Status.CannotUnderstand, comment: "data set not received" };
  } catch (err) {
    answer = { ok: false, status: Status.ProcessingFailure, comment: (err as Error).message.slice(0, 64) };
  }
  response.setStatus(answer.ok ? Status.Success : answer.status);
  if (!answer.ok) response.setErrorComment(answer.comment.slice(0, 64));
  return response;
}

function summary(final: Responses.CGetResponse | Responses.CMoveResponse): RetrieveSummary {
  return {
    status: final.getStatus(),
    completed: final.getCompleted() ?? 0,
    failed: final.getFailures() ?? 0,
    warnings: final.getWarnings() ?? 0,
    comment: statusText(final),
  };
}

export function statusText(r: Responses.Response): string {
  const status = r.getStatus();
  const hex = `0x${status.toString(16).padStart(4, "0").toUpperCase()}`;
  const name = Object.entries(STATUS_NAMES).find(([, v]) => v === status)?.[0] ?? (status >= 0xc000 && status <= 0xcfff ? "Failed" : status >= 0xb000 && status <= 0xbfff ? "Warning" : "status");
  const comment = r.getErrorComment?.();
  return `${name} (${hex})${comment ? `: ${comment}` : ""}`;
}

function rejectText(r: { result: number; source: number; reason: number }): string {
  const reasons: Record<number, string> = { 1: "no reason given", 3: "calling AE title not recognised", 7: "called AE title not recognised" };
  return `${r.result === 1 ? "permanent" : "transient"}, ${r.source === 1 ? reasons[r.reason] ?? `reason ${r.reason}` : `source ${r.source}, reason ${r.reason}`}`;
}

function networkText(err: Error, peer: DicomNode): string {
  // dcmjs-dimse wraps socket errors in its own message ("Connection error: connect ECONNREFUSED ...").
  const code = (err as { code?: string }).code ?? /\b(E[A-Z]+)\b/.exec(err.message)?.[1];
  if (code === "ECONNREFUSED") return `nothing listens on ${peer.host}:${peer.port} (connection refused)`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `the host ${peer.host} is unknown`;
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return `${peer.host} cannot be reached`;
  if (/timeout/i.test(err.message)) return `no answer from ${peer.host}:${peer.port} in time (${err.message})`;
  return err.message.replace(/^\s*->\s*/, "");
}

const text = (v: unknown): string | null => {
  const first = Array.isArray(v) ? v[0] : v;
  if (first === undefined || first === null) return null;
  const s = String(first).trim();
  return s ? s : null;
};

const list = (v: unknown): string[] => {
  const values = Array.isArray(v) ? v : v === undefined || v === null ? [] : String(v).split("\\");
  return values.map((x) => String(x).trim()).filter(Boolean);
};
