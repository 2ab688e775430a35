// What every bench needs: its knobs from the environment, free ports, child processes that are
// stopped on exit (and on Ctrl+C), and Concord started as `concord start` starts it.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** A whole-number knob from the environment, at least `min`. */
export function int(name, fallback, min = 1) {
  const v = Number(process.env[name] || fallback);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be a whole number, at least ${min}`);
  return v;
}

/** A positive number knob from the environment. */
export function num(name, fallback) {
  const v = Number(process.env[name] || fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
}

export const log = (...a) => console.error("[bench]", ...a);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Every process a bench started; stopped by stopAll() and on SIGINT/SIGTERM. */
export const children = [];

export function stopChild(child, ms = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  return Promise.race([exited, sleep(ms)]).then(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
}

export const stopAll = (ms) => Promise.all(children.map((c) => stopChild(c, ms)));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    process.exit(130);
  });
}

/** Waits until `check()` answers true; fails early, with the end of its log, when the process exits. */
export async function waitFor(what, child, check, ms, logFile) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) {
      const tail = logFile && fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").slice(-3000) : "";
      throw new Error(`${what} exited at start (code ${child.exitCode})\n${tail}`);
    }
    try {
      if (await check()) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${ms / 1000} s`);
    await sleep(50);
  }
}

/**
 * `concord start` on a free port with its data in `dir`: the embedded PostgreSQL and in-process bus
 * and queue, or, with `envServices` and DATABASE_URL set, that database (migrated first) and
 * REDIS_URL if set. `nodeArgs` go to node (e.g. --cpu-prof).
 */
export async function startConcord(dir, { envServices = true, nodeArgs = [] } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(dir, "concord.log");
  const env = { ...process.env, PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: url, CONCORD_DATA_DIR: path.join(dir, "data"), CONCORD_SIGNUP: "open", LOG_LEVEL: "warn", DICOM_PORT: "0" };
  delete env.ALLOWED_ORIGINS;
  delete env.NODE_ENV;
  if (!envServices) delete env.DATABASE_URL;
  const external = !!env.DATABASE_URL;
  if (external) {
    const migrated = spawnSync(process.execPath, [path.join(root, "bin", "concord.js"), "migrate"], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
    if (migrated.status !== 0) throw new Error("`concord migrate` failed on DATABASE_URL");
  } else {
    delete env.REDIS_URL;
  }
  const out = fs.openSync(logFile, "w");
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, "bin", "concord.js"), "start"], { env, stdio: ["ignore", out, out], cwd: root });
  children.push(child);
  await waitFor("Concord", child, async () => (await fetch(`${url}/readyz`)).ok, 120_000, logFile);
  const database = external ? `DATABASE_URL${env.REDIS_URL ? " + REDIS_URL" : ""}` : "embedded PostgreSQL, in-process bus";
  return { child, url, database };
}
