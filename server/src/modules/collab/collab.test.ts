import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import * as Y from "yjs";
import { GRANT_ROLE, Subscription, buildLabel, buildTeam, buildTeamProject, errorCode, until, type Account, type Team } from "../../testing/fixtures.js";
import { Caller, buildProject, buildUser, createTestDatabase, startTestServer, type TestServer } from "../../testing/harness.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { repoRoot } from "../../paths.js";
import { startServerProcess, type ServerProcess } from "../../testing/process.js";
import { ROIS, putRoi } from "./collab.document.js";
import { collabChannel } from "./collab.hub.js";

const redisUrl = inject("redisUrl");

const SYNC = `query($caseId: ID!, $layer: String!, $stateVector: String) { collabSync(caseId: $caseId, layer: $layer, stateVector: $stateVector) { caseId layer update stateVector } }`;
const UPDATE = `mutation($caseId: ID!, $layer: String!, $update: String!, $clientId: String) { collabUpdate(caseId: $caseId, layer: $layer, update: $update, clientId: $clientId) { caseId layer updateId } }`;
const UPDATES = `subscription($caseId: ID!, $layer: String!, $exceptClientId: String) { collabUpdates(caseId: $caseId, layer: $layer, exceptClientId: $exceptClientId) { kind caseId layer update clientId } }`;
const MINE = `query($caseId: ID!) { myAnnotation(caseId: $caseId) { version status rois { id classId kind points sopInstanceUid frame } } }`;
const SUBMIT = `mutation($caseId: ID!) { submitAnnotation(caseId: $caseId, input: { labels: [], rois: [] }) { version } }`;

type Server = TestServer & { dropDatabase(): Promise<void> };
interface SyncAnswer {
  caseId: string;
  layer: string;
  update: string;
  stateVector: string;
}
interface UpdateEvent {
  kind: "UPDATE" | "ACCESS_REVOKED";
  caseId: string;
  layer: string;
  update: string | null;
  clientId: string | null;
}

const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
const bytes = (s: string) => new Uint8Array(Buffer.from(s, "base64"));
const REMOTE = Symbol("remote");
/** The empty Yjs update. */
const EMPTY = "AAA=";
/** A state vector as comparable JSON (client -> clock, sorted). */
const sv = (v: Uint8Array) => JSON.stringify([...Y.decodeStateVector(v).entries()].sort((a, b) => a[0] - b[0]));
const roisJson = (doc: Y.Doc) => JSON.stringify(Object.entries(doc.getMap(ROIS).toJSON()).sort(([a], [b]) => a.localeCompare(b)));

const sync = async (caller: Caller, caseId: string, layer: string, stateVector?: Uint8Array) =>
  (await caller.ok<{ collabSync: SyncAnswer }>(SYNC, { caseId, layer, stateVector: stateVector ? b64(stateVector) : null })).collabSync;

/** The document as the server has it stored, read into a fresh Y.Doc. */
const storedDoc = async (caller: Caller, caseId: string, layer: string) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, bytes((await sync(caller, caseId, layer)).update));
  return doc;
};

/**
 * A Yjs client over the GraphQL transport, as the viewer will be: subscribe, then sync, then send
 * each local change by mutation and apply others' from the subscription (its own echoes dropped by
 * client id, and counted, so tests see every update arrive exactly once).
 */
class YClient {
  readonly doc = new Y.Doc();
  readonly id = `client-${randomUUID()}`;
  readonly received = { others: 0, echoes: 0 };
  sent = 0;
  acked = 0;
  readonly failures: string[] = [];
  revoked = false;
  private sub: Subscription<{ collabUpdates: UpdateEvent }> | null = null;
  private pump: Promise<void> | null = null;
  private closed = false;
  private readonly inflight = new Set<Promise<unknown>>();

  private probed = false;

  /** server: an in-process server (its hub shows when the subscription listens), or null for another process. */
  constructor(
    readonly caller: Caller,
    readonly server: Server | null,
    readonly caseId: string,
    readonly layer: string,
  ) {
    this.doc.on("update", (u: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.send(u);
    });
  }

  async connect(): Promise<void> {
    const channel = collabChannel(this.caseId, this.layer);
    const hub = this.server?.services.collab.hub;
    const before = hub?.listeners(channel) ?? 0;
    this.sub = new Subscription(this.caller, UPDATES, { caseId: this.caseId, layer: this.layer });
    this.pump = this.run();
    if (hub) {
      await until(() => hub.listeners(channel) > before || this.failures.length > 0, 5000, "the subscription to be listening");
    } else {
      // Another process: send empty updates until one comes back on the subscription.
      await until(
        async () => {
          if (this.probed || this.failures.length) return true;
          await this.caller.ok(UPDATE, { caseId: this.caseId, layer: this.layer, update: EMPTY, clientId: this.id });
          await new Promise((r) => setTimeout(r, 200));
          return this.probed;
        },
        10_000,
        "the subscription to hear a probe",
      );
    }
    if (this.failures.length) throw new Error(this.failures.join("; "));
    const answer = await sync(this.caller, this.caseId, this.layer, Y.encodeStateVector(this.doc));
    Y.applyUpdate(this.doc, bytes(answer.update), REMOTE);
  }

  edit(fn: (doc: Y.Doc) => void): void {
    this.doc.transact(() => fn(this.doc));
  }

  async settle(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.sub?.close();
    await this.pump;
  }

  private send(u: Uint8Array): void {
    this.sent++;
    const p = this.caller
      .ok(UPDATE, { caseId: this.caseId, layer: this.layer, update: b64(u), clientId: this.id })
      .then(
        () => void this.acked++,
        (err: Error) => void this.failures.push(err.message),
      )
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const r = await this.sub!.next(300);
      if (r === "timeout") continue;
      if (r.done) return;
      if (r.value.errors?.length || !r.value.data) {
        this.failures.push(JSON.stringify(r.value.errors));
        return;
      }
      const e = r.value.data.collabUpdates;
      if (e.kind === "ACCESS_REVOKED") {
        this.revoked = true;
        continue;
      }
      if (e.update === EMPTY) {
        // A probe (see connect): not an edit.
        if (e.clientId === this.id) this.probed = true;
        continue;
      }
      if (e.clientId === this.id) {
        this.received.echoes++;
        continue;
      }
      this.received.others++;
      Y.applyUpdate(this.doc, bytes(e.update!), REMOTE);
    }
  }
}

/** A project of the team with one 16x12 image case and a rectangle ROI class. */
async function projectWith(server: Server, team: Team, input: Record<string, unknown> = {}) {
  const projectId = await buildTeamProject(team, input);
  await stowOk(server, projectId, team.OWNER.caller, [{ name: "case-a.png", bytes: chestPng(16, 12, 1) }]);
  const [row] = await server.platform.db.dataSource.query(
    `SELECT c.id, i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1`,
    [projectId],
  );
  const rect = await buildLabel(team.OWNER.caller, projectId, { name: "Box", kind: "ROI", roiShape: "RECTANGLE" });
  return { projectId, caseId: row.id as string, sop: row.sop as string, rect };
}

const documentId = async (server: Server, caseId: string, layer: string): Promise<string> =>
  (await server.platform.db.dataSource.query(`SELECT id FROM collab_documents WHERE case_id = $1 AND layer = $2`, [caseId, layer]))[0].id;
const rowCount = async (server: Server, docId: string): Promise<number> =>
  Number((await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM collab_updates WHERE document_id = $1`, [docId]))[0].n);

describe("collaboration documents", () => {
  let server: Server;
  let team: Team;
  let reader2: Account;

  beforeAll(async () => {
    server = await startTestServer();
    [team, reader2] = await Promise.all([buildTeam(server), buildUser(server, "reader2")]);
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("syncs a reader's layer: the update a state vector lacks, the server's state vector, and the draft's ROIs as a projection", async () => {
    const f = await projectWith(server, team);
    const reader = team.ANNOTATOR;
    const layer = `reader:${reader.id}`;
    const doc = new Y.Doc();
    const roi = randomUUID();
    putRoi(doc, { id: roi, classId: f.rect, kind: "RECTANGLE", points: [[2, 3], [1, 1]] });
    const ack = await reader.caller.ok<{ collabUpdate: { caseId: string; layer: string; updateId: string } }>(UPDATE, {
      caseId: f.caseId,
      layer: `reader:${reader.id.toUpperCase()}`,
      update: b64(Y.encodeStateAsUpdate(doc)),
    });
    expect(ack.collabUpdate).toMatchObject({ caseId: f.caseId, layer });

    // Without a state vector: everything; with the client's own: nothing new, and the same vector.
    const fresh = await storedDoc(reader.caller, f.caseId, layer);
    expect(roisJson(fresh)).toBe(roisJson(doc));
    const again = await sync(reader.caller, f.caseId, layer, Y.encodeStateVector(doc));
    expect(sv(bytes(again.stateVector))).toBe(sv(Y.encodeStateVector(doc)));
    const before = Y.encodeStateAsUpdate(doc);
    Y.applyUpdate(doc, bytes(again.update));
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);

    // The projection: the reader's draft holds the layer's regions, normalised by the annotations module.
    const mine = async () => (await reader.caller.ok<{ myAnnotation: { version: number; status: string; rois: unknown[] } | null }>(MINE, { caseId: f.caseId })).myAnnotation;
    expect(await mine()).toEqual({ version: 1, status: "DRAFT", rois: [{ id: roi, classId: f.rect, kind: "RECTANGLE", points: [[1, 1], [2, 3]], sopInstanceUid: f.sop, frame: 1 }] });

    // An incremental edit (only what changed is sent) moves the region; deleting it empties the draft.
    const sent: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => sent.push(u));
    (doc.getMap(ROIS).get(roi) as Y.Map<unknown>).set("points", [[4, 4], [8, 9]]);
    await reader.caller.ok(UPDATE, { caseId: f.caseId, layer, update: b64(sent.pop()!) });
    expect((await mine())!.rois).toEqual([expect.objectContaining({ id: roi, points: [[4, 4], [8, 9]] })]);
    doc.getMap(ROIS).delete(roi);
    await reader.caller.ok(UPDATE, { caseId: f.caseId, layer, update: b64(sent.pop()!) });
    expect((await mine())!.rois).toEqual([]);
    expect(roisJson(await storedDoc(reader.caller, f.caseId, layer))).toBe("[]");

    // After submitting, the layer is read-only until the reader revises: a submitted version never changes.
    await reader.caller.ok(SUBMIT, { caseId: f.caseId });
    putRoi(doc, { id: randomUUID(), classId: f.rect, kind: "RECTANGLE", points: [[1, 1], [2, 2]] });
    expect(errorCode(await reader.caller.gql(UPDATE, { caseId: f.caseId, layer, update: b64(sent.pop()!) }))).toBe("CONFLICT");
  });

  it("refuses garbage, oversized updates and regions the annotations module would refuse, storing nothing", async () => {
    const f = await projectWith(server, team);
    const reader = team.ANNOTATOR;
    const layer = `reader:${reader.id}`;
    const send = (update: string, l = layer, clientId?: string) => reader.caller.gql(UPDATE, { caseId: f.caseId, layer: l, update, clientId });
    const region = (points: number[][], classId = f.rect) => {
      const d = new Y.Doc();
      putRoi(d, { id: randomUUID(), classId, kind: "RECTANGLE", points });
      return b64(Y.encodeStateAsUpdate(d));
    };
    const refused = [
      await send("this is not base64!"),
      await send(Buffer.from("certainly not a Yjs update").toString("base64")),
      await send(Buffer.alloc(2 * 1024 * 1024, 1).toString("base64")),
      await send(region([[0, 0], [100, 100]])), // outside the 16x12 image
      await send(region([[0, 0], [2, 2]], randomUUID())), // not a class of the project
      await send("AAA=", "reader:nobody"),
      await send("AAA=", layer, "a client id with spaces"),
    ];
    for (const r of refused) expect(errorCode(r), JSON.stringify(r.errors)).toBe("BAD_USER_INPUT");
    expect(refused[1]!.errors![0]!.message).toContain("not a Yjs update");
    expect(refused[3]!.errors![0]!.message).toContain("outside the 16x12 image");
    const rows = await server.platform.db.dataSource.query(`SELECT 1 FROM collab_updates u JOIN collab_documents d ON d.id = u.document_id WHERE d.case_id = $1`, [f.caseId]);
    expect(rows).toEqual([]);
    expect((await send(region([[0, 0], [2, 2]]))).errors).toBeUndefined();
  });

  it("takes no edit of any layer of a case a manager excluded, storing nothing, until it is included again", async () => {
    const f = await projectWith(server, team);
    const reader = team.ANNOTATOR;
    const region = () => {
      const d = new Y.Doc();
      putRoi(d, { id: randomUUID(), classId: f.rect, kind: "RECTANGLE", points: [[1, 1], [3, 3]] });
      return b64(Y.encodeStateAsUpdate(d));
    };
    const send = (who: typeof reader, layer: string) => who.caller.gql(UPDATE, { caseId: f.caseId, layer, update: region() });
    await team.OWNER.caller.ok(`mutation($c: ID!) { excludeCase(caseId: $c, reason: DUPLICATE) { id } }`, { c: f.caseId });
    const own = await send(reader, `reader:${reader.id}`);
    expect(errorCode(own)).toBe("CONFLICT");
    expect(own.errors![0]!.message).toMatch(/excluded from the project/);
    const consensus = await send(team.REVIEWER, "consensus");
    expect(errorCode(consensus)).toBe("CONFLICT");
    expect(consensus.errors![0]!.message).toMatch(/excluded from the project/);
    expect(await server.platform.db.dataSource.query(`SELECT 1 FROM collab_documents WHERE case_id = $1`, [f.caseId])).toEqual([]);

    await team.OWNER.caller.ok(`mutation($c: ID!) { includeCase(caseId: $c) { id } }`, { c: f.caseId });
    expect((await send(reader, `reader:${reader.id}`)).errors).toBeUndefined();
    expect((await send(team.REVIEWER, "consensus")).errors).toBeUndefined();
  });

  it("compacts a document into one snapshot without losing updates appended concurrently", async () => {
    const f = await projectWith(server, team);
    const layer = "consensus";
    const collab = server.services.collab;
    const writers = [team.OWNER, team.MANAGER, team.REVIEWER].map((a) => new YClient(a.caller, server, f.caseId, layer));
    writers[0]!.edit((d) => d.getMap("meta").set("created", true));
    await writers[0]!.settle();
    const docId = await documentId(server, f.caseId, layer);

    // An append that took its id before another but commits only after the compaction read the
    // rows (so it is not among them, though its id is lower than theirs) must survive.
    const runner = server.platform.db.dataSource.createQueryRunner();
    await runner.connect();
    const late = new Y.Doc();
    late.getMap("meta").set("late", "committed after the compaction read");
    try {
      await runner.startTransaction();
      await runner.query(`INSERT INTO collab_updates (document_id, data) VALUES ($1, $2)`, [docId, Buffer.from(Y.encodeStateAsUpdate(late))]);
      writers[1]!.edit((d) => d.getMap("meta").set("second", true));
      await writers[1]!.settle();
      expect(await collab.compact(docId, { afterRead: () => runner.commitTransaction() })).toEqual({ merged: 2 });
      expect(await rowCount(server, docId)).toBe(2);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }

    // Many appends from several writers while compactions run again and again.
    let compactions = 0;
    let appending = true;
    const compactor = (async () => {
      while (appending) {
        if ((await collab.compact(docId))?.merged) compactions++;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const ids: string[] = [];
    await Promise.all(
      writers.map(async (w, k) => {
        for (let i = 0; i < 15; i++) {
          const id = randomUUID();
          ids.push(id);
          w.edit((d) => putRoi(d, { id, classId: f.rect, kind: "RECTANGLE", points: [[k, i], [k + 1, i + 1]] }));
          if (i % 3 === 2) await w.settle();
        }
        await w.settle();
      }),
    );
    appending = false;
    await compactor;
    await collab.idle();
    expect(compactions).toBeGreaterThan(1);
    await collab.compact(docId);
    expect(await rowCount(server, docId)).toBe(1);

    const stored = await storedDoc(team.OWNER.caller, f.caseId, layer);
    expect([...stored.getMap(ROIS).keys()].sort()).toEqual([...ids].sort());
    expect(stored.getMap("meta").toJSON()).toEqual({ created: true, second: true, late: "committed after the compaction read" });
    for (const w of writers) expect(w.failures).toEqual([]);
  });

  it("compacts in the background once a document has more rows than its bound", async () => {
    const f = await projectWith(server, team);
    const collab = server.services.collab;
    const w = new YClient(team.OWNER.caller, server, f.caseId, "consensus");
    for (let i = 0; i <= collab.bounds.rows; i++) {
      w.edit((d) => d.getMap("meta").set(`k${i}`, i));
      await w.settle();
    }
    await collab.idle();
    const docId = await documentId(server, f.caseId, "consensus");
    expect(await rowCount(server, docId)).toBeLessThan(collab.bounds.rows);
    expect(Object.keys((await storedDoc(team.OWNER.caller, f.caseId, "consensus")).getMap("meta").toJSON())).toHaveLength(collab.bounds.rows + 1);
  });

  it("converges several clients editing the consensus layer at once, each hearing every other update exactly once", async () => {
    const f = await projectWith(server, team, { blindReading: false });
    const clients = [team.OWNER, team.REVIEWER, team.MANAGER, team.ANNOTATOR].map((a) => new YClient(a.caller, server, f.caseId, "consensus"));
    try {
      for (const c of clients) await c.connect();
      await editConcurrently(clients, f.rect);
      await expectConverged(clients, team.OWNER.caller, f.caseId);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it("blind reading: another reader's layer and the consensus layer stay closed to an annotator until they submit, over queries and subscriptions", async () => {
    const f = await projectWith(server, team);
    await team.OWNER.caller.ok(GRANT_ROLE, { projectId: f.projectId, input: { email: reader2.email, role: "ANNOTATOR" } });
    const author = team.ANNOTATOR;
    const layer = `reader:${author.id}`;
    const writer = new YClient(author.caller, server, f.caseId, layer);
    writer.edit((d) => putRoi(d, { id: randomUUID(), classId: f.rect, kind: "RECTANGLE", points: [[1, 1], [5, 5]] }));
    await writer.settle();
    expect(writer.failures).toEqual([]);

    const tryEverything = async (who: Caller, l: string) => {
      const codes = [errorCode(await who.gql(SYNC, { caseId: f.caseId, layer: l })), errorCode(await who.gql(UPDATE, { caseId: f.caseId, layer: l, update: "AAA=" }))];
      const sub = new Subscription<{ collabUpdates: UpdateEvent }>(who, UPDATES, { caseId: f.caseId, layer: l });
      try {
        const r = await sub.next(5000);
        codes.push(r === "timeout" ? "LISTENING" : r.done ? "DONE" : (errorCode(r.value) ?? "DATA"));
      } finally {
        await sub.close();
      }
      return codes;
    };
    // Not submitted: nothing about the author's layer or the consensus layer, not even that they exist.
    expect(await tryEverything(reader2.caller, layer)).toEqual(["NOT_FOUND", "NOT_FOUND", "NOT_FOUND"]);
    expect(await tryEverything(reader2.caller, "consensus")).toEqual(["NOT_FOUND", "NOT_FOUND", "NOT_FOUND"]);
    expect(await tryEverything(team.TRAINEE.caller, layer)).toEqual(["NOT_FOUND", "NOT_FOUND", "NOT_FOUND"]);
    expect(await tryEverything(team.DATA_OWNER.caller, "consensus")).toEqual(["NOT_FOUND", "NOT_FOUND", "NOT_FOUND"]);

    // A reviewer follows the author live, read only; losing the role ends the stream at once.
    const reviewer = new YClient(team.REVIEWER.caller, server, f.caseId, layer);
    await reviewer.connect();
    expect(roisJson(reviewer.doc)).toBe(roisJson(writer.doc));
    expect(errorCode(await team.REVIEWER.caller.gql(UPDATE, { caseId: f.caseId, layer, update: "AAA=" }))).toBe("NOT_FOUND");
    writer.edit((d) => putRoi(d, { id: randomUUID(), classId: f.rect, kind: "RECTANGLE", points: [[2, 2], [6, 6]] }));
    await writer.settle();
    await until(() => roisJson(reviewer.doc) === roisJson(writer.doc), 5000, "the reviewer to see the new region");
    await team.OWNER.caller.ok(`mutation($projectId: ID!, $userId: ID!) { revokeRole(projectId: $projectId, userId: $userId) }`, { projectId: f.projectId, userId: team.REVIEWER.id });
    await until(() => reviewer.revoked, 5000, "ACCESS_REVOKED");
    const seen = roisJson(reviewer.doc);
    writer.edit((d) => putRoi(d, { id: randomUUID(), classId: f.rect, kind: "RECTANGLE", points: [[3, 3], [7, 7]] }));
    await writer.settle();
    await new Promise((r) => setTimeout(r, 300));
    expect(roisJson(reviewer.doc)).toBe(seen);
    await reviewer.close();

    // Once reader2 has submitted the case, the author's layer opens to them (read only), live.
    await reader2.caller.ok(SUBMIT, { caseId: f.caseId });
    const follower = new YClient(reader2.caller, server, f.caseId, layer);
    await follower.connect();
    expect(roisJson(follower.doc)).toBe(roisJson(writer.doc));
    expect(JSON.parse(roisJson(follower.doc))).toHaveLength(3);
    writer.edit((d) => putRoi(d, { id: randomUUID(), classId: f.rect, kind: "RECTANGLE", points: [[4, 4], [8, 8]] }));
    await writer.settle();
    await until(() => roisJson(follower.doc) === roisJson(writer.doc), 5000, "the submitted reader to see the new region");
    expect(errorCode(await reader2.caller.gql(UPDATE, { caseId: f.caseId, layer, update: "AAA=" }))).toBe("NOT_FOUND");
    // ...and so does the consensus layer, read and write.
    expect((await reader2.caller.gql(UPDATE, { caseId: f.caseId, layer: "consensus", update: "AAA=" })).errors).toBeUndefined();
    await follower.close();
    expect([...writer.failures, ...reviewer.failures, ...follower.failures]).toEqual([]);
  });
});

/** Every client adds regions and drags one shared region, all at once, without waiting for acknowledgements. */
async function editConcurrently(clients: YClient[], classId: string, rounds = 10): Promise<void> {
  const shared = randomUUID();
  clients[0]!.edit((d) => putRoi(d, { id: shared, classId, kind: "RECTANGLE", points: [[0, 0], [1, 1]] }));
  await clients[0]!.settle();
  await until(() => clients.every((c) => c.doc.getMap(ROIS).has(shared)), 5000, "the shared region everywhere");
  await Promise.all(
    clients.map(async (c, k) => {
      for (let i = 0; i < rounds; i++) {
        c.edit((d) => putRoi(d, { id: randomUUID(), classId, kind: "RECTANGLE", points: [[k, i], [k + 2, i + 2]] }));
        c.edit((d) => (d.getMap(ROIS).get(shared) as Y.Map<unknown>).set("points", [[k, i], [k + 3, i + 3]]));
        if (i % 4 === 0) await new Promise((r) => setTimeout(r, Math.random() * 20));
      }
      await c.settle();
    }),
  );
}

/** All clients hold the same document, equal to what is stored, and each heard every other client's update once. */
async function expectConverged(clients: YClient[], reader: Caller, caseId: string): Promise<void> {
  for (const c of clients) expect(c.failures).toEqual([]);
  const total = clients.reduce((n, c) => n + c.sent, 0);
  expect(clients.every((c) => c.acked === c.sent)).toBe(true);
  await until(() => clients.every((c) => c.received.others + c.received.echoes === total), 10_000, "every update to reach every client");
  const stored = await storedDoc(reader, caseId, "consensus");
  for (const c of clients) {
    expect(c.received).toEqual({ others: total - c.sent, echoes: c.sent });
    expect(sv(Y.encodeStateVector(c.doc))).toBe(sv(Y.encodeStateVector(stored)));
    expect(roisJson(c.doc)).toBe(roisJson(stored));
  }
  expect(JSON.parse(roisJson(stored)).length).toBe(1 + clients.length * 10);
  // Nothing arrives late: counts stay exact.
  await new Promise((r) => setTimeout(r, 300));
  for (const c of clients) expect(c.received.others + c.received.echoes).toBe(total);
}

describe("durability across a restart", () => {
  it("a new server on the same database holds everything that was acknowledged", async () => {
    const db = await createTestDatabase();
    let first: Server | undefined;
    let second: Server | undefined;
    try {
      first = await startTestServer({ databaseUrl: db.url });
      const owner = await buildUser(first, "owner");
      const projectId = await buildProject(owner.caller);
      await stowOk(first, projectId, owner.caller, [{ name: "c.png", bytes: chestPng(8, 8) }]);
      const [{ id: caseId }] = await first.platform.db.dataSource.query(`SELECT id FROM cases WHERE project_id = $1`, [projectId]);
      const client = new YClient(owner.caller, first, caseId, "consensus");
      for (let i = 0; i < 30; i++) {
        client.edit((d) => d.getMap("meta").set(`k${i % 7}`, i));
        if (i % 5 === 4) await client.settle();
        if (i === 17) await first.services.collab.compact(await documentId(first, caseId, "consensus"));
      }
      await client.settle();
      expect(client.failures).toEqual([]);
      expect(client.acked).toBe(30);
      await first.close();
      first = undefined;

      second = await startTestServer({ databaseUrl: db.url });
      const stored = await storedDoc(new Caller(second, owner.caller.cookie), caseId, "consensus");
      expect(stored.getMap("meta").toJSON()).toEqual(client.doc.getMap("meta").toJSON());
      expect(sv(Y.encodeStateVector(stored))).toBe(sv(Y.encodeStateVector(client.doc)));
    } finally {
      await first?.close();
      await second?.close();
      await db.drop();
    }
  });
});

// Replica A is a server in this test process; replica B is `node bin/concord.js start`, a separate
// OS process (as in platform/pubsub/two-process.test.ts). They share one database and one Redis
// with the CLI's channel prefix ("concord"); channels are per case, so nothing else is heard.
describe("two server processes sharing PostgreSQL and Redis", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let a: Server | undefined;
  let b: ServerProcess | undefined;
  let bServer: { graphqlUrl: string; wsUrl: string };
  let team: Team;

  beforeAll(async () => {
    if (!redisUrl) return;
    execFileSync("npx", ["tsc", "-b", "server", "workers"], { cwd: repoRoot(), stdio: "pipe" });
    db = await createTestDatabase();
    a = await startTestServer({ databaseUrl: db.url, redisPrefix: "concord" });
    b = await startServerProcess({ databaseUrl: db.url, redisUrl });
    bServer = b.server;
    team = await buildTeam(a);
  }, 120_000);

  afterAll(async () => {
    await b?.stop();
    await a?.close();
    await db?.drop();
  }, 30_000);

  it.skipIf(!redisUrl)("clients on both converge, hear every update exactly once, and the stored state equals the live state (needs REDIS_URL)", async () => {
    expect(a!.platform.bus.kind).toBe("redis");
    const f = await projectWith(a!, team, { blindReading: false });
    const onA = (acct: Account) => new Caller(a!, acct.caller.cookie);
    const onB = (acct: Account) => new Caller(bServer, acct.caller.cookie);
    const clients = [
      new YClient(onA(team.OWNER), a!, f.caseId, "consensus"),
      new YClient(onB(team.REVIEWER), null, f.caseId, "consensus"),
      new YClient(onA(team.MANAGER), a!, f.caseId, "consensus"),
      new YClient(onB(team.ANNOTATOR), null, f.caseId, "consensus"),
      new YClient(onB(team.OWNER), null, f.caseId, "consensus"),
    ];
    try {
      for (const c of clients) await c.connect();
      await editConcurrently(clients, f.rect);
      await expectConverged(clients, onB(team.OWNER), f.caseId);
      expect(roisJson(await storedDoc(onA(team.OWNER), f.caseId, "consensus"))).toBe(roisJson(clients[0]!.doc));
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  }, 60_000);
});

