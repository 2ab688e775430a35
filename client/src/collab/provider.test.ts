import { afterEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import type { Roi } from "../viewer/roi";
import { CollabProvider, CollabRefused, type CollabDocRef, type CollabSubscriber, type CollabTransport } from "./provider";
import { readRois, writeRoi } from "./roiDoc";

/**
 * The server as the transport sees it, in memory: stores updates, answers syncs by state vector,
 * fans out to subscribers but the sender. Each client's link can go down: requests fail as a
 * network would, and its stream breaks.
 */
class FakeServer {
  readonly doc = new Y.Doc();
  readonly subscribers = new Set<{ link: FakeLink; except: string; s: CollabSubscriber }>();
  /** Layers nobody may read. */
  readonly hidden = new Set<string>();
  stored = 0;

  link(): FakeLink {
    return new FakeLink(this);
  }

  store(update: Uint8Array, clientId: string): void {
    Y.applyUpdate(this.doc, update);
    this.stored++;
    for (const sub of this.subscribers) {
      // Delivered a little later, as a socket would.
      if (sub.except !== clientId) setTimeout(() => sub.link.up && sub.s.update(update), 1);
    }
  }
}

class FakeLink implements CollabTransport {
  up = true;
  sent = 0;
  /** The next successful send's acknowledgement is lost on the way back. */
  loseNextAck = false;
  /** The next update sent to this link's stream goes missing. */
  dropNextDelivery = false;
  /** Syncs answered, and how many had been when an update went missing. */
  syncs = 0;
  syncsAtDrop: number | null = null;
  /** A new stream joins the server's fan-out only once this resolves (the real server checks access first). */
  joinAfter: Promise<void> | null = null;

  constructor(private readonly server: FakeServer) {}

  subscribe(ref: CollabDocRef, exceptClientId: string, s: CollabSubscriber): () => void {
    const entry = {
      link: this,
      except: exceptClientId,
      s: {
        ...s,
        update: (u: Uint8Array) => {
          if (this.dropNextDelivery) {
            this.dropNextDelivery = false;
            this.syncsAtDrop = this.syncs;
          } else s.update(u);
        },
      },
    };
    if (this.server.hidden.has(ref.layer)) {
      setTimeout(() => s.failed(new CollabRefused("Case not found", "NOT_FOUND")), 1);
      return () => {};
    }
    if (!this.up) {
      setTimeout(() => s.failed(new Error("socket closed")), 1);
      return () => {};
    }
    let stopped = false;
    const join = () => stopped || this.server.subscribers.add(entry);
    if (this.joinAfter) void this.joinAfter.then(join);
    else join();
    return () => {
      stopped = true;
      this.server.subscribers.delete(entry);
    };
  }

  async sync(ref: CollabDocRef, stateVector: Uint8Array) {
    await this.trip();
    if (this.server.hidden.has(ref.layer)) throw new CollabRefused("Case not found", "NOT_FOUND");
    const state = Y.encodeStateAsUpdate(this.server.doc);
    this.syncs++;
    return { update: Y.diffUpdate(state, stateVector), stateVector: Y.encodeStateVector(this.server.doc) };
  }

  async send(_ref: CollabDocRef, update: Uint8Array, clientId: string) {
    await this.trip();
    this.sent++;
    this.server.store(update, clientId);
    if (this.loseNextAck) {
      this.loseNextAck = false;
      throw new Error("connection reset");
    }
  }

  /** The link goes down: requests fail and the stream breaks. */
  down(): void {
    this.up = false;
    for (const sub of [...this.server.subscribers]) {
      if (sub.link !== this) continue;
      this.server.subscribers.delete(sub);
      sub.s.failed(new Error("socket closed"));
    }
  }

  private async trip(): Promise<void> {
    await new Promise((r) => setTimeout(r, 1));
    if (!this.up) throw new TypeError("Failed to fetch");
  }
}

const layer: CollabDocRef = { caseId: "case-1", layer: "consensus" };
const roi = (id: string, x: number, classId = "c1"): Roi => ({ id, classId, kind: "RECTANGLE", points: [[x, x], [x + 10, x + 10]], sopInstanceUid: "1.2.3", frame: 1 });
const fast = { retryMs: [5, 20] as const, confirmMs: 30 };

const providers: CollabProvider[] = [];
function open(server: FakeServer, options: ConstructorParameters<typeof CollabProvider>[3] = {}, ref = layer) {
  const link = server.link();
  const p = new CollabProvider(new Y.Doc(), link, ref, { ...fast, ...options }).start();
  providers.push(p);
  return { p, link, doc: p.doc };
}
afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
});

const json = (doc: Y.Doc) => doc.getMap("rois").toJSON();

describe("CollabProvider", () => {
  it("syncs what exists, then exchanges edits live, without echoes", async () => {
    const server = new FakeServer();
    const seed = new Y.Doc();
    writeRoi(seed, roi("r0", 0), null);
    server.store(Y.encodeStateAsUpdate(seed), "seed");

    const a = open(server);
    const b = open(server);
    await vi.waitFor(() => expect([a.p.status, b.p.status]).toEqual(["synced", "synced"]));
    expect(readRois(a.doc).map((r) => r.id)).toEqual(["r0"]);

    const remoteApplies: unknown[] = [];
    a.doc.on("update", (_u: Uint8Array, origin: unknown) => origin === a.p.remote && remoteApplies.push(origin));
    writeRoi(a.doc, roi("r1", 20), "viewer");
    expect(await a.p.flushed(1000)).toBe(true);
    await vi.waitFor(() => expect(readRois(b.doc).map((r) => r.id)).toEqual(["r0", "r1"]));
    expect(b.link.sent).toBe(0); // B applied A's update as remote: nothing sent back
    await new Promise((r) => setTimeout(r, 60)); // past the confirming resync
    expect(remoteApplies.every((o) => o === a.p.remote)).toBe(true);
    expect(a.link.sent).toBe(1);
    expect(json(server.doc)).toEqual(json(a.doc));
  });

  it("keeps editing offline and merges on reconnect: both sides' edits survive", async () => {
    const server = new FakeServer();
    const a = open(server);
    const b = open(server);
    writeRoi(a.doc, roi("shared", 1), "viewer");
    await vi.waitFor(() => expect(readRois(b.doc).map((r) => r.id)).toEqual(["shared"]));

    a.link.down();
    await vi.waitFor(() => expect(a.p.status).toBe("offline"));
    writeRoi(a.doc, roi("a-offline", 50), "viewer");
    writeRoi(a.doc, { ...roi("shared", 1), classId: "c-from-a" }, "viewer");
    writeRoi(b.doc, { ...roi("shared", 1), points: [[7, 7], [8, 8]] }, "viewer");
    writeRoi(b.doc, roi("b-online", 80), "viewer");
    expect(await a.p.flushed(30)).toBe(false); // not while offline
    expect(await b.p.flushed(1000)).toBe(true);

    a.link.up = true;
    expect(await a.p.flushed(2000)).toBe(true);
    await vi.waitFor(() => {
      expect(json(a.doc)).toEqual(json(b.doc));
      expect(json(server.doc)).toEqual(json(a.doc));
    });
    expect(readRois(a.doc).map((r) => r.id)).toEqual(["a-offline", "b-online", "shared"]);
    expect(readRois(a.doc).find((r) => r.id === "shared")).toMatchObject({ classId: "c-from-a", points: [[7, 7], [8, 8]] });
  });

  it("resends nothing twice after a lost acknowledgement, and fills a gap in the stream", async () => {
    const server = new FakeServer();
    const a = open(server);
    const b = open(server);
    await vi.waitFor(() => expect(b.p.status).toBe("synced"));

    a.link.loseNextAck = true;
    writeRoi(a.doc, roi("r1", 1), "viewer");
    expect(await a.p.flushed(2000)).toBe(true);
    expect(server.stored).toBe(1); // the resync found the server had it: not sent again

    b.link.dropNextDelivery = true;
    writeRoi(a.doc, roi("r2", 2), "viewer");
    await a.p.flushed(1000);
    writeRoi(a.doc, roi("r3", 3), "viewer"); // builds on r2, which B never got
    await vi.waitFor(() => expect(readRois(b.doc).map((r) => r.id)).toEqual(["r1", "r2", "r3"]));
  });

  it("catches up on a missed last update with the periodic resync", async () => {
    const server = new FakeServer();
    const a = open(server);
    const b = open(server, { resyncEveryMs: 40 });
    await vi.waitFor(() => expect(b.p.status).toBe("synced"));
    await new Promise((r) => setTimeout(r, 50)); // past the confirming resync
    b.link.dropNextDelivery = true;
    writeRoi(a.doc, roi("last", 1), "viewer");
    await a.p.flushed(1000);
    // Missed, and nothing after it to notice by: only a resync answered after the loss brings it.
    // (Not "B has nothing yet": on a busy machine the next resync may already have come.)
    await vi.waitFor(() => expect(b.link.syncsAtDrop).not.toBeNull());
    const at = b.link.syncsAtDrop!;
    await vi.waitFor(() => {
      expect(readRois(b.doc).map((r) => r.id)).toEqual(["last"]);
      expect(b.link.syncs).toBeGreaterThan(at);
    });
  });

  it("resyncs after every new stream, also when the last resync came while the stream was down", async () => {
    const server = new FakeServer();
    const a = open(server, { retryMs: [60_000, 60_000] }); // no retry on its own: reconnect() below is the only one
    const b = open(server);
    await vi.waitFor(() => expect([a.p.status, b.p.status]).toEqual(["synced", "synced"]));
    await new Promise((r) => setTimeout(r, 50)); // past the confirming resync

    // The stream breaks while requests still go through: A's edit resyncs and is acknowledged without a stream.
    a.link.down();
    a.link.up = true;
    writeRoi(a.doc, roi("a1", 1), "viewer");
    await vi.waitFor(() => expect([a.p.status, a.p.unacknowledged]).toEqual(["synced", 0]));
    writeRoi(b.doc, roi("b1", 2), "viewer"); // stored after A's resync, before A's new stream
    expect(await b.p.flushed(1000)).toBe(true);

    a.p.reconnect();
    await vi.waitFor(() => expect(readRois(a.doc).map((r) => r.id)).toEqual(["a1", "b1"]));
  });

  it("confirms with a resync after every new stream, for an update stored before the server joined it", async () => {
    const server = new FakeServer();
    const a = open(server);
    await vi.waitFor(() => expect(a.p.status).toBe("synced"));
    await new Promise((r) => setTimeout(r, 50)); // past the first stream's confirming resync

    let join = () => {};
    a.link.joinAfter = new Promise((r) => (join = r));
    a.link.down();
    a.link.up = true;
    expect(await a.p.flushed(1000)).toBe(true); // reconnected: subscribed and synced, the stream not joined yet
    const other = new Y.Doc();
    writeRoi(other, roi("b1", 2), null);
    server.store(Y.encodeStateAsUpdate(other), "other"); // before the confirming resync is due
    join();
    await vi.waitFor(() => expect(readRois(a.doc).map((r) => r.id)).toEqual(["b1"]));
  });

  it("never sends from a read-only layer, and a refused layer just ends", async () => {
    const server = new FakeServer();
    const a = open(server, { readOnly: true });
    await vi.waitFor(() => expect(a.p.status).toBe("synced"));
    writeRoi(a.doc, roi("mine", 1), "viewer");
    await new Promise((r) => setTimeout(r, 20));
    expect(a.link.sent).toBe(0);

    server.hidden.add("reader:someone");
    const hidden = open(server, { readOnly: true }, { caseId: "case-1", layer: "reader:someone" });
    await vi.waitFor(() => expect(hidden.p.status).toBe("denied"));
    expect(hidden.p.deniedBy).toBeInstanceOf(CollabRefused);
    expect(hidden.p.deniedBy?.code).toBe("NOT_FOUND");
    expect(await hidden.p.flushed(10)).toBe(false);
  });

  it("converges with several editors over random edits and disconnects", async () => {
    const server = new FakeServer();
    const clients = [open(server), open(server), open(server)];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let step = 0; step < 60; step++) {
      const c = clients[Math.floor(random() * clients.length)]!;
      const roll = random();
      if (roll < 0.1) c.link.down();
      else if (roll < 0.25) c.link.up = true;
      else if (roll < 0.4) c.doc.getMap("rois").delete(`r${Math.floor(random() * 6)}`);
      else writeRoi(c.doc, roi(`r${Math.floor(random() * 6)}`, Math.floor(random() * 100)), "viewer");
      if (step % 10 === 0) await new Promise((r) => setTimeout(r, 3));
    }
    for (const c of clients) c.link.up = true;
    for (const c of clients) expect(await c.p.flushed(3000)).toBe(true);
    // Convergence may take a few resync rounds; on a loaded machine more than vi.waitFor's default second.
    await vi.waitFor(
      () => {
        for (const c of clients) expect(json(c.doc)).toEqual(json(server.doc));
      },
      { timeout: 10_000 },
    );
  });
});
