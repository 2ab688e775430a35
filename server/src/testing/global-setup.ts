import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createLogger } from "../logger.js";
import { startEmbeddedPostgres } from "../platform/database/embedded.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL URL with the right to create databases; each test file makes its own database. */
    pgAdminUrl: string;
    pgMode: "external" | "embedded";
    redisUrl: string | undefined;
  }
}

// With DATABASE_URL/REDIS_URL set, tests use those real services. Without them, one embedded
// PostgreSQL serves the run and pub/sub is in-process, so `npm test` passes on a bare machine.
export default async function setup(project: TestProject) {
  const external = process.env.DATABASE_URL;
  project.provide("redisUrl", process.env.REDIS_URL || undefined);
  if (external) {
    project.provide("pgAdminUrl", external);
    project.provide("pgMode", "external");
    console.log(`[concord tests] PostgreSQL: DATABASE_URL; Redis: ${process.env.REDIS_URL ? "REDIS_URL" : "none (in-process bus)"}`);
    return;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "concord-test-pg-"));
  await fs.chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres(dir, 0, createLogger("warn", "test-pg"));
  project.provide("pgAdminUrl", pg.url);
  project.provide("pgMode", "embedded");
  console.log(`[concord tests] PostgreSQL: embedded (${dir}); Redis: ${process.env.REDIS_URL ? "REDIS_URL" : "none (in-process bus)"}`);
  return async () => {
    await pg.stop();
    await fs.rm(dir, { recursive: true, force: true });
  };
}
