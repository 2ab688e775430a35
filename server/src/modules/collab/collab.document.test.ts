import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { normaliseRoi } from "../annotations/geometry.js";
import { MAX_UPDATE_BYTES, ROIS, decodeStateVector, decodeUpdate, encodeBase64, parseLayer, putRoi, roisFromDoc, wellFormedRois } from "./collab.document.js";

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { extensions?: { code?: string } }).extensions?.code;
  }
  return "no error";
};

describe("layers", () => {
  it("are consensus or reader:<uuid>, normalised to lower case", () => {
    const id = randomUUID();
    expect(parseLayer("consensus")).toEqual({ kind: "consensus" });
    expect(parseLayer(`reader:${id.toUpperCase()}`)).toEqual({ kind: "reader", readerId: id });
    for (const bad of ["", "Consensus", "reader:", "reader:abc", `reader:${id}x`, `writer:${id}`]) expect(codeOf(() => parseLayer(bad)), bad).toBe("BAD_USER_INPUT");
  });
});

describe("updates on the wire", () => {
  const doc = new Y.Doc();
  putRoi(doc, { id: randomUUID(), classId: randomUUID(), kind: "RECTANGLE", points: [[1, 1], [3, 4]] });
  const update = Y.encodeStateAsUpdate(doc);

  it("accepts a Yjs update (and the empty one) and gives back its bytes", () => {
    expect(decodeUpdate(encodeBase64(update))).toEqual(update);
    expect(decodeUpdate("AAA=")).toEqual(new Uint8Array([0, 0]));
  });

  it("refuses what is not base64, not a Yjs update, truncated, empty or too large", () => {
    const garbage = Buffer.from("this is not a yjs update at all").toString("base64");
    for (const text of ["not base64!", "QUJD?", garbage, encodeBase64(update.slice(0, update.length - 3)), ""]) {
      expect(codeOf(() => decodeUpdate(text)), text).toBe("BAD_USER_INPUT");
    }
    expect(codeOf(() => decodeUpdate(Buffer.alloc(MAX_UPDATE_BYTES + 1).toString("base64")))).toBe("BAD_USER_INPUT");
  });

  it("takes a state vector, or none", () => {
    expect(decodeStateVector(null)).toBeUndefined();
    expect(decodeStateVector("")).toBeUndefined();
    expect(decodeStateVector(encodeBase64(Y.encodeStateVector(doc)))).toEqual(Y.encodeStateVector(doc));
    expect(codeOf(() => decodeStateVector("////"))).toBe("BAD_USER_INPUT");
  });
});

describe("the ROI schema", () => {
  it("maps a document's regions to annotation inputs, in id order, that the annotations module's geometry accepts", () => {
    const doc = new Y.Doc();
    const classId = randomUUID();
    const [a, b] = [randomUUID(), randomUUID()].sort();
    const version = randomUUID();
    putRoi(doc, { id: b!, classId, kind: "FREEHAND", points: [[0, 0], [4, 0], [4, 4]], sopInstanceUid: "1.2.3", frame: 2, suggestedBy: version });
    putRoi(doc, { id: a!, classId, kind: "RECTANGLE", points: [[5, 6], [1, 2]] });
    // A concurrent edit from another client, merged in: it moves region a.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    (other.getMap(ROIS).get(a!) as Y.Map<unknown>).set("points", [[0, 0], [2, 2]]);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));

    const { rois, problems } = roisFromDoc(doc);
    expect(problems).toEqual([]);
    expect(rois).toEqual([
      { id: a, classId, kind: "RECTANGLE", points: [[0, 0], [2, 2]], sopInstanceUid: null, frame: null, suggestedBy: null },
      { id: b, classId, kind: "FREEHAND", points: [[0, 0], [4, 0], [4, 4]], sopInstanceUid: "1.2.3", frame: 2, suggestedBy: version },
    ]);
    for (const r of rois) expect(normaliseRoi(r.kind, r.points, { columns: 8, rows: 8 }, "p")).toHaveProperty("points");
  });

  it("wellFormedRois leaves out regions whose shape does not hold, as a reader's save would refuse them", () => {
    const doc = new Y.Doc();
    const classId = randomUUID();
    const ids = Array.from({ length: 8 }, () => randomUUID()).sort();
    putRoi(doc, { id: ids[0]!, classId, kind: "POINT", points: [[3, 4]] });
    putRoi(doc, { id: ids[1]!, classId, kind: "POINT", points: [[3, 4], [5, 6]] });
    putRoi(doc, { id: ids[2]!, classId, kind: "RECTANGLE", points: [[1, 1], [6, 5]] });
    putRoi(doc, { id: ids[3]!, classId, kind: "RECTANGLE", points: [[1, 1], [1, 5]] });
    putRoi(doc, { id: ids[4]!, classId, kind: "FREEHAND", points: [[0, 0], [4, 0], [4, 4]] });
    putRoi(doc, { id: ids[5]!, classId, kind: "FREEHAND", points: [[0, 0], [4, 4]] });
    putRoi(doc, { id: ids[6]!, classId, kind: "FREEHAND", points: [[0, 0], [2, 2], [4, 4]] });
    (doc.getMap(ROIS).get(ids[6]!) as Y.Map<unknown>).set("points", [[0, 0], [4, 0], ["x", 4]]);
    putRoi(doc, { id: ids[7]!, classId, kind: "FREEHAND", points: [[0, 0], [2, 2], [4, 4]] });
    // Every region follows the schema; five of them have no shape: a point of two, a flat
    // rectangle, a freehand of two points, one with a word for a coordinate, one on a line.
    expect(roisFromDoc(doc).problems).toEqual([]);
    expect(wellFormedRois(doc).map((r) => r.id)).toEqual([ids[0], ids[2], ids[4]]);
  });

  it("names the regions that do not follow the schema", () => {
    const doc = new Y.Doc();
    const map = doc.getMap<unknown>(ROIS);
    const good = randomUUID();
    const bad = randomUUID();
    putRoi(doc, { id: good, classId: randomUUID(), kind: "RECTANGLE", points: [[0, 0], [1, 1]] });
    map.set("not-a-uuid", new Y.Map());
    const plain = randomUUID();
    map.set(plain, "a string");
    const m = new Y.Map<unknown>();
    map.set(bad, m);
    m.set("classId", 7);
    m.set("kind", "CIRCLE");
    m.set("points", "nope");
    m.set("suggestedBy", 3);
    const point = randomUUID();
    putRoi(doc, { id: point, classId: randomUUID(), kind: "POINT", points: [[3.5, 1]] });
    const { rois, problems } = roisFromDoc(doc);
    expect(rois.map((r) => r.id).sort()).toEqual([good, point].sort());
    expect(problems.find((p) => p.field === `rois[${bad}].kind`)?.message).toBe("must be RECTANGLE, FREEHAND, POINT or LINE");
    expect(problems.map((p) => p.field).sort()).toEqual(
      [`rois[${bad}].classId`, `rois[${bad}].kind`, `rois[${bad}].points`, `rois[${bad}].suggestedBy`, "rois[not-a-uuid]", `rois[${plain}]`].sort(),
    );
  });
});
