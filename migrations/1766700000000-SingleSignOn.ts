import type { MigrationInterface, QueryRunner } from "typeorm";

// Single sign-on: an account's identities at OpenID Connect providers. The first sign-on links the
// provider's subject to the account with the same (verified) e-mail address, or makes the account
// where that is allowed; later ones find it by issuer and subject, whatever the address becomes.
export class SingleSignOn1766700000000 implements MigrationInterface {
  name = "SingleSignOn1766700000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_identities (
        issuer text NOT NULL CHECK (char_length(issuer) <= 500),
        subject text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 255),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (issuer, subject)
      )`);
    await q.query(`CREATE INDEX user_identities_user_idx ON user_identities (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS user_identities`);
  }
}
