import "reflect-metadata";
import { checkHandlers, schedulesFor } from "@concord/server/jobs/registry";
import { loadConfig } from "@concord/server/config";
import { createLogger } from "@concord/server/logger";
import { closePlatform, openPlatform } from "@concord/server/main";
import { createServices } from "@concord/server/services";
import { handlers } from "./handlers/index.js";

/** `concord worker`: runs jobs from the Redis queue. Never loads Apollo or the HTTP server. */
export async function runWorker(argv: string[]): Promise<number> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, "concord-worker");
  if (!config.redisUrl || !config.databaseUrl) {
    console.error(
      "concord worker needs REDIS_URL and DATABASE_URL. In the embedded default (`concord start` with neither set), jobs run inside the server.",
    );
    return 2;
  }
  const concurrency = Number(argv.find((a) => a.startsWith("--concurrency="))?.split("=")[1] ?? 2);
  checkHandlers(handlers);
  const platform = await openPlatform(config, log, { migrate: false });
  const services = createServices(platform);
  const stop = await platform.queue.work(handlers, { services, log }, concurrency);
  await platform.queue.schedule(schedulesFor(config));
  log.info({ concurrency }, "worker is running");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await stop();
  await closePlatform(platform);
  await services.ai.close();
  await services.compute.close();
  await services.rendering.close();
  return 0;
}
