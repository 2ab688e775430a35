import http from "node:http";
import https from "node:https";
import net, { type Socket } from "node:net";
import { outboundPolicy, OutboundRefused } from "../outbound.js";
import { multipartRelatedChunks, MultipartError, parseMultipartRelated } from "./multipart.js";

// A DICOMweb client (PS3.18) for a store we keep images in: STOW-RS, QIDO-RS, WADO-RS retrieve,
// metadata, frames and rendered. Tried against Orthanc's DICOMweb plugin (shared/docs/ORTHANC.md).

export type DicomwebAuth = { kind: "NONE" } | { kind: "BASIC"; username: string; password: string } | { kind: "BEARER"; token: string };

export interface DicomwebClientOptions {
  /** The service root, e.g. http://pacs:8042/dicom-web (no trailing slash needed). */
  baseUrl: string;
  auth?: DicomwebAuth;
  /** Per request; a store that does not answer in time is treated as not answering. */
  timeoutMs?: number;
}

type DicomJson = Record<string, { vr: string; Value?: unknown[]; [k: string]: unknown }>;

/** One stored (or failed) instance, as the store's STOW-RS reply lists it. */
export interface StowItem {
  sopClassUid: string | null;
  sopInstanceUid: string | null;
  retrieveUrl: string | null;
  /** Failure Reason (0008,1197) of a failed instance. */
  failureReason: number | null;
}

export interface StowReply {
  status: number;
  stored: StowItem[];
  failed: StowItem[];
}

/** A pass-through answer (frames, rendered): the store's status, type and bytes. */
export interface RawReply {
  status: number;
  contentType: string | null;
  body: Buffer;
}

/**
 * The store answered in a way we cannot use, or did not answer. `status` is the HTTP status, or
 * null when no answer came (refused connection, timeout, DNS).
 */
export class DicomwebError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

const DICOM_JSON = "application/dicom+json";
/** The stored bytes, not transcoded: Orthanc and the standard default to Explicit VR Little Endian otherwise. */
const RETRIEVE_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';

export class DicomwebClient {
  readonly baseUrl: string;
  private readonly authorization: string | null;
  private readonly timeoutMs: number;

  constructor(opts: DicomwebClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    const auth = opts.auth ?? { kind: "NONE" };
    this.authorization =
      auth.kind === "BASIC"
        ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`, "utf8").toString("base64")}`
        : auth.kind === "BEARER"
          ? `Bearer ${auth.token}`
          : null;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  // ---- STOW-RS

  /** Stores Part 10 files in one request. Throws DicomwebError unless the store answered 200 or 202 with a reply we can read. */
  async stow(files: Uint8Array[], study?: string): Promise<StowReply> {
    const { chunks, contentType } = multipartRelatedChunks(files);
    const res = await this.request("POST", study ? `/studies/${seg(study)}` : "/studies", {
      headers: { "content-type": contentType, accept: DICOM_JSON },
      body: chunks,
    });
    const text = res.body.toString("utf8");
    // 409 (some failed) and 4xx/5xx may still carry a reply; we only trust 200/202 as "stored".
    if (res.status !== 200 && res.status !== 202) throw new DicomwebError(`STOW-RS answered HTTP ${res.status}${reason(text)}`, res.status);
    let reply: DicomJson;
    try {
      reply = text.trim() ? (JSON.parse(text) as DicomJson) : {};
    } catch {
      throw new DicomwebError(`STOW-RS answered HTTP ${res.status} with a reply that is not DICOM JSON`, res.status);
    }
    return { status: res.status, stored: items(reply["00081199"]), failed: items(reply["00081198"]) };
  }

  // ---- QIDO-RS

  searchStudies(query: Record<string, string | number> = {}): Promise<DicomJson[]> {
    return this.search("/studies", query);
  }

  searchSeries(study?: string, query: Record<string, string | number> = {}): Promise<DicomJson[]> {
    return this.search(study ? `/studies/${seg(study)}/series` : "/series", query);
  }

  searchInstances(study?: string, series?: string, query: Record<string, string | number> = {}): Promise<DicomJson[]> {
    const path = study && series ? `/studies/${seg(study)}/series/${seg(series)}/instances` : study ? `/studies/${seg(study)}/instances` : "/instances";
    return this.search(path, query);
  }

  /** GET of a QIDO-RS path: a JSON array (204 and an empty body count as no matches). */
  private async search(path: string, query: Record<string, string | number>): Promise<DicomJson[]> {
    const qs = queryString(query);
    const res = await this.request("GET", `${path}${qs ? `?${qs}` : ""}`, { headers: { accept: `${DICOM_JSON}, application/json;q=0.9` } });
    if (res.status === 204) return [];
    if (res.status !== 200) throw new DicomwebError(`QIDO-RS answered HTTP ${res.status}${reason(res.body.toString("utf8"))}`, res.status);
    if (!/json/i.test(res.contentType ?? "")) throw new DicomwebError(`QIDO-RS answered ${res.contentType ?? "without a Content-Type"}, not ${DICOM_JSON}`, res.status);
    const text = res.body.toString("utf8");
    if (!text.trim()) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DicomwebError("QIDO-RS answered with JSON that does not parse", res.status);
    }
    if (!Array.isArray(parsed) || parsed.some((x) => typeof x !== "object" || x === null || Array.isArray(x))) {
      throw new DicomwebError("QIDO-RS answered with JSON that is not a list of DICOM JSON objects", res.status);
    }
    return parsed as DicomJson[];
  }

  /** Does this answer like a DICOMweb service? QIDO-RS of one study; throws DicomwebError saying why not. */
  async probe(): Promise<void> {
    await this.searchStudies({ limit: 1 });
  }

  // ---- WADO-RS

  /** The Part 10 files of a study, series or instance, as the store holds them. */
  async retrieve(study: string, series?: string, instance?: string): Promise<Buffer[]> {
    const res = await this.request("GET", resourcePath(study, series, instance), { headers: { accept: RETRIEVE_ACCEPT } });
    if (res.status !== 200) throw new DicomwebError(`WADO-RS answered HTTP ${res.status}${reason(res.body.toString("utf8"))}`, res.status);
    try {
      return parseMultipartRelated(res.body, res.contentType ?? undefined).map((p) => p.body);
    } catch (err) {
      if (err instanceof MultipartError) throw new DicomwebError(`WADO-RS answered with a body we cannot read: ${err.message}`, res.status);
      throw err;
    }
  }

  /** One instance's file; DicomwebError with status 404 when the store does not have it. */
  async retrieveInstance(study: string, series: string, instance: string): Promise<Buffer> {
    const files = await this.retrieve(study, series, instance);
    if (files.length !== 1) throw new DicomwebError(`WADO-RS answered ${files.length} files for one instance`, 200);
    return files[0]!;
  }

  async metadata(study: string, series?: string, instance?: string): Promise<DicomJson[]> {
    const res = await this.request("GET", `${resourcePath(study, series, instance)}/metadata`, { headers: { accept: DICOM_JSON } });
    if (res.status !== 200) throw new DicomwebError(`WADO-RS metadata answered HTTP ${res.status}`, res.status);
    try {
      return JSON.parse(res.body.toString("utf8")) as DicomJson[];
    } catch {
      throw new DicomwebError("WADO-RS metadata answered with JSON that does not parse", res.status);
    }
  }

  /**
   * Deletes an instance where the store allows it (DELETE is not part of PS3.18; Google's and some
   * other stores accept it, Orthanc's plugin does not). False when the store cannot.
   */
  async deleteInstance(study: string, series: string, instance: string): Promise<boolean> {
    const res = await this.request("DELETE", resourcePath(study, series, instance), { headers: {} });
    if (res.status >= 200 && res.status < 300) return true;
    return this.orthancRoot() ? this.deleteInOrthanc(instance) : false;
  }

  /**
   * Orthanc's REST API, where the DICOMweb root is its plugin's (`…/dicom-web`): the same server one
   * level up, with the same credentials. Null for other stores.
   */
  private orthancRoot(): string | null {
    return /\/dicom-web$/.test(this.baseUrl) ? this.baseUrl.replace(/\/dicom-web$/, "") : null;
  }

  /**
   * Orthanc's plugin refuses DICOMweb DELETE; its REST API deletes an instance by Orthanc's own id,
   * looked up by the SOP Instance UID (/tools/lookup). False when that is not Orthanc, or it keeps the file.
   */
  private async deleteInOrthanc(sopInstanceUid: string): Promise<boolean> {
    const root = this.orthancRoot()!;
    const lookup = await this.request("POST", "/tools/lookup", { headers: { "content-type": "text/plain", accept: "application/json" }, body: [Buffer.from(sopInstanceUid, "utf8")] }, root);
    if (lookup.status !== 200) return false;
    let found: unknown;
    try {
      found = JSON.parse(lookup.body.toString("utf8"));
    } catch {
      return false;
    }
    const ids = Array.isArray(found) ? found.filter((f): f is { ID: string; Type: string } => typeof f?.ID === "string" && f?.Type === "Instance").map((f) => f.ID) : [];
    // Already gone is deleted; two instances under one SOP Instance UID is not ours to choose between.
    if (ids.length !== 1) return ids.length === 0 && Array.isArray(found);
    const res = await this.request("DELETE", `/instances/${encodeURIComponent(ids[0]!)}`, { headers: {} }, root);
    return res.status >= 200 && res.status < 300;
  }

  /** Frames, passed through as the store answers them (status, type and bytes), for the Accept given. */
  frames(study: string, series: string, instance: string, frameList: number[] | string, accept = 'multipart/related; type="application/octet-stream"'): Promise<RawReply> {
    const list = Array.isArray(frameList) ? frameList.join(",") : frameList;
    return this.raw(`${resourcePath(study, series, instance)}/frames/${seg(list)}`, accept);
  }

  /** A rendered instance or frame (image/jpeg, image/png), passed through; query e.g. { quality: 50, viewport: "64,64" }. */
  rendered(
    study: string,
    series: string,
    instance: string,
    opts: { frame?: number; accept?: string; query?: Record<string, string | number> } = {},
  ): Promise<RawReply> {
    const qs = queryString(opts.query ?? {});
    const frame = opts.frame ? `/frames/${opts.frame}` : "";
    return this.raw(`${resourcePath(study, series, instance)}${frame}/rendered${qs ? `?${qs}` : ""}`, opts.accept ?? "image/jpeg");
  }

  private async raw(path: string, accept: string): Promise<RawReply> {
    const res = await this.request("GET", path, { headers: { accept } });
    return { status: res.status, contentType: res.contentType, body: res.body };
  }

  // ---- transport
  //
  // node:http rather than fetch: a STOW-RS of five 10 KB files cost the main thread about 2.5 ms
  // through fetch and under 1 ms this way (a kept connection included), measured against Orthanc on
  // loopback.

  /** `body`: the bytes to send, in pieces sent one after the other. */
  private async request(method: string, path: string, init: { headers: Record<string, string>; body?: Buffer[] }, root = this.baseUrl): Promise<RawReply> {
    const headers: Record<string, string | number> = { ...init.headers };
    if (this.authorization) headers.authorization = this.authorization;
    if (init.body) headers["content-length"] = init.body.reduce((n, b) => n + b.length, 0);
    const url = new URL(`${root}${path}`);
    // An address in the URL is never looked up: the policy checks it here; a name, in send()'s lookup.
    const literal = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const refused = net.isIP(literal) ? outboundPolicy().refusal(literal) : null;
    if (refused) throw new DicomwebError(`no answer (connections to ${url.hostname} are not allowed: ${refused})`, null);
    const signal = AbortSignal.timeout(this.timeoutMs);
    let res: { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
    try {
      res = await send(url, method, headers, init.body, signal).catch((err: unknown) => {
        // A kept-alive connection the store closed meanwhile: once more on a new one. Safe, as
        // STOW-RS of the same instance again stores it once, and the rest are reads.
        if ((err as { reusedSocket?: boolean }).reusedSocket && isStaleConnection(err)) return send(url, method, headers, init.body, signal);
        throw err;
      });
    } catch (err) {
      throw new DicomwebError(`${(err as { answered?: boolean }).answered ? "the answer broke off" : "no answer"} (${describeNetworkError(err)})`, null);
    }
    // A redirect would carry our credentials elsewhere, or hide a misconfigured root: say so instead.
    if (res.status >= 300 && res.status < 400) {
      throw new DicomwebError(`HTTP ${res.status}: redirected to ${res.headers.location ?? "elsewhere"}; give the service root it redirects to`, res.status);
    }
    const contentType = res.headers["content-type"];
    return { status: res.status, contentType: contentType ?? null, body: res.body };
  }
}

/**
 * Connections to stores are kept and reused, across requests and across clients (one is made per
 * upload). Node's agent keeps none from a server that announces a keep-alive timeout of a second
 * or less, which is Orthanc's default: every STOW-RS of an upload then paid for a new connection on
 * both sides. Here a connection is reused while it has been idle for less than the announced
 * timeout minus a margin; one the store closed in that margin is retried once (request()).
 */
const REUSE_MARGIN_MS = 300;
/** Idle time before a connection is closed when the store announces no keep-alive timeout. */
const DEFAULT_IDLE_MS = 4000;
const announcedIdleMs = new WeakMap<Socket, number>();

/** Agent.keepSocketAlive, with the announced idle time and margin above. */
function keepSocket(socket: Socket): boolean {
  const idleMs = announcedIdleMs.get(socket) ?? DEFAULT_IDLE_MS;
  if (idleMs <= 0) return false;
  socket.setKeepAlive(true, 1000);
  socket.unref();
  socket.setTimeout(idleMs);
  return true;
}

class StoreAgent extends http.Agent {
  override keepSocketAlive(socket: Socket): boolean {
    return keepSocket(socket);
  }
}

class SecureStoreAgent extends https.Agent {
  override keepSocketAlive(socket: Socket): boolean {
    return keepSocket(socket);
  }
}

const agents = { http: new StoreAgent({ keepAlive: true }), https: new SecureStoreAgent({ keepAlive: true }) };

/** One HTTP exchange, the whole answer read. Errors carry reusedSocket, and answered once the status line came. */
function send(url: URL, method: string, headers: Record<string, string | number>, body: Buffer[] | undefined, signal: AbortSignal) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const secure = url.protocol === "https:";
    const req = (secure ? https : http).request(url, { method, headers, agent: secure ? agents.https : agents.http, signal, lookup: outboundPolicy().lookup }, (res) => {
      const hint = /^\s*timeout=(\d+)/i.exec(String(res.headers["keep-alive"] ?? ""))?.[1];
      announcedIdleMs.set(res.socket, hint ? Number(hint) * 1000 - REUSE_MARGIN_MS : DEFAULT_IDLE_MS);
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
      res.on("error", (err) => reject(Object.assign(err, { answered: true })));
      res.on("close", () => {
        if (!res.complete) reject(Object.assign(new Error("the connection closed before the answer was complete"), { code: "ECONNRESET", answered: true }));
      });
    });
    req.on("error", (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
    // Corked, the pieces leave together (end() uncorks).
    req.cork();
    for (const b of body ?? []) req.write(b);
    req.end();
  });
}

const seg = (s: string) => encodeURIComponent(s);
const queryString = (q: Record<string, string | number>) => new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, String(v)])).toString();

function resourcePath(study: string, series?: string, instance?: string): string {
  let p = `/studies/${seg(study)}`;
  if (series) p += `/series/${seg(series)}`;
  if (series && instance) p += `/instances/${seg(instance)}`;
  return p;
}

function items(el: { Value?: unknown[] } | undefined): StowItem[] {
  return (el?.Value ?? []).map((raw) => {
    const item = raw as DicomJson;
    const first = (tag: string) => (item[tag]?.Value?.[0] as string | number | undefined) ?? null;
    return {
      sopClassUid: first("00081150") as string | null,
      sopInstanceUid: first("00081155") as string | null,
      retrieveUrl: first("00081190") as string | null,
      failureReason: first("00081197") as number | null,
    };
  });
}

/** A short, single-line hint from an error body (Orthanc describes its errors in JSON). */
function reason(text: string): string {
  let hint = text;
  try {
    const j = JSON.parse(text) as { Message?: string; Details?: string; error?: string };
    hint = j.Details || j.Message || j.error || "";
  } catch {
    if (/^\s*</.test(text)) hint = ""; // an HTML error page says nothing useful in one line
  }
  hint = hint.replace(/\s+/g, " ").trim().slice(0, 200);
  return hint ? `: ${hint}` : "";
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
};

function networkCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code ?? e.cause?.code;
}

function isStaleConnection(err: unknown): boolean {
  const code = networkCode(err);
  return code === "ECONNRESET" || code === "EPIPE";
}

function describeNetworkError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { name?: string; message?: string } };
  if (err instanceof OutboundRefused) return err.message;
  if (e.name === "TimeoutError" || e.name === "AbortError" || e.cause?.name === "TimeoutError") return "timed out";
  const code = networkCode(err);
  if (code && code !== "ABORT_ERR") return NETWORK_ERRORS[code] ? `${NETWORK_ERRORS[code]}, ${code}` : code;
  return e.cause?.message ?? e.message ?? String(err);
}
