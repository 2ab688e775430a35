import type { MigrationInterface, QueryRunner } from "typeorm";

// Education: how far (image pixels) a trainee's point, or a line's midpoint, may lie from the
// gold's and still find it, chosen per project (a landmark study may want 3 pixels, a coarse one 20).
// Existing projects keep the 10 pixels they had.
export class EducationTolerance1766300000000 implements MigrationInterface {
  name = "EducationTolerance1766300000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE education_settings ADD COLUMN point_tolerance real NOT NULL DEFAULT 10 CHECK (point_tolerance > 0 AND point_tolerance <= 1000)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE education_settings DROP COLUMN point_tolerance`);
  }
}
