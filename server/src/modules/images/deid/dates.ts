import { createHmac } from "node:crypto";

// Date shifting for the Retain Longitudinal Temporal Information With Modified Dates Option
// (PS3.15 E.3.6): every date of one patient moves by the same whole number of days, so intervals
// between studies, and times of day, are exactly preserved while the calendar dates are not.

const DAY_MS = 86_400_000;
const MIN_SHIFT_DAYS = 365;
const SHIFT_RANGE_DAYS = 3288; // shifts of 1 to 10 years into the past

/**
 * The project's shift for one patient: between 365 and 3652 days back, derived from the project
 * key and the original Patient ID, so every upload of that patient in that project moves alike.
 */
export function deriveDateShiftDays(projectKey: Uint8Array, originalPatientId: string): number {
  const mac = createHmac("sha256", projectKey).update(`concord:date-shift\0${originalPatientId.trim()}`, "utf8").digest();
  return -(MIN_SHIFT_DAYS + (mac.readUInt32BE(0) % SHIFT_RANGE_DAYS));
}

function addDays(year: number, month: number, day: number, days: number): string | null {
  const t = Date.UTC(year, month - 1, day);
  const check = new Date(t);
  // Date.UTC rolls 20230230 over to March: such a value is not a date and cannot be shifted.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  const shifted = new Date(t + days * DAY_MS);
  const y = shifted.getUTCFullYear();
  if (y < 1 || y > 9999) return null;
  return `${String(y).padStart(4, "0")}${String(shifted.getUTCMonth() + 1).padStart(2, "0")}${String(shifted.getUTCDate()).padStart(2, "0")}`;
}

/** A DA value moved by `days`: "YYYYMMDD" (or the ACR-NEMA "YYYY.MM.DD") in, "YYYYMMDD" out; null if it is no date. */
export function shiftDate(value: string, days: number): string | null {
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(value.trim());
  if (!m) return null;
  return addDays(Number(m[1]), Number(m[2]), Number(m[3]), days);
}

/**
 * A DT value moved by `days`. The time of day, fraction and UTC offset stay as they are; a value
 * precise only to the year or month is shifted from its first day and keeps its precision.
 */
export function shiftDateTime(value: string, days: number): string | null {
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{0,6}(?:\.\d{1,6})?(?:[+-]\d{4})?)$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, rest] = m;
  const shifted = addDays(Number(y), Number(mo ?? "01"), Number(d ?? "01"), days);
  if (!shifted) return null;
  const precision = 4 + (mo ? 2 : 0) + (d ? 2 : 0);
  return shifted.slice(0, precision) + (d ? rest : "");
}
