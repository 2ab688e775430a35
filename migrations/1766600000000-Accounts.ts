import type { MigrationInterface, QueryRunner } from "typeorm";

// Running a server with closed sign-up: administrators, invitations into a project, one-time links
// to set a password, and disabled accounts.
//
// - users.admin: may list, create and disable accounts and issue password links. It grants nothing
//   inside any project: an administrator sees a project's data only as one of its members. While no
//   account is an administrator, the next one signed up becomes one; here, an existing server's
//   oldest account does.
// - users.disabled_at: the account cannot log in; disabling ends its sessions and revokes its API
//   tokens in the same transaction. Its memberships and everything it recorded stay.
// - sessions.user_agent: shown beside each of a user's sessions, so they can tell them apart.
// - invitations: a project's manager invites an e-mail address with a role. The link's token is
//   stored only as its SHA-256; accepting it (with the account of that address, or making one, even
//   with sign-up closed) grants the role once. Inviting the address again withdraws the earlier one.
// - password_resets: one-time links to set an account's password, issued by an administrator (or
//   `concord user`), or asked for by the account's owner by e-mail (self_service); only the
//   token's SHA-256 is kept. Issuing one withdraws the earlier ones.
export class Accounts1766600000000 implements MigrationInterface {
  name = "Accounts1766600000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN admin boolean NOT NULL DEFAULT false, ADD COLUMN disabled_at timestamptz`);
    await q.query(`UPDATE users SET admin = true WHERE id = (SELECT id FROM users ORDER BY created_at, id LIMIT 1)`);
    await q.query(`ALTER TABLE sessions ADD COLUMN user_agent text CHECK (char_length(user_agent) <= 300)`);
    await q.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        email text NOT NULL CHECK (email = lower(email) AND char_length(email) <= 254),
        role text NOT NULL CHECK (role IN ('OWNER', 'MANAGER', 'DATA_OWNER', 'ANNOTATOR', 'REVIEWER', 'TRAINEE', 'VIEWER')),
        token_hash text NOT NULL UNIQUE,
        invited_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        accepted_by uuid REFERENCES users(id) ON DELETE SET NULL,
        revoked_at timestamptz,
        CHECK (accepted_at IS NULL OR revoked_at IS NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX invitations_open_key ON invitations (project_id, email) WHERE accepted_at IS NULL AND revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        self_service boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX password_resets_user_idx ON password_resets (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS password_resets`);
    await q.query(`DROP TABLE IF EXISTS invitations`);
    await q.query(`ALTER TABLE sessions DROP COLUMN IF EXISTS user_agent`);
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS disabled_at, DROP COLUMN IF EXISTS admin`);
  }
}
