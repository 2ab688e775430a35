import { bunzip2AtMost, gunzipAtMost, TooLarge } from "./compressed.js";
import { MAX_VOLUME_BYTES } from "./nifti.js";
import { ImageConversionError } from "./secondary-capture.js";
import { BYTES_PER_VOXEL, samplesView, type Vec3, type Volume, type VoxelType } from "./volume.js";

// NRRD (teem.sourceforge.net/nrrd/format.html), read here: the one parser on the registry
// (nrrd-js 0.2.1) decodes neither gzip nor bzip2 nor detached data, and writes its complaints to
// the console. The format is a short text header ("field: value" lines) and the data after a blank
// line, or in a separate file named by "data file" (ingest joins such a pair before it gets here).
//
// Read: every type but "block"; raw, ascii/text, hex, gzip and bzip2 encodings; endian; line and
// byte skip (-1 for raw); space, space directions, space origin (anatomical spaces into LPS),
// spacings; kinds. Axes that are not in space (a vector, a colour, time) go after the spatial
// ones, so each frame is a slice; three 8-bit colour components become RGB.

const TYPES: Array<[VoxelType, string[]]> = [
  ["int8", ["signed char", "int8", "int8_t"]],
  ["uint8", ["uchar", "unsigned char", "uint8", "uint8_t"]],
  ["int16", ["short", "short int", "signed short", "signed short int", "int16", "int16_t"]],
  ["uint16", ["ushort", "unsigned short", "unsigned short int", "uint16", "uint16_t"]],
  ["int32", ["int", "signed int", "int32", "int32_t"]],
  ["uint32", ["uint", "unsigned int", "uint32", "uint32_t"]],
  ["int64", ["longlong", "long long", "long long int", "signed long long", "signed long long int", "int64", "int64_t"]],
  ["uint64", ["ulonglong", "unsigned long long", "unsigned long long int", "uint64", "uint64_t"]],
  ["float32", ["float"]],
  ["float64", ["double"]],
];
const ENCODINGS: Record<string, "raw" | "text" | "hex" | "gzip" | "bzip2"> = {
  raw: "raw",
  txt: "text",
  text: "text",
  ascii: "text",
  hex: "hex",
  gz: "gzip",
  gzip: "gzip",
  bz2: "bzip2",
  bzip2: "bzip2",
};
/** Sign changes from each anatomical space to LPS. */
const SPACES: Record<string, Vec3> = {
  "left-posterior-superior": [1, 1, 1],
  "right-anterior-superior": [-1, -1, 1],
  "left-anterior-superior": [1, -1, 1],
  lps: [1, 1, 1],
  ras: [-1, -1, 1],
  las: [1, -1, 1],
};
const SPATIAL_KINDS = new Set(["domain", "space"]);
const COLOUR_KINDS = new Set(["rgb-color", "3-color"]);

export const isNrrd = (b: Uint8Array) => b.length >= 8 && String.fromCharCode(...b.subarray(0, 7)) === "NRRD000" && b[7]! >= 0x31 && b[7]! <= 0x39;

export interface NrrdHeader {
  fields: Map<string, string>;
  /** Where the data starts, just after the blank line; null when the header has no blank line (a detached header). */
  dataStart: number | null;
  /** The header's lines, the magic first, as written (for rewriting a detached header). */
  lines: string[];
}

/** The header's fields (lower case, single-spaced names); comments and key/value pairs are left out. */
export function nrrdHeader(bytes: Uint8Array, fileName: string): NrrdHeader {
  if (!isNrrd(bytes)) throw new ImageConversionError(fileName, "not an NRRD file (no NRRD000n magic)");
  let end = bytes.indexOf(0x0a);
  let dataStart: number | null = null;
  const lines: string[] = [];
  let start = 0;
  const HEADER_LIMIT = 1024 * 1024;
  while (true) {
    if (end < 0) end = bytes.length;
    if (end > HEADER_LIMIT) throw new ImageConversionError(fileName, `no end to the NRRD header in its first ${HEADER_LIMIT} bytes`);
    const line = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("latin1").replace(/\r$/, "");
    if (line === "") {
      dataStart = end + 1;
      break;
    }
    lines.push(line);
    if (end >= bytes.length) break;
    start = end + 1;
    end = bytes.indexOf(0x0a, start);
  }
  const fields = new Map<string, string>();
  for (const line of lines.slice(1)) {
    if (line.startsWith("#")) continue;
    const kv = line.indexOf(":=");
    const colon = line.indexOf(": ");
    if (colon < 0 || (kv >= 0 && kv < colon)) continue; // a key/value pair: free text, never read
    fields.set(line.slice(0, colon).trim().toLowerCase().replace(/\s+/g, " "), line.slice(colon + 2).trim());
  }
  return { fields, dataStart, lines };
}

/** The data file a detached header names, or null for an attached header; throws for multi-file lists. */
export function nrrdDataFile(header: NrrdHeader, fileName: string): string | null {
  const value = header.fields.get("data file") ?? header.fields.get("datafile");
  if (value === undefined) return null;
  if (/^LIST\b/.test(value) || /%\d*d/.test(value)) throw new ImageConversionError(fileName, `data file "${value}": data split over several files is not supported; join it into one file`);
  return value;
}

const vector = (s: string): number[] | null => {
  const m = /^\(([^)]*)\)$/.exec(s.trim());
  if (!m) return null;
  const parts = m[1]!.split(",").map((p) => Number(p.trim()));
  return parts.every(Number.isFinite) ? parts : null;
};
/** Space directions: one "(x,y,z)" or "none" for each axis. */
const vectors = (s: string): Array<number[] | null | "bad"> => (s.match(/\([^)]*\)|none/g) ?? []).map((v) => (v === "none" ? null : (vector(v) ?? "bad")));

export function readNrrd(bytes: Uint8Array, fileName: string, maxBytes = MAX_VOLUME_BYTES): Volume {
  const fail = (reason: string) => new ImageConversionError(fileName, reason);
  const header = nrrdHeader(bytes, fileName);
  const { fields } = header;
  if (nrrdDataFile(header, fileName) !== null) throw fail(`its data is in "${nrrdDataFile(header, fileName)}", which was not uploaded with it`);
  const need = (name: string) => {
    const v = fields.get(name);
    if (v === undefined || v === "") throw fail(`the NRRD header has no "${name}" field`);
    return v;
  };
  const typeName = need("type").toLowerCase();
  if (typeName === "block") throw fail(`type "block" (opaque blocks of bytes) has no image form`);
  const type = TYPES.find(([, names]) => names.includes(typeName))?.[0];
  if (!type) throw fail(`type "${typeName}" is not an NRRD type`);
  const encodingName = need("encoding").toLowerCase();
  const encoding = ENCODINGS[encodingName];
  if (!encoding) throw fail(`encoding "${encodingName}" is not supported (raw, ascii, hex, gzip and bzip2 are)`);
  const rank = Number(need("dimension"));
  if (!(Number.isInteger(rank) && rank >= 1 && rank <= 16)) throw fail(`dimension "${fields.get("dimension")}" must be a whole number from 1 to 16`);
  const sizes = need("sizes").split(/\s+/).map(Number);
  if (sizes.length !== rank) throw fail(`sizes gives ${sizes.length} sizes for ${rank} dimensions`);
  const bad = sizes.findIndex((s) => !(Number.isSafeInteger(s) && s >= 1));
  if (bad >= 0) throw fail(`size ${bad + 1} is "${need("sizes").split(/\s+/)[bad]}": every size must be a whole number of at least 1`);
  const width = BYTES_PER_VOXEL[type];
  const voxels = sizes.reduce((a, b) => a * b, 1);
  const dataBytes = voxels * width;
  if (dataBytes > maxBytes) throw fail(`the image is ${dataBytes} bytes, more than the ${maxBytes} allowed`);
  const endianName = fields.get("endian")?.toLowerCase();
  if (endianName !== undefined && endianName !== "little" && endianName !== "big") throw fail(`endian "${endianName}" must be little or big`);
  if (width > 1 && (encoding === "raw" || encoding === "gzip" || encoding === "bzip2" || encoding === "hex") && !endianName) throw fail(`the NRRD header has no "endian" field, needed for ${typeName} data`);
  const lineSkip = Number(fields.get("line skip") ?? fields.get("lineskip") ?? 0);
  const byteSkip = Number(fields.get("byte skip") ?? fields.get("byteskip") ?? 0);
  if (!(Number.isInteger(lineSkip) && lineSkip >= 0)) throw fail(`line skip "${fields.get("line skip")}" must be a whole number`);
  if (!(Number.isInteger(byteSkip) && byteSkip >= -1)) throw fail(`byte skip "${fields.get("byte skip")}" must be a whole number, or -1`);
  if (byteSkip === -1 && encoding !== "raw") throw fail(`byte skip -1 (data at the end of the file) is only for raw encoding`);

  // The data: after the blank line, past any skipped lines.
  if (header.dataStart === null) throw fail("the NRRD header has no blank line before its data");
  let at = header.dataStart;
  for (let n = 0; n < lineSkip; n++) {
    const nl = bytes.indexOf(0x0a, at);
    if (nl < 0) throw fail(`line skip ${lineSkip} goes past the end of the file`);
    at = nl + 1;
  }
  let payload = bytes.subarray(at);
  const truncated = (held: number) => fail(`truncated: the header promises ${dataBytes} bytes of ${encodingName} data, the file holds ${held}`);
  // Allocated only once the file is known to hold that much: a header can claim gigabytes.
  let data: Uint8Array;
  try {
    if (encoding === "gzip") payload = gunzipAtMost(payload, dataBytes + Math.max(byteSkip, 0));
    else if (encoding === "bzip2") payload = bunzip2AtMost(payload, dataBytes + Math.max(byteSkip, 0), dataBytes);
  } catch (err) {
    if (err instanceof TooLarge) throw fail(`its ${encodingName} data ${err.message}, more than its sizes need`);
    throw fail(`its ${encodingName} data does not decompress (${(err as Error).message})`);
  }
  if (encoding === "text" || encoding === "hex") {
    const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("latin1");
    if (encoding === "hex") {
      const digits = text.replace(/\s+/g, "");
      if (/[^0-9a-fA-F]/.test(digits)) throw fail("hex data holds characters that are not hexadecimal digits");
      if (digits.length < dataBytes * 2) throw truncated(Math.floor(digits.length / 2));
      data = new Uint8Array(dataBytes);
      for (let i = 0; i < dataBytes; i++) data[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
    } else {
      const words = text.split(/[\s,]+/).filter((w) => w !== "");
      if (words.length < voxels) throw fail(`truncated: the header promises ${voxels} values, the file holds ${words.length}`);
      data = new Uint8Array(dataBytes);
      const target = samplesView(type, data.buffer, voxels);
      for (let i = 0; i < voxels; i++) {
        const word = words[i]!;
        const v = Number(word);
        if (Number.isNaN(v) && !/^[+-]?nan$/i.test(word)) throw fail(`value ${i + 1}, "${word.slice(0, 20)}", is not a number`);
        // 64-bit whole numbers from their digits: a double holds only 53 bits of them.
        if (target instanceof BigInt64Array || target instanceof BigUint64Array) target[i] = /^[+-]?\d+$/.test(word) ? BigInt(word) : BigInt(Math.trunc(Number.isFinite(v) ? v : 0));
        else (target as { [i: number]: number })[i] = v;
      }
      return finish(data, false);
    }
  } else {
    const skip = byteSkip === -1 ? payload.length - dataBytes : byteSkip;
    if (skip < 0 || payload.length - skip < dataBytes) throw truncated(Math.max(payload.length - Math.max(skip, 0), 0));
    data = new Uint8Array(payload.subarray(skip, skip + dataBytes)); // a copy, even of a Node Buffer
  }
  return finish(data, endianName === "big" && width > 1);

  function finish(raw: Uint8Array, swap: boolean): Volume {
    if (swap) for (let i = 0; i < raw.length; i += width) raw.subarray(i, i + width).reverse();
    return placed(raw);
  }

  function placed(raw: Uint8Array): Volume {
    // Which axes are in space: those with a direction, else those of a spatial kind, else all.
    const directions = fields.has("space directions") ? vectors(fields.get("space directions")!) : null;
    if (directions && directions.length !== rank) throw fail(`space directions gives ${directions.length} entries for ${rank} dimensions`);
    if (directions?.includes("bad")) throw fail(`space directions "${fields.get("space directions")}" is not a list of (x,y,z) vectors or none`);
    const kinds = fields.get("kinds")?.toLowerCase().split(/\s+/);
    const spatial = sizes.map((_, i) => (directions ? directions[i] !== null : kinds && kinds.length === rank ? SPATIAL_KINDS.has(kinds[i]!) || kinds[i] === "???" || kinds[i] === "none" : true));
    // Three 8-bit colour components first: an RGB volume.
    let type0: VoxelType = type!;
    let axes = sizes.map((_, i) => i);
    if (type === "uint8" && !spatial[0] && sizes[0] === 3 && kinds && COLOUR_KINDS.has(kinds[0]!)) {
      type0 = "rgb24";
      axes = axes.slice(1);
    }
    const order = [...axes.filter((i) => spatial[i]), ...axes.filter((i) => !spatial[i])];
    const data = type0 === "rgb24" ? permute(raw, sizes, [0, ...order], width) : permute(raw, sizes, order, width);
    const outSizes = order.map((i) => sizes[i]!);

    const spaceName = fields.get("space")?.toLowerCase().replace(/-time$/, "");
    const signs = spaceName ? SPACES[spaceName] : undefined;
    const spatialAxes = order.filter((i) => spatial[i]).slice(0, 3);
    let geometry: Volume["geometry"] = null;
    const spacing: Vec3 = [0, 0, 0];
    const spacings = fields.get("spacings")?.split(/\s+/).map(Number);
    spatialAxes.forEach((axis, k) => {
      const d = directions?.[axis];
      const s = Array.isArray(d) ? Math.hypot(...d) : spacings?.[axis];
      spacing[k] = s !== undefined && Number.isFinite(s) && s > 0 ? s : 0;
    });
    const origin = fields.has("space origin") ? vector(fields.get("space origin")!) : null;
    const placedAxes = spatialAxes.filter((a) => Array.isArray(directions?.[a]) && (directions![a] as number[]).length === 3);
    if (signs && placedAxes.length >= 2 && placedAxes.length === spatialAxes.length) {
      const toLps = (v: number[]): Vec3 => [v[0]! * signs[0], v[1]! * signs[1], v[2]! * signs[2]];
      const [u, v, w] = placedAxes.map((a) => toLps(directions![a] as number[])) as [Vec3, Vec3, Vec3 | undefined];
      // A single slice: the third step is the unit normal to its plane.
      const n: Vec3 = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
      const nl = Math.hypot(...n) || 1;
      geometry = { origin: origin?.length === 3 ? toLps(origin) : [0, 0, 0], steps: [u, v, w ?? [n[0] / nl, n[1] / nl, n[2] / nl]] };
    }
    return { format: "NRRD", sizes: outSizes, type: type0, data, slope: 1, intercept: 0, geometry, spacing };
  }
}

/** The data with its axes reordered (`order[k]` is the input axis that becomes axis k), elements of `width` bytes. */
export function permute(data: Uint8Array, sizes: number[], order: number[], width: number): Uint8Array {
  if (order.every((a, k) => a === k)) return data;
  const strides: number[] = [];
  sizes.reduce((stride, size, i) => ((strides[i] = stride), stride * size), 1);
  const outSizes = order.map((a) => sizes[a]!);
  const outStrides = order.map((a) => strides[a]!);
  const out = new Uint8Array(data.length);
  const index = new Array<number>(order.length).fill(0);
  let source = 0;
  const total = data.length / width;
  for (let o = 0; o < total; o++) {
    out.set(data.subarray(source * width, source * width + width), o * width);
    // Next output position: the odometer turns, the source index follows.
    for (let k = 0; k < index.length; k++) {
      index[k]!++;
      source += outStrides[k]!;
      if (index[k]! < outSizes[k]!) break;
      source -= outStrides[k]! * outSizes[k]!;
      index[k] = 0;
    }
  }
  return out;
}
