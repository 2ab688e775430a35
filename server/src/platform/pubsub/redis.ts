import { createClient } from "redis";
import type { Logger } from "../../logger.js";
import type { Bus, Envelope, Listener } from "./bus.js";

// The few commands the bus uses; node-redis' full generic client type is needlessly hard to name.
interface Client {
  connect(): Promise<unknown>;
  quit(): Promise<unknown>;
  on(event: "error", listener: (err: Error) => void): unknown;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  unsubscribe(channel: string): Promise<unknown>;
}

// Redis pub/sub (node-redis): a publisher connection and a subscriber connection per process.
export class RedisBus implements Bus {
  readonly kind = "redis" as const;
  private readonly listeners = new Map<string, { set: Set<Listener>; ready: Promise<void> }>();

  private constructor(
    readonly instanceId: string,
    private readonly prefix: string,
    private readonly pub: Client,
    private readonly sub: Client,
    private readonly log: Logger,
  ) {}

  static async connect(url: string, instanceId: string, log: Logger, prefix = "concord:"): Promise<RedisBus> {
    const pub = createClient({ url }) as unknown as Client & { duplicate(): unknown };
    const sub = pub.duplicate() as unknown as Client;
    for (const c of [pub, sub]) c.on("error", (err: Error) => log.error({ err: err.message }, "redis bus error"));
    await Promise.all([pub.connect(), sub.connect()]);
    return new RedisBus(instanceId, prefix, pub, sub, log);
  }

  async publish(channel: string, payload: unknown): Promise<void> {
    const envelope: Envelope = { origin: this.instanceId, payload };
    await this.pub.publish(this.prefix + channel, JSON.stringify(envelope));
  }

  async subscribe(channel: string, listener: Listener): Promise<() => Promise<void>> {
    let entry = this.listeners.get(channel);
    if (!entry) {
      const set = new Set<Listener>();
      const ready = this.sub.subscribe(this.prefix + channel, (raw: string) => {
        let envelope: Envelope;
        try {
          envelope = JSON.parse(raw) as Envelope;
        } catch {
          this.log.warn({ channel }, "dropped a malformed bus message");
          return;
        }
        for (const l of [...set]) l(envelope);
      });
      entry = { set, ready };
      this.listeners.set(channel, entry);
    }
    entry.set.add(listener);
    // Every caller waits until Redis has confirmed the channel, not only the first.
    await entry.ready;
    const owned = entry;
    return async () => {
      owned.set.delete(listener);
      if (owned.set.size === 0 && this.listeners.get(channel) === owned) {
        this.listeners.delete(channel);
        await this.sub.unsubscribe(this.prefix + channel).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
