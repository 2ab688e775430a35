import { execFileSync } from "node:child_process";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { projectChannel } from "../../modules/projects/projects.service.js";
import { repoRoot } from "../../paths.js";
import { Subscription, trackSubscriptions, until, type Account } from "../../testing/fixtures.js";
import { Caller, buildProject, buildUser, createTestDatabase, startTestServer } from "../../testing/harness.js";
import { startServerProcess, type ServerProcess } from "../../testing/process.js";

// Process A is a server in this test process; process B is `node bin/concord.js start`, a real
// separate OS process. They share one PostgreSQL database and one Redis, with the CLI's channel
// prefix ("concord"). Each test uses a new project, and channels are per project, so nothing
// else on the same Redis is heard.
const redisUrl = inject("redisUrl");
const EVENTS = `subscription($projectId: ID!) { projectEvents(projectId: $projectId) { kind projectId } }`;
const RENAME = `mutation($id: ID!, $name: String!) { renameProject(id: $id, name: $name) { name } }`;
const CREATE_LABEL = `mutation($projectId: ID!) { createLabel(projectId: $projectId, input: { kind: CLASSIFICATION, name: "Across" }) { id } }`;

describe("two server processes", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let a: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let b: ServerProcess | undefined;
  let bServer: { graphqlUrl: string; wsUrl: string };
  let subscriptionsOnA: ReturnType<typeof trackSubscriptions>;
  let user: Account;
  let redis: ReturnType<typeof createClient> | undefined;

  beforeAll(async () => {
    if (!redisUrl) return;
    // B runs the built CLI; tsc -b is incremental, so this is quick when the build is current.
    execFileSync("npx", ["tsc", "-b", "server", "workers"], { cwd: repoRoot(), stdio: "pipe" });
    db = await createTestDatabase();
    // A migrates the new database; B, like a scaled replica, does not.
    a = await startTestServer({ databaseUrl: db.url, redisPrefix: "concord" });
    subscriptionsOnA = trackSubscriptions(a.platform.bus);

    b = await startServerProcess({ databaseUrl: db.url, redisUrl });
    bServer = b.server;

    user = await buildUser(a, "two-process");
    redis = createClient({ url: redisUrl });
    await redis.connect();
  }, 120_000);

  afterAll(async () => {
    if (b) {
      const code = await b.stop();
      // The CLI shuts down cleanly on SIGTERM (closes HTTP, the bus, the queue and the database).
      if (code === "killed") throw new Error(`process B did not stop within 10 s of SIGTERM:\n${b.output()}`);
      if (code !== 0) throw new Error(`process B exited with ${code} after SIGTERM:\n${b.output()}`);
    }
    await redis?.quit();
    await a?.close();
    await db?.drop();
  }, 30_000);

  // Skipped without REDIS_URL: the embedded in-process bus does not cross processes, by design.
  it.skipIf(!redisUrl)("a subscription receives events published by another server process sharing the same Redis and database", async () => {
    const projectId = await buildProject(user.caller);
    const onA = new Subscription<{ projectEvents: { kind: string; projectId: string } }>(user.caller, EVENTS, { projectId });
    try {
      await subscriptionsOnA.waitFor(projectChannel(projectId));
      // The same session works on B: they share the database.
      const viaB = new Caller(bServer, user.caller.cookie);
      expect((await viaB.ok<{ renameProject: { name: string } }>(RENAME, { id: projectId, name: "Renamed on B" })).renameProject.name).toBe("Renamed on B");
      expect((await onA.nextData()).projectEvents).toEqual({ kind: "PROJECT_UPDATED", projectId });
      await viaB.ok(CREATE_LABEL, { projectId });
      expect((await onA.nextData()).projectEvents).toEqual({ kind: "LABELS_CHANGED", projectId });
    } finally {
      await onA.close();
    }
  });

  // Skipped without REDIS_URL: the embedded in-process bus does not cross processes, by design.
  it.skipIf(!redisUrl)("and the other way round: a change made on this process reaches a subscriber of process B", async () => {
    const projectId = await buildProject(user.caller);
    const onB = new Subscription<{ projectEvents: { kind: string; projectId: string } }>(new Caller(bServer, user.caller.cookie), EVENTS, { projectId });
    try {
      // Nobody else listens to this new project's channel, so one Redis subscriber is B's.
      const channel = `concord:${projectChannel(projectId)}`;
      await until(async () => Number((await redis!.pubSubNumSub(channel))[channel] ?? 0) >= 1, 5000, `B to subscribe to ${channel}`);
      expect(subscriptionsOnA.count(projectChannel(projectId))).toBe(0);
      await user.caller.ok(RENAME, { id: projectId, name: "Renamed on A" });
      expect((await onB.nextData()).projectEvents).toEqual({ kind: "PROJECT_UPDATED", projectId });
    } finally {
      await onB.close();
    }
  });
});
