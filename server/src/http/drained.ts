import type { Writable } from "node:stream";

/**
 * Until a response (or any writable) can take more after write() said to wait, or has closed: a
 * client that went away never drains, and waiting for "drain" alone would hang the handler.
 */
export function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.on("drain", done);
    out.on("close", done);
  });
}
