import { createHash } from "node:crypto";
import { expect } from "vitest";
import type { Caller } from "./harness.js";

// Export jobs as the tests run them: start one, poll it to its end, download the file and check it
// against the size and hash the job reports.

export const EXPORT_JOB = `id projectId format scope readerId allVersions status progress items bytes sha256 fileName downloadUrl error createdAt finishedAt expiresAt`;
export const START_EXPORT = `mutation($projectId: ID!, $input: ExportInput!) { startExport(projectId: $projectId, input: $input) { ${EXPORT_JOB} } }`;
export const GET_EXPORT = `query($id: ID!) { exportJob(id: $id) { ${EXPORT_JOB} } }`;

export interface ExportJob {
  id: string;
  status: string;
  progress: number;
  items: number | null;
  bytes: number | null;
  sha256: string | null;
  fileName: string | null;
  downloadUrl: string | null;
  error: string | null;
  expiresAt: string | null;
}

/** Runs an export as `who` until it is DONE (failing the test otherwise), and downloads its file. */
export async function runExportJob(
  server: { graphqlUrl: string },
  who: Caller,
  projectId: string,
  input: Record<string, unknown>,
  timeoutMs = 20_000,
): Promise<{ job: ExportJob; body: Buffer; contentType: string | null }> {
  const { startExport } = await who.ok<{ startExport: ExportJob }>(START_EXPORT, { projectId, input });
  expect(["QUEUED", "RUNNING", "DONE"]).toContain(startExport.status);
  let job = startExport;
  const t0 = Date.now();
  while (job.status !== "DONE" && job.status !== "FAILED" && Date.now() - t0 < timeoutMs) {
    await new Promise((r) => setTimeout(r, 50));
    job = (await who.ok<{ exportJob: ExportJob }>(GET_EXPORT, { id: job.id })).exportJob;
  }
  expect(job.error).toBeNull();
  expect(job.status).toBe("DONE");
  const res = await fetch(`${server.graphqlUrl.replace(/\/graphql$/, "")}${job.downloadUrl}`, { headers: { cookie: who.cookie! } });
  expect(res.status).toBe(200);
  const body = Buffer.from(await res.arrayBuffer());
  expect(body.byteLength).toBe(job.bytes);
  expect(createHash("sha256").update(body).digest("hex")).toBe(job.sha256);
  return { job, body, contentType: res.headers.get("content-type") };
}
