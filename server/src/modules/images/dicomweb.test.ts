import fs from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMultipartRelated, parseMultipartRelated } from "../../platform/dicomweb/multipart.js";
import { Caller, buildProject, buildUser, startTestServer } from "../../testing/harness.js";
import { loadManifest, NO_FIXTURES } from "../../testing/shared-fixtures.js";
import { readDicomFile } from "./dicom/read.js";
import { fileMeta, imageDataset, part10 } from "./dicom/synthetic.js";

type Json = Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>;

function chestPng(width = 64, height = 48): Buffer {
  const image = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(width * height).map((_, i) => (i * 13) % 251));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

describe("DICOMweb: STOW-RS in, QIDO-RS and WADO-RS out, behind the access module", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Caller;
  let token: string;
  let projectId: string;
  let root: string;

  const stow = (files: Uint8Array[], who: { cookie?: string; token?: string } = { token }) => {
    const { body, contentType } = buildMultipartRelated(files);
    const headers: Record<string, string> = { "content-type": contentType, accept: "application/dicom+json" };
    if (who.token) headers.authorization = `Bearer ${who.token}`;
    if (who.cookie) headers.cookie = who.cookie;
    return fetch(`${root}/studies`, { method: "POST", headers, body });
  };
  const get = (url: string, who: { token?: string } = { token }, accept?: string) =>
    fetch(url, { headers: { ...(who.token ? { authorization: `Bearer ${who.token}` } : {}), ...(accept ? { accept } : {}) } });

  beforeAll(async () => {
    server = await startTestServer();
    ({ caller: owner } = await buildUser(server, "owner"));
    projectId = await buildProject(owner);
    token = (await owner.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "dicomweb" }) { token } }`)).createApiToken.token;
    root = `${server.url}/dicomweb/projects/${projectId}`;
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("stores an uploaded chest X-ray PNG as a de-identified Secondary Capture and serves it back", async () => {
    const res = await stow([chestPng()]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    const stored = body["00081199"]!.Value as Json[];
    expect(stored).toHaveLength(1);
    const sop = stored[0]!["00081155"]!.Value![0] as string;
    expect(sop).toMatch(/^2\.25\.\d+$/);
    expect(res.headers.get("x-concord-upload")).toMatch(/^[0-9a-f-]{36}$/);

    const studies = (await (await get(`${root}/studies`)).json()) as Json[];
    expect(studies).toHaveLength(1);
    const study = studies[0]!["0020000D"]!.Value![0] as string;
    expect(studies[0]!["00201208"]!.Value).toEqual([1]);

    const retrieved = await get(`${root}/studies/${study}`, { token }, 'multipart/related; type="application/dicom"');
    expect(retrieved.status).toBe(200);
    const parts = parseMultipartRelated(Buffer.from(await retrieved.arrayBuffer()), retrieved.headers.get("content-type") ?? undefined);
    expect(parts).toHaveLength(1);
    const file = readDicomFile(parts[0]!.body, "retrieved.dcm");
    expect(file.sopInstanceUID).toBe(sop);
    expect([file.rows, file.columns]).toEqual([48, 64]);
    expect(file.dict["00120062"]?.Value).toEqual(["YES"]);

    const [meta] = (await (await get(`${root}/studies/${study}/metadata`)).json()) as Json[];
    expect(meta!["7FE00010"]!.BulkDataURI).toMatch(new RegExp(`/instances/${sop.replace(/\./g, "\\.")}/bulk/7FE00010$`));
    expect(meta!["00100020"]!.Value![0]).toMatch(/^P[0-9A-F]{15}$/);

    const wadoUri = await get(`${root}/wado?requestType=WADO&objectUID=${sop}&contentType=application/dicom`);
    expect(wadoUri.status).toBe(200);
    expect(readDicomFile(new Uint8Array(await wadoUri.arrayBuffer()), "wado.dcm").sopInstanceUID).toBe(sop);

    // A case was made for the image, keyed by its file name.
    const cases = await server.platform.db.dataSource.query(`SELECT key FROM cases WHERE project_id = $1`, [projectId]);
    expect(cases).toHaveLength(1);
  });

  it("answers not found without credentials, for a stranger, and for a stranger's token", async () => {
    const [study] = (await (await get(`${root}/studies`)).json()) as Json[];
    const uid = study!["0020000D"]!.Value![0] as string;
    const stranger = await buildUser(server, "stranger");
    const strangerToken = (await stranger.caller.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "x" }) { token } }`)).createApiToken.token;
    for (const who of [{}, { token: strangerToken }, { token: "cct_forged" }]) {
      for (const url of [`${root}/studies`, `${root}/studies/${uid}`, `${root}/studies/${uid}/metadata`]) {
        const r = await get(url, who);
        expect(r.status, `${url} as ${JSON.stringify(who)}`).toBe(404);
      }
    }
    const upload = await stow([chestPng()], { token: strangerToken });
    expect(upload.status).toBe(404);
  });

  it("lets a viewer read but not upload; an annotator reads", async () => {
    const viewer = await buildUser(server, "viewer");
    await owner.ok(`mutation($p: ID!, $e: String!) { grantRole(projectId: $p, input: { email: $e, role: VIEWER }) { role } }`, { p: projectId, e: viewer.email });
    expect((await fetch(`${root}/studies`, { headers: { cookie: viewer.caller.cookie! } })).status).toBe(200);
    expect((await stow([chestPng()], { cookie: viewer.caller.cookie! })).status).toBe(404);
  });

  it("refuses what is not an image, per file, stores nothing of it, and keeps the rest of the batch", async () => {
    const before = await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM instances WHERE project_id = $1`, [projectId]);
    const res = await stow([Buffer.from("this is not an image"), chestPng(32, 32)]);
    expect(res.status).toBe(202);
    const body = (await res.json()) as Json;
    expect(body["00081198"]!.Value).toHaveLength(1);
    expect(body["00081199"]!.Value).toHaveLength(1);
    const batch = res.headers.get("x-concord-upload")!;
    const results = await server.platform.db.dataSource.query(`SELECT position, status, message FROM upload_results WHERE batch_id = $1 ORDER BY position`, [batch]);
    expect(results[0].status).toBe("REFUSED");
    expect(results[0].message).toMatch(/^part 1: not a DICOM file/);
    expect(results[1].status).toBe("STORED");
    const after = await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM instances WHERE project_id = $1`, [projectId]);
    expect(after[0].n).toBe(before[0].n + 1);
  });

  it("stores the same file twice only once", async () => {
    const png = chestPng(20, 20);
    // A converted PNG's UIDs come from its content, a DICOM file's map deterministically: re-sending either is a duplicate.
    const first = await stow([png]);
    const pngAgain = await stow([png]);
    const [pngRow] = await server.platform.db.dataSource.query(`SELECT status, message FROM upload_results WHERE batch_id = $1`, [pngAgain.headers.get("x-concord-upload")]);
    expect(pngRow).toEqual({ status: "DUPLICATE", message: "part 1: already in the project" });
    const sop = ((await first.json()) as Json)["00081199"]!.Value![0] as Json;
    const retrieved = await get(`${root}/studies/${(await (await get(`${root}/instances?SOPInstanceUID=${sop["00081155"]!.Value![0]}`)).json() as Json[])[0]!["0020000D"]!.Value![0]}`, { token }, "multipart/related; type=\"application/dicom\"");
    const bytes = parseMultipartRelated(Buffer.from(await retrieved.arrayBuffer()), retrieved.headers.get("content-type") ?? undefined)[0]!.body;
    const again = await stow([bytes]);
    expect(again.status).toBe(200);
    const batch = again.headers.get("x-concord-upload")!;
    const [row] = await server.platform.db.dataSource.query(`SELECT status FROM upload_results WHERE batch_id = $1`, [batch]);
    // Re-uploading our own de-identified output maps its UIDs once more, so it is a new instance, not a copy.
    expect(["STORED", "DUPLICATE"]).toContain(row.status);
  });

  const manifest = loadManifest();
  describe.skipIf(!manifest)(`every DICOM fixture through STOW-RS (${manifest ? "fixtures present" : NO_FIXTURES})`, () => {
    it("stores what should parse and refuses the rest, file by file, in one batch", async () => {
      const entries = manifest!.dicom;
      const files = entries.map((e) => fs.readFileSync(path.join(manifest!.dir, e.path)));
      const projectB = await buildProject(owner);
      const { body, contentType } = buildMultipartRelated(files);
      const res = await fetch(`${server.url}/dicomweb/projects/${projectB}/studies`, {
        method: "POST",
        headers: { "content-type": contentType, authorization: `Bearer ${token}` },
        body,
      });
      expect([200, 202]).toContain(res.status);
      const batch = res.headers.get("x-concord-upload")!;
      const results: Array<{ position: number; status: string; message: string | null }> = await server.platform.db.dataSource.query(
        `SELECT position, status, message FROM upload_results WHERE batch_id = $1 ORDER BY position`,
        [batch],
      );
      expect(results).toHaveLength(entries.length);
      const wrong = results
        .map((r, i) => ({ path: entries[i]!.path, expected: entries[i]!.expectedToParse, status: r.status, message: r.message }))
        .filter((r) => (r.expected ? r.status === "REFUSED" : r.status !== "REFUSED"))
        // A DICOMDIR parses but is an index, not an image: read, reported, not stored.
        .filter((r) => !(r.path.endsWith("DICOMDIR") && r.status === "IGNORED"));
      expect(wrong, JSON.stringify(wrong, null, 1)).toEqual([]);
      for (const r of results.filter((x) => x.status === "REFUSED")) expect(r.message).toMatch(/^part \d+: /);
      const ignored = results.filter((r) => r.status === "IGNORED").map((r) => entries[r.position]!.path);
      expect(ignored.every((p) => p.endsWith("DICOMDIR")), ignored.join(", ")).toBe(true);
    }, 120_000);

    it("stores every NIfTI and NRRD fixture named as the browser names them, a detached header with its data, and serves their frames", async () => {
      const entries = [...manifest!.nifti, ...manifest!.nrrd];
      // Parts named by Content-Location, as the upload page sends them.
      const boundary = "concord-volumes";
      const body = Buffer.concat([
        ...entries.flatMap((e) => [
          Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\nContent-Location: ${encodeURIComponent(e.path).replace(/%2F/g, "/")}\r\n\r\n`),
          fs.readFileSync(path.join(manifest!.dir, e.path)),
          Buffer.from("\r\n"),
        ]),
        Buffer.from(`--${boundary}--\r\n`),
      ]);
      const projectC = await buildProject(owner);
      const res = await fetch(`${server.url}/dicomweb/projects/${projectC}/studies`, {
        method: "POST",
        headers: { "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}`, authorization: `Bearer ${token}` },
        body,
      });
      expect([200, 202]).toContain(res.status);
      const results: Array<{ file_name: string; status: string; message: string | null; instance_id: string | null }> = await server.platform.db.dataSource.query(
        `SELECT file_name, status, message, instance_id FROM upload_results WHERE batch_id = $1 ORDER BY position`,
        [res.headers.get("x-concord-upload")],
      );
      expect(results.map((r) => r.file_name)).toEqual(entries.map((e) => e.path));
      // The detached header joined with its data is, byte for byte, the attached .nrrd uploaded before it: already there.
      const expected = entries.map((e) =>
        !e.expectedToParse ? "REFUSED" : e.path.endsWith(".raw") ? "IGNORED" : e.path === "nrrd/BallBinary30x30x30.nhdr" ? "DUPLICATE" : "STORED",
      );
      expect(results.map((r) => r.status)).toEqual(expected);
      expect(results.find((r) => r.status === "REFUSED")!.message).toMatch(/^nifti\/not-nifti\.nii: named as NIfTI, but not/);
      // One case each, named by the file without its extension (.nii.gz as a whole).
      const cases: Array<{ key: string }> = await server.platform.db.dataSource.query(`SELECT key FROM cases WHERE project_id = $1 ORDER BY key`, [projectC]);
      expect(cases.map((c) => c.key)).toContain("avg152T1_LR_nifti");
      expect(cases.map((c) => c.key)).toContain("BallBinary30x30x30");
      // Frame 46 of the MNI template (91 x 109, 8 bits) through WADO-RS.
      const avg = results[entries.findIndex((e) => e.path === "nifti/avg152T1_LR_nifti.nii.gz")]!;
      const [inst] = await server.platform.db.dataSource.query(
        `SELECT st.study_instance_uid AS study_uid, se.series_instance_uid AS series_uid, i.sop_instance_uid
           FROM instances i JOIN series se ON se.id = i.series_id JOIN studies st ON st.id = se.study_id WHERE i.id = $1`,
        [avg.instance_id],
      );
      const frame = await get(`${server.url}/dicomweb/projects/${projectC}/studies/${inst.study_uid}/series/${inst.series_uid}/instances/${inst.sop_instance_uid}/frames/46`, { token }, "multipart/related; type=\"application/octet-stream\"");
      expect(frame.status).toBe(200);
      const [part] = parseMultipartRelated(Buffer.from(await frame.arrayBuffer()), frame.headers.get("content-type") ?? undefined);
      expect(part!.body.length).toBe(91 * 109);
    }, 120_000);
  });
});

describe("zip archives through STOW-RS", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("ingests every image inside an archive, and reports a broken archive as one refused file", async () => {
    const { zipSync } = await import("fflate");
    const { caller } = await buildUser(server, "zipper");
    const projectId = await buildProject(caller);
    const token = (await caller.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "z" }) { token } }`)).createApiToken.token;
    const zip = zipSync({ "cxr/one.png": chestPng(16, 16), "cxr/two.png": chestPng(24, 16), "readme.txt": new TextEncoder().encode("not an image") });
    const { body, contentType } = buildMultipartRelated([zip, zip.subarray(0, 40)]);
    const res = await fetch(`${server.url}/dicomweb/projects/${projectId}/studies`, {
      method: "POST",
      headers: { "content-type": contentType, authorization: `Bearer ${token}` },
      body,
    });
    expect(res.status).toBe(202);
    const rows: Array<{ file_name: string; status: string; message: string | null }> = await server.platform.db.dataSource.query(
      `SELECT file_name, status, message FROM upload_results WHERE batch_id = $1 ORDER BY position`,
      [res.headers.get("x-concord-upload")],
    );
    expect(rows.map((r) => [r.file_name, r.status])).toEqual([
      ["part 1/cxr/one.png", "STORED"],
      ["part 1/cxr/two.png", "STORED"],
      ["part 1/readme.txt", "REFUSED"],
      ["part 2", "REFUSED"],
    ]);
    expect(rows[3]!.message).toMatch(/^part 2: not a readable zip archive/);
    const cases = await server.platform.db.dataSource.query(`SELECT key FROM cases WHERE project_id = $1 ORDER BY key`, [projectId]);
    expect(cases.map((c: { key: string }) => c.key)).toEqual(["one", "two"]);
  });
});

describe("WADO-RS retrieve of a whole study, one file at a time", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let projectId: string;
  let token: string;
  const STUDY = "1.2.826.0.1.3680043.2.1143.79.100";
  const ELE = "1.2.840.10008.1.2.1";
  /** Slice `k` of one study and series (Instance Number k), 8 x 8, 16 bits. */
  const slice = (study: string, k: number) => {
    const sop = `${study}.${k}`;
    const dataset = imageDataset({
      rows: 8,
      columns: 8,
      bitsAllocated: 16,
      bitsStored: 16,
      pixels: Uint8Array.from({ length: 128 }, (_, i) => (i * k) & 0xff),
      sopInstanceUid: sop,
      studyInstanceUid: study,
      seriesInstanceUid: `${study}.0`,
      instanceNumber: k,
      modality: "OT",
      patientName: "Slice^Study",
      patientId: "S1",
    });
    return part10(ELE, dataset, fileMeta(ELE, "1.2.840.10008.5.1.4.1.1.7", sop));
  };
  const stowStudy = async (study: string, count: number): Promise<string> => {
    const { body, contentType } = buildMultipartRelated(Array.from({ length: count }, (_, i) => slice(study, i + 1)));
    const res = await fetch(`${server.url}/dicomweb/projects/${projectId}/studies`, { method: "POST", headers: { "content-type": contentType, authorization: `Bearer ${token}` }, body });
    expect(res.status).toBe(200);
    const stored = ((await res.json()) as Json)["00081199"]!.Value as Json[];
    expect(stored).toHaveLength(count);
    // The study's UID as stored (replaced by the de-identification).
    const [hit] = (await (await fetch(`${server.url}/dicomweb/projects/${projectId}/instances?SOPInstanceUID=${stored[0]!["00081155"]!.Value![0]}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Json[];
    return hit!["0020000D"]!.Value![0] as string;
  };
  const retrieve = (study: string) =>
    fetch(`${server.url}/dicomweb/projects/${projectId}/studies/${study}`, { headers: { authorization: `Bearer ${token}`, accept: 'multipart/related; type="application/dicom"' } });

  beforeAll(async () => {
    server = await startTestServer();
    const { caller } = await buildUser(server, "retriever");
    projectId = await buildProject(caller);
    token = (await caller.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "r" }) { token } }`)).createApiToken.token;
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("sends every file whole, in instance order, as a chunked answer (never the whole study in one buffer)", async () => {
    const study = await stowStudy(STUDY, 5);
    const res = await retrieve(study);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBeNull();
    expect(res.headers.get("transfer-encoding")).toBe("chunked");
    const parts = parseMultipartRelated(Buffer.from(await res.arrayBuffer()), res.headers.get("content-type") ?? undefined);
    expect(parts.map((p) => readDicomFile(p.body, "part.dcm").dict["00200013"]?.Value?.[0])).toEqual([1, 2, 3, 4, 5]);
  });

  it("cuts the answer short when a file cannot be read midway (no closing delimiter), answers an error status when the first cannot, and goes on serving", async () => {
    const study = await stowStudy(`${STUDY}1`, 3);
    const keyOf = async (n: number) =>
      (await server.platform.db.dataSource.query(`SELECT i.storage_key FROM instances i JOIN series se ON se.id = i.series_id JOIN studies st ON st.id = se.study_id WHERE st.study_instance_uid = $1 AND i.instance_number = $2`, [study, n]))[0].storage_key as string;
    await server.platform.store.delete(await keyOf(2));
    const res = await retrieve(study);
    expect(res.status).toBe(200);
    // The body ends without its closing delimiter: the read fails or what arrived does not parse as a whole answer.
    const outcome = await res.arrayBuffer().then(
      (bytes) => {
        try {
          parseMultipartRelated(Buffer.from(bytes), res.headers.get("content-type") ?? undefined);
          return "parsed";
        } catch {
          return "unparseable";
        }
      },
      () => "cut",
    );
    expect(outcome).not.toBe("parsed");

    // The first file is read before the answer starts: a lost local file is the server's error (500), not a 200 with nothing in it.
    await server.platform.store.delete(await keyOf(1));
    expect((await retrieve(study)).status).toBe(500);
    const whole = await stowStudy(`${STUDY}2`, 2);
    const again = await retrieve(whole);
    expect(again.status).toBe(200);
    expect(parseMultipartRelated(Buffer.from(await again.arrayBuffer()), again.headers.get("content-type") ?? undefined)).toHaveLength(2);
  });
});
