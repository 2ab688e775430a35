import path from "node:path";
import { Piscina } from "piscina";

export interface ThreadPool {
  run(task: unknown, transferList?: readonly unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * A pool of worker threads running `<dir>/<name>.js` (its default export gets each task), started
 * on first use and ended when idle. From TypeScript sources (tests) the threads load `<name>.ts`
 * through tsx.
 */
export function threadPool(dir: string, name: string, threads = 1): ThreadPool {
  let pool: Piscina | null = null;
  return {
    run(task, transferList = []) {
      const fromSource = __filename.endsWith(".ts");
      pool ??= new Piscina({
        filename: path.join(dir, `${name}.${fromSource ? "ts" : "js"}`),
        minThreads: 0,
        maxThreads: threads,
        idleTimeout: 10_000,
        ...(fromSource ? { execArgv: ["--import", "tsx"] } : {}),
      });
      return pool.run(task, { transferList: transferList as never });
    },
    async close() {
      await pool?.destroy();
      pool = null;
    },
  };
}
