import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GRANT_ROLE, Subscription, buildTeam, buildTeamProject, errorCode, until, type Account, type Team } from "../../testing/fixtures.js";
import { Caller, buildUser, createTestDatabase, startTestServer, type TestServer } from "../../testing/harness.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { presenceChannel } from "./presence.service.js";

const redisUrl = inject("redisUrl");

const BEAT = `mutation($caseId: ID!, $pointer: PointerInput) { presenceBeat(caseId: $caseId, pointer: $pointer) }`;
const LEAVE = `mutation($caseId: ID!) { presenceLeave(caseId: $caseId) }`;
const PRESENCE = `subscription($caseId: ID!) { casePresence(caseId: $caseId) { kind caseId users { userId name colour lastSeen pointer { x y sopInstanceUid frame } } } }`;
const SUBMIT = `mutation($caseId: ID!) { submitAnnotation(caseId: $caseId, input: { labels: [], rois: [] }) { version } }`;

type Server = TestServer & { dropDatabase(): Promise<void> };
interface Present {
  userId: string;
  name: string;
  colour: string;
  lastSeen: string;
  pointer: { x: number; y: number; sopInstanceUid: string | null; frame: number | null } | null;
}
interface PresenceEvent {
  kind: "PRESENCE" | "ACCESS_REVOKED";
  caseId: string;
  users: Present[];
}

/** A casePresence subscription whose latest event is kept, for `until`. */
class Watcher {
  readonly events: PresenceEvent[] = [];
  private readonly sub: Subscription<{ casePresence: PresenceEvent }>;
  private readonly pump: Promise<void>;
  private closed = false;
  ended = false;

  constructor(caller: Caller, caseId: string) {
    this.sub = new Subscription(caller, PRESENCE, { caseId });
    this.pump = (async () => {
      while (!this.closed) {
        const r = await this.sub.next(300);
        if (r === "timeout") continue;
        if (r.done) break;
        if (r.value.errors?.length) throw new Error(JSON.stringify(r.value.errors));
        this.events.push(r.value.data!.casePresence);
      }
      this.ended = true;
    })();
  }

  get last(): PresenceEvent | undefined {
    return this.events.at(-1);
  }

  /** Who the latest event shows, as "userId@x,y" (or "userId@-" without a visible pointer). */
  get shown(): string[] {
    return (this.last?.users ?? []).map((u) => `${u.userId}@${u.pointer ? `${u.pointer.x},${u.pointer.y}` : "-"}`);
  }

  async waitFor(expected: string[], what: string, ms = 5000): Promise<void> {
    const want = [...expected].sort();
    await until(() => JSON.stringify(this.shown) === JSON.stringify(want), ms, `${what}: ${JSON.stringify(want)}, last seen ${JSON.stringify(this.shown)}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.sub.close();
    await this.pump.catch(() => undefined);
  }
}

async function caseOf(server: Server, team: Team, input: Record<string, unknown> = {}) {
  const projectId = await buildTeamProject(team, input);
  await stowOk(server, projectId, team.OWNER.caller, [{ name: "p.png", bytes: chestPng(16, 12, 2) }]);
  const [row] = await server.platform.db.dataSource.query(`SELECT id FROM cases WHERE project_id = $1`, [projectId]);
  return { projectId, caseId: row.id as string };
}

const at = (a: Account, p?: [number, number]) => `${a.id}@${p ? p.join(",") : "-"}`;
const beat = (a: Account | Caller, caseId: string, p?: [number, number], extra: Record<string, unknown> = {}) =>
  ("caller" in a ? a.caller : a).ok(BEAT, { caseId, pointer: p ? { x: p[0], y: p[1], ...extra } : null });

describe("presence", () => {
  let server: Server;
  let team: Team;

  beforeAll(async () => {
    server = await startTestServer();
    team = await buildTeam(server);
    server.services.presence.ttlMs = 600;
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("shows who comes, moves and goes: by leaving, or by no longer beating", async () => {
    const { caseId } = await caseOf(server, team, { blindReading: false });
    const { OWNER: owner, REVIEWER: reviewer, ANNOTATOR: reader } = team;
    const w = new Watcher(owner.caller, caseId);
    try {
      await until(() => w.events.length > 0, 5000, "the current set at once");
      expect(w.last).toEqual({ kind: "PRESENCE", caseId, users: [] });

      await beat(reviewer, caseId, [3, 4], { sopInstanceUid: "1.2.3", frame: 2 });
      await w.waitFor([at(reviewer, [3, 4])], "the reviewer arrives");
      const shown = w.last!.users[0]!;
      expect(shown).toMatchObject({ userId: reviewer.id, name: expect.any(String), pointer: { x: 3, y: 4, sopInstanceUid: "1.2.3", frame: 2 } });
      expect(shown.colour).toMatch(/^#[0-9a-f]{6}$/);
      expect(Math.abs(Date.parse(shown.lastSeen) - Date.now())).toBeLessThan(5000);

      await beat(reader, caseId);
      await w.waitFor([at(reviewer, [3, 4]), at(reader)], "a reader without a pointer");
      await beat(reviewer, caseId, [7, 8]);
      await w.waitFor([at(reviewer, [7, 8]), at(reader)], "the reviewer's pointer moves");

      // A beat that changes nothing visible sends nothing.
      const n = w.events.length;
      await beat(reviewer, caseId, [7, 8]);
      await new Promise((r) => setTimeout(r, 200));
      expect(w.events.length).toBe(n);

      await reviewer.caller.ok(LEAVE, { caseId });
      await w.waitFor([at(reader)], "the reviewer leaves at once");
      // The reader stops beating: gone within the TTL (600 ms here), with an event.
      const quiet = Date.now();
      await w.waitFor([], "the reader expires", 3000);
      expect(Date.now() - quiet).toBeLessThan(2000);
      expect(server.services.presence.present(caseId)).toEqual([]);
    } finally {
      await w.close();
    }
  });

  it("keeps someone present as long as they beat", async () => {
    const { caseId } = await caseOf(server, team, { blindReading: false });
    const w = new Watcher(team.OWNER.caller, caseId);
    try {
      await until(() => w.events.length > 0, 5000, "the current set");
      // Beats 250 ms apart over 1.5 s, more than twice the TTL (600 ms): never gone in between.
      for (let i = 0; i < 6; i++) {
        await beat(team.MANAGER, caseId, [1, 1]);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(w.events.map((e) => e.users.length)).toEqual([0, 1]);
      await w.waitFor([], "the manager expires after the last beat", 3000);
    } finally {
      await w.close();
    }
  });

  it("blind reading: an annotator sees who is there but no one else's pointer until they submit the case", async () => {
    const { caseId } = await caseOf(server, team);
    const reader = team.ANNOTATOR;
    const w = new Watcher(reader.caller, caseId);
    try {
      await beat(team.OWNER, caseId, [2, 2]);
      await beat(reader, caseId, [9, 9]);
      await w.waitFor([at(team.OWNER), at(reader, [9, 9])], "others without pointers, one's own with it");
      await reader.caller.ok(SUBMIT, { caseId });
      await beat(team.OWNER, caseId, [2, 3]);
      await w.waitFor([at(team.OWNER, [2, 3]), at(reader, [9, 9])], "pointers once submitted");
    } finally {
      await w.close();
    }
  });

  it("refuses bad pointers and cases the caller may not see; revoking the role ends the stream", async () => {
    const { projectId, caseId } = await caseOf(server, team, { blindReading: false });
    const bad = await team.VIEWER.caller.gql(BEAT, { caseId, pointer: { x: 1, y: 1e9, sopInstanceUid: "not a uid", frame: 0 } });
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect(bad.errors![0]!.message).toMatch(/pointer\.y.*pointer\.sopInstanceUid.*pointer\.frame/);
    const stranger = await buildUser(server, "stranger");
    expect(errorCode(await stranger.caller.gql(BEAT, { caseId }))).toBe("NOT_FOUND");
    expect(errorCode(await stranger.caller.gql(LEAVE, { caseId }))).toBe("NOT_FOUND");
    expect(errorCode(await new Caller(server).gql(BEAT, { caseId }))).toBe("UNAUTHENTICATED");

    const w = new Watcher(team.VIEWER.caller, caseId);
    try {
      await beat(team.OWNER, caseId, [1, 2]);
      await w.waitFor([at(team.OWNER, [1, 2])], "the owner");
      await team.OWNER.caller.ok(`mutation($projectId: ID!, $userId: ID!) { revokeRole(projectId: $projectId, userId: $userId) }`, { projectId, userId: team.VIEWER.id });
      await until(() => w.last?.kind === "ACCESS_REVOKED" && w.ended, 5000, "ACCESS_REVOKED and the end of the stream");
      expect(w.last).toEqual({ kind: "ACCESS_REVOKED", caseId, users: [] });
      expect(server.services.presence.listeners(caseId)).toBe(0);
      expect(errorCode(await team.VIEWER.caller.gql(BEAT, { caseId }))).toBe("NOT_FOUND");
      await team.OWNER.caller.ok(GRANT_ROLE, { projectId, input: { email: team.VIEWER.email, role: "VIEWER" } });
    } finally {
      await w.close();
    }
  });
});

// Two replicas in this process sharing one database and one Redis namespace: a beat on one is seen
// on the other, a replica that starts following late learns who is there at once, and expiry
// happens on each replica by its own clock.
describe("presence across replicas", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let a: Server | undefined;
  let b: Server | undefined;
  let team: Team;

  beforeAll(async () => {
    if (!redisUrl) return;
    db = await createTestDatabase();
    const redisPrefix = `concord-presence-${randomBytes(4).toString("hex")}`;
    a = await startTestServer({ databaseUrl: db.url, redisPrefix });
    b = await startTestServer({ databaseUrl: db.url, redisPrefix });
    a.services.presence.ttlMs = b.services.presence.ttlMs = 800;
    team = await buildTeam(a);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it.skipIf(!redisUrl)("a subscriber on one replica sees beats sent to the other, from the start, and their expiry (needs REDIS_URL)", async () => {
    expect(a!.platform.bus.kind).toBe("redis");
    const { caseId } = await caseOf(a!, team, { blindReading: false });
    const onA = (acct: Account) => new Caller(a!, acct.caller.cookie);
    const onB = (acct: Account) => new Caller(b!, acct.caller.cookie);

    // The reviewer beats on A before anyone on B follows the case: B learns of them when it starts following.
    await beat(onA(team.REVIEWER), caseId, [1, 1]);
    const w = new Watcher(onB(team.OWNER), caseId);
    try {
      await w.waitFor([at(team.REVIEWER, [1, 1])], "B learns who is on the case from A");
      await beat(onB(team.MANAGER), caseId, [2, 2]);
      await beat(onA(team.REVIEWER), caseId, [5, 5]);
      await w.waitFor([at(team.REVIEWER, [5, 5]), at(team.MANAGER, [2, 2])], "beats on both replicas");
      expect(b!.services.presence.present(caseId)).toEqual(a!.services.presence.present(caseId));
      await onA(team.MANAGER).ok(LEAVE, { caseId });
      await w.waitFor([at(team.REVIEWER, [5, 5])], "a leave sent to the other replica");
      await w.waitFor([], "expiry of a user who beat on the other replica", 4000);
      expect(a!.services.presence.present(caseId)).toEqual([]);
      // Nobody follows the case on A any more, and no one is on it: A has let go of its channel.
      await until(() => a!.services.presence.listeners(caseId) === 0 && a!.services.presence.present(caseId).length === 0, 2000, "A idle");
      expect(presenceChannel(caseId)).toBe(`presence:${caseId}`);
    } finally {
      await w.close();
    }
  }, 30_000);
});
