import type { MigrationInterface, QueryRunner } from "typeorm";

// Where a region came from: a reader's region taken from a segmentation model's suggestion names
// the model version (suggested_by), and whether the reader changed it from the suggested shape,
// class, image or frame before it was saved (suggestion_changed). Both null for a drawn region.
// The model version is referenced without a cascade: versions are never deleted, and a region must
// not silently lose where it came from.
export class RoiSuggestions1765800000000 implements MigrationInterface {
  name = "RoiSuggestions1765800000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rois ADD COLUMN suggested_by uuid REFERENCES model_versions(id)`);
    await q.query(`ALTER TABLE rois ADD COLUMN suggestion_changed boolean`);
    await q.query(`ALTER TABLE rois ADD CONSTRAINT rois_suggestion_check CHECK ((suggested_by IS NULL) = (suggestion_changed IS NULL))`);
    await q.query(`CREATE INDEX rois_suggested_by_idx ON rois (suggested_by) WHERE suggested_by IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rois DROP CONSTRAINT IF EXISTS rois_suggestion_check`);
    await q.query(`ALTER TABLE rois DROP COLUMN IF EXISTS suggestion_changed`);
    await q.query(`ALTER TABLE rois DROP COLUMN IF EXISTS suggested_by`);
  }
}
