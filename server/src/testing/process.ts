import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../platform/database/embedded.js";
import { repoRoot } from "../paths.js";
import { until } from "./fixtures.js";

/** A real `node bin/concord.js start` on a free port, as a scaled replica runs (built code: `tsc -b` first). */
export interface ServerProcess {
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  server: { url: string; graphqlUrl: string; wsUrl: string };
  /** Everything it wrote so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL after `ms`; answers the exit code, or "killed" when it had to be killed. */
  stop(ms?: number): Promise<number | null | "killed">;
}

/**
 * Starts the server as a separate process on an existing (migrated) database, and waits until it
 * is ready (with `redisUrl`, until its bus is Redis).
 */
export async function startServerProcess(opts: { databaseUrl: string; redisUrl?: string | undefined }): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["bin/concord.js", "start"], {
    cwd: repoRoot(),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: opts.databaseUrl,
      ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
      CONCORD_MIGRATE_ON_START: "false",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  await until(
    async () => {
      if (gone) throw new Error(`the server process exited before it was ready:\n${output}`);
      try {
        const res = await fetch(`${url}/readyz`);
        return res.ok && (!opts.redisUrl || ((await res.json()) as { bus?: string }).bus === "redis");
      } catch {
        return false;
      }
    },
    30_000,
    `${url}/readyz`,
  );
  return {
    process: child,
    exited,
    server: { url, graphqlUrl: `${url}/graphql`, wsUrl: `ws://127.0.0.1:${port}/graphql` },
    output: () => output,
    async stop(ms = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const done = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ms))]);
      if (done !== "timeout") return done.code;
      child.kill("SIGKILL");
      await exited;
      return "killed";
    },
  };
}
