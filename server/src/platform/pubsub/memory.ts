import type { Bus, Envelope, Listener } from "./bus.js";

// The embedded default: one process, so a map of listeners is the whole bus.
export class MemoryBus implements Bus {
  readonly kind = "memory" as const;
  private readonly channels = new Map<string, Set<Listener>>();

  constructor(readonly instanceId: string) {}

  async publish(channel: string, payload: unknown): Promise<void> {
    const envelope: Envelope = { origin: this.instanceId, payload };
    for (const listener of [...(this.channels.get(channel) ?? [])]) {
      // Deliver asynchronously, as Redis would, so publishers never run subscriber code inline.
      queueMicrotask(() => listener(envelope));
    }
  }

  async subscribe(channel: string, listener: Listener): Promise<() => Promise<void>> {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size === 0) this.channels.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
  }
}
