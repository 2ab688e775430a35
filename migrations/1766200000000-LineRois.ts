import type { MigrationInterface, QueryRunner } from "typeorm";

// Line ROI classes (stored lengths: a lesion's longest diameter as RECIST reads it, a vessel's or a
// structure's width): an ROI class may have the shape LINE, and a reader's ROI the kind LINE (two
// [x, y] ends in image pixels). Like points, lines enclose no area.
export class LineRois1766200000000 implements MigrationInterface {
  name = "LineRois1766200000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE label_definitions
        DROP CONSTRAINT label_definitions_roi_shape_check,
        ADD CONSTRAINT label_definitions_roi_shape_check CHECK (roi_shape IN ('RECTANGLE', 'FREEHAND', 'POINT', 'LINE'))`);
    await q.query(`
      ALTER TABLE rois
        DROP CONSTRAINT rois_kind_check,
        ADD CONSTRAINT rois_kind_check CHECK (kind IN ('RECTANGLE', 'FREEHAND', 'POINT', 'LINE'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Lines have no place in the older schema: they go, with the line classes.
    await q.query(`DELETE FROM rois WHERE kind = 'LINE'`);
    await q.query(`DELETE FROM label_definitions WHERE roi_shape = 'LINE'`);
    await q.query(`
      ALTER TABLE rois
        DROP CONSTRAINT rois_kind_check,
        ADD CONSTRAINT rois_kind_check CHECK (kind IN ('RECTANGLE', 'FREEHAND', 'POINT'))`);
    await q.query(`
      ALTER TABLE label_definitions
        DROP CONSTRAINT label_definitions_roi_shape_check,
        ADD CONSTRAINT label_definitions_roi_shape_check CHECK (roi_shape IN ('RECTANGLE', 'FREEHAND', 'POINT'))`);
  }
}
