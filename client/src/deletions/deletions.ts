import type { GraphQLFormattedError } from "graphql";
import type { DeletionReason } from "../generated/graphql";
import { plural } from "../display";
import { describeError, type ProblemReport } from "../graphql/errors";

/** Why cases may be deleted for good, as the deletion form and the record say it, in the form's order (the schema's descriptions as hints). */
export const DELETION_REASONS: ReadonlyArray<{ value: DeletionReason; label: string; hint: string }> = [
  {
    value: "CONSENT_WITHDRAWN",
    label: "Consent withdrawn",
    hint: "The subject withdrew their consent to the data's use. The images stay out: the same files uploaded again are refused.",
  },
  {
    value: "IDENTIFIABLE_DATA",
    label: "Identifiable data",
    hint: "The images show what identifies the patient and de-identification cannot remove (a name burnt into the pixels, a face). The images stay out: the same files uploaded again are refused.",
  },
  { value: "WRONG_UPLOAD", label: "Wrong upload", hint: "The files should not have been uploaded to this project." },
  { value: "DUPLICATE", label: "Duplicate", hint: "The same images as another case." },
  { value: "OTHER", label: "Other", hint: "Another reason: say which in the note." },
];

/** The longest note the server takes with a deletion. */
export const DELETION_NOTE_MAX = 1000;

/** The most cases the server deletes in one request. */
export const DELETION_CASES_MAX = 1000;

/** The form's fields, as the server names them in its problems. */
export const DELETION_FIELDS = ["reason", "note", "caseIds"] as const;

export const deletionReasonLabel = (reason: DeletionReason): string => DELETION_REASONS.find((r) => r.value === reason)?.label ?? reason;

/** The confirmation matches: the number of cases to delete, typed as digits. */
export function confirmationMatches(typed: string, cases: number): boolean {
  return cases > 0 && typed.trim() === String(cases);
}

/**
 * Whether a deletion may be sent: some cases (not more than the server takes at once), a reason, a
 * note for Other, a note no longer than the server takes, and the number of cases typed to confirm.
 */
export function deletionReady(d: { cases: number; reason: DeletionReason | null; note: string; typed: string }): boolean {
  const note = d.note.trim();
  return (
    d.cases > 0 &&
    d.cases <= DELETION_CASES_MAX &&
    !!d.reason &&
    (d.reason !== "OTHER" || note.length > 0) &&
    note.length <= DELETION_NOTE_MAX &&
    confirmationMatches(d.typed, d.cases)
  );
}

/** The form's title and accessible name: "Delete case chest-7" or "Delete 3 cases". */
export function deletionTitle(keys: readonly string[]): string {
  return keys.length === 1 ? `Delete case ${keys[0]}` : `Delete ${plural(keys.length, "case")}`;
}

/** The cases a deletion names, for the form: "a, b and c"; past `max`, "a, b … and 8 more". */
export function caseKeysText(keys: readonly string[], max = 10): string {
  if (keys.length <= 1) return keys[0] ?? "";
  if (keys.length <= max) return `${keys.slice(0, -1).join(", ")} and ${keys[keys.length - 1]}`;
  return `${keys.slice(0, max).join(", ")} and ${keys.length - max} more`;
}

/** What a deletion did, for the status line: counts, then what the user still has to do. */
export function deletedText(o: { cases: number; images: number; readings: number; filesLeft: number; exportsRemoved: number }): string {
  const parts = [`Deleted ${plural(o.cases, "case")}, ${plural(o.images, "image")} and ${plural(o.readings, "reading")}.`];
  if (o.filesLeft) {
    parts.push(
      `${plural(o.filesLeft, "file")} ${o.filesLeft === 1 ? "stays" : "stay"} in the project's DICOMweb store, which refused to delete ${o.filesLeft === 1 ? "it" : "them"}: delete ${o.filesLeft === 1 ? "it" : "them"} there. Concord no longer serves ${o.filesLeft === 1 ? "it" : "them"}.`,
    );
  }
  if (o.exportsRemoved) {
    parts.push(
      `${plural(o.exportsRemoved, "earlier export")} of the project ${o.exportsRemoved === 1 ? "was" : "were"} removed, as ${o.exportsRemoved === 1 ? "it" : "they"} may hold the deleted cases: export again if you need ${o.exportsRemoved === 1 ? "it" : "them"}.`,
    );
  }
  return parts.join(" ");
}

interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The server's refusal as the form shows it. The server names a case it refuses by its place in
 * the request ("caseIds[2]"); the form says which case that is, beside the list of cases.
 */
export function deletionProblem(error: unknown, keys: readonly string[]): ProblemReport {
  const e = error as { graphQLErrors?: readonly GraphQLFormattedError[] } | null;
  const first = e?.graphQLErrors?.[0];
  const fields = first?.extensions?.fields;
  if (!first || !Array.isArray(fields)) return describeError(error, DELETION_FIELDS);
  const named = fields.map((p: FieldProblem) => {
    const at = /^caseIds\[(\d+)\]$/.exec(p?.field ?? "");
    if (!at) return p;
    const key = keys[Number(at[1])];
    return { field: "caseIds", message: key === undefined ? p.message : `case ${key} ${p.message}` };
  });
  return describeError({ ...e, graphQLErrors: [{ ...first, extensions: { ...first.extensions, fields: named } }, ...(e?.graphQLErrors?.slice(1) ?? [])] }, DELETION_FIELDS);
}
