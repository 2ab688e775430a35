import { BlobStoreError, type BlobStore } from "../storage/store.js";
import { DicomwebClient, DicomwebError, type DicomwebClientOptions } from "./client.js";

// A project's external DICOMweb store behind the BlobStore interface. Keys name an instance by its
// three UIDs, so a read is one WADO-RS retrieve: "dicomweb:<study>/<series>/<sop>".

const PREFIX = "dicomweb:";
const UID = /^[0-9]+(\.[0-9]+)*$/;

export const isDicomwebKey = (key: string) => key.startsWith(PREFIX);

export function dicomwebKey(study: string, series: string, sop: string): string {
  for (const uid of [study, series, sop]) if (!UID.test(uid) || uid.length > 64) throw new Error(`not a UID: ${JSON.stringify(uid)}`);
  return `${PREFIX}${study}/${series}/${sop}`;
}

function parseKey(key: string): [string, string, string] {
  const parts = key.startsWith(PREFIX) ? key.slice(PREFIX.length).split("/") : [];
  if (parts.length !== 3 || parts.some((p) => !UID.test(p))) throw new Error(`not a DICOMweb storage key: ${JSON.stringify(key)}`);
  return parts as [string, string, string];
}

export class DicomwebBlobStore implements BlobStore {
  readonly kind = "dicomweb" as const;
  readonly client: DicomwebClient;

  constructor(opts: DicomwebClientOptions | DicomwebClient) {
    this.client = opts instanceof DicomwebClient ? opts : new DicomwebClient(opts);
  }

  /** STOW-RS of one file; BlobStoreError unless the store confirms this very instance as stored. */
  async put(key: string, bytes: Uint8Array): Promise<void> {
    const [outcome] = await this.putMany([{ key, bytes }]);
    if (outcome) throw outcome;
  }

  /** One STOW-RS request for all entries; each is stored only if the store's reply lists its instance as stored. */
  async putMany(entries: Array<{ key: string; bytes: Uint8Array }>): Promise<Array<BlobStoreError | null>> {
    if (!entries.length) return [];
    const sops = entries.map((e) => parseKey(e.key)[2]);
    let reply;
    try {
      reply = await this.call(() => this.client.stow(entries.map((e) => e.bytes)));
    } catch (err) {
      if (err instanceof BlobStoreError) return entries.map(() => err);
      throw err;
    }
    const stored = new Set(reply.stored.map((s) => s.sopInstanceUid));
    const failed = new Map(reply.failed.map((f) => [f.sopInstanceUid, f]));
    return sops.map((sop) => {
      if (stored.has(sop) && !failed.has(sop)) return null;
      const f = failed.get(sop);
      if (f) {
        const why = f.failureReason !== null ? ` (Failure Reason ${f.failureReason.toString(16).toUpperCase().padStart(4, "0")}H)` : "";
        return new BlobStoreError(`the project's DICOMweb store refused it: STOW-RS answered HTTP ${reply.status}${why}`, reply.status);
      }
      return new BlobStoreError(`the project's DICOMweb store did not confirm storing it (STOW-RS answered HTTP ${reply.status})`, reply.status);
    });
  }

  async get(key: string): Promise<Buffer> {
    const [study, series, sop] = parseKey(key);
    return this.call(() => this.client.retrieveInstance(study, series, sop), `could not serve ${sop}`);
  }

  async has(key: string): Promise<boolean> {
    const [study, series, sop] = parseKey(key);
    const found = await this.call(() => this.client.searchInstances(study, series, { SOPInstanceUID: sop }), "could not be searched");
    return found.length > 0;
  }

  /**
   * Best effort: standard DICOMweb has no delete, and Orthanc's plugin refuses it. An instance left
   * behind has no index row, so Concord never serves it; its UIDs are the project's, so uploading
   * the same file again overwrites or reuses it.
   */
  async delete(key: string): Promise<boolean> {
    const [study, series, sop] = parseKey(key);
    return this.client.deleteInstance(study, series, sop).catch(() => false);
  }

  private async call<T>(fn: () => Promise<T>, refusal = "refused it"): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof DicomwebError) {
        const message = err.status === null ? `the project's DICOMweb store did not answer: ${err.message}` : `the project's DICOMweb store ${refusal}: ${err.message}`;
        throw new BlobStoreError(message, err.status);
      }
      throw err;
    }
  }
}
