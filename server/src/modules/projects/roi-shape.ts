// ROI shapes, apart from the entity module (which loads TypeORM), so that the review's statistics on
// the compute threads can ask the same question as the rest.

/** An ROI class's shape: areas (a rectangle, a closed freehand outline), points (landmarks) or lines (lengths). */
export type RoiShape = "RECTANGLE" | "FREEHAND" | "POINT" | "LINE";
/** The shapes that enclose an area (Dice, masks, segmentation models): not POINT or LINE. */
export const AREA_SHAPES: readonly RoiShape[] = ["RECTANGLE", "FREEHAND"];
export const isAreaShape = (kind: string): kind is "RECTANGLE" | "FREEHAND" => kind === "RECTANGLE" || kind === "FREEHAND";
