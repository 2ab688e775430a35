import type { InstanceRow, SeriesRow, StudyRow } from "./images.repository.js";

// DICOM JSON (PS3.18 F.2) for QIDO-RS answers: the attributes each query level returns.

type Attr = { vr: string; Value?: unknown[] };
export type DicomJson = Record<string, Attr>;

const str = (vr: string, v: string | null | undefined): Attr => (v ? { vr, Value: [v] } : { vr });
const num = (vr: string, v: number | null | undefined): Attr => (v == null ? { vr } : { vr, Value: [v] });

export function studyJson(s: StudyRow, retrieveUrl: string): DicomJson {
  return {
    "00080020": str("DA", s.studyDate),
    "00080061": s.modalities.length ? { vr: "CS", Value: s.modalities } : { vr: "CS" },
    "00081030": str("LO", s.description),
    "00081190": str("UR", retrieveUrl),
    "00100020": str("LO", s.patientId),
    "0020000D": str("UI", s.studyInstanceUid),
    "00201206": num("IS", s.seriesCount),
    "00201208": num("IS", s.instanceCount),
  };
}

export function seriesJson(s: SeriesRow, retrieveUrl: string): DicomJson {
  return {
    "00080060": str("CS", s.modality),
    "0008103E": str("LO", s.description),
    "00081190": str("UR", retrieveUrl),
    "0020000D": str("UI", s.studyInstanceUid),
    "0020000E": str("UI", s.seriesInstanceUid),
    "00200011": num("IS", s.seriesNumber),
    "00201209": num("IS", s.instanceCount),
  };
}

export function instanceJson(i: InstanceRow, retrieveUrl: string): DicomJson {
  return {
    "00080016": str("UI", i.sopClassUid),
    "00080018": str("UI", i.sopInstanceUid),
    "00081190": str("UR", retrieveUrl),
    "0020000D": str("UI", i.studyInstanceUid),
    "0020000E": str("UI", i.seriesInstanceUid),
    "00200013": num("IS", i.instanceNumber),
    "00280008": num("IS", i.frames),
    "00280010": num("US", i.rows),
    "00280011": num("US", i.columns),
  };
}

const BULK_VRS = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "UN"]);

/**
 * A data set (dcmjs's tag-keyed form) as DICOM JSON without bulk data: binary values become
 * BulkDataURIs relative to the instance, so metadata stays small and pixels are fetched on demand.
 */
export function metadataJson(dict: Record<string, { vr: string; Value?: unknown[] }>, bulkBase: string, path = ""): DicomJson {
  const out: DicomJson = {};
  for (const [tag, el] of Object.entries(dict)) {
    const key = tag.toUpperCase();
    if (BULK_VRS.has(el.vr)) {
      // Inside sequences the URI names the path (e.g. bulk/00880200/1/7FE00010), so an icon's
      // pixels never share the image's URI.
      const rel = `bulk/${path}${key}`;
      out[key] = { vr: el.vr, BulkDataURI: bulkBase ? `${bulkBase}/${rel}` : rel } as Attr;
    } else if (el.vr === "SQ") {
      out[key] = {
        vr: "SQ",
        Value: (el.Value ?? []).map((item, i) => metadataJson(item as Record<string, { vr: string; Value?: unknown[] }>, bulkBase, `${path}${key}/${i + 1}/`)),
      };
    } else {
      out[key] = el.Value && el.Value.length ? { vr: el.vr, Value: el.Value } : { vr: el.vr };
    }
  }
  return out;
}
