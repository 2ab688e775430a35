import type { MigrationInterface, QueryRunner } from "typeorm";

// Point ROI classes (landmarks): an ROI class may have the shape POINT, and a reader's ROI the kind
// POINT (one [x, y] in image pixels). A class without a shape still takes areas only (rectangle
// and freehand), so a class's regions are either all areas or all points.
export class PointRois1766000000000 implements MigrationInterface {
  name = "PointRois1766000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE label_definitions
        DROP CONSTRAINT label_definitions_roi_shape_check,
        ADD CONSTRAINT label_definitions_roi_shape_check CHECK (roi_shape IN ('RECTANGLE', 'FREEHAND', 'POINT'))`);
    await q.query(`
      ALTER TABLE rois
        DROP CONSTRAINT rois_kind_check,
        ADD CONSTRAINT rois_kind_check CHECK (kind IN ('RECTANGLE', 'FREEHAND', 'POINT'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Points have no place in the older schema: they go, with the point classes.
    await q.query(`DELETE FROM rois WHERE kind = 'POINT'`);
    await q.query(`DELETE FROM label_definitions WHERE roi_shape = 'POINT'`);
    await q.query(`
      ALTER TABLE rois
        DROP CONSTRAINT rois_kind_check,
        ADD CONSTRAINT rois_kind_check CHECK (kind IN ('RECTANGLE', 'FREEHAND'))`);
    await q.query(`
      ALTER TABLE label_definitions
        DROP CONSTRAINT label_definitions_roi_shape_check,
        ADD CONSTRAINT label_definitions_roi_shape_check CHECK (roi_shape IN ('RECTANGLE', 'FREEHAND'))`);
  }
}
