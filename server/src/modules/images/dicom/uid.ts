// The UID value representation (PS3.5 §9.1): what the reader checks, and de-identification keeps to.

const UID_MAX_LENGTH = 64;
const UID_SYNTAX = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/;

/** Whether a string is a valid DICOM UID: digits and dots, no empty or zero-led component, at most 64 characters. */
export function isValidUid(uid: string): boolean {
  return uid.length <= UID_MAX_LENGTH && UID_SYNTAX.test(uid);
}

/** A UI value as stored, without the trailing NUL or space padding some writers leave. */
export function normalizeUid(uid: string): string {
  return uid.replace(/[\0 ]+$/, "").trim();
}
