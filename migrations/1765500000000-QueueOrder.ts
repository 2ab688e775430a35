import type { MigrationInterface, QueryRunner } from "typeorm";

// The reading queue's order (issue 6, active learning): DEFAULT (fewest readers, then oldest) or
// MOST_UNCERTAIN (cases the project's latest model is least sure about first).
export class QueueOrder1765500000000 implements MigrationInterface {
  name = "QueueOrder1765500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects ADD COLUMN queue_order text NOT NULL DEFAULT 'DEFAULT' CHECK (queue_order IN ('DEFAULT', 'MOST_UNCERTAIN'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects DROP COLUMN IF EXISTS queue_order`);
  }
}
