/** Where instance files live: the local store under the data dir, or a project's external DICOMweb store. */
export interface BlobStore {
  readonly kind: "local" | "dicomweb";
  /** Writes atomically: a reader sees the whole file or nothing. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer>;
  has(key: string): Promise<boolean>;
  /** True when the store no longer holds the file (or never did); false when it keeps it (an external store that refuses deletes). */
  delete(key: string): Promise<boolean>;
  /**
   * Several files in one go where the store gains from it (one STOW-RS request). Per entry: null
   * when stored, else why not. Stores without it get put() per file.
   */
  putMany?(entries: Array<{ key: string; bytes: Uint8Array }>): Promise<Array<BlobStoreError | null>>;
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Keys are relative paths of safe segments; nothing can climb out of the store. */
export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.split("/").some((s) => s === "." || s === "..")) {
    throw new Error(`unsafe storage key: ${JSON.stringify(key)}`);
  }
}

/**
 * A store that refused a file or could not be reached: for an upload, that file's outcome (REFUSED,
 * with this message), not a crash; for a read, a bad gateway. The local store never throws it.
 */
export class BlobStoreError extends Error {
  constructor(
    message: string,
    /** The store's HTTP status, or null when it did not answer. */
    readonly status: number | null,
  ) {
    super(message);
  }
}
