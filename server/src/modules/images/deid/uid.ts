import { createHmac } from "node:crypto";
import { normalizeUid } from "../dicom/uid.js";

export { isValidUid, normalizeUid } from "../dicom/uid.js";

// Replacement UIDs for de-identification (PS3.15 E.1.1 action U): derived, not random, so the
// same original UID gives the same new UID in every instance of a project (references between
// instances and series stay intact however the files arrive), while another project's key gives
// unrelated UIDs. Under the 2.25 root (PS3.5 B.2) a UID is the decimal form of a 128-bit number,
// here the first 128 bits of HMAC-SHA256(projectKey, originalUid).

/** The project's replacement for an original UID: `2.25.<first 128 bits of HMAC-SHA256(projectKey, uid) in decimal>`. */
export function replacementUid(projectKey: Uint8Array, originalUid: string): string {
  if (projectKey.length === 0) throw new Error("a project key is required to replace UIDs");
  const mac = createHmac("sha256", projectKey).update(normalizeUid(originalUid), "utf8").digest();
  return `2.25.${BigInt(`0x${mac.subarray(0, 16).toString("hex")}`).toString(10)}`;
}

/**
 * UIDs defined by the DICOM Standard itself (PS3.6 Annex A: SOP classes, transfer syntaxes, coding
 * schemes, well-known frames of reference and synchronization frames) identify no instance or
 * patient and are kept as they are.
 */
export function isStandardUid(uid: string): boolean {
  return normalizeUid(uid).startsWith("1.2.840.10008.");
}

/** Memoises replacementUid for one run over a data set (the HMAC is cheap, but UIDs repeat a lot). */
export class UidMapper {
  private readonly cache = new Map<string, string>();
  constructor(private readonly projectKey: Uint8Array) {}

  map(uid: string): string {
    const original = normalizeUid(uid);
    let mapped = this.cache.get(original);
    if (!mapped) {
      mapped = replacementUid(this.projectKey, original);
      this.cache.set(original, mapped);
    }
    return mapped;
  }
}
