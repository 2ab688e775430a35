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
  return {
    prepare: async (file, opts) => {
      // The file's bytes in a buffer of their own, moved (not copied) to the worker thread. Posting
      // the caller's view would copy the whole buffer behind it, e.g. a STOW-RS request body with
      // all its other files, once per file.
      const bytes = new Uint8Array(file.bytes);
      const answer = (await pool.run({ name: file.name, bytes, opts }, { transferList: [bytes.buffer] })) as PrepareAnswer;
      if (!answer.ok) throw new IngestRefusal(file.name, answer.message, answer.kind);
      return answer.prepared;
    },
    close: () => pool.destroy(),
  };
}
