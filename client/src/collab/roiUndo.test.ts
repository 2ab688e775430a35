import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Roi } from "../viewer/roi";
import { applyRoiChange, applyRoiChanges, readRois } from "./roiDoc";
import { RoiHistory, type RoiHistoryState } from "./roiUndo";

const MINE = { source: "viewer" };
const REMOTE = { source: "server" };
const roi = (id: string, x = 0, extra: Partial<Roi> = {}): Roi => ({
  id,
  classId: "c1",
  kind: "RECTANGLE",
  points: [[x, x], [x + 10, x + 10]],
  sopInstanceUid: "1.2.3",
  frame: 1,
  ...extra,
});
const ids = (doc: Y.Doc) => readRois(doc).map((r) => r.id);

/** Two users' copies of a layer, each update of one applied to the other as the server would relay it. */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on("update", (u: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(b, u, REMOTE));
  b.on("update", (u: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(a, u, REMOTE));
  return { a, b };
}

describe("undo and redo of one user's ROI edits", () => {
  it("takes back a drawn, a moved and a deleted ROI, step by step, and brings each back", () => {
    const doc = new Y.Doc();
    const states: RoiHistoryState[] = [];
    const history = new RoiHistory(doc, MINE, (s) => states.push(s));
    expect(history.state).toEqual({ canUndo: false, canRedo: false });

    applyRoiChange(doc, { change: "created", roi: roi("r1", 0, { suggestedBy: "model-1" }) }, MINE);
    applyRoiChange(doc, { change: "updated", roi: roi("r1", 5) }, MINE); // moved at once: still its own step
    applyRoiChange(doc, { change: "deleted", roi: roi("r1", 5) }, MINE);
    expect(readRois(doc)).toEqual([]);
    expect(history.state).toEqual({ canUndo: true, canRedo: false });

    expect(history.undo()).toBe(true); // the delete
    expect(readRois(doc)).toEqual([roi("r1", 5, { suggestedBy: "model-1" })]);
    expect(history.undo()).toBe(true); // the move
    expect(readRois(doc)).toEqual([roi("r1", 0, { suggestedBy: "model-1" })]);
    expect(history.undo()).toBe(true); // the drawing
    expect(readRois(doc)).toEqual([]);
    expect(history.undo()).toBe(false);
    expect(history.state).toEqual({ canUndo: false, canRedo: true });

    expect(history.redo()).toBe(true);
    expect(history.redo()).toBe(true);
    expect(readRois(doc)).toEqual([roi("r1", 5, { suggestedBy: "model-1" })]);
    expect(history.redo()).toBe(true);
    expect(readRois(doc)).toEqual([]);
    expect(history.redo()).toBe(false);
    expect(states.at(-1)).toEqual({ canUndo: true, canRedo: false });
  });

  it("a new edit after an undo forgets what could be redone", () => {
    const doc = new Y.Doc();
    const history = new RoiHistory(doc, MINE);
    applyRoiChange(doc, { change: "created", roi: roi("r1") }, MINE);
    history.undo();
    expect(history.state.canRedo).toBe(true);
    applyRoiChange(doc, { change: "created", roi: roi("r2") }, MINE);
    expect(history.state).toEqual({ canUndo: true, canRedo: false });
    expect(history.redo()).toBe(false);
    expect(ids(doc)).toEqual(["r2"]);
  });

  it("changes made in one transaction are one step", () => {
    const doc = new Y.Doc();
    const history = new RoiHistory(doc, MINE);
    applyRoiChange(doc, { change: "created", roi: roi("r0") }, MINE);
    applyRoiChanges(doc, ["r1", "r2", "r3"].map((id) => ({ change: "created", roi: roi(id) })), MINE);
    expect(ids(doc)).toEqual(["r0", "r1", "r2", "r3"]);
    history.undo();
    expect(ids(doc)).toEqual(["r0"]);
    history.redo();
    expect(ids(doc)).toEqual(["r0", "r1", "r2", "r3"]);
  });

  it("never undoes edits of another origin: regions seeded from an older draft, or another user's", () => {
    const doc = new Y.Doc();
    const history = new RoiHistory(doc, MINE);
    applyRoiChanges(doc, [{ change: "created", roi: roi("seeded") }], { source: "seed" });
    applyRoiChange(doc, { change: "created", roi: roi("theirs") }, REMOTE);
    expect(history.state.canUndo).toBe(false);
    applyRoiChange(doc, { change: "created", roi: roi("mine") }, MINE);
    history.undo();
    expect(ids(doc)).toEqual(["seeded", "theirs"]);
  });

  it("with two users on one layer, undoes only this user's edit, and the other user's copy follows", () => {
    const { a, b } = pair();
    const history = new RoiHistory(a, MINE);
    applyRoiChange(a, { change: "created", roi: roi("mine") }, MINE);
    applyRoiChange(b, { change: "created", roi: roi("theirs", 50) }, MINE); // B's own edit, not tracked by A's history
    expect(ids(a)).toEqual(["mine", "theirs"]);
    history.undo();
    expect(ids(a)).toEqual(["theirs"]);
    expect(ids(b)).toEqual(["theirs"]); // the undo is an update like any other: the server and others get it
    history.redo();
    expect(readRois(b)).toEqual([roi("mine"), roi("theirs", 50)]);
  });

  it("does not overwrite a move another user made after this user's", () => {
    const { a, b } = pair();
    const history = new RoiHistory(a, MINE);
    applyRoiChange(a, { change: "created", roi: roi("shared") }, { source: "before" });
    applyRoiChange(a, { change: "updated", roi: roi("shared", 5) }, MINE);
    applyRoiChange(b, { change: "updated", roi: roi("shared", 9) }, MINE);
    history.undo();
    expect(readRois(a)).toEqual([roi("shared", 9)]);
    expect(readRois(b)).toEqual([roi("shared", 9)]);
  });

  it("clear forgets every step", () => {
    const doc = new Y.Doc();
    const states: RoiHistoryState[] = [];
    const history = new RoiHistory(doc, MINE, (s) => states.push(s));
    applyRoiChange(doc, { change: "created", roi: roi("r1") }, MINE);
    history.undo();
    applyRoiChange(doc, { change: "created", roi: roi("r2") }, MINE);
    history.clear();
    expect(history.state).toEqual({ canUndo: false, canRedo: false });
    expect(states.at(-1)).toEqual({ canUndo: false, canRedo: false });
    expect(history.undo()).toBe(false);
    expect(ids(doc)).toEqual(["r2"]);
  });
});
