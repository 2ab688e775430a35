import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Caller, buildProject, buildUser, startTestServer } from "../../testing/harness.js";
import { chestPng, stow, type StowPart } from "../../testing/images.js";
import { imageToSecondaryCapture } from "./convert/secondary-capture.js";

interface Dcmjs {
  data: { DicomDict: new (meta: unknown) => { dict: unknown; write(): ArrayBuffer } };
}
const dcmjs = require("dcmjs") as Dcmjs;

/** A DICOM file with fixed UIDs: sent twice, it is the same instance. */
function dicomFile(seed: number): Buffer {
  const sc = imageToSecondaryCapture(chestPng(8, 8, seed), `seed-${seed}.png`);
  const d = new dcmjs.data.DicomDict(sc.meta);
  d.dict = sc.dict;
  return Buffer.from(d.write());
}

// Ingest goes in groups of files (prepared together, stored and indexed in one transaction); what a
// caller sees must be as if files went in one by one, in order.

const RESULTS = `query($id: ID!) { uploadBatch(id: $id) { status total stored refused results { position fileName status message } } }`;
const CASE_KEYS = `query($projectId: ID!) { cases(projectId: $projectId, first: 200) { edges { node { key } } totalCount } }`;

describe("ingest in groups", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Caller;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    ({ caller: owner } = await buildUser(server, "owner"));
    token = (await owner.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "g" }) { token } }`)).createApiToken.token;
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  const upload = async (projectId: string, parts: StowPart[]) => {
    const answer = await stow(server, projectId, { token }, parts);
    const { uploadBatch } = await owner.ok<{ uploadBatch: { status: string; total: number; stored: number; refused: number; results: Array<{ position: number; fileName: string; status: string; message: string | null }> } }>(
      RESULTS,
      { id: answer.batchId },
    );
    return { http: answer.status, ...uploadBatch };
  };
  const caseKeys = async (projectId: string) =>
    (await owner.ok<{ cases: { edges: Array<{ node: { key: string } }> } }>(CASE_KEYS, { projectId })).cases.edges.map((e) => e.node.key);

  it("keys cases by file name, numbering repeats, and lists them in upload order across groups", async () => {
    const projectId = await buildProject(owner);
    const names = ["a.png", "a.png", "b.png", ...Array.from({ length: 36 }, (_, i) => `c${i}.png`), "a.png", "a-2.png"];
    const first = await upload(projectId, names.map((name, i) => ({ name, bytes: chestPng(8, 8, i + 1) })));
    expect([first.http, first.total, first.stored, first.refused]).toEqual([200, 41, 41, 0]);
    // "a-2.png" wants the key a-2, which the second a.png took: it is numbered in turn.
    const expected = ["a", "a-2", "b", ...Array.from({ length: 36 }, (_, i) => `c${i}`), "a-3", "a-2-2"];
    expect(await caseKeys(projectId)).toEqual(expected);
    await upload(projectId, [{ name: "a.png", bytes: chestPng(8, 8, 100) }]);
    expect((await caseKeys(projectId)).at(-1)).toBe("a-4");
  });

  it("stores a file sent twice in one request once, and a file sent again as a duplicate", async () => {
    const projectId = await buildProject(owner);
    const bytes = dicomFile(7);
    const once = await upload(projectId, [
      { name: "x.dcm", bytes },
      { name: "y.png", bytes: chestPng(8, 8, 8) },
      { name: "x-again.dcm", bytes },
    ]);
    expect(once.results.map((r) => [r.position, r.status])).toEqual([
      [0, "STORED"],
      [1, "STORED"],
      [2, "DUPLICATE"],
    ]);
    expect(once.results[2]!.message).toBe("x-again.dcm: already in the project");
    const again = await upload(projectId, [{ name: "x.dcm", bytes }]);
    expect([again.http, again.results[0]!.status, again.stored]).toEqual([200, "DUPLICATE", 1]);
    const [{ n }] = await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM instances WHERE project_id = $1`, [projectId]);
    expect(n).toBe(2);
    expect(await caseKeys(projectId)).toEqual(["x", "y"]);
  });

  it("keeps each file's place and fate when some are refused", async () => {
    const projectId = await buildProject(owner);
    const r = await upload(projectId, [
      { name: "one.png", bytes: chestPng(8, 8, 1) },
      { name: "junk.dcm", bytes: Buffer.from("not an image at all") },
      { name: "two.png", bytes: chestPng(8, 8, 2) },
    ]);
    expect([r.http, r.total, r.stored, r.refused]).toEqual([202, 3, 2, 1]);
    expect(r.results.map((x) => [x.position, x.fileName, x.status])).toEqual([
      [0, "one.png", "STORED"],
      [1, "junk.dcm", "REFUSED"],
      [2, "two.png", "STORED"],
    ]);
    expect(await caseKeys(projectId)).toEqual(["one", "two"]);
  });

  // Concurrent uploads to one project may be indexed together (one transaction for the groups that
  // wait on the project's ingest lock): each must still come out as if they went in one by one.
  it("keeps uploads sent at the same time apart: unique case keys, one instance per file, each batch its own results", async () => {
    const projectId = await buildProject(owner);
    const shared = dicomFile(11);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, u) =>
        upload(projectId, [
          { name: "same.png", bytes: chestPng(8, 8, 200 + u) },
          { name: `own-${u}.png`, bytes: chestPng(8, 8, 300 + u) },
          { name: "shared.dcm", bytes: shared },
        ]),
      ),
    );
    for (const a of answers) {
      expect([a.http, a.status, a.total, a.stored, a.refused]).toEqual([200, "DONE", 3, 3, 0]);
      expect(a.results.map((r) => r.position)).toEqual([0, 1, 2]);
      expect(a.results.slice(0, 2).map((r) => r.status)).toEqual(["STORED", "STORED"]);
    }
    // The shared file went in once; every other upload of it is a duplicate of that instance.
    expect(answers.map((a) => a.results[2]!.status).sort()).toEqual(["DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE", "STORED"]);
    const [{ n }] = await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM instances WHERE project_id = $1`, [projectId]);
    expect(n).toBe(13);
    const keys = await caseKeys(projectId);
    expect(keys).toHaveLength(13);
    expect(new Set(keys).size).toBe(13);
    expect(keys.filter((k) => k === "same" || /^same-[2-6]$/.test(k)).sort()).toEqual(["same", "same-2", "same-3", "same-4", "same-5", "same-6"]);
  });
});
