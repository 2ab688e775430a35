import type { MigrationInterface, QueryRunner } from "typeorm";

// A project may keep its images in an external DICOMweb store instead of the local one. Ingest
// still de-identifies here and the index stays in our tables; instances.storage_key says where the
// bytes are ("dicomweb:<study>/<series>/<sop>" there, a relative path in the local store).
export class ExternalStores1764500001000 implements MigrationInterface {
  name = "ExternalStores1764500001000";

  async up(q: QueryRunner): Promise<void> {
    // secret: a password (BASIC) or token (BEARER), stored as given and never returned by the API.
    // Encrypting it at rest (a key outside the database) is future work.
    await q.query(`
      CREATE TABLE project_stores (
        project_id uuid PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        kind text NOT NULL DEFAULT 'DICOMWEB' CHECK (kind IN ('DICOMWEB')),
        base_url text NOT NULL CHECK (base_url ~* '^https?://[^/?#]+' AND length(base_url) <= 2000),
        auth text NOT NULL DEFAULT 'NONE' CHECK (auth IN ('NONE', 'BASIC', 'BEARER')),
        username text,
        secret text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (
          (auth = 'NONE' AND username IS NULL AND secret IS NULL) OR
          (auth = 'BASIC' AND username IS NOT NULL AND secret IS NOT NULL) OR
          (auth = 'BEARER' AND username IS NULL AND secret IS NOT NULL)
        )
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS project_stores`);
  }
}
