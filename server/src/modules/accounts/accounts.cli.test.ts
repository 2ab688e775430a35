import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Caller, PASSWORD, startTestServer, uniqueEmail } from "../../testing/harness.js";
import { userCommand } from "./accounts.cli.js";

// `concord user` against a real database, beside a running server (an external database allows both).
describe("concord user", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { CONCORD_SIGNUP: "closed" } });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-cli-"));
    env = { DATABASE_URL: server.platform.config.databaseUrl, CONCORD_DATA_DIR: dataDir, LOG_LEVEL: "silent", PUBLIC_URL: "https://concord.example.org" };
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const sink = new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) });
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void (err += `${args.join(" ")}\n`));
    try {
      return { code: await userCommand(argv, sink, env), out, err };
    } finally {
      spy.mockRestore();
    }
  }

  it("makes the first administrator of a server with sign-up closed, who sets a password by the link printed", async () => {
    const email = uniqueEmail("ops");
    const made = await run("create", email, "--name", "Olga Ops", "--admin");
    expect(made.code).toBe(0);
    expect(made.out).toContain(`${email}\tOlga Ops\t(administrator)`);
    const url = made.out.match(/https:\/\/concord\.example\.org\/reset-password\/\S+/)![0];
    const admin = new Caller(server);
    await admin.ok(`mutation($input: SetPasswordInput!) { setPasswordWithLink(input: $input) { id } }`, { input: { token: url.split("/").pop(), password: PASSWORD } });
    expect((await admin.ok<{ me: { admin: boolean } }>(`{ me { admin } }`)).me.admin).toBe(true);

    // The operator's changes are ledger entries without an actor.
    const [leaf] = await server.platform.db.dataSource.query(`SELECT actor, project_id FROM ledger_leaves WHERE event_type = 'user.create' ORDER BY id DESC LIMIT 1`);
    expect(leaf).toEqual({ actor: null, project_id: null });

    const listed = await run("list", "--search", "olga");
    expect(listed.out).toMatch(/Olga Ops[\s\S]*1 account\n$/);

    // The last administrator stays one; the refusal is said and the exit code is 1.
    const off = await run("admin", email, "--off");
    expect(off.code).toBe(1);
    expect(off.err).toMatch(/last administrator/);

    const disabled = await run("disable", uniqueEmail("nobody"));
    expect(disabled).toMatchObject({ code: 1, err: "Account not found\n" });
  });

  it("disables, enables and issues a password link by address", async () => {
    const email = uniqueEmail("reader");
    expect((await run("create", email, "--name", "Rae")).code).toBe(0);
    expect((await run("disable", email)).out).toContain("(disabled)");
    const refused = await run("password-link", email);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/disabled/);
    expect((await run("enable", email)).out).not.toContain("disabled");
    const link = await run("password-link", email);
    expect(link.code).toBe(0);
    expect(link.out).toMatch(/reset-password\/[A-Za-z0-9_-]{43}\n/);
  });

  it("explains its usage instead of guessing", async () => {
    expect((await run()).code).toBe(2);
    expect((await run("create", uniqueEmail())).code).toBe(2);
    expect((await run("promote", "x@example.org")).code).toBe(2);
    const unknownFlag = await run("list", "--colour");
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.err).toMatch(/colour/);
  });
});
