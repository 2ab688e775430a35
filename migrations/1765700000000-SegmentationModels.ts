import type { MigrationInterface, QueryRunner } from "typeorm";

// Segmentation models: a model's task may be 'segmentation', and its prediction of a case keeps the
// regions it suggests (outlines per label, image and frame) beside the outputs.
export class SegmentationModels1765700000000 implements MigrationInterface {
  name = "SegmentationModels1765700000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE models DROP CONSTRAINT models_task_check`);
    await q.query(`ALTER TABLE models ADD CONSTRAINT models_task_check CHECK (task IN ('binary', 'multilabel', 'regression', 'segmentation'))`);
    await q.query(`ALTER TABLE predictions ADD COLUMN regions jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE predictions DROP COLUMN IF EXISTS regions`);
    await q.query(`DELETE FROM models WHERE task = 'segmentation'`);
    await q.query(`ALTER TABLE models DROP CONSTRAINT models_task_check`);
    await q.query(`ALTER TABLE models ADD CONSTRAINT models_task_check CHECK (task IN ('binary', 'multilabel', 'regression'))`);
  }
}
