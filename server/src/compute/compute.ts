import { threadPool } from "../platform/threads.js";
import type { TaskName, Tasks } from "./tasks.js";

/** Runs a pure CPU task (tasks.ts) off the calling thread's event loop. */
export interface Compute {
  run<N extends TaskName>(name: N, ...args: Parameters<Tasks[N]>): Promise<ReturnType<Tasks[N]>>;
  close(): Promise<void>;
}

/** On worker threads, started on first use and ended when idle; the API and workers share this. */
export function threadedCompute(threads = 1): Compute {
  const pool = threadPool(__dirname, "worker", threads);
  return {
    run: (name, ...args) => pool.run({ name, args }) as never,
    close: () => pool.close(),
  };
}
