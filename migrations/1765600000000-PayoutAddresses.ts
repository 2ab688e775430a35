import type { MigrationInterface, QueryRunner } from "typeorm";

// Readers' own payout addresses (bech32) for reward payouts: set by the reader, used when the
// project's owner pays an epoch without naming addresses.
export class PayoutAddresses1765600000000 implements MigrationInterface {
  name = "PayoutAddresses1765600000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE payout_addresses (
      user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      address text NOT NULL CHECK (length(address) BETWEEN 1 AND 128),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS payout_addresses`);
  }
}
