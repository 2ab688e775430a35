import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../logger.js";

/**
 * A key kept in a file of the data dir (the embedded default, when no environment variable gives
 * it): made by `generate` on first start, then read as is. Written aside and linked into place, so
 * replicas or workers starting at the same moment on a shared data dir all read one whole key,
 * never a half-written one or two different ones. Mode 0600; a key readable by others is warned of.
 */
export async function keyFileText(dataDir: string, name: string, generate: () => string, what: string, log: Logger): Promise<{ file: string; text: string }> {
  const file = path.join(dataDir, name);
  await fs.mkdir(dataDir, { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await fs.writeFile(temp, generate(), { mode: 0o600, flag: "wx" });
    await fs.link(temp, file);
    log.info({ file }, `generated ${what}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    await fs.rm(temp, { force: true });
  }
  if (((await fs.stat(file)).mode & 0o077) !== 0) log.warn({ file }, `${what} is readable by other users: chmod 600 it`);
  return { file, text: await fs.readFile(file, "utf8") };
}
