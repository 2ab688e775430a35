import * as Y from "yjs";
import { ROIS } from "./roiDoc";

// Undo and redo of one user's ROI edits in a layer's document (Yjs's own UndoManager): only the
// edits made here with the given origin are undone, never what others did meanwhile. Undoing a
// move that another user has since moved again leaves their position (Yjs never overwrites a
// remote change to a map entry). Each transaction of the tracked origin is one step: one drawn,
// moved, edited, deleted or copied ROI, or several ROIs added at once (one transaction).

export interface RoiHistoryState {
  canUndo: boolean;
  canRedo: boolean;
}

export class RoiHistory {
  private readonly manager: Y.UndoManager;

  constructor(
    doc: Y.Doc,
    origin: unknown,
    private readonly onChange: (state: RoiHistoryState) => void = () => {},
  ) {
    // No time-based merging: two quick edits are two steps.
    this.manager = new Y.UndoManager(doc.getMap(ROIS), { trackedOrigins: new Set([origin]), captureTimeout: 0 });
    for (const event of ["stack-item-added", "stack-item-popped", "stack-cleared"] as const) this.manager.on(event, this.report);
  }

  get state(): RoiHistoryState {
    return { canUndo: this.manager.canUndo(), canRedo: this.manager.canRedo() };
  }

  /** Undoes the last step; false when there was none. */
  undo(): boolean {
    return this.manager.undo() !== null;
  }

  /** Redoes the last undone step; false when there was none. */
  redo(): boolean {
    return this.manager.redo() !== null;
  }

  /** Forgets every step (a submitted version, say, is not undone into its revision). */
  clear(): void {
    this.manager.clear();
  }

  destroy(): void {
    this.manager.destroy();
  }

  private readonly report = () => this.onChange(this.state);
}
