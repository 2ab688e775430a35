import type { MigrationInterface, QueryRunner } from "typeorm";

// PACS a project retrieves from over DIMSE (C-ECHO, C-FIND, C-GET, C-MOVE) and accepts C-STOREs from.
// created_by: whose upload rights a peer's unsolicited C-STOREs are ingested with.
export class DicomPeers1764500000000 implements MigrationInterface {
  name = "DicomPeers1764500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dicom_peers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        ae_title text NOT NULL CHECK (length(ae_title) BETWEEN 1 AND 16 AND ae_title = btrim(ae_title) AND strpos(ae_title, chr(92)) = 0),
        host text NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
        port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, name)
      )`);
    // Incoming associations are matched by calling AE title.
    await q.query(`CREATE INDEX dicom_peers_ae_title_idx ON dicom_peers (ae_title)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS dicom_peers`);
  }
}
