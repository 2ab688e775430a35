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
