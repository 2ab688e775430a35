import type { EntityManager } from "typeorm";
import { caseIncluded } from "../cases/exclusions.js";
import type { StoredInputs } from "./input-sets.js";

export type EpochStatus = "QUEUED" | "RUNNING" | "DONE" | "FAILED";
export type InputSource = "PROJECT" | "INPUT_SET";
export type PayoutStatus = "PENDING" | "SENT" | "FAILED";

export interface InputSetRow {
  id: string;
  projectId: string;
  name: string;
  createdBy: string | null;
  createdAt: Date;
  votes: number;
  readers: number;
  cases: number;
  labels: number;
  aiRows: number | null;
  labelTimes: number | null;
  inputsHash: string;
}

/** Per-label terms of an epoch (the policy's per_label block), stored as the policy computed them. */
export type EpochTerms = Record<string, Record<string, number>>;

export interface EpochRow {
  id: string;
  projectId: string;
  policy: string;
  /** modelVersionId: the project's model whose predictions joined as the AI (inputs from the project only). */
  parameters: { budget: number; kappaThreshold?: number; modelVersionId?: string };
  budget: number;
  inputSource: InputSource;
  inputSetId: string | null;
  inputsHash: string | null;
  status: EpochStatus;
  progress: number;
  error: string | null;
  terms: EpochTerms | null;
  createdBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** One reader's per-label part of the score: S on the label, and whether the AI filter kept the pair. */
export interface ShareLabelTerms {
  score: number | null;
  kept: boolean;
  kappaVsAi: number | null;
}

export interface ShareRow {
  epochId: string;
  reader: string;
  readerUserId: string | null;
  position: number;
  score: number | null;
  shareRaw: number | null;
  tokens: number | null;
  terms: Record<string, ShareLabelTerms>;
}

export interface PayoutRow {
  id: string;
  epochId: string;
  reader: string;
  address: string;
  amount: string;
  denom: string;
  chainId: string | null;
  txHash: string | null;
  height: number | null;
  status: PayoutStatus;
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

const SET_COLUMNS = `id, project_id, name, created_by, created_at, votes, readers, cases, labels, ai_rows, label_times, inputs_hash`;
const EPOCH_COLUMNS = `id, project_id, policy, parameters, budget, input_source, input_set_id, inputs_hash, status, progress, error, terms, created_by, created_at, finished_at`;
const PAYOUT_COLUMNS = `id, epoch_id, reader, address, amount::text AS amount, denom, chain_id, tx_hash, height, status, error, created_at, sent_at`;

const num = (v: unknown): number | null => (v == null ? null : Number(v));

const setOf = (r: Record<string, unknown>): InputSetRow => ({
  id: r.id as string,
  projectId: r.project_id as string,
  name: r.name as string,
  createdBy: (r.created_by as string | null) ?? null,
  createdAt: r.created_at as Date,
  votes: Number(r.votes),
  readers: Number(r.readers),
  cases: Number(r.cases),
  labels: Number(r.labels),
  aiRows: num(r.ai_rows),
  labelTimes: num(r.label_times),
  inputsHash: r.inputs_hash as string,
});

const epochOf = (r: Record<string, unknown>): EpochRow => ({
  id: r.id as string,
  projectId: r.project_id as string,
  policy: r.policy as string,
  parameters: r.parameters as EpochRow["parameters"],
  budget: Number(r.budget),
  inputSource: r.input_source as InputSource,
  inputSetId: (r.input_set_id as string | null) ?? null,
  inputsHash: (r.inputs_hash as string | null) ?? null,
  status: r.status as EpochStatus,
  progress: Number(r.progress),
  error: (r.error as string | null) ?? null,
  terms: (r.terms as EpochTerms | null) ?? null,
  createdBy: (r.created_by as string | null) ?? null,
  createdAt: r.created_at as Date,
  finishedAt: (r.finished_at as Date | null) ?? null,
});

const shareOf = (r: Record<string, unknown>): ShareRow => ({
  epochId: r.epoch_id as string,
  reader: r.reader as string,
  readerUserId: (r.reader_user_id as string | null) ?? null,
  position: Number(r.position),
  score: num(r.score),
  shareRaw: num(r.share_raw),
  tokens: num(r.tokens),
  terms: r.terms as ShareRow["terms"],
});

const payoutOf = (r: Record<string, unknown>): PayoutRow => ({
  id: r.id as string,
  epochId: r.epoch_id as string,
  reader: r.reader as string,
  address: r.address as string,
  amount: r.amount as string,
  denom: r.denom as string,
  chainId: (r.chain_id as string | null) ?? null,
  txHash: (r.tx_hash as string | null) ?? null,
  height: num(r.height),
  status: r.status as PayoutStatus,
  error: (r.error as string | null) ?? null,
  createdAt: r.created_at as Date,
  sentAt: (r.sent_at as Date | null) ?? null,
});

// The only code that queries the reward tables.
export class RewardsRepository {
  constructor(private readonly em: EntityManager) {}

  // ---- input sets

  async insertInputSet(s: { projectId: string; name: string; createdBy: string; counts: Omit<InputSetRow, "id" | "projectId" | "name" | "createdBy" | "createdAt" | "inputsHash">; inputsHash: string; data: StoredInputs }): Promise<InputSetRow> {
    const c = s.counts;
    const [r] = await this.em.query(
      `INSERT INTO reward_input_sets (project_id, name, created_by, votes, readers, cases, labels, ai_rows, label_times, inputs_hash, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb) RETURNING ${SET_COLUMNS}`,
      [s.projectId, s.name, s.createdBy, c.votes, c.readers, c.cases, c.labels, c.aiRows, c.labelTimes, s.inputsHash, JSON.stringify(s.data)],
    );
    return setOf(r);
  }

  async inputSet(id: string): Promise<InputSetRow | null> {
    const [r] = await this.em.query(`SELECT ${SET_COLUMNS} FROM reward_input_sets WHERE id = $1`, [id]);
    return r ? setOf(r) : null;
  }

  async inputSetData(id: string): Promise<StoredInputs | null> {
    const [r] = await this.em.query(`SELECT data FROM reward_input_sets WHERE id = $1`, [id]);
    return r ? (r.data as StoredInputs) : null;
  }

  async inputSets(projectId: string): Promise<InputSetRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT ${SET_COLUMNS} FROM reward_input_sets WHERE project_id = $1 ORDER BY created_at DESC, id`, [projectId]);
    return rows.map(setOf);
  }

  // ---- epochs

  async insertEpoch(e: { projectId: string; policy: string; parameters: EpochRow["parameters"]; inputSetId: string | null; createdBy: string }): Promise<EpochRow> {
    const [r] = await this.em.query(
      `INSERT INTO reward_epochs (project_id, policy, parameters, budget, input_source, input_set_id, created_by)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7) RETURNING ${EPOCH_COLUMNS}`,
      [e.projectId, e.policy, JSON.stringify(e.parameters), e.parameters.budget, e.inputSetId ? "INPUT_SET" : "PROJECT", e.inputSetId, e.createdBy],
    );
    return epochOf(r);
  }

  async epoch(id: string, lock = false): Promise<EpochRow | null> {
    const [r] = await this.em.query(`SELECT ${EPOCH_COLUMNS} FROM reward_epochs WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [id]);
    return r ? epochOf(r) : null;
  }

  /** Epochs of a project, newest first; with `readerUserId`, only those sharing to that user. */
  async epochs(projectId: string, limit: number, readerUserId?: string): Promise<EpochRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT ${EPOCH_COLUMNS} FROM reward_epochs e WHERE project_id = $1
         AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM reward_shares s WHERE s.epoch_id = e.id AND s.reader_user_id = $3))
       ORDER BY created_at DESC, id LIMIT $2`,
      [projectId, limit, readerUserId ?? null],
    );
    return rows.map(epochOf);
  }

  /** QUEUED, RUNNING (a retry) or FAILED becomes RUNNING; null when the epoch is done or gone. */
  async start(id: string): Promise<EpochRow | null> {
    const [r] = await this.em.query(
      `UPDATE reward_epochs SET status = 'RUNNING', progress = 0, error = NULL WHERE id = $1 AND status IN ('QUEUED', 'RUNNING', 'FAILED') RETURNING ${EPOCH_COLUMNS}`,
      [id],
    );
    return r?.[0] ? epochOf(r[0]) : null;
  }

  async setProgress(id: string, percent: number): Promise<void> {
    await this.em.query(`UPDATE reward_epochs SET progress = $2 WHERE id = $1 AND status = 'RUNNING'`, [id, percent]);
  }

  async finish(id: string, f: { inputsHash: string; terms: EpochTerms }): Promise<EpochRow> {
    const [r] = await this.em.query(
      `UPDATE reward_epochs SET status = 'DONE', progress = 100, inputs_hash = $2, terms = $3::jsonb, finished_at = now() WHERE id = $1 RETURNING ${EPOCH_COLUMNS}`,
      [id, f.inputsHash, JSON.stringify(f.terms)],
    );
    return epochOf(r[0]);
  }

  async fail(id: string, message: string): Promise<EpochRow | null> {
    const [r] = await this.em.query(`UPDATE reward_epochs SET status = 'FAILED', error = $2, finished_at = now() WHERE id = $1 AND status <> 'DONE' RETURNING ${EPOCH_COLUMNS}`, [id, message]);
    return r?.[0] ? epochOf(r[0]) : null;
  }

  // ---- shares

  async insertShares(epochId: string, shares: ReadonlyArray<Omit<ShareRow, "epochId">>): Promise<void> {
    if (!shares.length) return;
    // One statement through jsonb_to_recordset: no parameter-count limit for many readers.
    await this.em.query(
      `INSERT INTO reward_shares (epoch_id, reader, reader_user_id, position, score, share_raw, tokens, terms)
       SELECT $1, x.reader, x.reader_user_id, x.position, x.score, x.share_raw, x.tokens, x.terms
         FROM jsonb_to_recordset($2::jsonb) AS x(reader text, reader_user_id uuid, position int, score float8, share_raw float8, tokens bigint, terms jsonb)`,
      [
        epochId,
        JSON.stringify(
          shares.map((s) => ({ reader: s.reader, reader_user_id: s.readerUserId, position: s.position, score: s.score, share_raw: s.shareRaw, tokens: s.tokens, terms: s.terms })),
        ),
      ],
    );
  }

  async shares(epochId: string, readerUserId?: string): Promise<ShareRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT epoch_id, reader, reader_user_id, position, score, share_raw, tokens, terms FROM reward_shares
        WHERE epoch_id = $1 AND ($2::uuid IS NULL OR reader_user_id = $2) ORDER BY position`,
      [epochId, readerUserId ?? null],
    );
    return rows.map(shareOf);
  }

  // ---- payout addresses (the readers' own)

  async payoutAddress(userId: string): Promise<string | null> {
    const rows: Array<{ address: string }> = await this.em.query(`SELECT address FROM payout_addresses WHERE user_id = $1`, [userId]);
    return rows[0]?.address ?? null;
  }

  async setPayoutAddress(userId: string, address: string | null): Promise<void> {
    if (address === null) await this.em.query(`DELETE FROM payout_addresses WHERE user_id = $1`, [userId]);
    else
      await this.em.query(
        `INSERT INTO payout_addresses (user_id, address) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET address = EXCLUDED.address, updated_at = now()`,
        [userId, address],
      );
  }

  /** Stored payout addresses of these users, by user id. */
  async payoutAddresses(userIds: readonly string[]): Promise<Map<string, string>> {
    if (!userIds.length) return new Map();
    const rows: Array<{ user_id: string; address: string }> = await this.em.query(`SELECT user_id, address FROM payout_addresses WHERE user_id = ANY($1::uuid[])`, [userIds]);
    return new Map(rows.map((r) => [r.user_id, r.address]));
  }

  // ---- payouts

  async insertPayouts(epochId: string, createdBy: string, payouts: ReadonlyArray<{ reader: string; address: string; amount: string; denom: string }>): Promise<PayoutRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `INSERT INTO reward_payouts (epoch_id, reader, address, amount, denom, created_by)
       SELECT $1, x.reader, x.address, x.amount::numeric, x.denom, $3 FROM jsonb_to_recordset($2::jsonb) AS x(reader text, address text, amount text, denom text)
       RETURNING ${PAYOUT_COLUMNS}`,
      [epochId, JSON.stringify(payouts), createdBy],
    );
    return rows.map(payoutOf);
  }

  async markPayoutsSent(ids: string[], r: { txHash: string; height: number | null; chainId: string }): Promise<PayoutRow[]> {
    const [rows]: [Array<Record<string, unknown>>, number] = await this.em.query(
      `UPDATE reward_payouts SET status = 'SENT', tx_hash = $2, height = $3, chain_id = $4, sent_at = now() WHERE id = ANY($1::uuid[]) RETURNING ${PAYOUT_COLUMNS}`,
      [ids, r.txHash, r.height, r.chainId],
    );
    return rows.map(payoutOf);
  }

  async markPayoutsFailed(ids: string[], message: string): Promise<void> {
    await this.em.query(`UPDATE reward_payouts SET status = 'FAILED', error = $2 WHERE id = ANY($1::uuid[])`, [ids, message]);
  }

  async payouts(epochId: string, readerUserId?: string): Promise<PayoutRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT ${PAYOUT_COLUMNS} FROM reward_payouts p WHERE epoch_id = $1
         AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM reward_shares s WHERE s.epoch_id = p.epoch_id AND s.reader = p.reader AND s.reader_user_id = $2))
       ORDER BY created_at, reader`,
      [epochId, readerUserId ?? null],
    );
    return rows.map(payoutOf);
  }
}

// Reads for epochs from other domains' tables: the project's own submitted annotations and predictions,
// on the cases in the project (a case a manager excluded feeds no epoch).
export class RewardReads {
  constructor(private readonly em: EntityManager) {}

  /** A model version of the project whose outputs are probabilities (binary or multilabel), ready; else null. */
  async probabilityModel(projectId: string, modelVersionId: string): Promise<{ id: string } | null> {
    const [r] = await this.em.query(
      `SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id
        WHERE v.id = $1 AND v.project_id = $2 AND v.status = 'READY' AND m.task IN ('binary', 'multilabel')`,
      [modelVersionId, projectId],
    );
    return r ? { id: r.id as string } : null;
  }

  /** The model version's probabilities per case key and output label (values outside 0..1 are left out). */
  async projectPredictions(projectId: string, modelVersionId: string): Promise<Array<{ caseId: string; label: string; probability: number }>> {
    const rows: Array<{ key: string; label: string; value: number }> = await this.em.query(
      `SELECT c.key, o.label, o.value FROM predictions p JOIN cases c ON c.id = p.case_id
         CROSS JOIN LATERAL jsonb_to_recordset(p.outputs) AS o(label text, value float8)
        WHERE p.project_id = $1 AND p.model_version_id = $2 AND o.value BETWEEN 0 AND 1 AND ${caseIncluded("p.case_id")}`,
      [projectId, modelVersionId],
    );
    return rows.map((r) => ({ caseId: r.key, label: r.label, probability: Number(r.value) }));
  }

  /** Each reader's latest submitted classification labels: case key, label name, reader (user id), value, seconds. */
  async projectVotes(projectId: string): Promise<Array<{ caseId: string; label: string; reader: string; value: boolean; seconds: number | null }>> {
    const rows: Array<{ key: string; name: string; reader_id: string; value: boolean; seconds: number | null }> = await this.em.query(
      `WITH latest AS (
         SELECT DISTINCT ON (a.case_id, a.reader_id) a.id, a.case_id, a.reader_id FROM annotations a
          WHERE a.project_id = $1 AND a.status = 'SUBMITTED' AND ${caseIncluded("a.case_id")} ORDER BY a.case_id, a.reader_id, a.version DESC)
       SELECT c.key, d.name, l.reader_id, v.value, v.seconds
         FROM latest l JOIN cases c ON c.id = l.case_id
         JOIN label_values v ON v.annotation_id = l.id
         JOIN label_definitions d ON d.id = v.label_id AND d.kind = 'CLASSIFICATION'`,
      [projectId],
    );
    return rows.map((r) => ({ caseId: r.key, label: r.name, reader: r.reader_id, value: r.value, seconds: r.seconds == null ? null : Number(r.seconds) }));
  }
}
