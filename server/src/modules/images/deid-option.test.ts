import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, startTestServer } from "../../testing/harness.js";
import { chestPng, stow } from "../../testing/images.js";
import { readDicomFile } from "./dicom/read.js";

// The project setting decides which PS3.15 option ingest applies: dates removed (basic profile) or
// kept, shifted per patient (Retain Longitudinal Temporal Information with Modified Dates).
describe("the project's de-identification option", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  async function uploadInto(retain: boolean) {
    const { caller } = await buildUser(server, retain ? "retain" : "basic");
    const created = await caller.ok<{ createProject: { id: string; retainLongitudinalModifiedDates: boolean } }>(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { id retainLongitudinalModifiedDates } }`,
      { input: { name: "dates", retainLongitudinalModifiedDates: retain } },
    );
    expect(created.createProject.retainLongitudinalModifiedDates).toBe(retain);
    const token = (await caller.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "t" }) { token } }`)).createApiToken.token;
    const projectId = created.createProject.id;
    const answer = await stow(server, projectId, { token }, [{ bytes: chestPng(8, 8), name: "x.png" }]);
    expect(answer.status).toBe(200);
    const [row] = await server.platform.db.dataSource.query(`SELECT storage_key FROM instances WHERE project_id = $1`, [projectId]);
    return { caller, projectId, file: readDicomFile(await server.platform.store.get(row.storage_key), "stored.dcm") };
  }
  const codes = (dict: Record<string, { Value?: unknown[] }>) =>
    ((dict["00120064"]?.Value ?? []) as Array<Record<string, { Value?: unknown[] }>>).map((item) => item["00080100"]?.Value?.[0]);

  it("without the option, removes the study date and records the basic profile only", async () => {
    const { file } = await uploadInto(false);
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, "");
    expect(file.dict["00080020"]?.Value?.[0] ?? "").not.toBe(today);
    expect(codes(file.dict)).toEqual(["113100"]);
  });

  it("with the option, keeps a shifted study date and records option 113107", async () => {
    const { file, caller, projectId } = await uploadInto(true);
    const date = file.dict["00080020"]?.Value?.[0] as string;
    expect(date).toMatch(/^\d{8}$/);
    expect(date).not.toBe(new Date().toISOString().slice(0, 10).replace(/-/g, ""));
    expect(codes(file.dict)).toEqual(["113100", "113107"]);
    expect(file.dict["00280303"]?.Value).toEqual(["MODIFIED"]);
    // Managers can turn it off again for later uploads.
    const off = await caller.ok<{ updateProjectSettings: { retainLongitudinalModifiedDates: boolean } }>(
      `mutation($id: ID!) { updateProjectSettings(id: $id, input: { retainLongitudinalModifiedDates: false }) { retainLongitudinalModifiedDates } }`,
      { id: projectId },
    );
    expect(off.updateProjectSettings.retainLongitudinalModifiedDates).toBe(false);
  });
});
