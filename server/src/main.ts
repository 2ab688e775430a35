import "reflect-metadata";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Config } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { getSchema } from "./graphql/schema.js";
import { createHttpServer } from "./http/app.js";
import { repoRoot } from "./paths.js";
import { openDatabase, type Database } from "./platform/database/index.js";
import type { Bus } from "./platform/pubsub/bus.js";
import { MemoryBus } from "./platform/pubsub/memory.js";
import { setOutboundPolicy } from "./platform/outbound.js";
import { RedisBus } from "./platform/pubsub/redis.js";
import { BullQueueAdapter } from "./platform/queue/bullmq.js";
import { MemoryQueue } from "./platform/queue/memory.js";
import type { Queue } from "./platform/queue/queue.js";
import { LocalBlobStore } from "./platform/storage/local.js";
import { startStorageScp, type RunningScp } from "./platform/dimse/scp.js";
import { createPreparePool } from "./modules/images/ingest/pool.js";
import { checkHandlers, schedulesFor } from "./jobs/registry.js";
import { LedgerIntegrator } from "./modules/ledger/integrator.js";
import { loadLedgerKeys } from "./modules/ledger/keys.js";
import { loadSecretBox } from "./platform/secrets.js";
import { createServices, type Platform, type Services } from "./services.js";

export interface RunningServer {
  url: string;
  port: number;
  platform: Platform;
  services: Services;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Serve the built client from this folder; null serves the API alone. Default: client/dist. */
  clientDir?: string | null;
  log?: Logger;
  /** Namespaces Redis channels and queues, so test runs sharing one Redis do not hear each other. */
  redisPrefix?: string;
}

/** Opens the platform adapters: config -> database -> bus -> queue. Shared by the server and the workers. */
export async function openPlatform(config: Config, log: Logger, opts: { redisPrefix?: string; migrate?: boolean } = {}): Promise<Platform> {
  setOutboundPolicy(config.outbound);
  const db: Database = await openDatabase(
    {
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      embeddedPgPort: config.embeddedPgPort,
      migrate: opts.migrate ?? config.migrateOnStart,
    },
    log,
  );
  let bus: Bus | undefined;
  let queue: Queue | undefined;
  let ledgerKeys: Platform["ledgerKeys"];
  let secrets: Platform["secrets"];
  try {
    ledgerKeys = await loadLedgerKeys({ signingKey: config.ledger.signingKey, dataDir: config.dataDir, embedded: db.embedded }, log);
    secrets = await loadSecretBox({ key: config.secrets.key?.reveal(), dataDir: config.dataDir, embedded: db.embedded }, log);
    const prefix = opts.redisPrefix ?? config.redisPrefix;
    bus = config.redisUrl ? await RedisBus.connect(config.redisUrl, config.instanceId, log, `${prefix}:`) : new MemoryBus(config.instanceId);
    queue = config.redisUrl ? await BullQueueAdapter.connect(config.redisUrl, log, `${prefix}-jobs`, { lockMs: config.jobLockMs }) : new MemoryQueue(log);
  } catch (err) {
    await bus?.close();
    await db.close();
    throw err;
  }
  const store = new LocalBlobStore(path.join(config.dataDir, "dicom"));
  return { config, log, db, bus, queue, store, ingest: createPreparePool(config.uploads.ingestThreads), ledgerKeys, secrets };
}

export async function closePlatform(p: Platform): Promise<void> {
  await p.ingest.close();
  await p.queue.close();
  await p.bus.close();
  await p.db.close();
}

// The composition root of the API process.
export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  const platform = await openPlatform(config, log, opts.redisPrefix ? { redisPrefix: opts.redisPrefix } : {});
  // Every replica runs one; the database's advisory lock lets one integrate at a time.
  const integrator = new LedgerIntegrator(platform.db, platform.ledgerKeys, log, { origin: config.ledger.origin });
  try {
    const services = createServices(platform);
    await sealLegacySecrets(services, log);
    integrator.start();
    const schema = await getSchema();
    const clientDir = opts.clientDir === undefined ? path.join(repoRoot(), "client", "dist") : opts.clientDir;
    const http = await createHttpServer(platform, services, schema, clientDir);

    // The embedded default runs jobs in this process; with Redis, `concord worker` processes run them.
    if (platform.queue.kind === "memory") {
      const { handlers } = (await import(workersHandlersModule())) as { handlers: Record<string, unknown> };
      checkHandlers(handlers);
      await platform.queue.work(handlers, { services, log });
    }
    await platform.queue.schedule(schedulesFor(config));

    await new Promise<void>((resolve, reject) => {
      http.server.once("error", reject);
      http.server.listen(config.port, config.host, () => resolve());
    });
    // The DICOM storage SCP: C-MOVE retrievals and PACS pushes arrive here (DICOM_PORT 0: none).
    let scp: RunningScp | null = null;
    if (config.dicom.port > 0) {
      try {
        scp = await startStorageScp({ ...config.dicom, router: services.pacs.storageRouter(), log });
      } catch (err) {
        await http.close();
        throw err;
      }
    }
    // With the SCP, C-MOVEs asked of the other replicas are run here (a no-op alone or without it).
    const stopServingMoves = await services.pacs.serveMoves();
    const port = (http.server.address() as AddressInfo).port;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    log.info({ url, database: platform.db.embedded ? "embedded" : "external", bus: platform.bus.kind, queue: platform.queue.kind }, "Concord is listening");
    let closing: Promise<void> | null = null;
    return {
      url,
      port,
      platform,
      services,
      close: () =>
        (closing ??= (async () => {
          await stopServingMoves();
          await scp?.close();
          await http.close();
          await integrator.stop();
          await closePlatform(platform);
          // The AI's worker threads (embedded mode), once no job can reach them.
          await services.ai.close();
          await services.compute.close();
          await services.rendering.close();
        })()),
    };
  } catch (err) {
    await integrator.stop();
    await closePlatform(platform);
    throw err;
  }
}

/**
 * Seals, bound to their store's origin, external store credentials kept by earlier versions: in
 * clear, or sealed without the origin. Not fatal: those in clear still work as they are, those sealed
 * without the origin are refused (saying so) until a start seals them again or a manager gives them
 * again, and the next start tries again. Only the message is logged, never the error object (a
 * failed query carries its parameters, the secret among them).
 */
async function sealLegacySecrets(services: Services, log: Logger): Promise<void> {
  try {
    const sealed = await services.images.externalStores.sealLegacySecrets();
    if (sealed) log.info({ sealed }, "sealed external store credentials of an earlier version (in clear, or not bound to their store's origin)");
  } catch (err) {
    log.warn({ reason: (err as Error).message }, "could not seal the external store credentials of an earlier version; the next start tries again");
  }
}

/** The workers package's handler map, resolved at run time (the server does not build against it). */
function workersHandlersModule(): string {
  const fromSource = __filename.endsWith(".ts");
  return fromSource
    ? path.join(repoRoot(), "workers", "src", "handlers", "index.ts")
    : require.resolve("@concord/workers/handlers/index");
}
