import { threadPool } from "../platform/threads.js";
import type { TaskName, Tasks } from "./tasks.js";

/** Runs a pure CPU task (tasks.ts) off the calling thread's event loop. */
export interface Compute {
  run<N extends TaskName>(name: N, ...args: Parameters<Tasks[N]>): Promise<ReturnType<Tasks[N]>>;
  /**
   * As run, with the given buffers moved to the thread instead of copied (a series' files for the
   * NIfTI export): after the call they are empty here. Only whole ArrayBuffers are moved; a buffer
   * shared with others (a slice of Node's pool) is copied as run copies it.
   */
  runMoving<N extends TaskName>(name: N, buffers: readonly Uint8Array[], ...args: Parameters<Tasks[N]>): Promise<ReturnType<Tasks[N]>>;
  close(): Promise<void>;
}

/** On worker threads, started on first use and ended when idle; the API and workers share this. */
export function threadedCompute(threads = 1): Compute {
  const pool = threadPool(__dirname, "worker", threads);
  return {
    run: (name, ...args) => pool.run({ name, args }) as never,
    runMoving: (name, buffers, ...args) => {
      const whole = new Set(buffers.filter((b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer).map((b) => b.buffer as ArrayBuffer));
      return pool.run({ name, args }, [...whole]) as never;
    },
    close: () => pool.close(),
  };
}
