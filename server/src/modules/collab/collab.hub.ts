import { randomUUID } from "node:crypto";
import type { Bus, Envelope } from "../../platform/pubsub/bus.js";

/** One stored update as it travels to subscribers, in this process and through the bus. */
export interface CollabMessage {
  /** The hub (service instance) that stored the update and delivered it to its own subscribers. */
  hub: string;
  caseId: string;
  layer: string;
  /** base64 of the Yjs update (v1). */
  update: string;
  clientId: string | null;
}

export type CollabSink = (message: CollabMessage) => void;

export const collabChannel = (caseId: string, layer: string) => `collab:${caseId}:${layer}`;

/**
 * Fan-out of one replica. A stored update goes straight to this replica's subscribers, then onto the
 * bus (one channel per document) for the others. The bus hands every message to every replica,
 * the writer's too; the writer recognises its own copy (its instance id as origin, and its hub id:
 * two services sharing one bus in a process stay apart) and drops it, because it already
 * delivered it. So each subscriber gets each update once, wherever it was written.
 * One bus subscription per document per replica, however many subscribers it has.
 */
export class CollabHub {
  readonly id = randomUUID();
  private readonly documents = new Map<string, { sinks: Set<CollabSink>; ready: Promise<() => Promise<void>> }>();

  constructor(private readonly bus: Bus) {}

  /** Resolves once the bus subscription is active: nothing stored afterwards, anywhere, is missed. */
  async join(channel: string, sink: CollabSink): Promise<() => Promise<void>> {
    let entry = this.documents.get(channel);
    if (!entry) {
      const sinks = new Set<CollabSink>();
      const ready = this.bus.subscribe(channel, (envelope) => this.fromBus(sinks, envelope));
      const created = { sinks, ready };
      entry = created;
      this.documents.set(channel, created);
      ready.catch(() => {
        if (this.documents.get(channel) === created) this.documents.delete(channel);
      });
    }
    entry.sinks.add(sink);
    const owned = entry;
    let left = false;
    const leave = async () => {
      if (left) return;
      left = true;
      owned.sinks.delete(sink);
      if (owned.sinks.size === 0 && this.documents.get(channel) === owned) {
        this.documents.delete(channel);
        const unsubscribe = await owned.ready.catch(() => null);
        await unsubscribe?.();
      }
    };
    try {
      await owned.ready;
    } catch (err) {
      await leave();
      throw err;
    }
    return leave;
  }

  /** Delivers locally, then publishes for the other replicas. */
  async publish(channel: string, message: Omit<CollabMessage, "hub">): Promise<void> {
    const m: CollabMessage = { ...message, hub: this.id };
    for (const sink of [...(this.documents.get(channel)?.sinks ?? [])]) sink(m);
    await this.bus.publish(channel, m);
  }

  /** Subscribers of this replica, per channel (for tests and metrics). */
  listeners(channel: string): number {
    return this.documents.get(channel)?.sinks.size ?? 0;
  }

  private fromBus(sinks: Set<CollabSink>, envelope: Envelope): void {
    const m = envelope.payload as CollabMessage;
    if (!m || typeof m.update !== "string") return;
    // Our own write: delivered locally when it was stored.
    if (envelope.origin === this.bus.instanceId && m.hub === this.id) return;
    for (const sink of [...sinks]) sink(m);
  }
}
