import { move, transferableSymbol, valueSymbol } from "piscina";
import { prepareInstance } from "./prepare.js";
import { IngestRefusal, type PrepareOptions, type PreparedInstance } from "./prepared.js";

// Runs in a worker thread. A refusal is an answer, not a crash: it crosses back as data, since
// error classes do not survive the thread boundary.
export type PrepareAnswer = { ok: true; prepared: PreparedInstance } | { ok: false; message: string; kind: "refused" | "ignored" };

const MOVE_FROM_BYTES = 1024 * 1024;

export default function prepare(task: { name: string; bytes: Uint8Array; opts: PrepareOptions }): PrepareAnswer {
  try {
    const prepared = prepareInstance({ name: task.name, bytes: task.bytes }, task.opts);
    const answer: PrepareAnswer = { ok: true, prepared };
    // A large written file's buffer (its own, see encode.ts) moves to the main thread instead of
    // being copied. A small one is copied: cheaper than moving it, as measured on 10 KB files.
    if (prepared.bytes.buffer.byteLength < MOVE_FROM_BYTES) return answer;
    return move({
      get [transferableSymbol]() {
        return [prepared.bytes.buffer];
      },
      get [valueSymbol]() {
        return answer;
      },
    }) as unknown as PrepareAnswer;
  } catch (err) {
    if (err instanceof IngestRefusal) return { ok: false, message: err.message, kind: err.kind };
    // Anything else is our bug, not the file's: say so without echoing file contents.
    return { ok: false, kind: "refused", message: `${task.name}: could not be processed (${(err as Error).name}: ${(err as Error).message.slice(0, 200)})` };
  }
}
