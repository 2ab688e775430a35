import * as Y from "yjs";

// Keeps one Y.Doc in step with one collaboration document on the server (a case's layer), over a
// transport that is our GraphQL API (apolloTransport.ts) or, in tests, an in-memory fake.
//
// Sync: subscribe first, then ask for what our state vector lacks; afterwards the subscription
// brings others' updates. Local edits (any origin but ours) queue and go out one merged update at
// a time, each acknowledged only once the server stored it. On a network failure the provider
// goes offline and keeps queueing; on reconnect it resyncs by state vector and sends what the
// server lacks (Y.encodeStateAsUpdate(doc, serverStateVector)), so offline edits merge. Updates
// applied from the server carry `provider.remote` as their origin: they are never sent back.

export interface CollabDocRef {
  caseId: string;
  /** "consensus", or "reader:<user id>". */
  layer: string;
}

export interface CollabSubscriber {
  update(update: Uint8Array): void;
  /** The server ended the stream: this client may no longer read the layer. */
  revoked(): void;
  /** The stream failed: a CollabRefused when the server said no, anything else is the network. */
  failed(err: unknown): void;
}

export interface CollabTransport {
  /** Starts receiving others' updates (not those sent with `exceptClientId`); returns a stop function. */
  subscribe(ref: CollabDocRef, exceptClientId: string, subscriber: CollabSubscriber): () => void;
  /** What `stateVector` lacks of the stored document, and the server's state vector. */
  sync(ref: CollabDocRef, stateVector: Uint8Array): Promise<{ update: Uint8Array; stateVector: Uint8Array }>;
  /** Resolves once the server stored the update. */
  send(ref: CollabDocRef, update: Uint8Array, clientId: string): Promise<void>;
}

/** The server refused the request (not found, not allowed, invalid): sending it again cannot help. */
export class CollabRefused extends Error {
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = "CollabRefused";
  }
}

/**
 * connecting: before the first sync; synced: everything local is acknowledged (or was when the
 * queue last emptied); offline: waiting to retry; denied: the server will not show this layer;
 * closed: destroyed.
 */
export type CollabStatus = "connecting" | "synced" | "offline" | "denied" | "closed";

export interface CollabProviderOptions {
  /** Another reader's layer: local changes are never sent. */
  readOnly?: boolean;
  clientId?: string;
  /** Retry after a network failure: the first wait, doubling up to the last. */
  retryMs?: readonly [number, number];
  /** A resync this long after the first one of each stream, for an update stored between subscribing and syncing. */
  confirmMs?: number;
  /**
   * And one every so often: the socket may reconnect without telling us (graphql-ws resubscribes by
   * itself), and an update missed meanwhile is only noticed when a later one builds on it.
   */
  resyncEveryMs?: number;
  onStatus?: (status: CollabStatus) => void;
  /** The server refused a local update: it was dropped from the queue. */
  onRefused?: (err: CollabRefused) => void;
}

/** Does this update change anything? (An empty Yjs update still has a few bytes.) */
export function carriesChanges(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length > 0 || ds.clients.size > 0;
}

/** A client id the server accepts (letters, digits, . _ : -), random per provider. */
export function randomClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `c-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export class CollabProvider {
  readonly clientId: string;
  /** The origin of every update applied from the server. */
  readonly remote: { readonly provider: CollabProvider };
  /** Why the layer is denied (not found, not allowed, access revoked). */
  deniedBy: CollabRefused | null = null;
  private statusNow: CollabStatus = "connecting";
  /** Local updates not yet acknowledged, oldest first. */
  private pending: Uint8Array[] = [];
  private needSync = true;
  private running: Promise<void> | null = null;
  private again = false;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private confirmTimer: ReturnType<typeof setTimeout> | null = null;
  private confirmed = false;
  private resyncTimer: ReturnType<typeof setInterval> | null = null;
  private stopStream: (() => void) | null = null;
  private waiters: Array<(ok: boolean) => void> = [];

  constructor(
    readonly doc: Y.Doc,
    private readonly transport: CollabTransport,
    readonly ref: CollabDocRef,
    private readonly options: CollabProviderOptions = {},
  ) {
    this.clientId = options.clientId ?? randomClientId();
    this.remote = Object.freeze({ provider: this });
    doc.on("update", this.onUpdate);
  }

  get status(): CollabStatus {
    return this.statusNow;
  }

  /** Closed, or denied by the server: nothing more happens. */
  get ended(): boolean {
    return this.statusNow === "closed" || this.statusNow === "denied";
  }

  /** Local updates waiting for the server's acknowledgement. */
  get unacknowledged(): number {
    return this.pending.length;
  }

  start(): this {
    this.subscribe();
    void this.pump();
    this.resyncTimer = setInterval(() => {
      if (this.statusNow !== "synced") return;
      this.needSync = true;
      void this.pump();
    }, this.options.resyncEveryMs ?? 30_000);
    return this;
  }

  /**
   * Resolves true once every local update so far is acknowledged, false when that does not happen
   * within `timeoutMs` (offline) or the layer is denied or closed.
   */
  flushed(timeoutMs = 10_000): Promise<boolean> {
    if (this.settled()) return Promise.resolve(true);
    if (this.ended) return Promise.resolve(false);
    if (this.statusNow === "offline") this.reconnect();
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        resolve(ok);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(done);
    });
  }

  /** Tries again now (the browser says it is back online). */
  reconnect(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.ended) return;
    if (!this.stopStream) this.subscribe();
    void this.pump();
  }

  destroy(): void {
    if (this.statusNow === "closed") return;
    this.doc.off("update", this.onUpdate);
    this.stop();
    this.setStatus("closed");
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this.remote || this.options.readOnly || this.ended) return;
    this.pending.push(update);
    void this.pump();
  };

  private subscribe(): void {
    this.stopStream?.();
    const stop = this.transport.subscribe(this.ref, this.clientId, {
      update: (update) => {
        if (this.stopStream === stop) this.applyRemote(update);
      },
      revoked: () => {
        if (this.stopStream === stop) this.deny(new CollabRefused("Access to this layer ended", "ACCESS_REVOKED"));
      },
      failed: (err) => {
        if (this.stopStream !== stop) return;
        if (err instanceof CollabRefused) return this.deny(err);
        // The stream is gone: a new one on retry, and with it a resync for what it missed.
        this.stopStream = null;
        this.offline();
      },
    });
    this.stopStream = stop;
    // Subscribe first, then sync, for every new stream: a resync done while there was none (the
    // loop can run while the stream is down) leaves out what was stored until this one began. The
    // confirming resync again too: the server may join the stream after answering that sync.
    this.needSync = true;
    this.confirmed = false;
  }

  private applyRemote(update: Uint8Array): void {
    if (this.ended) return;
    Y.applyUpdate(this.doc, update, this.remote);
    // An update built on one we never got (missed while the stream reconnected) waits in the store: fetch the gap.
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
      this.needSync = true;
      void this.pump();
    }
  }

  /** One loop at a time: resync when needed, then send the queue, merged, until it is empty. */
  private pump(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = this.run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.pump();
      }
    });
    this.running = run;
    return run;
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        if (this.ended) return;
        if (this.needSync) {
          this.needSync = false;
          await this.resync();
        }
        if (!this.pending.length) break;
        const n = this.pending.length;
        const update = n === 1 ? this.pending[0]! : Y.mergeUpdates(this.pending.slice(0, n));
        try {
          await this.transport.send(this.ref, update, this.clientId);
        } catch (err) {
          if (!(err instanceof CollabRefused)) throw err;
          // Refused for good (an invalid region, a submitted case): reported, not retried forever.
          this.options.onRefused?.(err);
        }
        this.pending.splice(0, n);
      }
      if (this.ended) return;
      this.retries = 0;
      this.setStatus("synced");
      this.scheduleConfirm();
      if (!this.pending.length && !this.again) this.release(true);
    } catch (err) {
      if (err instanceof CollabRefused) return this.deny(err);
      this.needSync = true;
      this.offline();
    }
  }

  /** Takes what the server has that we lack, and puts what it lacks of ours in place of the queue. */
  private async resync(): Promise<void> {
    const { update, stateVector } = await this.transport.sync(this.ref, Y.encodeStateVector(this.doc));
    if (this.ended) return;
    Y.applyUpdate(this.doc, update, this.remote);
    if (this.options.readOnly) return;
    const queued = this.pending.length;
    const missing = Y.encodeStateAsUpdate(this.doc, stateVector);
    this.pending.splice(0, queued, ...(carriesChanges(missing) ? [missing] : []));
  }

  private scheduleConfirm(): void {
    if (this.confirmed) return;
    this.confirmed = true;
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => {
      this.confirmTimer = null;
      this.needSync = true;
      void this.pump();
    }, this.options.confirmMs ?? 1500);
  }

  private offline(): void {
    if (this.ended) return;
    this.setStatus("offline");
    if (this.retryTimer) return;
    const [first, longest] = this.options.retryMs ?? [500, 10_000];
    const wait = Math.min(longest, first * 2 ** this.retries++);
    this.retryTimer = setTimeout(() => this.reconnect(), wait);
  }

  private deny(err: CollabRefused): void {
    if (this.ended) return;
    this.deniedBy = err;
    this.stop();
    this.setStatus("denied");
  }

  private stop(): void {
    this.stopStream?.();
    this.stopStream = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.retryTimer = this.confirmTimer = this.resyncTimer = null;
    this.pending = [];
    this.release(false);
  }

  private settled(): boolean {
    return this.statusNow === "synced" && !this.pending.length && !this.running;
  }

  private release(ok: boolean): void {
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w(ok);
  }

  private setStatus(status: CollabStatus): void {
    if (this.statusNow === status) return;
    this.statusNow = status;
    this.options.onStatus?.(status);
  }
}
