import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkHandlers } from "@concord/server/jobs/registry";
import { createLogger } from "@concord/server/logger";
import { BullQueueAdapter } from "@concord/server/platform/queue/bullmq";
import { MemoryQueue } from "@concord/server/platform/queue/memory";
import type { Queue } from "@concord/server/platform/queue/queue";
import { buildUser, startTestServer } from "@concord/server/testing/harness";
import { handlers } from "./index.js";

describe("job registry", () => {
  it("has exactly one handler per job name", () => {
    expect(() => checkHandlers(handlers)).not.toThrow();
    expect(() => checkHandlers({ ...handlers, "no.such.job": async () => 1 })).toThrow(/unknown: no\.such\.job/);
    const { ["maintenance.purgeExpired"]: _gone, ...missing } = handlers;
    expect(() => checkHandlers(missing)).toThrow(/missing: maintenance\.purgeExpired/);
  });
});

describe("maintenance.purgeExpired", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  async function expireOneSession(): Promise<string> {
    const { id } = await buildUser(server, "purge");
    await server.platform.db.dataSource.query(`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [id]);
    return id;
  }
  const sessionsOf = async (id: string) =>
    (await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [id]))[0].n as number;

  async function runThrough(queue: Queue) {
    const userId = await expireOneSession();
    expect(await sessionsOf(userId)).toBe(1);
    const stop = await queue.work(handlers, { services: server.services, log: createLogger("silent") });
    try {
      await queue.enqueue("maintenance.purgeExpired", {}, { jobId: `purge-${randomBytes(4).toString("hex")}` });
      const deadline = Date.now() + 10_000;
      while ((await sessionsOf(userId)) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await sessionsOf(userId)).toBe(0);
    } finally {
      await stop();
    }
  }

  it("deletes expired sessions through the in-process queue", async () => {
    const queue = new MemoryQueue(createLogger("silent"));
    try {
      await runThrough(queue);
    } finally {
      await queue.close();
    }
  });

  // Skipped without REDIS_URL: BullMQ needs a real Redis, which CI provides.
  it.skipIf(!inject("redisUrl"))("deletes expired sessions through BullMQ on Redis", async () => {
    const queue = await BullQueueAdapter.connect(inject("redisUrl")!, createLogger("silent"), `concord-test-${randomBytes(4).toString("hex")}`);
    try {
      await runThrough(queue);
    } finally {
      await queue.close();
    }
  });
});
