import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Roi } from "../viewer/roi";
import { applyRoiChange, readRois, ROIS, writeRoi } from "./roiDoc";

const box: Roi = { id: "0b5c7a3e-1111-4222-8333-944445555666", classId: "c1", kind: "RECTANGLE", points: [[1, 2], [30, 40]], sopInstanceUid: "1.2.3", frame: 1 };

describe("ROIs in a layer document", () => {
  it("writes, reads back, updates only what changed, and deletes", () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    applyRoiChange(doc, { change: "created", roi: box }, "local");
    expect(readRois(doc)).toEqual([box]);

    writeRoi(doc, box, "local"); // the same region again: nothing to send
    expect(updates).toHaveLength(1);

    const moved = { ...box, points: [[5, 6], [30, 40]] as Roi["points"] };
    applyRoiChange(doc, { change: "updated", roi: moved }, "local");
    expect(readRois(doc)).toEqual([moved]);
    const entry = doc.getMap<Y.Map<unknown>>(ROIS).get(box.id)!;
    expect(entry.toJSON()).toEqual({ classId: "c1", kind: "RECTANGLE", points: [[5, 6], [30, 40]], sopInstanceUid: "1.2.3", frame: 1 });

    applyRoiChange(doc, { change: "deleted", roi: moved }, "local");
    expect(readRois(doc)).toEqual([]);
  });

  it("reads a point (a landmark) back, and leaves out kinds it does not know", () => {
    const doc = new Y.Doc();
    const point: Roi = { ...box, id: "0b5c7a3e-1111-4222-8333-944445555667", kind: "POINT", points: [[12.5, 7.25]] };
    applyRoiChange(doc, { change: "created", roi: point }, "local");
    writeRoi(doc, { ...box, kind: "ELLIPSE" as Roi["kind"] }, "local");
    expect(readRois(doc)).toEqual([point]);
  });

  it("keeps a concurrent class change and move both", () => {
    const a = new Y.Doc();
    writeRoi(a, box, null);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    writeRoi(a, { ...box, classId: "c2" }, null);
    writeRoi(b, { ...box, points: [[0, 0], [9, 9]] }, null);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readRois(a)).toEqual([{ ...box, classId: "c2", points: [[0, 0], [9, 9]] }]);
    expect(readRois(b)).toEqual(readRois(a));
  });

  it("writes and reads back the model version a region was taken from", () => {
    const doc = new Y.Doc();
    const taken: Roi = { ...box, kind: "FREEHAND", points: [[1, 2], [30, 2], [15, 40]], suggestedBy: "version-7" };
    applyRoiChange(doc, { change: "created", roi: taken }, "local");
    expect(readRois(doc)).toEqual([taken]);
    expect(doc.getMap<Y.Map<unknown>>(ROIS).get(box.id)!.get("suggestedBy")).toBe("version-7");
    // Through a document update, as another client (or the server) sees it.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    expect(readRois(other)).toEqual([taken]);
    // A drawn region has none: absent, not null.
    writeRoi(doc, { ...box, id: "1b5c7a3e-1111-4222-8333-944445555666", suggestedBy: null }, "local");
    const drawn = readRois(doc).find((r) => r.id !== box.id)!;
    expect(drawn).not.toHaveProperty("suggestedBy");
    expect(doc.getMap<Y.Map<unknown>>(ROIS).get(drawn.id)!.has("suggestedBy")).toBe(false);
  });

  it("keeps suggestedBy through the viewer's updates, which do not carry it", () => {
    const doc = new Y.Doc();
    writeRoi(doc, { ...box, suggestedBy: "version-7" }, "local");
    const moved: Roi = { ...box, points: [[5, 6], [30, 40]] };
    applyRoiChange(doc, { change: "updated", roi: moved }, "local");
    applyRoiChange(doc, { change: "updated", roi: { ...moved, classId: "c2", suggestedBy: null } }, "local");
    expect(readRois(doc)).toEqual([{ ...moved, classId: "c2", suggestedBy: "version-7" }]);
    expect(doc.getMap<Y.Map<unknown>>(ROIS).get(box.id)!.toJSON()).toEqual({
      classId: "c2",
      kind: "RECTANGLE",
      points: [[5, 6], [30, 40]],
      sopInstanceUid: "1.2.3",
      frame: 1,
      suggestedBy: "version-7",
    });
  });

  it("reads only a string suggestedBy", () => {
    const doc = new Y.Doc();
    writeRoi(doc, box, "local");
    doc.getMap<Y.Map<unknown>>(ROIS).get(box.id)!.set("suggestedBy", 42);
    expect(readRois(doc)).toEqual([box]);
    expect(readRois(doc)[0]).not.toHaveProperty("suggestedBy");
  });

  it("leaves out entries that do not follow the schema", () => {
    const doc = new Y.Doc();
    const map = doc.getMap<unknown>(ROIS);
    map.set("x", 3);
    const bad = new Y.Map<unknown>();
    map.set("y", bad);
    bad.set("classId", "c1");
    bad.set("kind", "CIRCLE");
    bad.set("points", [[1, 2]]);
    expect(readRois(doc)).toEqual([]);
  });
});
