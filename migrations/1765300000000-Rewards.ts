import type { MigrationInterface, QueryRunner } from "typeorm";

// Reward epochs (issue 8): imported input sets, epochs run by a worker with their shares, and the
// payouts sent on chain. Readers are text: a user id (inputs from the project) or an imported annotator name.
export class Rewards1765300000000 implements MigrationInterface {
  name = "Rewards1765300000000";

  async up(q: QueryRunner): Promise<void> {
    // One imported set per row; its rows in one compact jsonb (dictionary-coded, see rewards/input-sets.ts).
    await q.query(`
      CREATE TABLE reward_input_sets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        votes integer NOT NULL CHECK (votes >= 0),
        readers integer NOT NULL CHECK (readers >= 0),
        cases integer NOT NULL CHECK (cases >= 0),
        labels integer NOT NULL CHECK (labels >= 0),
        ai_rows integer,
        label_times integer,
        inputs_hash text NOT NULL,
        data jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX reward_input_sets_project_idx ON reward_input_sets (project_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE reward_epochs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        policy text NOT NULL,
        parameters jsonb NOT NULL,
        budget bigint NOT NULL CHECK (budget >= 0),
        input_source text NOT NULL CHECK (input_source IN ('PROJECT', 'INPUT_SET')),
        -- NO ACTION (checked at the end of the statement): a project deleted whole takes both; a set alone cannot go while epochs use it.
        input_set_id uuid REFERENCES reward_input_sets(id),
        inputs_hash text,
        status text NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
        progress real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        error text,
        terms jsonb,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CHECK ((input_source = 'INPUT_SET') = (input_set_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX reward_epochs_project_idx ON reward_epochs (project_id, created_at DESC)`);

    // share_raw is null where the raw share is not a number (markit-eq1 with ΣS = 0), tokens then too; markit-eq1 tokens may be negative (paid only when positive).
    await q.query(`
      CREATE TABLE reward_shares (
        epoch_id uuid NOT NULL REFERENCES reward_epochs(id) ON DELETE CASCADE,
        reader text NOT NULL,
        reader_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        position integer NOT NULL,
        score double precision,
        share_raw double precision,
        tokens bigint,
        terms jsonb NOT NULL,
        PRIMARY KEY (epoch_id, reader)
      )`);
    await q.query(`CREATE INDEX reward_shares_user_idx ON reward_shares (reader_user_id) WHERE reader_user_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE reward_payouts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        epoch_id uuid NOT NULL REFERENCES reward_epochs(id) ON DELETE CASCADE,
        reader text NOT NULL,
        address text NOT NULL,
        amount numeric(40, 0) NOT NULL CHECK (amount > 0),
        denom text NOT NULL,
        chain_id text,
        tx_hash text,
        height bigint,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
        error text,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    // A reader is paid once per epoch: a failed attempt may be repeated, a pending or sent one not.
    await q.query(`CREATE UNIQUE INDEX reward_payouts_once ON reward_payouts (epoch_id, reader) WHERE status <> 'FAILED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["reward_payouts", "reward_shares", "reward_epochs", "reward_input_sets"]) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
