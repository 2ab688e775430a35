import { isIP } from "node:net";
import type { Actor } from "../../access/access.js";
import { requireAccess } from "../../access/access.js";
import { archived, invalid, type FieldProblem } from "../../errors.js";
import type { Database } from "../../platform/database/index.js";
import { dicomwebKey, DicomwebBlobStore, isDicomwebKey } from "../../platform/dicomweb/blob-store.js";
import { DicomwebClient, DicomwebError, type DicomwebAuth } from "../../platform/dicomweb/client.js";
import { isSealed, SecretsError, type SecretBox } from "../../platform/secrets.js";
import { BlobStoreError, type BlobStore } from "../../platform/storage/store.js";
import { StoreRepository, type ExternalStoreAuthKind, type ExternalStoreRow } from "./store.repository.js";

/** What a project manager gives to point a project at an external DICOMweb store. */
export interface ExternalStoreSettings {
  baseUrl: string;
  auth: ExternalStoreAuthKind;
  username?: string | null | undefined;
  /** Password (BASIC) or token (BEARER). Omitted: keep the stored one, if the auth kind stays the same. */
  secret?: string | null | undefined;
}

/** The store's settings as the API shows them: the secret never leaves the server. */
export type ExternalStoreView = Omit<ExternalStoreRow, "secret"> & { hasSecret: boolean };

export interface StoreTimeouts {
  /** Checking a store when it is configured. */
  probeMs: number;
  /** Each STOW-RS or WADO-RS request during ingest and reads. */
  requestMs: number;
}

const DEFAULT_TIMEOUTS: StoreTimeouts = { probeMs: 10_000, requestMs: 60_000 };

const view = (r: ExternalStoreRow): ExternalStoreView => ({
  projectId: r.projectId,
  kind: r.kind,
  baseUrl: r.baseUrl,
  auth: r.auth,
  username: r.username,
  updatedAt: r.updatedAt,
  hasSecret: r.secret !== null,
});

/**
 * What a project's stored secret is sealed for: only that project's row opens it, and only while the
 * row points at the origin (scheme, host, port) the secret was given for. A base URL rewritten in the
 * database to another host leaves the secret unopenable instead of sending it there.
 */
const secretContext = (projectId: string, baseUrl: string) => `project_stores.secret of project ${projectId} for ${originOf(baseUrl)}`;

/** How secrets were sealed before they were bound to the store's origin (sessions 6–11); opened only to seal them again at start. */
const unboundSecretContext = (projectId: string) => `project_stores.secret of project ${projectId}`;

/** The origin of a stored base URL (always a valid http(s) URL: checkSettings made it); the URL itself if it somehow is not. */
function originOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return baseUrl;
  }
}

/** `secret` in clear: the stored one opened, or one just given. */
function authOf(r: Pick<ExternalStoreRow, "auth" | "username" | "secret">): DicomwebAuth {
  if (r.auth === "BASIC") return { kind: "BASIC", username: r.username ?? "", password: r.secret ?? "" };
  if (r.auth === "BEARER") return { kind: "BEARER", token: r.secret ?? "" };
  return { kind: "NONE" };
}

/** The row with its secret opened (values stored before sealing are taken as they are). */
function opened(secrets: SecretBox, row: ExternalStoreRow): ExternalStoreRow {
  return row.secret === null ? row : { ...row, secret: secrets.reveal(row.secret, secretContext(row.projectId, row.baseUrl)) };
}

/** Why a stored secret does not open: the key changed, or the row was altered (copied, or its store's address rewritten). */
const UNOPENABLE =
  "cannot be opened: sealed with another key than this server's (CONCORD_SECRETS_KEY, or the data dir's secrets-key), or for another project or store address";
const UNREADABLE = `the credentials of the project's DICOMweb store ${UNOPENABLE}; a project manager must give them again`;

/** Stands in for an external store whose credentials cannot be opened: every file is refused, saying why. */
class UnusableStore implements BlobStore {
  readonly kind = "dicomweb" as const;
  private readonly error = new BlobStoreError(UNREADABLE, null);
  async put(): Promise<void> {
    throw this.error;
  }
  async putMany(entries: Array<{ key: string; bytes: Uint8Array }>): Promise<Array<BlobStoreError | null>> {
    return entries.map(() => this.error);
  }
  async get(): Promise<Buffer> {
    throw this.error;
  }
  async has(): Promise<boolean> {
    throw this.error;
  }
  async delete(): Promise<boolean> {
    return false;
  }
}

/** Where a write for a project goes, and the key each instance gets there. */
export interface WriteTarget {
  store: BlobStore;
  keyFor(projectId: string, i: { studyInstanceUid: string; seriesInstanceUid: string; sopInstanceUid: string; sha256: string }): string;
}

/**
 * Which store holds a project's files. Writes go to the project's external store when it has one,
 * else to the local store; reads follow the instance's storage key, so instances stored before a
 * store was set (or changed) stay readable from where they are.
 */
export class ProjectStores {
  constructor(
    private readonly db: Database,
    private readonly local: BlobStore,
    private readonly secrets: SecretBox,
    private readonly timeouts: StoreTimeouts = DEFAULT_TIMEOUTS,
  ) {}

  /** `row` as stored (its secret sealed). */
  private external(row: ExternalStoreRow): BlobStore {
    let auth: DicomwebAuth;
    try {
      auth = authOf(opened(this.secrets, row));
    } catch (err) {
      if (err instanceof SecretsError) return new UnusableStore();
      throw err;
    }
    return new DicomwebBlobStore({ baseUrl: row.baseUrl, auth, timeoutMs: this.timeouts.requestMs });
  }

  /** Where a project's writes go, given its external store row (IngestSettings.store), or null for the local store. */
  forWriting(row: ExternalStoreRow | null): WriteTarget {
    if (!row) {
      return {
        store: this.local,
        // The content hash in the key: two different files claiming one SOP Instance UID never overwrite each other.
        keyFor: (pid, i) => `${pid}/${i.studyInstanceUid}/${i.seriesInstanceUid}/${i.sopInstanceUid}.${i.sha256.slice(0, 16)}.dcm`,
      };
    }
    return { store: this.external(row), keyFor: (_pid, i) => dicomwebKey(i.studyInstanceUid, i.seriesInstanceUid, i.sopInstanceUid) };
  }

  /** Removes an instance's file from wherever its key says it is; false when that store keeps it (or cannot be reached). */
  async remove(projectId: string, storageKey: string): Promise<boolean> {
    if (!isDicomwebKey(storageKey)) return this.local.delete(storageKey);
    const row = await new StoreRepository(this.db.dataSource.manager).find(projectId);
    return row ? this.external(row).delete(storageKey).catch(() => false) : false;
  }

  /** The bytes of an instance, from wherever its key says they are. */
  async read(projectId: string, storageKey: string): Promise<Buffer> {
    if (!isDicomwebKey(storageKey)) return this.local.get(storageKey);
    const row = await new StoreRepository(this.db.dataSource.manager).find(projectId);
    if (!row) throw new BlobStoreError("this instance is kept in an external DICOMweb store, and the project no longer has one configured", null);
    return this.external(row).get(storageKey);
  }
}

/** Configuring a project's external store: project.manage, as for every other project setting. */
export class ExternalStoreService {
  constructor(
    private readonly db: Database,
    private readonly secrets: SecretBox,
    private readonly timeouts: StoreTimeouts = DEFAULT_TIMEOUTS,
  ) {}

  private repo() {
    return new StoreRepository(this.db.dataSource.manager);
  }

  async get(actor: Actor | null, projectId: string): Promise<ExternalStoreView | null> {
    await requireAccess(this.db.dataSource.manager, actor, "project.manage", projectId);
    const row = await this.repo().find(projectId);
    return row ? view(row) : null;
  }

  /** Checks the settings, then the store itself (QIDO-RS), and only then saves them. */
  async set(actor: Actor | null, projectId: string, input: ExternalStoreSettings): Promise<ExternalStoreView> {
    const access = await requireAccess(this.db.dataSource.manager, actor, "project.manage", projectId);
    if (access.archived) throw archived();
    const stored = await this.repo().find(projectId);
    let current: ExternalStoreRow | null = null;
    try {
      current = stored && opened(this.secrets, stored);
    } catch (err) {
      if (!(err instanceof SecretsError)) throw err;
      // Lost with the key it was sealed with: the manager gives it again, as for a new store.
      if (!input.secret && stored!.auth === input.auth) {
        throw invalid([{ field: "secret", message: `the stored one ${UNOPENABLE}: give it again` }]);
      }
      current = { ...stored!, secret: null };
    }
    const settings = checkSettings(input, current);
    const client = new DicomwebClient({ baseUrl: settings.baseUrl, auth: authOf(settings), timeoutMs: this.timeouts.probeMs });
    try {
      await client.probe();
    } catch (err) {
      if (!(err instanceof DicomwebError)) throw err;
      if (err.status === 401 || err.status === 403) {
        const field = settings.auth === "NONE" ? "auth" : "secret";
        throw invalid([{ field, message: `the store refused these credentials (HTTP ${err.status})` }]);
      }
      throw invalid([{ field: "baseUrl", message: `does not answer like a DICOMweb service (QIDO-RS /studies?limit=1): ${err.message}` }]);
    }
    const secret = settings.secret === null ? null : this.secrets.seal(settings.secret, secretContext(projectId, settings.baseUrl));
    return view(await this.repo().upsert({ projectId, ...settings, secret }));
  }

  /**
   * Seals again, bound to their store's origin, the secrets stored in clear before sealing existed and
   * those sealed before secrets were bound to the origin (no SQL migration can: the key is not in the
   * database). Run at start; each row is replaced only if it still holds the value and URL read, so a
   * replica starting at the same time, or a manager saving new settings, is never overwritten. A
   * secret that opens neither way (another key, or altered) is left for a manager to give again.
   */
  async sealLegacySecrets(): Promise<number> {
    let sealed = 0;
    for (const { projectId, baseUrl, secret } of await this.repo().storedSecrets()) {
      if (isSealed(secret) && this.openOrNull(secret, secretContext(projectId, baseUrl)) !== null) continue;
      const plain = isSealed(secret) ? this.openOrNull(secret, unboundSecretContext(projectId)) : secret;
      if (plain === null) continue;
      if (await this.repo().replaceSecret(projectId, baseUrl, secret, this.secrets.seal(plain, secretContext(projectId, baseUrl)))) sealed++;
    }
    return sealed;
  }

  private openOrNull(sealed: string, context: string): string | null {
    try {
      return this.secrets.open(sealed, context);
    } catch (err) {
      if (err instanceof SecretsError) return null;
      throw err;
    }
  }

  /** Later uploads go to the local store. Instances already in the external store stay there (and are read from it only while it is configured). */
  async clear(actor: Actor | null, projectId: string): Promise<boolean> {
    const access = await requireAccess(this.db.dataSource.manager, actor, "project.manage", projectId);
    if (access.archived) throw archived();
    return this.repo().delete(projectId);
  }
}

const MAX_URL = 2000;
const MAX_SECRET = 4096;

function checkSettings(input: ExternalStoreSettings, current: ExternalStoreRow | null): Pick<ExternalStoreRow, "baseUrl" | "auth" | "username" | "secret"> {
  const problems: FieldProblem[] = [];
  const raw = (input.baseUrl ?? "").trim();
  let baseUrl = raw.replace(/\/+$/, "");
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    problems.push({ field: "baseUrl", message: "is not a URL (give the DICOMweb service root, e.g. https://pacs.example.org/dicom-web)" });
  }
  if (url) {
    if (url.protocol !== "http:" && url.protocol !== "https:") problems.push({ field: "baseUrl", message: "must be an http:// or https:// URL" });
    else if (url.username || url.password) problems.push({ field: "baseUrl", message: "must not carry credentials; give them as username and secret" });
    else if (url.search || url.hash) problems.push({ field: "baseUrl", message: "must not have a query or fragment" });
    else if (raw.length > MAX_URL) problems.push({ field: "baseUrl", message: `must be at most ${MAX_URL} characters` });
    else if (isLinkLocal(url.hostname)) problems.push({ field: "baseUrl", message: "must not be a link-local address" });
    else baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  }

  const username = input.username?.trim() || null;
  const given = input.secret ?? null;
  // Keep the stored secret when none is given, the kind of credential does not change, and the store
  // stays at the origin it was given for: a new host needs its credentials given again, so whoever
  // may change the URL cannot have the stored password sent to a host of their choosing.
  const stored = current && current.auth === input.auth && current.secret !== null ? current.secret : null;
  const movedFrom = stored !== null && url && originOf(current!.baseUrl) !== url.origin ? originOf(current!.baseUrl) : null;
  const secret = given !== null && given !== "" ? given : movedFrom ? null : stored;
  if (given !== null && given.length > MAX_SECRET) problems.push({ field: "secret", message: `must be at most ${MAX_SECRET} characters` });
  if (input.auth === "NONE") {
    if (username) problems.push({ field: "username", message: "applies only to BASIC authentication" });
    if (given) problems.push({ field: "secret", message: "applies only to BASIC or BEARER authentication" });
  } else if (input.auth === "BASIC") {
    if (!username) problems.push({ field: "username", message: "is required for BASIC authentication" });
    else if (username.includes(":") || username.length > 200) problems.push({ field: "username", message: "must be at most 200 characters, without ':'" });
    if (!secret) problems.push({ field: "secret", message: movedFrom ? movedMessage(movedFrom, "password") : "is required for BASIC authentication (the password)" });
  } else if (input.auth === "BEARER") {
    if (username) problems.push({ field: "username", message: "applies only to BASIC authentication" });
    if (!secret) problems.push({ field: "secret", message: movedFrom ? movedMessage(movedFrom, "token") : "is required for BEARER authentication (the token)" });
    else if (/[\r\n]/.test(secret)) problems.push({ field: "secret", message: "must be one line" });
  }
  if (problems.length) throw invalid(problems);
  return {
    baseUrl,
    auth: input.auth,
    username: input.auth === "BASIC" ? username : null,
    secret: input.auth === "NONE" ? null : secret,
  };
}

function movedMessage(from: string, what: string): string {
  return `is required again: the stored ${what} was given for ${from}, and is never sent to another host`;
}

/** 169.254.0.0/16 and fe80::/10: cloud metadata services live there, never a PACS. */
function isLinkLocal(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) === 4) return host.startsWith("169.254.");
  if (isIP(host) === 6) return /^fe[89ab]/i.test(host);
  return false;
}
