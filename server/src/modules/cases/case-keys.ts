import { createHmac } from "node:crypto";
import { invalid } from "../../errors.js";
import type { CaseKeySource, CaseUnit } from "../projects/projects.entity.js";
import { describeHeader, readCsvTable } from "./csv.js";

// How ingest names cases. A case key is what members see and what reports, mappings and exports
// use to name a case, so it must not carry more than the data owner chose: by default the file
// name; the original PatientID or accession number only when asked; or a CSV mapping from any of
// those to keys the data owner made up, where the identifiers themselves are never stored (only an
// HMAC of them under the project's de-identification key).

/** The original attribute a mapping (or a key) is made from. */
export type CaseIdentifierKind = Exclude<CaseKeySource, "MAPPING">;

export const MAX_CASE_KEY_LENGTH = 200;
export const MAX_MAPPING_CSV_BYTES = 20 * 1024 * 1024;

const EXTENSION = /\.(dcm|dicom|dic|ima|png|jpe?g|nii|nrrd|nhdr)(\.gz)?$/i;

/** A file's name without folders and without a DICOM, image or volume extension (.nii.gz too). */
export function fileStem(name: string): string {
  return name.replace(/^.*[\\/]/, "").replace(EXTENSION, "").trim();
}

/**
 * The file-name identifier of an upload: its stem for image cases; for series cases the folder it
 * came in (a zip's or a dropped folder's), since every file of a series has its own name; for study
 * cases the folder that holds that folder (a study's series usually come in folders of their own:
 * study/series/file), or the file's folder when it is the only one (study/file). An archive's
 * name stands for a folder, without its extension.
 */
export function fileIdentifier(name: string, unit: CaseUnit): string {
  if (unit !== "IMAGE") {
    const folders = name.split(/[\\/]/).filter(Boolean).slice(0, -1);
    const folder = unit === "STUDY" && folders.length > 1 ? folders[folders.length - 2] : folders[folders.length - 1];
    // A zip archive's entries come under its name: "study.zip/CT/1.dcm" names "study".
    const named = folder?.replace(/\.zip$/i, "").trim();
    if (named) return named;
  }
  return fileStem(name);
}

/** A key as stored: trimmed, without control characters, at most MAX_CASE_KEY_LENGTH characters. */
export function cleanKey(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return [...raw.replace(/[\u0000-\u001f\u007f]/g, " ").trim()].slice(0, MAX_CASE_KEY_LENGTH).join("");
}

/** How identifiers compare: file names as names (case and extension aside), others exactly as written, trimmed. */
function normalise(kind: CaseIdentifierKind, value: string): string {
  return kind === "FILE_NAME" ? fileStem(value).toLowerCase() : value.trim();
}

/** The stored form of an identifier in a project's mapping. */
export function identifierDigest(projectKey: Uint8Array, kind: CaseIdentifierKind, value: string): Buffer {
  return createHmac("sha256", projectKey).update(`case-key:${kind}:${normalise(kind, value)}`).digest();
}

const IDENTIFIER_COLUMNS: Record<CaseIdentifierKind, string[]> = {
  FILE_NAME: ["file_name", "filename", "file"],
  PATIENT_ID: ["patient_id", "patientid"],
  ACCESSION_NUMBER: ["accession_number", "accessionnumber", "accession"],
};
const KEY_COLUMNS = ["case_key", "case", "key"];

export interface MappingCsv {
  identifier: CaseIdentifierKind;
  entries: Array<{ line: number; value: string; key: string }>;
  problems: string[];
}

/**
 * Reads a case key mapping: a header naming one identifier column (file_name, patient_id or
 * accession_number) and a case_key column, then one row per identifier. Throws BAD_USER_INPUT on
 * field csv when it cannot be used at all; rows it skips are problems, each with its line. Problem
 * messages never quote an identifier (they are identifying), only the line.
 */
export function readMappingCsv(csv: string): MappingCsv {
  const table = readCsvTable(csv);
  const { names } = table;
  const kinds = (Object.keys(IDENTIFIER_COLUMNS) as CaseIdentifierKind[]).filter((k) => IDENTIFIER_COLUMNS[k].some((c) => names.includes(c)));
  const keyAt = KEY_COLUMNS.map((c) => names.indexOf(c)).find((i) => i >= 0) ?? -1;
  if (kinds.length !== 1 || keyAt < 0) {
    const found = describeHeader(table);
    const want = "a header row with one identifier column (file_name, patient_id or accession_number) and a case_key column";
    throw invalid([{ field: "csv", message: `needs ${want}${kinds.length > 1 ? " (it names more than one identifier)" : ""}${found}` }]);
  }
  const identifier = kinds[0]!;
  const idAt = names.findIndex((n) => IDENTIFIER_COLUMNS[identifier].includes(n));

  const entries: MappingCsv["entries"] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const { record, line } of table.rows) {
    if (record.length <= Math.max(idAt, keyAt)) {
      problems.push(`line ${line}: ${record.length} field${record.length === 1 ? "" : "s"} where the header has ${names.length}; skipped`);
      continue;
    }
    const value = record[idAt]!.trim();
    const key = cleanKey(record[keyAt]!);
    if (!value || !key) {
      problems.push(`line ${line}: ${value ? "no case key" : "no identifier"}; skipped`);
      continue;
    }
    const norm = normalise(identifier, value);
    const earlier = seen.get(norm);
    if (earlier !== undefined) {
      problems.push(`line ${line}: the same identifier as line ${earlier}; skipped (one identifier names one case)`);
      continue;
    }
    seen.set(norm, line);
    entries.push({ line, value, key });
  }
  return { identifier, entries, problems };
}
