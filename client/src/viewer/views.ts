// What an image is a view of, as a reading room names it: the side and the projection ("R CC",
// "L MLO" for a mammogram, "PA" for a chest radiograph). A study case's series bar names its
// series by it, so a reader finds the views they compare without opening each.

import type { DicomJson } from "./stack";

const first = (json: DicomJson, tag: string): unknown => json[tag]?.Value?.[0];

const IMAGE_LATERALITY = "00200062";
const LATERALITY = "00200060";
const VIEW_POSITION = "00185101";
const VIEW_CODE_SEQUENCE = "00540220";

/** Mammography views by their code (DICOM CID 4014, SNOMED CT and the older SRT codes alike), as a reading room abbreviates them. */
const VIEW_CODES: Record<string, string> = {
  "399162004": "CC",
  "R-10242": "CC",
  "399368009": "MLO",
  "R-10226": "MLO",
  "399260004": "ML",
  "R-10224": "ML",
  "399352003": "LM",
  "R-10228": "LM",
  "399099002": "LMO",
  "R-10230": "LMO",
  "399192008": "XCCL",
  "R-1024A": "XCCL",
  "399101009": "XCCM",
  "R-1024B": "XCCM",
  "399196006": "FB",
  "R-10244": "FB",
  "399188001": "SIO",
  "R-102D0": "SIO",
};

const text = (v: unknown): string => (typeof v === "string" ? v.trim() : "");

/** The image's view, "R CC", "L MLO", "PA"...; null when it says neither its side nor its projection. */
export function viewOf(metadata: DicomJson): string | null {
  const side = text(first(metadata, IMAGE_LATERALITY)) || text(first(metadata, LATERALITY));
  let view = text(first(metadata, VIEW_POSITION)).toUpperCase();
  if (!view) {
    const item = first(metadata, VIEW_CODE_SEQUENCE) as DicomJson | undefined;
    const code = item && typeof item === "object" ? text(first(item, "00080100")) : "";
    view = VIEW_CODES[code] ?? "";
  }
  const sideLetter = side === "R" || side === "L" ? side : side === "B" ? "R+L" : "";
  const label = [sideLetter, view].filter(Boolean).join(" ");
  return label || null;
}
