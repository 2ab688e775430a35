import type { MigrationInterface, QueryRunner } from "typeorm";

// Label groups: classification labels among which a reader gives one answer (a BI-RADS category,
// a grade of none, mild, moderate or severe, a side). Each label keeps its own binary value, so
// everything that reads labels goes on working; the group says that at most one of its labels may
// be present in a reading, that one must be when the group is required, and that its labels'
// order is a scale when it is ordinal. A label is in at most one group; deleting a group leaves
// its labels ungrouped.
export class LabelGroups1766500000000 implements MigrationInterface {
  name = "LabelGroups1766500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE label_groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        ordinal boolean NOT NULL DEFAULT false,
        required boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX label_groups_name_idx ON label_groups (project_id, lower(name))`);
    await q.query(`ALTER TABLE label_definitions ADD COLUMN group_id uuid REFERENCES label_groups(id) ON DELETE SET NULL`);
    await q.query(`CREATE INDEX label_definitions_group_idx ON label_definitions (group_id) WHERE group_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE label_definitions DROP COLUMN IF EXISTS group_id`);
    await q.query(`DROP TABLE IF EXISTS label_groups`);
  }
}
