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
      const answer = (await pool.run({ name: file.name, bytes: file.bytes, opts })) as PrepareAnswer;
      if (!answer.ok) throw new IngestRefusal(file.name, answer.message, answer.kind);
      return answer.prepared;
    },
    close: () => pool.destroy(),
  };
}
