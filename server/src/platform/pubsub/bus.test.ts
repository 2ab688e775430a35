import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { createClient } from "redis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createLogger } from "../../logger.js";
import { until } from "../../testing/fixtures.js";
import { listen, type Bus, type Envelope, type Listener } from "./bus.js";
import { MemoryBus } from "./memory.js";
import { RedisBus } from "./redis.js";

const redisUrl = inject("redisUrl");
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A bus that counts live subscriptions, to see what listen() leaves behind. */
class CountingBus implements Bus {
  readonly kind = "memory" as const;
  readonly instanceId = "counting";
  live = 0;
  unsubscribes = 0;
  constructor(private readonly inner: Bus = new MemoryBus("inner")) {}
  publish(channel: string, payload: unknown) {
    return this.inner.publish(channel, payload);
  }
  async subscribe(channel: string, listener: Listener) {
    const off = await this.inner.subscribe(channel, listener);
    this.live++;
    return async () => {
      this.live--;
      this.unsubscribes++;
      await off();
    };
  }
  close() {
    return this.inner.close();
  }
}

describe("MemoryBus", () => {
  it("delivers each message to every listener of its channel, asynchronously, with the publisher's instance id", async () => {
    const bus = new MemoryBus("instance-a");
    const a: Envelope[] = [];
    const b: Envelope[] = [];
    const other: Envelope[] = [];
    await bus.subscribe("ch", (m) => a.push(m));
    await bus.subscribe("ch", (m) => b.push(m));
    await bus.subscribe("other", (m) => other.push(m));
    const published = bus.publish("ch", { n: 1 });
    // Listeners never run inside publish(), as with Redis.
    expect(a).toEqual([]);
    await published;
    await tick();
    expect(a).toEqual([{ origin: "instance-a", payload: { n: 1 } }]);
    expect(b).toEqual(a);
    expect(other).toEqual([]);
    await bus.publish("nobody-listens", 1);
  });

  it("stops delivering to a listener once unsubscribed, even one removed during a delivery", async () => {
    const bus = new MemoryBus("i");
    const heard: string[] = [];
    let offB: () => Promise<void> = async () => {};
    const offA = await bus.subscribe("ch", (m) => {
      heard.push(`a:${m.payload}`);
      void offB();
    });
    offB = await bus.subscribe("ch", (m) => heard.push(`b:${m.payload}`));
    await bus.publish("ch", 1);
    await tick();
    await bus.publish("ch", 2);
    await tick();
    await offA();
    await bus.publish("ch", 3);
    await tick();
    // b was registered when 1 was published, so it still heard 1; after its removal it heard nothing.
    expect(heard).toEqual(["a:1", "b:1", "a:2"]);
    await offA(); // twice is harmless
  });

  it("hears nothing after close()", async () => {
    const bus = new MemoryBus("i");
    const heard: unknown[] = [];
    await bus.subscribe("ch", (m) => heard.push(m));
    await bus.close();
    await bus.publish("ch", 1);
    await tick();
    expect(heard).toEqual([]);
  });
});

describe("listen()", () => {
  it("yields messages in order, including those published before next() was called", async () => {
    const bus = new MemoryBus("i");
    const it = await listen<number>(bus, "ch");
    await bus.publish("ch", 1);
    await bus.publish("ch", 2);
    await tick();
    const waiting = it.next();
    await bus.publish("other", 99);
    await tick();
    expect(await waiting).toEqual({ done: false, value: { origin: "i", payload: 1 } });
    expect((await it.next()).value?.payload).toBe(2);
    const pending = it.next();
    await bus.publish("ch", 3);
    expect((await pending).value?.payload).toBe(3);
    await it.return!();
  });

  it("buffers at most maxBuffer messages for a slow reader, dropping the oldest", async () => {
    const bus = new MemoryBus("i");
    const it = await listen<number>(bus, "ch", 3);
    for (let n = 1; n <= 7; n++) await bus.publish("ch", n);
    await tick();
    const read: number[] = [];
    for (let i = 0; i < 3; i++) read.push((await it.next()).value!.payload);
    expect(read).toEqual([5, 6, 7]);
    // The buffer is empty now: the reader waits for the next message instead of getting an old one.
    let settled = false;
    const next = it.next().then((r) => ((settled = true), r));
    await tick();
    expect(settled).toBe(false);
    await bus.publish("ch", 8);
    expect((await next).value?.payload).toBe(8);
    await it.return!();
  });

  it("return() unsubscribes once, ends a pending next(), and later next() calls are done", async () => {
    const bus = new CountingBus();
    const it = await listen(bus, "ch");
    expect(bus.live).toBe(1);
    const pending = it.next();
    expect(await it.return!()).toEqual({ done: true, value: undefined });
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(bus.live).toBe(0);
    await bus.publish("ch", "late");
    await tick();
    expect(await it.next()).toEqual({ done: true, value: undefined });
    await it.return!();
    expect(bus.unsubscribes).toBe(1);
  });

  it("return() drops what was buffered", async () => {
    const bus = new MemoryBus("i");
    const it = await listen(bus, "ch");
    await bus.publish("ch", 1);
    await tick();
    await it.return!();
    expect((await it.next()).done).toBe(true);
  });

  it("unsubscribes when a for-await loop breaks, and when throw() is called", async () => {
    const bus = new CountingBus();
    const a = await listen<number>(bus, "ch");
    const b = await listen<number>(bus, "ch");
    expect(bus.live).toBe(2);
    await bus.publish("ch", 1);
    for await (const m of a) {
      expect(m.payload).toBe(1);
      break;
    }
    expect(bus.live).toBe(1);
    await expect(b.throw!(new Error("client went away"))).rejects.toThrow("client went away");
    expect(bus.live).toBe(0);
    expect((await b.next()).done).toBe(true);
  });
});

describe("RedisBus", () => {
  // Each test gets its own channel prefix, so runs sharing one Redis do not hear each other.
  const buses: RedisBus[] = [];
  const clients: Array<{ quit(): Promise<unknown> }> = [];
  const connect = async (instanceId: string, prefix: string, log = createLogger("silent")) => {
    const bus = await RedisBus.connect(redisUrl!, instanceId, log, prefix);
    buses.push(bus);
    return bus;
  };
  const rawClient = async () => {
    const c = createClient({ url: redisUrl! });
    await c.connect();
    clients.push(c);
    return c;
  };
  const freshPrefix = () => `concord-bus-test-${randomBytes(4).toString("hex")}:`;
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    await Promise.all(clients.splice(0).map((c) => c.quit()));
  });

  it.skipIf(!redisUrl)("carries messages between two connections, as JSON, with the publisher's instance id (needs REDIS_URL)", async () => {
    const prefix = freshPrefix();
    const a = await connect("instance-a", prefix);
    const b = await connect("instance-b", prefix);
    const heardByA: Envelope[] = [];
    const heardByB: Envelope[] = [];
    await a.subscribe("ch", (m) => heardByA.push(m));
    await b.subscribe("ch", (m) => heardByB.push(m));
    // subscribe() resolved, so a message published right now is not missed.
    await b.publish("ch", { kind: "LABELS_CHANGED", n: 1, nested: [true, null] });
    await until(() => heardByA.length === 1 && heardByB.length === 1, 5000, "delivery");
    expect(heardByA).toEqual([{ origin: "instance-b", payload: { kind: "LABELS_CHANGED", n: 1, nested: [true, null] } }]);
    // The publisher's own listeners hear it too; the origin lets a replica recognise its own echo.
    expect(heardByB).toEqual(heardByA);
  });

  it.skipIf(!redisUrl)("keeps channels and prefixes apart (needs REDIS_URL)", async () => {
    const prefix = freshPrefix();
    const a = await connect("a", prefix);
    const elsewhere = await connect("b", freshPrefix());
    const heard: string[] = [];
    await a.subscribe("one", (m) => heard.push(`one:${m.payload}`));
    await a.subscribe("two", (m) => heard.push(`two:${m.payload}`));
    await elsewhere.publish("one", "other-prefix");
    await a.publish("two", "x");
    await a.publish("one", "y");
    await until(() => heard.length >= 2, 5000, "delivery");
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.sort()).toEqual(["one:y", "two:x"]);
  });

  it.skipIf(!redisUrl)("shares one Redis subscription per channel and drops it with the last listener (needs REDIS_URL)", async () => {
    const prefix = freshPrefix();
    const bus = await connect("a", prefix);
    const redis = await rawClient();
    const numsub = async () => Number((await redis.pubSubNumSub(`${prefix}ch`))[`${prefix}ch`] ?? 0);
    const heard: string[] = [];
    // Two subscribers racing: both resolve only once Redis has confirmed the channel.
    const [off1, off2] = await Promise.all([
      bus.subscribe("ch", (m) => heard.push(`1:${m.payload}`)),
      bus.subscribe("ch", (m) => heard.push(`2:${m.payload}`)),
    ]);
    expect(await numsub()).toBe(1);
    await redis.publish(`${prefix}ch`, JSON.stringify({ origin: "raw", payload: "p" }));
    await until(() => heard.length === 2, 5000, "delivery to both");
    await off1();
    expect(await numsub()).toBe(1);
    await bus.publish("ch", "q");
    await until(() => heard.length === 3, 5000, "delivery to the second");
    expect(heard.sort()).toEqual(["1:p", "2:p", "2:q"]);
    await off2();
    await until(async () => (await numsub()) === 0, 5000, "the channel to be unsubscribed");
    await off2(); // twice is harmless
    // Subscribing again after the last listener left works.
    const again: unknown[] = [];
    await bus.subscribe("ch", (m) => again.push(m.payload));
    await bus.publish("ch", "r");
    await until(() => again.length === 1, 5000, "delivery after resubscribing");
  });

  it.skipIf(!redisUrl)("drops a malformed message with a warning and keeps delivering (needs REDIS_URL)", async () => {
    const prefix = freshPrefix();
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const bus = await connect("a", prefix, createLogger("warn", "bus-test", sink));
    const heard: unknown[] = [];
    await bus.subscribe("ch", (m) => heard.push(m.payload));
    const redis = await rawClient();
    await redis.publish(`${prefix}ch`, "{not json");
    await bus.publish("ch", "after");
    await until(() => heard.length === 1, 5000, "the good message");
    expect(heard).toEqual(["after"]);
    expect(lines.join("")).toContain("malformed");
  });

  it.skipIf(!redisUrl)("feeds listen() like the memory bus, and return() releases the Redis channel (needs REDIS_URL)", async () => {
    const prefix = freshPrefix();
    const bus = await connect("a", prefix);
    const publisher = await connect("b", prefix);
    const redis = await rawClient();
    const it = await listen<number>(bus, "ch", 2);
    let arrived = 0;
    const off = await bus.subscribe("ch", () => arrived++);
    for (const n of [1, 2, 3]) await publisher.publish("ch", n);
    await until(() => arrived === 3, 5000, "three messages");
    expect((await it.next()).value?.payload).toBe(2);
    expect((await it.next()).value?.payload).toBe(3);
    await off();
    await it.return!();
    await until(async () => Number((await redis.pubSubNumSub(`${prefix}ch`))[`${prefix}ch`] ?? 0) === 0, 5000, "unsubscribe");
  });
});
