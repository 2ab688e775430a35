import type { Dcmjs } from "./dcmjs.js";

// dcmjs's data dictionary answers "what VR does this tag have" for implicit VR data and for
// elements stored as UN; its names make error messages readable.
const dcmjs = require("dcmjs") as Dcmjs;
const dictionary = dcmjs.data.DicomMetaDictionary.dictionary;

export const PIXEL_DATA = 0x7fe00010;
export const SPECIFIC_CHARACTER_SET = 0x00080005;

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, "0");
}

/** "00100010": the key dcmjs uses in a denaturalized data set. */
export function tagKey(tag: number): string {
  return (tag >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

export function tagFromKey(key: string): number {
  return parseInt(key, 16) >>> 0;
}

/** "(0010,0010)", as DICOM documents and dcmdump print tags. */
export function tagText(tag: number): string {
  return `(${hex4(tag >>> 16)},${hex4(tag & 0xffff)})`;
}

export function dictionaryEntry(tag: number) {
  return dictionary[tagText(tag)];
}

/** "(0010,0010) PatientName", or just the tag when the dictionary does not know it. */
export function tagLabel(tag: number): string {
  const entry = dictionaryEntry(tag);
  return entry ? `${tagText(tag)} ${entry.name}` : tagText(tag);
}

/**
 * The VR the dictionary gives a tag, or undefined. The dictionary's lower-case placeholders for
 * "depends on context" VRs come back as they are ("xs", "ox", "lt", ...); the caller resolves them.
 */
export function dictionaryVr(tag: number): string | undefined {
  if ((tag & 0xffff) === 0) return "UL"; // group length, in every group
  const group = tag >>> 16;
  const element = tag & 0xffff;
  // Private creator elements (gggg,0010-00FF) in odd groups are LO by definition.
  if (group % 2 === 1 && element >= 0x10 && element <= 0xff) return "LO";
  return dictionaryEntry(tag)?.vr;
}
