import { move, transferableSymbol, valueSymbol } from "piscina";
import { prepareInstance } from "./prepare.js";
import { IngestRefusal, type PrepareOptions, type PreparedInstance } from "./prepared.js";

// Runs in a worker thread. A refusal is an answer, not a crash: it crosses back as data, since
// error classes do not survive the thread boundary.
export type PrepareAnswer = { ok: true; prepared: PreparedInstance } | { ok: false; message: string; kind: "refused" | "ignored" };

const MOVE_FROM_BYTES = 1024 * 1024;

/** Several files per task: each message between threads costs more than preparing a small file. */
export default function prepare(task: { files: Array<{ name: string; bytes: Uint8Array }>; opts: PrepareOptions }): PrepareAnswer[] {
  const answers = task.files.map((file) => prepareOne(file, task.opts));
  // A large written file's buffer (its own, see encode.ts) moves to the main thread instead of
  // being copied. A small one is copied: cheaper than moving it, as measured on 10 KB files.
  const large = answers.flatMap((a) => (a.ok && a.prepared.bytes.buffer.byteLength >= MOVE_FROM_BYTES ? [a.prepared.bytes.buffer] : []));
  if (!large.length) return answers;
  return move({
    get [transferableSymbol]() {
      return large;
    },
    get [valueSymbol]() {
      return answers;
    },
  }) as unknown as PrepareAnswer[];
}

function prepareOne(file: { name: string; bytes: Uint8Array }, opts: PrepareOptions): PrepareAnswer {
  try {
    return { ok: true, prepared: prepareInstance(file, opts) };
  } catch (err) {
    if (err instanceof IngestRefusal) return { ok: false, message: err.message, kind: err.kind };
    // Anything else is our bug, not the file's: say so without echoing file contents.
    return { ok: false, kind: "refused", message: `${file.name}: could not be processed (${(err as Error).name}: ${(err as Error).message.slice(0, 200)})` };
  }
}
