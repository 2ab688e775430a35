import type { MigrationInterface, QueryRunner } from "typeorm";

// A prediction on a case of several images (a series, or a multi-frame image) keeps each image's
// and frame's outputs beside the case's (`slices`: the images in the viewer's order, their outputs
// in label order, and how they were combined). Each output names, inside `outputs`, the image and
// frame where it is highest (a classifier's heatmap is made there).
export class SeriesPredictions1765900000000 implements MigrationInterface {
  name = "SeriesPredictions1765900000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE predictions ADD COLUMN slices jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE predictions DROP COLUMN IF EXISTS slices`);
  }
}
