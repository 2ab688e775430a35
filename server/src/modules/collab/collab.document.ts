import * as Y from "yjs";
import { isUuid } from "../../access/access.js";
import { invalid, type FieldProblem } from "../../errors.js";
import type { RoiShape } from "../projects/projects.entity.js";
import type { RoiInput } from "../annotations/annotations.service.js";
import { normaliseRoi } from "../annotations/geometry.js";

// The Yjs side of a collaboration document: layer names, the update format on the wire (base64 of
// Yjs update v1) and the document schema the viewer and the projection share.
//
// Schema: the root Y.Map "rois" maps a region's id (a UUID) to a Y.Map with
//   classId: string (an ROI class of the project), kind: "RECTANGLE" | "FREEHAND" | "POINT" | "LINE",
//   points: [[x, y], ...] (a plain JSON array, replaced whole on every edit: a region's outline is
//           one value, so two concurrent drags end in one of them, never a mix),
//   sopInstanceUid?: string (required for a series case), frame?: number (1-based, default 1),
//   suggestedBy?: string (the model version whose suggested region it was taken from).
// Fields are separate map entries so a class change and a move made concurrently both survive.

export const ROIS = "rois";
export const ROI_KINDS: readonly RoiShape[] = ["RECTANGLE", "FREEHAND", "POINT", "LINE"];

/** The largest update one mutation may carry, decoded. */
export const MAX_UPDATE_BYTES = 1024 * 1024;
/** Client ids are opaque to the server: a short token each client makes once. */
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export type Layer = { kind: "consensus" } | { kind: "reader"; readerId: string };

export function parseLayer(layer: string, field = "layer"): Layer {
  if (layer === "consensus") return { kind: "consensus" };
  const m = /^reader:(.+)$/.exec(layer);
  if (m && isUuid(m[1]!)) return { kind: "reader", readerId: m[1]!.toLowerCase() };
  throw invalid([{ field, message: `must be "consensus" or "reader:<user id>"` }]);
}

export const layerName = (l: Layer) => (l.kind === "consensus" ? "consensus" : `reader:${l.readerId}`);

export function checkClientId(clientId: string | null | undefined, field = "clientId"): string | null {
  if (clientId == null) return null;
  if (!CLIENT_ID.test(clientId)) throw invalid([{ field, message: "must be 1 to 64 letters, digits or . _ : -" }]);
  return clientId;
}

/** Decodes base64 within a size bound; anything else is the caller's mistake. */
export function decodeBase64(text: string, field: string, maxBytes = MAX_UPDATE_BYTES): Uint8Array {
  if (text.length > Math.ceil(maxBytes / 3) * 4 + 4) throw invalid([{ field, message: `must be at most ${maxBytes} bytes` }]);
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw invalid([{ field, message: "must be base64" }]);
  const bytes = new Uint8Array(Buffer.from(text, "base64"));
  if (bytes.length > maxBytes) throw invalid([{ field, message: `must be at most ${maxBytes} bytes` }]);
  return bytes;
}

export const encodeBase64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

/**
 * The bytes of a Yjs update (v1), refused unless they decode as one: a stored update that does not
 * decode would break every later sync of its document.
 */
export function decodeUpdate(text: string, field = "update"): Uint8Array {
  const bytes = decodeBase64(text, field);
  if (bytes.length === 0) throw invalid([{ field, message: "is empty; an empty Yjs update is 2 bytes (AAA=)" }]);
  try {
    Y.decodeUpdate(bytes);
  } catch {
    throw invalid([{ field, message: "is not a Yjs update (v1)" }]);
  }
  return bytes;
}

/** A state vector from the client; empty or absent means "I have nothing". */
export function decodeStateVector(text: string | null | undefined, field = "stateVector"): Uint8Array | undefined {
  if (text == null || text === "") return undefined;
  const bytes = decodeBase64(text, field, 64 * 1024);
  try {
    Y.decodeStateVector(bytes);
  } catch {
    throw invalid([{ field, message: "is not a Yjs state vector" }]);
  }
  return bytes;
}

/** The document state stored in these rows' updates. */
export function mergeStored(updates: Uint8Array[]): Uint8Array {
  if (updates.length === 0) return Y.encodeStateAsUpdate(new Y.Doc());
  return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
}

/**
 * The regions a document holds, in id order, as annotation inputs. Entries that do not follow the
 * schema are problems (named by region id); geometry, classes and images are checked by the
 * annotations module, like any save.
 */
export function roisFromDoc(doc: Y.Doc): { rois: RoiInput[]; problems: FieldProblem[] } {
  const map = doc.getMap<unknown>(ROIS);
  const rois: RoiInput[] = [];
  const problems: FieldProblem[] = [];
  for (const id of [...map.keys()].sort()) {
    const at = `rois[${id}]`;
    const entry = map.get(id);
    if (!isUuid(id)) {
      problems.push({ field: at, message: "a region's key must be a UUID" });
      continue;
    }
    if (!(entry instanceof Y.Map)) {
      problems.push({ field: at, message: "must be a Y.Map" });
      continue;
    }
    const classId = entry.get("classId");
    const kind = entry.get("kind");
    const points = entry.get("points");
    const sop = entry.get("sopInstanceUid");
    const frame = entry.get("frame");
    const suggestedBy = entry.get("suggestedBy");
    const before = problems.length;
    if (typeof classId !== "string") problems.push({ field: `${at}.classId`, message: "must be a string" });
    if (typeof kind !== "string" || !(ROI_KINDS as readonly string[]).includes(kind)) problems.push({ field: `${at}.kind`, message: `must be ${ROI_KINDS.slice(0, -1).join(", ")} or ${ROI_KINDS.at(-1)}` });
    if (!Array.isArray(points)) problems.push({ field: `${at}.points`, message: "must be a JSON array of [x, y] points" });
    if (sop != null && typeof sop !== "string") problems.push({ field: `${at}.sopInstanceUid`, message: "must be a string" });
    if (frame != null && typeof frame !== "number") problems.push({ field: `${at}.frame`, message: "must be a number" });
    if (suggestedBy != null && typeof suggestedBy !== "string") problems.push({ field: `${at}.suggestedBy`, message: "must be a string" });
    if (problems.length > before) continue;
    rois.push({
      id,
      classId: classId as string,
      kind: kind as RoiShape,
      points: points as number[][],
      sopInstanceUid: (sop as string | null | undefined) ?? null,
      frame: (frame as number | null | undefined) ?? null,
      suggestedBy: (suggestedBy as string | null | undefined) ?? null,
    });
  }
  return { rois, problems };
}

/**
 * The regions of a document whose shape holds (a point one [x, y], a rectangle two corners with a
 * width and a height, a freehand at least three points enclosing an area, every coordinate a finite
 * number), the others left out. A reader's layer is checked when written (through their draft); the
 * consensus layer is not, so whatever reads it (exports, education's gold, training) reads it
 * through this, and one malformed region does not stop an export.
 */
export function wellFormedRois(doc: Y.Doc): RoiInput[] {
  return roisFromDoc(doc).rois.filter((r) => "points" in normaliseRoi(r.kind, r.points, null, "points"));
}

/** Writes one region into a document, in the schema above (for clients in tests and tools). */
export function putRoi(doc: Y.Doc, roi: { id: string; classId: string; kind: RoiShape; points: number[][]; sopInstanceUid?: string | null; frame?: number | null; suggestedBy?: string | null }): void {
  doc.transact(() => {
    const map = doc.getMap<Y.Map<unknown>>(ROIS);
    let entry = map.get(roi.id);
    if (!(entry instanceof Y.Map)) {
      entry = new Y.Map<unknown>();
      map.set(roi.id, entry);
    }
    entry.set("classId", roi.classId);
    entry.set("kind", roi.kind);
    entry.set("points", roi.points);
    if (roi.sopInstanceUid != null) entry.set("sopInstanceUid", roi.sopInstanceUid);
    if (roi.frame != null) entry.set("frame", roi.frame);
    if (roi.suggestedBy != null) entry.set("suggestedBy", roi.suggestedBy);
  });
}
