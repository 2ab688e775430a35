import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "artifacts");

export function baseUrl() {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is not set; run the specs through `npm run test:e2e` (e2e/run.mjs)");
  return url.replace(/\/$/, "");
}

/** The host name run.mjs lets the server be reached by, resolved to 127.0.0.1 by a browser opened with `lan`. */
export const LAN_HOST = "concord.test";

/** The server's address by LAN_HOST: plain HTTP on a name that is not localhost, as on a lab network (not a secure context). */
export const lanBaseUrl = () => baseUrl().replace("//127.0.0.1:", `//${LAN_HOST}:`);

/**
 * One person's browser: its own persistent profile in a fresh temp directory, so two people never
 * share cookies. Debian's Chromium refuses --user-data-dir, hence launchPersistentContext. With
 * `lan`, LAN_HOST resolves to this machine.
 */
export async function openBrowser(who, { lan = false } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `concord-e2e-${who}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...(lan ? [`--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`] : []),
    ],
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  return {
    who,
    context,
    page,
    /** Uncaught page errors and console errors seen so far (failed GraphQL calls log here too). */
    problems,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
