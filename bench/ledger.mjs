// bench/ledger: the ledger's sustained append rate with integration running, time from an event to
// the signed head that covers it, and proof latency at large tree sizes (10^6 and 10^7 leaves by
// default), each beside a baseline measured in the same run on the same PostgreSQL.
//
//   npm run build:node && npm run bench:ledger
//
// Knobs: DATABASE_URL (else an embedded PostgreSQL in a temporary dir), LEDGER_WRITERS (8),
// LEDGER_SECONDS (20), LEDGER_SIZES ("1000000,10000000"), LEDGER_SAMPLES (1000),
// LEDGER_BATCH (integrator batch while growing the log, 20000).
import "reflect-metadata";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { int, log } from "./lib.mjs";

const dist = "../server/dist/server/src";
const { openDatabase } = await import(`${dist}/platform/database/index.js`);
const { startEmbeddedPostgres } = await import(`${dist}/platform/database/embedded.js`);
const { createLogger } = await import(`${dist}/logger.js`);
const { ledgerKeys } = await import(`${dist}/modules/ledger/keys.js`);
const { LedgerService } = await import(`${dist}/modules/ledger/ledger.service.js`);
const { LedgerIntegrator } = await import(`${dist}/modules/ledger/integrator.js`);
const { verifyInclusion, verifyConsistency } = await import(`${dist}/modules/ledger/merkle.js`);
// mulberry32: the same samples for the same size in every run.
const { seededRandom: seeded } = await import(`${dist}/modules/ai/synthetic-cxr.js`);

const WRITERS = int("LEDGER_WRITERS", 8);
const SECONDS = int("LEDGER_SECONDS", 20);
const SAMPLES = int("LEDGER_SAMPLES", 1000);
const BATCH = int("LEDGER_BATCH", 20000);
const SIZES = (process.env.LEDGER_SIZES || "1000000,10000000").split(",").map((s) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 2) throw new Error("LEDGER_SIZES must be whole numbers of leaves, at least 2, separated by commas");
  return n;
});

const silent = createLogger("silent");
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const ms = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const rows = [];
const row = (what, value, baseline, r, goal) => rows.push({ what, value, baseline, ratio: r, goal });

// A database of its own, dropped at the end.
let adminUrl = process.env.DATABASE_URL;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "concord-bench-ledger-"));
let embedded = null;
if (!adminUrl) {
  embedded = await startEmbeddedPostgres(tmp, 0, silent);
  adminUrl = embedded.url;
}
const dbName = `concord_bench_ledger_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
const db = await openDatabase({ databaseUrl: url.toString(), dataDir: tmp, embeddedPgPort: 0, migrate: false, poolSize: WRITERS + 4 }, silent);

async function cleanUp() {
  await db.close().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
  await admin.end().catch(() => undefined);
  await embedded?.stop().catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
}

try {
  await db.migrate();
  const keys = ledgerKeys(generateKeyPairSync("ed25519").privateKey);
  const ledger = new LedgerService(db, keys);
  const event = (w, i) => ({
    type: "annotation.submit",
    actorId: `reader-${w}`,
    projectId: null,
    objectId: `bench-${w}-${i}`,
    change: { caseId: `case-${i}`, version: 1, labels: [{ labelId: "l1", value: i % 2 === 0, confidence: 80 }], rois: [] },
  });

  // ---- 1. Sustained appends: WRITERS clients, one transaction per event (as a real change records
  // its leaf), the integrator running as in the server (every 0.5 s). Baseline: the same clients
  // inserting the same row into a plain table, one transaction each, no ledger and no integrator.
  await db.dataSource.query(`CREATE TABLE bench_plain (LIKE ledger_leaves INCLUDING ALL)`);
  const plain = () =>
    drive(async (em, w, i) => {
      const e = event(w, i);
      await em.query(`INSERT INTO bench_plain (event_type, at, actor, project_id, object_id, payload_sha256) VALUES ($1, now(), $2, NULL, $3, $4)`, [
        e.type,
        ledger.pseudonym(e.actorId),
        e.objectId,
        randomBytes(32),
      ]);
    });
  // Plain before and after the ledger run (the mean is the baseline), so neither side gets the warm or the cold machine.
  const plainBefore = await plain();
  const integrator = new LedgerIntegrator(db, keys, silent, { origin: "bench.concord/ledger" });
  integrator.start();
  const appendRate = await drive((em, w, i) => ledger.record(em, event(w, i)));
  // Let the backlog drain, then measure each event's time to the first signed head that covers it.
  const drainStart = Date.now();
  while ((await db.dataSource.query(`SELECT count(*)::int AS n FROM ledger_leaves WHERE seq IS NULL`))[0].n > 0 && Date.now() - drainStart < 60_000) await new Promise((r) => setTimeout(r, 100));
  await integrator.stop();
  const plainRate = (plainBefore + (await plain())) / 2;
  const lag = (
    await db.dataSource.query(`
      SELECT extract(epoch FROM (SELECT h.at FROM ledger_heads h WHERE h.tree_size > l.seq ORDER BY h.tree_size LIMIT 1) - l.at) * 1000 AS ms
      FROM ledger_leaves l WHERE l.seq IS NOT NULL`)
  ).map((r) => Number(r.ms));
  const heads = (await db.dataSource.query(`SELECT count(*)::int AS n FROM ledger_heads`))[0].n;
  log(`appends: ${appendRate.toFixed(0)}/s with integration; plain inserts ${plainRate.toFixed(0)}/s; ${lag.length} leaves in ${heads} heads`);
  row(`appends per second, ${WRITERS} writers, one transaction per event, integrator running`, `${appendRate.toFixed(0)}/s`, `${plainRate.toFixed(0)}/s plain inserts`, ratio(appendRate, plainRate), "≥ 2,000/s");
  row("event → signed head covering it, p50", ms(quantile(lag, 0.5)), "", "", "");
  row("event → signed head covering it, p99", ms(quantile(lag, 0.99)), "", "", "≤ 1,000 ms");

  // ---- 2. Proofs at scale: grow the log to each size (pending rows made in SQL, integrated by the
  // real integrator in batches), then time inclusion and consistency proofs for random entries.
  // Baseline: one primary-key read of the same entry's leaf hash, the floor of any stored proof.
  const grower = new LedgerIntegrator(db, keys, silent, { origin: "bench.concord/ledger", batchSize: BATCH });
  for (const size of SIZES) {
    let have = (await db.dataSource.query(`SELECT count(*)::int AS n FROM ledger_leaves`))[0].n;
    if (have > size) continue;
    const before = have;
    const t0 = Date.now();
    let integrateMs = 0;
    while (have < size) {
      const n = Math.min(1_000_000, size - have);
      await db.dataSource.query(
        `INSERT INTO ledger_leaves (event_type, at, actor, project_id, object_id, payload_sha256)
         SELECT 'annotation.submit', now(), encode(sha256(('actor' || (i % 50))::bytea), 'hex'), NULL, 'bench-grow-' || i, sha256(i::text::bytea)
         FROM generate_series($1::bigint, $2::bigint) AS i`,
        [have, have + n - 1],
      );
      const ti = Date.now();
      await grower.integrateAll();
      integrateMs += Date.now() - ti;
      have += n;
      log(`grown to ${have} leaves (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    const head = await ledger.latestHead();
    if (head.treeSize !== size) throw new Error(`the head covers ${head.treeSize} leaves, expected ${size}`);
    const grownBy = size - before;
    log(`integrated ${grownBy} leaves in ${(integrateMs / 1000).toFixed(1)} s`);
    await db.dataSource.query(`ANALYZE ledger_leaves; ANALYZE ledger_nodes`);

    const rnd = seeded(size);
    const seqs = Array.from({ length: SAMPLES }, () => Math.floor(rnd() * size));
    const time = async (fn) => {
      const out = [];
      for (const s of seqs) {
        const t = process.hrtime.bigint();
        await fn(s);
        out.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      return out;
    };
    // Warm both paths the same way first.
    for (const s of seqs.slice(0, 50)) await ledger.inclusionProof(s, size), await ledger.leaf(s);
    const lookups = await time((s) => db.dataSource.query(`SELECT leaf_hash FROM ledger_leaves WHERE seq = $1`, [s]));
    const inclusion = await time((s) => ledger.inclusionProof(s, size));
    const consistency = await time((s) => ledger.consistencyProof(Math.max(1, s), size));
    // The proofs are real: a sample of them verifies against the signed root.
    for (const s of seqs.slice(0, 20)) {
      const leaf = await ledger.leaf(s);
      if (!verifyInclusion(s, size, leaf.leafHash, await ledger.inclusionProof(s, size), head.root)) throw new Error(`inclusion proof of ${s} does not verify`);
      // An older signed head at or below s: its root is what the consistency proof must connect.
      const [older] = await db.dataSource.query(`SELECT tree_size, root FROM ledger_heads WHERE tree_size BETWEEN 1 AND $1 ORDER BY tree_size DESC LIMIT 1`, [Math.max(1, s)]);
      if (older && !verifyConsistency(Number(older.tree_size), size, await ledger.consistencyProof(Number(older.tree_size), size), older.root, head.root)) {
        throw new Error(`consistency proof from ${older.tree_size} does not verify`);
      }
    }
    const base = quantile(lookups, 0.5);
    const label = size.toLocaleString("en");
    row(`integration while growing to ${label} leaves (batches of ${BATCH.toLocaleString("en")})`, `${((grownBy / integrateMs) * 1000).toFixed(0)}/s`, "", "", "");
    row(`inclusion proof at ${label} leaves, p50`, ms(quantile(inclusion, 0.5)), `${ms(base)} one-row read`, ratio(quantile(inclusion, 0.5), base), "");
    row(`inclusion proof at ${label} leaves, p99`, ms(quantile(inclusion, 0.99)), `${ms(quantile(lookups, 0.99))} one-row read`, ratio(quantile(inclusion, 0.99), quantile(lookups, 0.99)), "≤ 5 ms");
    row(`consistency proof at ${label} leaves, p50`, ms(quantile(consistency, 0.5)), `${ms(base)} one-row read`, ratio(quantile(consistency, 0.5), base), "");
    row(`consistency proof at ${label} leaves, p99`, ms(quantile(consistency, 0.99)), `${ms(quantile(lookups, 0.99))} one-row read`, ratio(quantile(consistency, 0.99), quantile(lookups, 0.99)), "≤ 5 ms");
  }

  console.log(`\nbench/ledger — ${process.env.DATABASE_URL ? "DATABASE_URL" : "embedded PostgreSQL"}, ${os.cpus().length} CPUs, ${WRITERS} writers for ${SECONDS} s, ${SAMPLES} proof samples per size\n`);
  const w = [Math.max(...rows.map((r) => r.what.length)), 12, 24, 8];
  console.log(`${"measure".padEnd(w[0])}  ${"value".padStart(w[1])}  ${"baseline (same run)".padEnd(w[2])}  ${"ratio".padStart(w[3])}  goal`);
  for (const r of rows) console.log(`${r.what.padEnd(w[0])}  ${r.value.padStart(w[1])}  ${r.baseline.padEnd(w[2])}  ${r.ratio.padStart(w[3])}  ${r.goal}`);
} finally {
  await cleanUp();
}

/** Runs WRITERS loops of one-event transactions for SECONDS; returns committed transactions per second. */
async function drive(body) {
  let stop = false;
  let done = 0;
  const t0 = process.hrtime.bigint();
  setTimeout(() => (stop = true), SECONDS * 1000).unref();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        await db.tx((em) => body(em, w, i));
        done++;
      }
    }),
  );
  return done / (Number(process.hrtime.bigint() - t0) / 1e9);
}

