/** Where instance files live: the local store under the data dir, or (later) an external DICOMweb store. */
export interface BlobStore {
  readonly kind: "local";
  /** Writes atomically: a reader sees the whole file or nothing. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer>;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Keys are relative paths of safe segments; nothing can climb out of the store. */
export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.split("/").some((s) => s === "." || s === "..")) {
    throw new Error(`unsafe storage key: ${JSON.stringify(key)}`);
  }
}
