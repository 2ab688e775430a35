import path from "node:path";
import { Piscina } from "piscina";
import type { Preparer } from "../images.service.js";
import { IngestRefusal } from "./prepared.js";
import type { PrepareAnswer } from "./prepare.worker.js";

/**
 * Ingest's CPU work (parse, de-identify, write) on worker threads, so the API event loop keeps
 * serving while a batch goes in. From TypeScript sources (tests) the threads load through tsx.
 */
export function createPreparePool(threads = 2): { prepare: Preparer; close(): Promise<void> } {
  const fromSource = __filename.endsWith(".ts");
  const pool = new Piscina({
    filename: path.join(__dirname, `prepare.worker.${fromSource ? "ts" : "js"}`),
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 30_000,
    ...(fromSource ? { execArgv: ["--import", "tsx"] } : {}),
  });
  const run = async (files: Parameters<Preparer>[0], opts: Parameters<Preparer>[1]) => {
    // Each file's bytes in a buffer of their own, moved (not copied) to the worker thread. Posting
    // the caller's view would copy the whole buffer behind it, e.g. a STOW-RS request body with
    // all its other files, once per file.
    const own = files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) }));
    try {
      const answers = (await pool.run({ files: own, opts }, { transferList: own.map((f) => f.bytes.buffer) })) as PrepareAnswer[];
      return answers.map((a, i) => (a.ok ? { prepared: a.prepared } : { error: new IngestRefusal(files[i]!.name, a.message, a.kind) }));
    } catch (err) {
      // The thread itself failed (not a file's refusal): every file of the task says so.
      return files.map(() => ({ error: err }));
    }
  };
  return {
    // The files split into one task per thread, so a group uses every thread with few messages.
    prepare: async (files, opts) => {
      const tasks = Math.min(threads, files.length);
      const size = Math.ceil(files.length / tasks);
      const chunks = Array.from({ length: tasks }, (_, t) => files.slice(t * size, (t + 1) * size));
      return (await Promise.all(chunks.map((chunk) => run(chunk, opts)))).flat();
    },
    close: () => pool.destroy(),
  };
}
