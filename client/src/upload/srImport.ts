// Annotation files (DICOM SR, TID 1500; DICOM SEG; NIfTI or NRRD label masks) imported as the
// user's annotations: the files go to the importStructuredReports mutation base64-encoded in its
// JSON body, which the server takes up to 12 MB (server/src/http/app.ts). So they go in requests
// of at most MAX_SR_REQUEST_BYTES of files (a third more once encoded), each with its own share of
// the progress bar; a file larger than that on its own is refused here, saying why, and the others
// still go.

/** Bytes of files in one request: 8 MiB, about 10.7 MiB once base64-encoded, under the 12 MB body limit. */
export const MAX_SR_REQUEST_BYTES = 8 * 1024 * 1024;
/** Files in one request: the server reads and checks each in that request's time. */
export const MAX_SR_REQUEST_FILES = 50;

export interface SrImportPlan<F extends { size: number }> {
  /** Requests to make, in order, each a list of files. */
  requests: F[][];
  /** Files too large to import this way. */
  tooLarge: F[];
}

/** Groups files into requests of at most `maxBytes` bytes and `maxFiles` files, in their order. */
export function planSrImport<F extends { size: number }>(files: F[], maxBytes = MAX_SR_REQUEST_BYTES, maxFiles = MAX_SR_REQUEST_FILES): SrImportPlan<F> {
  const requests: F[][] = [];
  const tooLarge: F[] = [];
  let current: F[] = [];
  let bytes = 0;
  for (const file of files) {
    if (file.size > maxBytes) {
      tooLarge.push(file);
      continue;
    }
    if (current.length && (current.length >= maxFiles || bytes + file.size > maxBytes)) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += file.size;
  }
  if (current.length) requests.push(current);
  return { requests, tooLarge };
}

export interface MaskLabel {
  value: number;
  name: string;
}

/**
 * The label names of an nnU-Net dataset.json (or any JSON map of them), for the label masks of the
 * same import: nnU-Net v2's {"labels": {"liver": 1}}, v1's and the Medical Segmentation Decathlon's
 * {"labels": {"1": "liver"}}, or either map on its own. Background (0) is left out, and so are
 * nnU-Net's region labels (a list of values). Throws, saying why, for anything else.
 */
export function parseMaskLabels(text: string): MaskLabel[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message})`);
  }
  const isMap = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
  const map = isMap(json) && isMap(json.labels) ? json.labels : json;
  if (!isMap(map)) throw new Error('no label names in it: an nnU-Net dataset.json has "labels": {"liver": 1, …} or {"1": "liver", …}');
  const out = new Map<number, string>();
  for (const [key, v] of Object.entries(map)) {
    // {"1": "liver"} (v1) or {"liver": 1} (v2): the whole number is the value, the other side its name.
    const [value, name] = /^\d+$/.test(key) && typeof v === "string" ? [Number(key), v] : typeof v === "number" ? [v, key] : [NaN, ""];
    if (Array.isArray(v)) continue; // an nnU-Net region (several values): no one value to name
    if (!Number.isInteger(value) || value < 0 || !name.trim()) throw new Error(`"${key}": ${JSON.stringify(v)} is not a label value and its name`);
    if (value === 0) continue;
    if (out.has(value)) throw new Error(`label ${value} is named twice ("${out.get(value)}", "${name.trim()}")`);
    out.set(value, name.trim());
  }
  if (!out.size) throw new Error("it names no label other than the background");
  return [...out].sort((a, b) => a[0] - b[0]).map(([value, name]) => ({ value, name }));
}
