/** A message as it crosses the bus: who sent it (server instance) and what. */
export interface Envelope<T = unknown> {
  origin: string;
  payload: T;
}

export type Listener = (message: Envelope) => void;

// Pub/sub between server processes: in-process in the embedded default, Redis when REDIS_URL is set.
export interface Bus {
  readonly kind: "memory" | "redis";
  readonly instanceId: string;
  publish(channel: string, payload: unknown): Promise<void>;
  /** Resolves once the subscription is active, so nothing published afterwards is missed. */
  subscribe(channel: string, listener: Listener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Turns a channel into an async iterator for a GraphQL subscription. Messages are buffered up to a
 * bound (a slow client loses the oldest, never blocks the bus); return() unsubscribes.
 */
export async function listen<T>(
  bus: Bus,
  channel: string,
  maxBuffer = 1000,
): Promise<AsyncIterableIterator<Envelope<T>>> {
  const queue: Envelope<T>[] = [];
  let wake: ((r: IteratorResult<Envelope<T>>) => void) | null = null;
  let done = false;
  const unsubscribe = await bus.subscribe(channel, (m) => {
    if (done) return;
    if (wake) {
      const w = wake;
      wake = null;
      w({ value: m as Envelope<T>, done: false });
    } else {
      queue.push(m as Envelope<T>);
      if (queue.length > maxBuffer) queue.shift();
    }
  });
  const finish = async (): Promise<IteratorResult<Envelope<T>>> => {
    if (!done) {
      done = true;
      queue.length = 0;
      await unsubscribe();
      if (wake) {
        const w = wake;
        wake = null;
        w({ value: undefined, done: true });
      }
    }
    return { value: undefined, done: true };
  };
  const iterator: AsyncIterableIterator<Envelope<T>> = {
    next() {
      if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (wake = resolve));
    },
    return: finish,
    throw: async (err: unknown) => {
      await finish();
      throw err;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
