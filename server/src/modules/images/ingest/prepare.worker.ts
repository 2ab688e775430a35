import { prepareInstance } from "./prepare.js";
import { IngestRefusal, type PrepareOptions, type PreparedInstance } from "./prepared.js";

// Runs in a worker thread. A refusal is an answer, not a crash: it crosses back as data, since
// error classes do not survive the thread boundary.
export type PrepareAnswer = { ok: true; prepared: PreparedInstance } | { ok: false; message: string; kind: "refused" | "ignored" };

export default function prepare(task: { name: string; bytes: Uint8Array; opts: PrepareOptions }): PrepareAnswer {
  try {
    return { ok: true, prepared: prepareInstance({ name: task.name, bytes: task.bytes }, task.opts) };
  } catch (err) {
    if (err instanceof IngestRefusal) return { ok: false, message: err.message, kind: err.kind };
    // Anything else is our bug, not the file's: say so without echoing file contents.
    return { ok: false, kind: "refused", message: `${task.name}: could not be processed (${(err as Error).name}: ${(err as Error).message.slice(0, 200)})` };
  }
}
