import { parseArgs } from "node:util";
import { loadConfig } from "../../config.js";
import { AppError } from "../../errors.js";
import { createLogger } from "../../logger.js";
import { closePlatform, openPlatform } from "../../main.js";
import { createServices, type Services } from "../../services.js";
import type { AccountRow } from "./accounts.repository.js";
import type { IssuedLink } from "./links.js";

export const USER_HELP = `Usage: concord user <command>

  list [--search TEXT]              The server's accounts.
  create EMAIL --name NAME [--admin]
                                    Make an account; prints a one-time link for its owner to set a
                                    password (e-mailed too when SMTP_URL is set). With sign-up
                                    closed, this makes the first administrator.
  password-link EMAIL               A new one-time link to set the account's password.
  admin EMAIL [--off]               Make the account an administrator of the server (or not).
  disable EMAIL | enable EMAIL      A disabled account cannot log in; its sessions end and its
                                    API tokens are revoked.

Uses DATABASE_URL, or the embedded database of CONCORD_DATA_DIR (stop \`concord start\` first).
Changes are ledger entries made by the operator.`;

/** `concord user …`: the server's accounts from the command line, as the operator. */
export async function userCommand(argv: string[], out: NodeJS.WritableStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  let args: ReturnType<typeof parse>;
  try {
    args = parse(rest);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USER_HELP}`);
    return 2;
  }
  const email = args.positionals[0];
  const needsEmail = ["create", "password-link", "admin", "disable", "enable"];
  if (!sub || !["list", ...needsEmail].includes(sub) || (needsEmail.includes(sub) && !email) || (sub === "create" && !args.values.name)) {
    console.error(USER_HELP);
    return 2;
  }
  const config = loadConfig(env);
  const log = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
  const platform = await openPlatform(config, log).catch((err: unknown) => {
    if (!config.databaseUrl) throw new Error(`${(err as Error).message}\nIf Concord is running on ${config.dataDir}, stop it first.`);
    throw err;
  });
  let services: Services | null = null;
  const say = (line: string) => out.write(`${line}\n`);
  try {
    services = createServices(platform);
    const admin = services.admin;
    switch (sub) {
      case "list": {
        let after: string | null = null;
        do {
          const page = await admin.accounts("operator", args.values.search ?? null, 200, after);
          for (const a of page.rows) say(accountLine(a));
          after = page.nextCursor;
          if (!after) say(`${page.total} account${page.total === 1 ? "" : "s"}`);
        } while (after);
        return 0;
      }
      case "create": {
        const { account, link } = await admin.createAccount("operator", { email: email!, name: args.values.name!, admin: args.values.admin === true });
        say(accountLine(account));
        sayLink(say, link);
        return 0;
      }
      case "password-link":
        sayLink(say, await admin.issuePasswordLink("operator", await admin.accountIdByEmail(email!)));
        return 0;
      case "admin":
        say(accountLine(await admin.setAdmin("operator", await admin.accountIdByEmail(email!), args.values.off !== true)));
        return 0;
      default:
        say(accountLine(await admin.setDisabled("operator", await admin.accountIdByEmail(email!), sub === "disable")));
        return 0;
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const fields = (err.extensions.fields as Array<{ field: string; message: string }> | undefined) ?? [];
    console.error(fields.length ? fields.map((f) => `${f.field} ${f.message}`).join("\n") : err.message);
    return 1;
  } finally {
    await closePlatform(platform);
    await services?.ai.close();
  }
}

function parse(rest: string[]) {
  return parseArgs({
    args: rest,
    allowPositionals: true,
    options: { name: { type: "string" }, admin: { type: "boolean" }, off: { type: "boolean" }, search: { type: "string" } },
  });
}

function accountLine(a: AccountRow): string {
  const marks = [a.admin && "administrator", a.disabledAt && "disabled"].filter(Boolean).join(", ");
  return `${a.email}\t${a.name}${marks ? `\t(${marks})` : ""}`;
}

function sayLink(say: (line: string) => void, link: IssuedLink): void {
  say(`Link to set the password (works once, until ${link.expiresAt.toISOString()}):`);
  say(link.url);
  if (link.emailed) say("It was e-mailed to the account's address.");
  else if (link.emailError) say(`It could not be e-mailed: ${link.emailError}`);
}
