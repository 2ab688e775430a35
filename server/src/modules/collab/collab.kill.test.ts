import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { buildTeam, until, type Team } from "../../testing/fixtures.js";
import { Caller, buildProject, createTestDatabase, startTestServer } from "../../testing/harness.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { repoRoot } from "../../paths.js";
import { ROIS, putRoi } from "./collab.document.js";

// kill -9 of a server right after acknowledgements loses nothing acknowledged. A real
// `node bin/concord.js start` takes updates from several writers at once; the moment the Nth
// acknowledgement arrives it gets SIGKILL, with other updates in flight (and background compaction
// due: the document passes its row bound). Twice. Then a fresh server on the same database must
// hold every update that was acknowledged; those in flight may or may not be there.

const SYNC = `query($caseId: ID!, $layer: String!) { collabSync(caseId: $caseId, layer: $layer) { update } }`;
const UPDATE = `mutation($caseId: ID!, $layer: String!, $update: String!, $clientId: String) { collabUpdate(caseId: $caseId, layer: $layer, update: $update, clientId: $clientId) { updateId } }`;
const LAYER = "consensus";
const WRITERS = 8;
const ACKS_BEFORE_KILL = 160;
const ROUNDS = 2;

const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");

interface Child {
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  server: { graphqlUrl: string; wsUrl: string };
  output: () => string;
}

async function startChild(databaseUrl: string): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, ["bin/concord.js", "start"], {
    cwd: repoRoot(),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      CONCORD_MIGRATE_ON_START: "false",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  await until(
    async () => {
      if (gone) throw new Error(`the server process exited before it was ready:\n${output}`);
      try {
        return (await fetch(`${url}/readyz`)).ok;
      } catch {
        return false;
      }
    },
    30_000,
    `${url}/readyz`,
  );
  return { process: child, exited, server: { graphqlUrl: `${url}/graphql`, wsUrl: `ws://127.0.0.1:${port}/graphql` }, output: () => output };
}

describe("kill -9 right after acknowledgements", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let team: Team;
  let caseId: string;
  const children: Child[] = [];

  beforeAll(async () => {
    execFileSync("npx", ["tsc", "-b", "server", "workers"], { cwd: repoRoot(), stdio: "pipe" });
    db = await createTestDatabase();
    const setup = await startTestServer({ databaseUrl: db.url });
    try {
      team = await buildTeam(setup);
      const projectId = await buildProject(team.OWNER.caller);
      await stowOk(setup, projectId, team.OWNER.caller, [{ name: "k.png", bytes: chestPng(16, 12, 3) }]);
      [{ id: caseId }] = await setup.platform.db.dataSource.query(`SELECT id FROM cases WHERE project_id = $1`, [projectId]);
    } finally {
      await setup.close();
    }
  }, 120_000);
  afterAll(async () => {
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill("SIGKILL");
    await Promise.all(children.map((c) => c.exited));
    await db?.drop();
  }, 30_000);

  it("a fresh server holds every acknowledged update", async () => {
    const acknowledged: string[] = [];
    let unanswered = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const child = await startChild(db.url);
      children.push(child);
      const caller = new Caller(child.server, team.OWNER.caller.cookie);
      let acks = 0;
      let killed = false;
      // Each writer is one Yjs client sending its edits in turn (the next after the last one's answer),
      // so an acknowledged edit never depends on one that was lost in flight.
      const writer = async (k: number) => {
        const doc = new Y.Doc();
        const id = `${round}-${k}`;
        while (!killed) {
          const roi = randomUUID();
          const before = Y.encodeStateVector(doc);
          putRoi(doc, { id: roi, classId: "box", kind: "RECTANGLE", points: [[k, 1], [k + 1, 2]] });
          let answer;
          try {
            answer = await caller.gql(UPDATE, { caseId, layer: LAYER, update: b64(Y.encodeStateAsUpdate(doc, before)), clientId: id });
          } catch {
            unanswered++; // in flight when the process died
            return;
          }
          if (answer.errors?.length) throw new Error(`writer ${id}: ${JSON.stringify(answer.errors)}`);
          acknowledged.push(roi);
          if (++acks === ACKS_BEFORE_KILL && !killed) {
            killed = true;
            process.kill(child.process.pid!, "SIGKILL");
          }
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, (_, k) => writer(k)));
      expect(await child.exited, child.output()).toEqual({ code: null, signal: "SIGKILL" });
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(ROUNDS * ACKS_BEFORE_KILL);

    const fresh = await startTestServer({ databaseUrl: db.url });
    try {
      const { collabSync } = await new Caller(fresh, team.OWNER.caller.cookie).ok<{ collabSync: { update: string } }>(SYNC, { caseId, layer: LAYER });
      const stored = new Y.Doc();
      Y.applyUpdate(stored, new Uint8Array(Buffer.from(collabSync.update, "base64")));
      const held = new Set(stored.getMap(ROIS).keys());
      const lost = acknowledged.filter((id) => !held.has(id));
      expect(lost, `${lost.length} of ${acknowledged.length} acknowledged updates lost (${unanswered} were in flight)`).toEqual([]);
      // Nothing is held that was never sent: at most the in-flight ones beyond the acknowledged.
      expect(held.size - acknowledged.length).toBeLessThanOrEqual(unanswered);
    } finally {
      await fresh.close();
    }
  }, 90_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
