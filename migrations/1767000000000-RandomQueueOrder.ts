import type { MigrationInterface, QueryRunner } from "typeorm";

// A reading order for reader studies: each reader their own random order (projects.queue_order
// RANDOM), fixed per reader, so that no order effect is shared across readers.
export class RandomQueueOrder1767000000000 implements MigrationInterface {
  name = "RandomQueueOrder1767000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_queue_order_check`);
    await q.query(`ALTER TABLE projects ADD CONSTRAINT projects_queue_order_check CHECK (queue_order IN ('DEFAULT', 'MOST_UNCERTAIN', 'RANDOM'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE projects SET queue_order = 'DEFAULT' WHERE queue_order = 'RANDOM'`);
    await q.query(`ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_queue_order_check`);
    await q.query(`ALTER TABLE projects ADD CONSTRAINT projects_queue_order_check CHECK (queue_order IN ('DEFAULT', 'MOST_UNCERTAIN'))`);
  }
}
