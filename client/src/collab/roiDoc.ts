import * as Y from "yjs";
import type { Point2 } from "../viewer/imageCoordinates";
import type { Roi, RoiChange, RoiKind } from "../viewer/roi";

// The one mapper between viewer ROIs and a layer's Yjs document, in the server's schema
// (server/src/modules/collab/collab.document.ts): the root Y.Map "rois" maps a region's id to a
// Y.Map {classId, kind, points, sopInstanceUid, frame, suggestedBy?}. Fields are separate entries
// so concurrent edits of different fields both survive; points are replaced whole (one drag, one
// value). suggestedBy (the model version a region was taken from) is written once, when the region
// is taken from a suggestion, and never removed here: the viewer's moves and edits do not carry it,
// and it must outlive them (the server compares the region with the suggestion to tell whether the
// reader changed it).

export const ROIS = "rois";
const KINDS: readonly RoiKind[] = ["RECTANGLE", "FREEHAND", "POINT", "LINE"];

const isPoint = (p: unknown): p is Point2 => Array.isArray(p) && p.length >= 2 && typeof p[0] === "number" && typeof p[1] === "number";

/** The regions in a document, in id order; entries that do not follow the schema are left out. */
export function readRois(doc: Y.Doc): Roi[] {
  const map = doc.getMap<unknown>(ROIS);
  const rois: Roi[] = [];
  for (const id of [...map.keys()].sort()) {
    const entry = map.get(id);
    if (!(entry instanceof Y.Map)) continue;
    const classId = entry.get("classId");
    const kind = entry.get("kind");
    const points = entry.get("points");
    const sop = entry.get("sopInstanceUid");
    const frame = entry.get("frame");
    const suggestedBy = entry.get("suggestedBy");
    if (typeof classId !== "string" || !KINDS.includes(kind as RoiKind) || !Array.isArray(points) || !points.every(isPoint)) continue;
    rois.push({
      id,
      classId,
      kind: kind as RoiKind,
      points: points.map((p) => [p[0], p[1]] as Point2),
      sopInstanceUid: typeof sop === "string" ? sop : "",
      frame: typeof frame === "number" ? frame : 1,
      ...(typeof suggestedBy === "string" ? { suggestedBy } : {}),
    });
  }
  return rois;
}

const samePoints = (a: unknown, b: readonly Point2[]) =>
  Array.isArray(a) && a.length === b.length && a.every((p, i) => isPoint(p) && p[0] === b[i]![0] && p[1] === b[i]![1]);

/**
 * Writes a region, setting only the fields that differ from what the document holds. A region's
 * suggestedBy is set when it carries one and otherwise left as it is (never deleted).
 */
export function writeRoi(doc: Y.Doc, roi: Roi, origin: unknown): void {
  doc.transact(() => {
    const map = doc.getMap<Y.Map<unknown>>(ROIS);
    let entry = map.get(roi.id);
    if (!(entry instanceof Y.Map)) {
      entry = new Y.Map<unknown>();
      map.set(roi.id, entry);
    }
    const set = (key: string, value: unknown) => {
      if (entry!.get(key) !== value) entry!.set(key, value);
    };
    set("classId", roi.classId);
    set("kind", roi.kind);
    if (!samePoints(entry.get("points"), roi.points)) entry.set("points", roi.points.map((p) => [p[0], p[1]]));
    if (roi.sopInstanceUid) set("sopInstanceUid", roi.sopInstanceUid);
    set("frame", roi.frame);
    if (typeof roi.suggestedBy === "string" && roi.suggestedBy) set("suggestedBy", roi.suggestedBy);
  }, origin);
}

/** Applies one of the viewer's changes to the document. */
export function applyRoiChange(doc: Y.Doc, change: RoiChange, origin: unknown): void {
  applyRoiChanges(doc, [change], origin);
}

/** Applies changes in one transaction: one update to send, one step to undo. */
export function applyRoiChanges(doc: Y.Doc, changes: readonly RoiChange[], origin: unknown): void {
  if (!changes.length) return;
  doc.transact(() => {
    const map = doc.getMap(ROIS);
    for (const change of changes) {
      if (change.change !== "deleted") writeRoi(doc, change.roi, origin);
      else if (map.has(change.roi.id)) map.delete(change.roi.id);
    }
  }, origin);
}
