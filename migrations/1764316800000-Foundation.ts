import type { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1764316800000 implements MigrationInterface {
  name = "Foundation1764316800000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email)),
        name text NOT NULL,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);

    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);
    await q.query(`CREATE INDEX sessions_expires_idx ON sessions (expires_at)`);

    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_tokens_user_idx ON api_tokens (user_id)`);

    await q.query(`
      CREATE TABLE login_attempts (
        id bigserial PRIMARY KEY,
        account_key text NOT NULL,
        address text NOT NULL,
        succeeded boolean NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_attempts_account_idx ON login_attempts (account_key, at)`);
    await q.query(`CREATE INDEX login_attempts_address_idx ON login_attempts (address, at)`);

    await q.query(`
      CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        mode text NOT NULL CHECK (mode IN ('STANDARD', 'REVIEW', 'EDUCATION')),
        blind_reading boolean NOT NULL,
        readers_per_case integer NOT NULL CHECK (readers_per_case BETWEEN 1 AND 100),
        archived_at timestamptz,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE label_definitions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('CLASSIFICATION', 'ROI')),
        roi_shape text CHECK (roi_shape IN ('RECTANGLE', 'FREEHAND')),
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        color text NOT NULL CHECK (color ~ '^#[0-9a-f]{6}$'),
        position integer NOT NULL,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'ROI') = (roi_shape IS NOT NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX label_definitions_name_key ON label_definitions (project_id, lower(name)) WHERE archived_at IS NULL`,
    );
    await q.query(`CREATE INDEX label_definitions_project_idx ON label_definitions (project_id, position)`);

    await q.query(`
      CREATE TABLE memberships (
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('OWNER', 'MANAGER', 'DATA_OWNER', 'ANNOTATOR', 'REVIEWER', 'TRAINEE', 'VIEWER')),
        granted_by uuid REFERENCES users(id) ON DELETE SET NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, user_id)
      )`);
    await q.query(`CREATE INDEX memberships_user_idx ON memberships (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["memberships", "label_definitions", "projects", "login_attempts", "api_tokens", "sessions", "users"]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
