#!/usr/bin/env node
// End-to-end entry: starts the built server as `npm start` would (embedded PostgreSQL, in-memory
// bus and queue, a fresh data directory), waits until it is ready, runs the specs in Chromium,
// stops the server and exits with the tests' exit code. It builds nothing: run `npm run build` first.
// Before any spec it signs up the server's administrator (the first account) and passes its
// credentials to the specs as E2E_ADMIN_EMAIL and E2E_ADMIN_PASSWORD, beside E2E_BASE_URL.
//
//   npm run test:e2e                      embedded mode, no services needed
//   E2E_USE_ENV_SERVICES=1 npm run test:e2e   pass DATABASE_URL / REDIS_URL through
//   npm run test:e2e -- --test-name-pattern=labels   extra arguments go to `node --test`
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const artifacts = path.join(root, "e2e", "artifacts");
const specsDir = path.join(root, "e2e", "specs");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

for (const [file, hint] of [
  ["server/dist/server/src/cli.js", "run `npm run build` first"],
  ["client/dist/index.html", "run `npm run build` first (the server serves the UI from client/dist)"],
  [chromiumPath, "install Debian's chromium package or set CHROMIUM_PATH"],
]) {
  if (!fs.existsSync(path.resolve(root, file))) fail(`${file} is missing: ${hint}`);
}

// Node 20's `node --test <dir>` only picks up *.test.* names, so the spec files are listed explicitly.
const specs = fs
  .readdirSync(specsDir)
  .filter((f) => f.endsWith(".spec.mjs"))
  .sort()
  .map((f) => path.join(specsDir, f));
if (!specs.length) fail(`no *.spec.mjs files in ${path.relative(root, specsDir)}`);

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

fs.mkdirSync(artifacts, { recursive: true });
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
/** A host name the browser resolves to 127.0.0.1 (browser.mjs, `lan`): an origin that is not localhost. */
const LAN_HOST = "concord.test";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-e2e-data-"));
// mkdtemp makes the directory 0700; embedded PostgreSQL runs as the `postgres` user when started
// by root and must be able to reach its data directory inside this one.
fs.chmodSync(dataDir, 0o755);
const serverLog = path.join(artifacts, "server.log");

const env = { ...process.env, PORT: String(port), HOST: "127.0.0.1", CONCORD_DATA_DIR: dataDir, CONCORD_SIGNUP: "open" };
// The origin the browser uses must be one the server accepts for its WebSocket handshakes.
delete env.PUBLIC_URL;
delete env.E2E_BASE_URL;
// lan.spec.mjs reaches the server by a name on plain HTTP, as a lab network would (not a secure context).
env.ALLOWED_ORIGINS = `http://${LAN_HOST}:${port}`;
const useServices = process.env.E2E_USE_ENV_SERVICES === "1";
if (!useServices) {
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
}

if (useServices && env.DATABASE_URL) {
  // An external database is migrated explicitly, as in production.
  const migrated = spawnSync(process.execPath, ["bin/concord.js", "migrate"], { cwd: root, env, stdio: "inherit" });
  if (migrated.status !== 0) fail("`concord migrate` failed");
}

const logFd = fs.openSync(serverLog, "w");
const server = spawn(process.execPath, ["bin/concord.js", "start"], { cwd: root, env, stdio: ["ignore", logFd, logFd] });
let serverExit = null;
const serverExited = new Promise((resolve) => {
  server.once("exit", (code, signal) => {
    serverExit = { code, signal };
    resolve(serverExit);
  });
});

async function stopServer() {
  if (serverExit) return;
  server.kill("SIGTERM");
  const stopped = await Promise.race([serverExited, sleep(30_000).then(() => null)]);
  if (!stopped) {
    console.error("e2e: the server did not stop within 30 s of SIGTERM; killing it (its embedded PostgreSQL may be left running)");
    server.kill("SIGKILL");
    await serverExited;
  }
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    interrupted = true;
    void stopServer().then(() => process.exit(130));
  });
}

async function waitUntilReady(timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (serverExit) return false;
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  return false;
}

// The first account signed up on a server administers it. Making it here, before any spec, keeps
// that out of whichever spec happens to sign up first, and gives accounts.spec its administrator.
const ADMIN = { name: "E2E Administrator", email: "admin@e2e.test", password: "juniper cobalt ferry 5813" };

async function graphql(query, variables) {
  const res = await fetch(`${baseUrl}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  return res.json();
}

/** Signs the administrator up (or, on a reused database, checks it can log in); fails when it does not administer. */
async function ensureAdministrator() {
  const fields = "{ email admin }";
  let body = await graphql(`mutation($i: SignUpInput!) { signUp(input: $i) ${fields} }`, { i: ADMIN });
  let user = body.data?.signUp;
  if (!user) {
    const signUpErrors = body.errors?.map((e) => e.message).join("; ");
    body = await graphql(`mutation($i: LogInInput!) { logIn(input: $i) ${fields} }`, { i: { email: ADMIN.email, password: ADMIN.password } });
    user = body.data?.logIn;
    if (!user) throw new Error(`could not sign up the administrator ${ADMIN.email} (${signUpErrors}) nor log in as it (${body.errors?.map((e) => e.message).join("; ")})`);
  }
  if (!user.admin) throw new Error(`${ADMIN.email} is not an administrator of this server: another account was made first (use a fresh database)`);
}

let exitCode = 1;
try {
  console.log(`e2e: starting the server on ${baseUrl} (${useServices ? "services from the environment" : "embedded mode"}), data in ${dataDir}`);
  const started = Date.now();
  if (!(await waitUntilReady())) {
    console.error(`e2e: the server did not become ready${serverExit ? ` (it exited: ${JSON.stringify(serverExit)})` : ""}. Its log:\n${tail(serverLog)}`);
  } else {
    await ensureAdministrator();
    console.log(`e2e: server ready in ${((Date.now() - started) / 1000).toFixed(1)} s, administrator ${ADMIN.email}; running ${specs.map((s) => path.relative(root, s)).join(", ")}`);
    const tests = spawn(
      process.execPath,
      ["--test", "--test-concurrency=1", ...process.argv.slice(2), ...specs],
      {
        cwd: root,
        env: { ...process.env, E2E_BASE_URL: baseUrl, CHROMIUM_PATH: chromiumPath, E2E_ADMIN_EMAIL: ADMIN.email, E2E_ADMIN_PASSWORD: ADMIN.password },
        stdio: "inherit",
      },
    );
    const [code, signal] = await new Promise((resolve) => tests.once("exit", (c, s) => resolve([c, s])));
    exitCode = code ?? (signal ? 1 : 0);
    if (exitCode !== 0 && !interrupted) {
      console.error(`e2e: tests failed (screenshots in e2e/artifacts/). Last server log lines:\n${tail(serverLog, 25)}`);
    }
  }
} catch (error) {
  console.error(`e2e: ${error.message}`);
} finally {
  await stopServer();
  fs.closeSync(logFd);
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(`e2e: server stopped (${JSON.stringify(serverExit)}); exit code ${exitCode}`);
}
process.exit(exitCode);
