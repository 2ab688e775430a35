import type { CaseKeySource, LabelKind, Permission, ProjectMode, RoiShape, Role } from "./generated/graphql";

export const ROLES: readonly Role[] = ["OWNER", "MANAGER", "DATA_OWNER", "ANNOTATOR", "REVIEWER", "TRAINEE", "VIEWER"];

export const ROLE_NAMES: Record<Role, string> = {
  OWNER: "Owner",
  MANAGER: "Manager",
  DATA_OWNER: "Data owner",
  ANNOTATOR: "Annotator",
  REVIEWER: "Reviewer",
  TRAINEE: "Trainee",
  VIEWER: "Viewer",
};

export const MODES: readonly ProjectMode[] = ["STANDARD", "REVIEW", "EDUCATION"];

export const MODE_NAMES: Record<ProjectMode, string> = {
  STANDARD: "Standard",
  REVIEW: "Review",
  EDUCATION: "Education",
};

export const KIND_NAMES: Record<LabelKind, string> = {
  CLASSIFICATION: "Classification label",
  ROI: "ROI class",
};

export const SHAPE_NAMES: Record<RoiShape, string> = {
  RECTANGLE: "Rectangle",
  FREEHAND: "Freehand",
  POINT: "Point (landmark)",
  LINE: "Line (length)",
};

export function labelKindText(kind: LabelKind, shape: RoiShape | null): string {
  return kind === "ROI" && shape ? `${KIND_NAMES.ROI} · ${SHAPE_NAMES[shape]}` : KIND_NAMES[kind];
}

export const can = (permissions: readonly Permission[] | undefined, permission: Permission): boolean =>
  !!permissions?.includes(permission);

export const CASE_KEY_SOURCES: readonly CaseKeySource[] = ["FILE_NAME", "PATIENT_ID", "ACCESSION_NUMBER", "MAPPING"];

export const CASE_KEY_NAMES: Record<CaseKeySource, string> = {
  FILE_NAME: "File name",
  PATIENT_ID: "Patient ID",
  ACCESSION_NUMBER: "Accession number",
  MAPPING: "Case key mapping (CSV)",
};

export const CASE_KEY_HINTS: Record<CaseKeySource, string> = {
  FILE_NAME: "The file name without extension; for series cases, the folder the files came in.",
  PATIENT_ID: "The original PatientID. It identifies the patient, and every member sees case keys: prefer a mapping.",
  ACCESSION_NUMBER: "The original accession number. It is identifying, and every member sees case keys: prefer a mapping.",
  MAPPING: "Your CSV of identifier and case_key; files it does not list are refused. Identifiers are kept only as keyed hashes.",
};

const numbers = new Intl.NumberFormat();

/** A count with its noun for people: "1 case", "1,200 cases", "2 series" (with `many`). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${numbers.format(n)} ${n === 1 ? one : many}`;
}

/** A file's size for people: KB below a megabyte, else MB with one decimal (binary units). */
export function fileSize(bytes: number | null | undefined): string {
  if (bytes == null) return "";
  return bytes < 1024 * 1024 ? `${numbers.format(Math.ceil(bytes / 1024))} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

const dateTimes = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A server time (ISO) for people, in their locale and time zone; `fallback` when there is none. */
export function dateTime(iso: string | null | undefined, fallback = "—"): string {
  return iso ? dateTimes.format(new Date(iso)) : fallback;
}

/** When something runs out: "Expired" once past, otherwise the time; `never` when it does not. */
export function expiryText(iso: string | null | undefined, now = Date.now(), never = "Never"): string {
  if (!iso) return never;
  return new Date(iso).getTime() <= now ? "Expired" : dateTime(iso);
}

/**
 * What a case holds, for case lists: an image's frames ("1", "24 frames"), a series' images
 * ("120 images"), a study's series and images ("3 series, 140 images").
 */
export function caseImageCount(c: { sopInstanceUid?: string | null; frames?: number | null; images: number; series: number }): string {
  if (c.sopInstanceUid) return (c.frames ?? 1) > 1 ? plural(c.frames!, "frame") : "1";
  const images = plural(c.images, "image");
  return c.series > 1 ? `${plural(c.series, "series", "series")}, ${images}` : images;
}
