import { createHash } from "node:crypto";
import type { DcmjsDataset } from "../../images/dicom/dcmjs.js";
import { encodePart10 } from "../../images/dicom/encode.js";
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from "../../images/dicom/write.js";
import { dcmjs, type CodedConcept, type Naturalized } from "./dcmjs.js";

/*
 * Codes and identifiers shared by the SR and SEG writers and the SR importer.
 *
 * Private coding scheme "99CONCORD" (PS3.3 8.2: designators starting "99" are private). It names
 * what only a Concord project defines, each code derived from the text it stands for:
 *   L<10 hex>  a classification label: value "L" + the first 10 hex digits of SHA-256("label:" + name),
 *              meaning = the label name
 *   R<10 hex>  an ROI class: "R" + SHA-256("class:" + name), meaning = the class name
 *   CONFIDENCE "Confidence": a reader's confidence grade, a NUM in percent under a label's evaluation
 *   SHAPE "ROI shape" = RECTANGLE "Rectangle" | FREEHAND "Freehand" | POINT "Point" | LINE "Line": how
 *              the reader drew an ROI (a concept modifier of its Measurement Group), since a 4-vertex
 *              freehand outline can look exactly like a rectangle
 * Code Meaning is LO (64 characters): longer names are cut there, the code value still comes from
 * the whole name. Every file that uses the scheme declares it in Coding Scheme Identification.
 */
export const CONCORD_SCHEME = "99CONCORD";

export const code = (value: string, schemeDesignator: string, meaning: string): CodedConcept =>
  new dcmjs.sr.coding.CodedConcept({ value, schemeDesignator, meaning });

export const CODES = {
  imagingMeasurementReport: code("126000", "DCM", "Imaging Measurement Report"),
  imageLibrary: code("111028", "DCM", "Image Library"),
  imageLibraryGroup: code("126200", "DCM", "Image Library Group"),
  imagingMeasurements: code("126010", "DCM", "Imaging Measurements"),
  qualitativeEvaluations: code("C0034375", "UMLS", "Qualitative Evaluations"),
  measurementGroup: code("125007", "DCM", "Measurement Group"),
  procedureReported: code("121058", "DCM", "Procedure reported"),
  /** Generic: Concord does not know which procedure made the image. */
  imagingProcedure: code("363679005", "SCT", "Imaging procedure"),
  person: code("121006", "DCM", "Person"),
  finding: code("121071", "DCM", "Finding"),
  imageRegion: code("111030", "DCM", "Image Region"),
  trackingIdentifier: code("112039", "DCM", "Tracking Identifier"),
  trackingUid: code("112040", "DCM", "Tracking Unique Identifier"),
  personObserverName: code("121008", "DCM", "Person Observer Name"),
  deviceObserverUid: code("121012", "DCM", "Device Observer UID"),
  frameOfReferenceUid: code("112227", "DCM", "Frame of Reference UID"),
  pixelDataRows: code("110910", "DCM", "Pixel Data Rows"),
  pixelDataColumns: code("110911", "DCM", "Pixel Data Columns"),
  // CID 241 "Present-Absent Only"
  present: code("52101004", "SCT", "Present"),
  absent: code("272519000", "SCT", "Absent"),
  confidence: code("CONFIDENCE", CONCORD_SCHEME, "Confidence"),
  roiShape: code("SHAPE", CONCORD_SCHEME, "ROI shape"),
  rectangle: code("RECTANGLE", CONCORD_SCHEME, "Rectangle"),
  freehand: code("FREEHAND", CONCORD_SCHEME, "Freehand"),
  point: code("POINT", CONCORD_SCHEME, "Point"),
  line: code("LINE", CONCORD_SCHEME, "Line"),
  // A line's measurement (CID 7470 Linear Measurements), in mm or, on an image without a spacing, in pixels (CID 7181).
  length: code("410668003", "SCT", "Length"),
  millimetre: code("mm", "UCUM", "millimeter"),
  percent: code("%", "UCUM", "percent"),
  pixels: code("{pixels}", "UCUM", "pixels"),
  // SEG (PS3.16 CID 7150, CID 7005, CID 7203)
  morphologicallyAlteredStructure: code("49755003", "SCT", "Morphologically Altered Structure"),
  segmentation: code("113076", "DCM", "Segmentation"),
  sourceImageForProcessing: code("121322", "DCM", "Source image for image processing operation"),
} as const;

const hash10 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex").slice(0, 10).toUpperCase();

export const labelCode = (name: string): CodedConcept => code(`L${hash10(`label:${name}`)}`, CONCORD_SCHEME, meaningText(name));
export const classCode = (name: string): CodedConcept => code(`R${hash10(`class:${name}`)}`, CONCORD_SCHEME, meaningText(name));

export const CODING_SCHEME_IDENTIFICATION = [
  {
    CodingSchemeDesignator: CONCORD_SCHEME,
    CodingSchemeName: "Concord project vocabulary",
    CodingSchemeResponsibleOrganization: "Concord",
  },
];

/**
 * A UID under 2.25 (PS3.5 B.2: a UUID as one integer) from a hash of what identifies the object,
 * so a re-export of the same thing carries the same UIDs and a receiver replaces, not duplicates.
 */
export function derivedUid(...parts: Array<string | number>): string {
  const digest = createHash("sha256").update(["concord-export", ...parts.map(String)].join("\u0000"), "utf8").digest();
  return `2.25.${BigInt(`0x${digest.subarray(0, 16).toString("hex")}`).toString()}`;
}

/** LO-safe text: no backslash (the value delimiter) or control characters, at most 64 characters. */
export function loText(text: string): string {
  return [...text.replace(/\\/g, "/").replace(/[\x00-\x1f\x7f]/g, " ")].slice(0, 64).join("");
}
const meaningText = loText;

/** A PN value with the whole text as family name: "^", "=" and "\" are PN delimiters. */
export function personName(text: string): string {
  return [...text.replace(/[\^=\\]/g, " ").replace(/[\x00-\x1f\x7f]/g, " ").trim()].slice(0, 64).join("") || "Anonymous";
}

/** DICOM DA, TM from a Date, in UTC (the files say TimezoneOffsetFromUTC +0000). */
export function dicomDateTime(at: Date): { date: string; time: string } {
  const iso = at.toISOString();
  return { date: iso.slice(0, 10).replace(/-/g, ""), time: `${iso.slice(11, 19).replace(/:/g, "")}.${iso.slice(20, 23)}` };
}

const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";

/**
 * A Part 10 file (Explicit VR Little Endian) for a naturalized data set: dcmjs denaturalizes it
 * (DicomMetaDictionary.denaturalizeDataset) and the platform's encoder writes the bytes
 * DicomDict.write() would (images/dicom/encode.ts; sr.test.ts and seg.test.ts compare the two),
 * several times faster — an export writes one file per reader and case.
 */
export function writePart10(dataset: Naturalized): Uint8Array {
  const { meta, dict } = part10Parts(dataset);
  return encodePart10(meta, dict);
}

/** The file meta and data set writePart10 encodes, in dcmjs's denaturalized form. */
export function part10Parts(dataset: Naturalized): { meta: DcmjsDataset; dict: DcmjsDataset } {
  const meta = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  });
  // Text is written as UTF-8; declared only when needed, so plain-ASCII files suit older readers.
  const withCharset = hasNonAscii(dataset) ? { SpecificCharacterSet: "ISO_IR 192", ...dataset } : dataset;
  return { meta, dict: dcmjs.data.DicomMetaDictionary.denaturalizeDataset(withCharset) };
}

/** The same file written by dcmjs's own DicomDict.write(), to check writePart10 against. */
export function writePart10WithDcmjs(dataset: Naturalized): Uint8Array {
  const { meta, dict } = part10Parts(dataset);
  const file = new dcmjs.data.DicomDict(meta);
  file.dict = dict;
  return new Uint8Array(file.write());
}

function hasNonAscii(value: unknown): boolean {
  if (typeof value === "string") return /[^\x00-\x7f]/.test(value);
  if (Array.isArray(value)) return value.some(hasNonAscii);
  if (value && typeof value === "object" && !(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value)) return Object.values(value).some(hasNonAscii);
  return false;
}
