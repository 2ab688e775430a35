import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { printedSchema } from "./graphql/schema.js";
import { repoRoot } from "./paths.js";
import { openDatabase } from "./platform/database/index.js";
import { startServer } from "./main.js";
import { ledgerKeys, parseSigningKey, SIGNING_KEY_FILE, type LedgerKeys } from "./modules/ledger/keys.js";
import { formatReport, verifyLedger } from "./modules/ledger/verify.js";
import { rewardsCommand, statsCommand } from "./modules/rewards/rewards.cli.js";
import { demoCommand } from "./demo/demo.js";
import { userCommand } from "./modules/accounts/accounts.cli.js";

const HELP = `Usage: concord <command>

Commands:
  start            Serve the UI and API (http://localhost:4000 by default).
                   Without DATABASE_URL it runs its own PostgreSQL under CONCORD_DATA_DIR.
  migrate          Apply database migrations (DATABASE_URL, or the embedded database).
  worker           Run background jobs from the Redis queue (needs REDIS_URL and DATABASE_URL).
  ledger verify    Recompute every ledger entry, subtree, root and signature from the database;
                   exit code 1 on any finding (DATABASE_URL, or the embedded database).
  user list|create|password-link|admin|disable|enable
                   The server's accounts, as the operator (\`concord user\` for more).
  stats --labels FILE [--ai FILE] [--times FILE]
                   Agreement and time statistics of a labels CSV, as JSON.
  rewards --labels FILE [--ai FILE] [--times FILE] [--policy concord|markit-eq1|markit-eq1-safe]
          [--budget TOKENS] [--kappa-threshold X] [--details]
                   Run a reward policy on CSV files and print terms and shares as JSON
                   (docs/REWARD.md describes the files and the policies).
  demo [--cases N] Seed a project shaped like the MarkIt paper's experiment: synthetic chest
                   radiographs (default 300), 3 simulated readers, 7 findings, a trained model.
  schema print     Write schema/schema.graphql from the resolvers.
  schema check     Fail if schema/schema.graphql differs from the resolvers.
  help             Show this text.

Configuration is read from the environment; see README.md for every variable.`;

export async function runCli(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  switch (command) {
    case "start":
      return start();
    case "migrate":
      return migrate();
    case "schema":
      return schema(sub);
    case "ledger":
      return ledger(sub);
    case "user":
      return userCommand(argv.slice(1));
    case "stats":
      return statsCommand(argv.slice(1));
    case "rewards":
      return rewardsCommand(argv.slice(1));
    case "demo":
      return demoCommand(argv.slice(1));
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown command: ${command}\n\n${HELP}`);
      return 2;
  }
}

async function start(): Promise<number> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const server = await startServer(config, { log });
  console.log(`Concord is running at ${config.publicUrl}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, "shutting down");
      void server.close().then(resolve, (err: unknown) => {
        log.error({ err: String(err) }, "shutdown failed");
        resolve();
      });
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  return 0;
}

async function migrate(): Promise<number> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, embeddedPgPort: config.embeddedPgPort, migrate: false }, log);
  try {
    const ran = await db.migrate();
    console.log(ran.length ? `Applied ${ran.length} migration(s): ${ran.join(", ")}` : "The database is up to date.");
    return 0;
  } finally {
    await db.close();
  }
}

async function ledger(sub: string | undefined): Promise<number> {
  if (sub !== "verify") {
    console.error("Usage: concord ledger verify");
    return 2;
  }
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // The key that signs heads: LEDGER_SIGNING_KEY, or the data dir's (never generated here: a new key would verify nothing).
  let keys: LedgerKeys;
  if (config.ledger.signingKey) keys = ledgerKeys(parseSigningKey(config.ledger.signingKey));
  else {
    const file = path.join(config.dataDir, SIGNING_KEY_FILE);
    if (!fs.existsSync(file)) {
      console.error(`No ledger signing key: set LEDGER_SIGNING_KEY, or CONCORD_DATA_DIR to the data dir holding ${SIGNING_KEY_FILE}.`);
      return 2;
    }
    keys = ledgerKeys(parseSigningKey(fs.readFileSync(file, "utf8")));
  }
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, embeddedPgPort: config.embeddedPgPort, migrate: false }, log);
  try {
    // One repeatable-read snapshot, so integration running meanwhile does not look like tampering.
    const report = await db.dataSource.transaction("REPEATABLE READ", (em) => verifyLedger(em, { publicKey: keys.publicKey, publicKeyRaw: keys.publicKeyRaw }));
    console.log(formatReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

async function schema(sub: string | undefined): Promise<number> {
  const file = path.join(repoRoot(), "schema", "schema.graphql");
  const current = await printedSchema();
  if (sub === "print") {
    fs.writeFileSync(file, current);
    console.log(`Wrote ${path.relative(process.cwd(), file) || file}`);
    return 0;
  }
  if (sub === "check") {
    const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (committed === current) {
      console.log("schema/schema.graphql matches the resolvers.");
      return 0;
    }
    console.error("schema/schema.graphql is out of date with the resolvers. Run `npm run schema:print` and commit the result.");
    const a = committed.split("\n");
    const b = current.split("\n");
    const i = a.findIndex((line, n) => line !== b[n]);
    console.error(`First difference at line ${i + 1}:\n  committed: ${a[i] ?? "(end)"}\n  resolvers: ${b[i] ?? "(end)"}`);
    return 1;
  }
  console.error("Usage: concord schema print|check");
  return 2;
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof ConfigError) console.error(err.message);
      else console.error(err instanceof Error ? `${err.message}` : String(err));
      process.exit(1);
    },
  );
}
