import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../platform/database/embedded.js";
import { DicomwebClient } from "../../platform/dicomweb/client.js";
import { parseMultipartRelated } from "../../platform/dicomweb/multipart.js";
import { startDicomwebStub, type DicomwebStub } from "../../testing/dicomweb-stub.js";
import { errorCode, GRANT_ROLE } from "../../testing/fixtures.js";
import { Caller, buildProject, buildUser, startTestServer } from "../../testing/harness.js";
import { chestPng, stow } from "../../testing/images.js";
import { hasOrthanc, NO_ORTHANC, startOrthanc, type OrthancPeer } from "../../testing/orthanc.js";
import { readDicomFile } from "./dicom/read.js";

type Json = Record<string, { vr: string; Value?: unknown[] }>;

const SET = `mutation($projectId: ID!, $input: ExternalStoreInput!) {
  setExternalStore(projectId: $projectId, input: $input) { projectId baseUrl auth username hasSecret updatedAt }
}`;
const GET = `query($projectId: ID!) { externalStore(projectId: $projectId) { baseUrl auth username hasSecret } }`;
const CLEAR = `mutation($projectId: ID!) { clearExternalStore(projectId: $projectId) }`;
const RESULTS = `query($id: ID!) { uploadBatch(id: $id) { status total stored refused results { status message } } }`;
const DICOM = 'multipart/related; type="application/dicom"';

/** What project_stores.secret of a project is sealed for (as the service seals it): the project's row, for the store's origin. */
const secretContext = (projectId: string, origin: string) => `project_stores.secret of project ${projectId} for ${origin}`;
/** How secrets were sealed before they were bound to the origin. */
const unboundContext = (projectId: string) => `project_stores.secret of project ${projectId}`;
const SEALED = /^v1:[0-9a-f]{8}:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]*={0,2}:[A-Za-z0-9+/]{22}==$/;

const fieldsOf = (r: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
  (r.errors?.[0]?.extensions?.fields as Array<{ field: string; message: string }> | undefined) ?? [];

describe("external store settings (no store needed)", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Caller;
  let projectId: string;
  let stub: DicomwebStub;
  const basic = `Basic ${Buffer.from("reader:s3cret").toString("base64")}`;

  beforeAll(async () => {
    server = await startTestServer();
    ({ caller: owner } = await buildUser(server, "owner"));
    projectId = await buildProject(owner);
    stub = await startDicomwebStub({ authorization: basic });
  });
  afterAll(async () => {
    await stub?.close();
    await server?.close();
    await server?.dropDatabase();
  });

  it("refuses settings that cannot be right, field by field, without calling anything", async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ baseUrl: "not a url" }, "baseUrl", /is not a URL/],
      [{ baseUrl: "ftp://pacs.example.org/dicom-web" }, "baseUrl", /http:\/\/ or https:\/\//],
      [{ baseUrl: "http://u:p@pacs.example.org/dicom-web" }, "baseUrl", /must not carry credentials/],
      [{ baseUrl: "http://pacs.example.org/dicom-web?x=1" }, "baseUrl", /query or fragment/],
      [{ baseUrl: "http://169.254.169.254/latest" }, "baseUrl", /link-local/],
      [{ baseUrl: stub.url, auth: "BASIC", secret: "x" }, "username", /is required for BASIC/],
      [{ baseUrl: stub.url, auth: "BASIC", username: "reader" }, "secret", /is required for BASIC/],
      [{ baseUrl: stub.url, auth: "BEARER" }, "secret", /is required for BEARER/],
      [{ baseUrl: stub.url, auth: "BEARER", username: "x", secret: "t" }, "username", /only to BASIC/],
      [{ baseUrl: stub.url, auth: "NONE", secret: "t" }, "secret", /only to BASIC or BEARER/],
    ];
    const before = stub.requests.length;
    for (const [input, field, message] of cases) {
      const r = await owner.gql(SET, { projectId, input });
      expect(errorCode(r), JSON.stringify(input)).toBe("BAD_USER_INPUT");
      expect(fieldsOf(r).find((f) => f.field === field)?.message, JSON.stringify(input)).toMatch(message);
    }
    expect(stub.requests.length).toBe(before);
    expect((await owner.ok<{ externalStore: unknown }>(GET, { projectId })).externalStore).toBeNull();
  });

  it("checks credentials with the store, keeps the secret, and never returns it", async () => {
    const wrong = await owner.gql(SET, { projectId, input: { baseUrl: stub.url, auth: "BASIC", username: "reader", secret: "wrong" } });
    expect(errorCode(wrong)).toBe("BAD_USER_INPUT");
    expect(fieldsOf(wrong)).toEqual([{ field: "secret", message: "the store refused these credentials (HTTP 401)" }]);
    const none = await owner.gql(SET, { projectId, input: { baseUrl: stub.url } });
    expect(fieldsOf(none)).toEqual([{ field: "auth", message: "the store refused these credentials (HTTP 401)" }]);

    const set = await owner.ok<{ setExternalStore: Record<string, unknown> }>(SET, {
      projectId,
      input: { baseUrl: `${stub.url}/`, auth: "BASIC", username: "reader", secret: "s3cret" },
    });
    expect(set.setExternalStore).toMatchObject({ projectId, baseUrl: stub.url, auth: "BASIC", username: "reader", hasSecret: true });
    expect(stub.requests.at(-1)).toEqual({ method: "GET", url: "/dicom-web/studies?limit=1", authorization: basic });
    // The secret is kept sealed (AES-256-GCM, for this project's row only) and is no field of the API.
    const storedSecret = async (pid: string) =>
      ((await server.platform.db.dataSource.query(`SELECT secret FROM project_stores WHERE project_id = $1`, [pid])) as Array<{ secret: string }>)[0]!.secret;
    const sealed = await storedSecret(projectId);
    expect(sealed).toMatch(SEALED);
    for (const form of ["s3cret", Buffer.from("s3cret").toString("base64"), Buffer.from("s3cret").toString("hex")]) expect(sealed).not.toContain(form);
    expect(server.platform.secrets.open(sealed, secretContext(projectId, new URL(stub.url).origin))).toBe("s3cret");
    expect(JSON.stringify(await owner.ok(GET, { projectId }))).not.toContain("s3cret");
    const introspected = await owner.gql(`query($projectId: ID!) { externalStore(projectId: $projectId) { secret } }`, { projectId });
    expect(introspected.errors?.[0]?.message).toMatch(/Cannot query field "secret"/);

    // Changing the URL without giving the secret again keeps it (and it is used for the check).
    const again = await owner.ok<{ setExternalStore: Record<string, unknown> }>(SET, { projectId, input: { baseUrl: stub.url, auth: "BASIC", username: "reader" } });
    expect(again.setExternalStore.hasSecret).toBe(true);
    expect(stub.requests.at(-1)?.authorization).toBe(basic);
    // Sealed again, with a new nonce.
    expect(await storedSecret(projectId)).toMatch(SEALED);
    expect(await storedSecret(projectId)).not.toBe(sealed);

    expect((await owner.ok<{ clearExternalStore: boolean }>(CLEAR, { projectId })).clearExternalStore).toBe(true);
    expect((await owner.ok<{ clearExternalStore: boolean }>(CLEAR, { projectId })).clearExternalStore).toBe(false);
    expect((await owner.ok<{ externalStore: unknown }>(GET, { projectId })).externalStore).toBeNull();
  });

  it("uses a sealed secret only in its own project: one copied to another project's row refuses that project's uploads, saying why", async () => {
    const token = (await owner.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "c" }) { token } }`)).createApiToken.token;
    const [from, to] = [await buildProject(owner), await buildProject(owner)];
    for (const pid of [from, to]) await owner.ok(SET, { projectId: pid, input: { baseUrl: stub.url, auth: "BASIC", username: "reader", secret: "s3cret" } });
    await server.platform.db.dataSource.query(`UPDATE project_stores SET secret = (SELECT secret FROM project_stores WHERE project_id = $1) WHERE project_id = $2`, [from, to]);

    const before = stub.requests.length;
    const answer = await stow(server, to, { token }, [{ name: "e.png", bytes: chestPng(8, 8, 5) }]);
    expect(answer.status).toBe(409);
    const { uploadBatch } = await owner.ok<{ uploadBatch: { refused: number; results: Array<{ message: string }> } }>(RESULTS, { id: answer.batchId });
    expect(uploadBatch.results.map((r) => r.message)).toEqual([
      "e.png: not stored: the credentials of the project's DICOMweb store cannot be opened: sealed with another key than this server's (CONCORD_SECRETS_KEY, or the data dir's secrets-key), or for another project or store address; a project manager must give them again",
    ]);
    // Nothing was sent with it.
    expect(stub.requests.length).toBe(before);
    const kept = await owner.gql(SET, { projectId: to, input: { baseUrl: stub.url, auth: "BASIC", username: "reader" } });
    expect(fieldsOf(kept)).toEqual([
      {
        field: "secret",
        message:
          "the stored one cannot be opened: sealed with another key than this server's (CONCORD_SECRETS_KEY, or the data dir's secrets-key), or for another project or store address: give it again",
      },
    ]);
    const given = await owner.ok<{ setExternalStore: { hasSecret: boolean } }>(SET, {
      projectId: to,
      input: { baseUrl: stub.url, auth: "BASIC", username: "reader", secret: "s3cret" },
    });
    expect(given.setExternalStore.hasSecret).toBe(true);
    // The stub answers STOW-RS with 404 once the credentials are right (401 when not).
    const again = await stow(server, to, { token }, [{ name: "f.png", bytes: chestPng(8, 8, 6) }]);
    const results = await owner.ok<{ uploadBatch: { results: Array<{ message: string }> } }>(RESULTS, { id: again.batchId });
    expect(results.uploadBatch.results[0]?.message).toMatch(/STOW-RS answered HTTP 404: not here$/);
    expect(stub.requests.at(-1)?.authorization).toBe(basic);
  });

  it("keeps using a secret stored in clear before sealing existed, and seals it at the next save or at start", async () => {
    const token = (await owner.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "l" }) { token } }`)).createApiToken.token;
    const pid = await buildProject(owner);
    await owner.ok(SET, { projectId: pid, input: { baseUrl: stub.url, auth: "BASIC", username: "reader", secret: "s3cret" } });
    const storeLegacy = () => server.platform.db.dataSource.query(`UPDATE project_stores SET secret = 's3cret' WHERE project_id = $1`, [pid]);
    const stored = async () =>
      ((await server.platform.db.dataSource.query(`SELECT secret FROM project_stores WHERE project_id = $1`, [pid])) as Array<{ secret: string }>)[0]!.secret;

    // Read in clear for an upload (the stub's 404 to STOW-RS: the credentials were right).
    await storeLegacy();
    const answer = await stow(server, pid, { token }, [{ name: "g.png", bytes: chestPng(8, 8, 7) }]);
    const { uploadBatch } = await owner.ok<{ uploadBatch: { results: Array<{ message: string }> } }>(RESULTS, { id: answer.batchId });
    expect(uploadBatch.results[0]?.message).toMatch(/STOW-RS answered HTTP 404: not here$/);
    expect(stub.requests.at(-1)?.authorization).toBe(basic);

    // Saving the settings without giving the secret again keeps it, sealed.
    await owner.ok(SET, { projectId: pid, input: { baseUrl: stub.url, auth: "BASIC", username: "reader" } });
    expect(stub.requests.at(-1)?.authorization).toBe(basic);
    expect(await stored()).toMatch(SEALED);

    // At start, every secret still in clear is sealed; a second pass has nothing left to do.
    await storeLegacy();
    const other = await buildProject(owner);
    await owner.ok(SET, { projectId: other, input: { baseUrl: stub.url, auth: "BASIC", username: "reader", secret: "s3cret" } });
    const otherSealed = ((await server.platform.db.dataSource.query(`SELECT secret FROM project_stores WHERE project_id = $1`, [other])) as Array<{ secret: string }>)[0]!.secret;
    const restarted = await startTestServer({ databaseUrl: server.platform.config.databaseUrl! });
    try {
      expect(await stored()).toMatch(SEALED);
      const [otherAfter] = (await server.platform.db.dataSource.query(`SELECT secret FROM project_stores WHERE project_id = $1`, [other])) as Array<{ secret: string }>;
      expect(otherAfter!.secret).toBe(otherSealed);
      expect(await restarted.services.images.externalStores.sealLegacySecrets()).toBe(0);
    } finally {
      await restarted.close();
    }
    expect(server.platform.secrets.open(await stored(), secretContext(pid, new URL(stub.url).origin))).toBe("s3cret");
    const sealedAnswer = await stow(server, pid, { token }, [{ name: "h.png", bytes: chestPng(8, 8, 8) }]);
    const sealedResults = await owner.ok<{ uploadBatch: { results: Array<{ message: string }> } }>(RESULTS, { id: sealedAnswer.batchId });
    expect(sealedResults.uploadBatch.results[0]?.message).toMatch(/STOW-RS answered HTTP 404: not here$/);
  });

  it("keeps the secret for a new path on the same origin, and never sends it to another host: a new origin needs it given again", async () => {
    const token = (await owner.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "m" }) { token } }`)).createApiToken.token;
    const pid = await buildProject(owner);
    const origin = new URL(stub.url).origin;
    const elsewhere = stub.url.replace("127.0.0.1", "localhost"); // the same stub, under another origin
    await owner.ok(SET, { projectId: pid, input: { baseUrl: stub.url, auth: "BASIC", username: "reader", secret: "s3cret" } });

    // Another path on the same origin: the stored password is kept, and checked there.
    const moved = await owner.ok<{ setExternalStore: { baseUrl: string; hasSecret: boolean } }>(SET, {
      projectId: pid,
      input: { baseUrl: `${origin}/orthanc/dicom-web`, auth: "BASIC", username: "reader" },
    });
    expect(moved.setExternalStore).toMatchObject({ baseUrl: `${origin}/orthanc/dicom-web`, hasSecret: true });
    expect(stub.requests.at(-1)).toEqual({ method: "GET", url: "/orthanc/dicom-web/studies?limit=1", authorization: basic });

    // Another origin without the password: refused before anything is sent, the settings as they were.
    const before = stub.requests.length;
    for (const input of [
      { baseUrl: elsewhere, auth: "BASIC", username: "reader" },
      { baseUrl: elsewhere, auth: "BASIC", username: "reader", secret: "" },
    ]) {
      const refused = await owner.gql(SET, { projectId: pid, input });
      expect(errorCode(refused)).toBe("BAD_USER_INPUT");
      expect(fieldsOf(refused)).toEqual([
        { field: "secret", message: `is required again: the stored password was given for ${origin}, and is never sent to another host` },
      ]);
    }
    expect(stub.requests.length).toBe(before);
    const kept = await owner.ok<{ externalStore: { baseUrl: string } }>(GET, { projectId: pid });
    expect(kept.externalStore.baseUrl).toBe(`${origin}/orthanc/dicom-web`);

    // Given again, it is kept for the new origin.
    await owner.ok(SET, { projectId: pid, input: { baseUrl: elsewhere, auth: "BASIC", username: "reader", secret: "s3cret" } });
    expect(stub.requests.at(-1)?.authorization).toBe(basic);
    const [row] = (await server.platform.db.dataSource.query(`SELECT secret FROM project_stores WHERE project_id = $1`, [pid])) as Array<{ secret: string }>;
    expect(server.platform.secrets.open(row!.secret, secretContext(pid, new URL(elsewhere).origin))).toBe("s3cret");
    expect(() => server.platform.secrets.open(row!.secret, secretContext(pid, origin))).toThrow(/does not authenticate/);

    // The URL rewritten in the database to another origin: the secret does not open, nothing is sent.
    await server.platform.db.dataSource.query(`UPDATE project_stores SET base_url = $2 WHERE project_id = $1`, [pid, stub.url]);
    const sentBefore = stub.requests.length;
    const answer = await stow(server, pid, { token }, [{ name: "t.png", bytes: chestPng(8, 8, 9) }]);
    expect(answer.status).toBe(409);
    const { uploadBatch } = await owner.ok<{ uploadBatch: { results: Array<{ message: string }> } }>(RESULTS, { id: answer.batchId });
    expect(uploadBatch.results[0]?.message).toMatch(/cannot be opened: sealed with another key .*, or for another project or store address; a project manager must give them again$/);
    expect(stub.requests.length).toBe(sentBefore);
  });

  it("seals again at start, for their store's origin, secrets sealed before they were bound to it; until then they are not used", async () => {
    const token = (await owner.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "u" }) { token } }`)).createApiToken.token;
    const pid = await buildProject(owner);
    await owner.ok(SET, { projectId: pid, input: { baseUrl: stub.url, auth: "BASIC", username: "reader", secret: "s3cret" } });
    const unbound = server.platform.secrets.seal("s3cret", unboundContext(pid));
    await server.platform.db.dataSource.query(`UPDATE project_stores SET secret = $2 WHERE project_id = $1`, [pid, unbound]);

    const sentBefore = stub.requests.length;
    const refused = await stow(server, pid, { token }, [{ name: "u.png", bytes: chestPng(8, 8, 10) }]);
    expect(refused.status).toBe(409);
    expect(stub.requests.length).toBe(sentBefore);

    const restarted = await startTestServer({ databaseUrl: server.platform.config.databaseUrl! });
    try {
      expect(await restarted.services.images.externalStores.sealLegacySecrets()).toBe(0);
    } finally {
      await restarted.close();
    }
    const [row] = (await server.platform.db.dataSource.query(`SELECT secret FROM project_stores WHERE project_id = $1`, [pid])) as Array<{ secret: string }>;
    expect(row!.secret).not.toBe(unbound);
    expect(server.platform.secrets.open(row!.secret, secretContext(pid, new URL(stub.url).origin))).toBe("s3cret");
    const answer = await stow(server, pid, { token }, [{ name: "v.png", bytes: chestPng(8, 8, 11) }]);
    const { uploadBatch } = await owner.ok<{ uploadBatch: { results: Array<{ message: string }> } }>(RESULTS, { id: answer.batchId });
    expect(uploadBatch.results[0]?.message).toMatch(/STOW-RS answered HTTP 404: not here$/);
    expect(stub.requests.at(-1)?.authorization).toBe(basic);
  });

  it("refuses a URL where nothing answers, or that is not DICOMweb, and keeps what was set", async () => {
    const closed = await owner.gql(SET, { projectId, input: { baseUrl: `http://127.0.0.1:${await freePort()}/dicom-web` } });
    expect(errorCode(closed)).toBe("BAD_USER_INPUT");
    expect(fieldsOf(closed)[0]).toEqual({
      field: "baseUrl",
      message: "does not answer like a DICOMweb service (QIDO-RS /studies?limit=1): no answer (connection refused, ECONNREFUSED)",
    });
    const notDicomweb = await owner.gql(SET, {
      projectId,
      input: { baseUrl: stub.url.replace("/dicom-web", "/other"), auth: "BASIC", username: "reader", secret: "s3cret" },
    });
    expect(fieldsOf(notDicomweb)[0]?.message).toMatch(/does not answer like a DICOMweb service .*HTTP 404/);
    expect((await owner.ok<{ externalStore: unknown }>(GET, { projectId })).externalStore).toBeNull();
  });

  it("turns a store's refusal into a per-file REFUSED result with the store's status, and stores nothing", async () => {
    const pid = await buildProject(owner);
    await owner.ok(SET, { projectId: pid, input: { baseUrl: stub.url, auth: "BASIC", username: "reader", secret: "s3cret" } });
    const token = (await owner.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "s" }) { token } }`)).createApiToken.token;
    // The stub answers QIDO-RS only: its STOW-RS is a 404.
    const answer = await stow(server, pid, { token }, [{ name: "a.png", bytes: chestPng(8, 8, 1) }, { name: "b.png", bytes: chestPng(8, 8, 2) }]);
    expect(answer.status).toBe(409);
    const { uploadBatch } = await owner.ok<{ uploadBatch: { status: string; refused: number; results: Array<{ status: string; message: string }> } }>(RESULTS, {
      id: answer.batchId,
    });
    expect([uploadBatch.status, uploadBatch.refused]).toEqual(["DONE", 2]);
    expect(uploadBatch.results.map((r) => r.message)).toEqual([
      "a.png: not stored: the project's DICOMweb store refused it: STOW-RS answered HTTP 404: not here",
      "b.png: not stored: the project's DICOMweb store refused it: STOW-RS answered HTTP 404: not here",
    ]);
    const counts = await server.platform.db.dataSource.query(
      `SELECT (SELECT count(*)::int FROM instances WHERE project_id = $1) AS instances, (SELECT count(*)::int FROM studies WHERE project_id = $1) AS studies,
              (SELECT count(*)::int FROM cases WHERE project_id = $1) AS cases`,
      [pid],
    );
    expect(counts).toEqual([{ instances: 0, studies: 0, cases: 0 }]);
  });
});

describe.skipIf(!hasOrthanc())(`a project's images in Orthanc, through Concord${hasOrthanc() ? "" : ` (${NO_ORTHANC})`}`, () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let orthanc: OrthancPeer;
  let owner: Caller;
  let ownerToken: string;
  let projectId: string;
  let root: string;

  const tokenOf = async (c: Caller) => (await c.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "t" }) { token } }`)).createApiToken.token;
  const get = (url: string, token?: string, accept?: string) =>
    fetch(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(accept ? { accept } : {}) } });
  const instanceRows = (pid: string) =>
    server.platform.db.dataSource.query(`SELECT sop_instance_uid, storage_key FROM instances WHERE project_id = $1 ORDER BY created_at`, [pid]) as Promise<
      Array<{ sop_instance_uid: string; storage_key: string }>
    >;

  beforeAll(async () => {
    [server, orthanc] = await Promise.all([startTestServer(), startOrthanc()]);
    ({ caller: owner } = await buildUser(server, "owner"));
    ownerToken = await tokenOf(owner);
    projectId = await buildProject(owner);
    root = `${server.url}/dicomweb/projects/${projectId}`;
  });
  afterAll(async () => {
    await orthanc?.stop();
    await server?.close();
    await server?.dropDatabase();
  });

  it("refuses Orthanc's REST root and a port where nothing listens, then accepts its DICOMweb root", async () => {
    const rest = await owner.gql(SET, { projectId, input: { baseUrl: orthanc.httpUrl } });
    expect(fieldsOf(rest)[0]?.message).toMatch(/^does not answer like a DICOMweb service .*HTTP 400/);
    const set = await owner.ok<{ setExternalStore: Record<string, unknown> }>(SET, { projectId, input: { baseUrl: orthanc.dicomWebUrl } });
    expect(set.setExternalStore).toMatchObject({ baseUrl: orthanc.dicomWebUrl, auth: "NONE", username: null, hasSecret: false });
  });

  it("de-identifies, stores in Orthanc, keeps the index, and serves it back only to members", async () => {
    const answer = await stow(server, projectId, { token: ownerToken }, [{ name: "chest-1.png", bytes: chestPng(32, 24, 3) }]);
    expect(answer.status).toBe(200);
    const [row] = await instanceRows(projectId);
    const sop = row!.sop_instance_uid;
    const [study, series] = row!.storage_key.replace(/^dicomweb:/, "").split("/");
    expect(row!.storage_key).toBe(`dicomweb:${study}/${series}/${sop}`);

    // In Orthanc, asked directly: the de-identified UIDs, and the file says its identity was removed.
    const direct = new DicomwebClient({ baseUrl: orthanc.dicomWebUrl });
    const found = await direct.searchInstances(undefined, undefined, { SOPInstanceUID: sop });
    expect(found.map((i) => [i["0020000D"]?.Value?.[0], i["0020000E"]?.Value?.[0], i["00080018"]?.Value?.[0]])).toEqual([[study, series, sop]]);
    expect(sop).toMatch(/^2\.25\.\d+$/);
    const inOrthanc = readDicomFile(await direct.retrieveInstance(study!, series!, sop), "orthanc.dcm");
    expect(inOrthanc.dict["00120062"]?.Value).toEqual(["YES"]);
    expect(inOrthanc.sopInstanceUID).toBe(sop);

    // Through Concord: QIDO from our index, WADO-RS bytes fetched from Orthanc, frames and rendered from them.
    const studies = (await (await get(`${root}/studies`, ownerToken)).json()) as Json[];
    expect(studies.map((s) => s["0020000D"]?.Value?.[0])).toEqual([study]);
    const retrieved = await get(`${root}/studies/${study}/series/${series}/instances/${sop}`, ownerToken, DICOM);
    expect(retrieved.status).toBe(200);
    const parts = parseMultipartRelated(Buffer.from(await retrieved.arrayBuffer()), retrieved.headers.get("content-type") ?? undefined);
    expect(parts).toHaveLength(1);
    expect(readDicomFile(parts[0]!.body, "concord.dcm").sopInstanceUID).toBe(sop);
    const frame = await get(`${root}/studies/${study}/series/${series}/instances/${sop}/frames/1`, ownerToken, "application/octet-stream");
    expect([frame.status, (await frame.arrayBuffer()).byteLength]).toEqual([200, 32 * 24]);
    const png = await get(`${root}/studies/${study}/series/${series}/instances/${sop}/rendered`, ownerToken, "image/png");
    expect([png.status, png.headers.get("content-type")]).toEqual([200, "image/png"]);
    const wadoUri = await get(`${root}/wado?requestType=WADO&objectUID=${sop}`, ownerToken);
    expect(wadoUri.status).toBe(200);

    // Not for those without access: no credentials, a stranger's token; a viewer may read.
    const stranger = await buildUser(server, "stranger");
    const strangerToken = await tokenOf(stranger.caller);
    for (const token of [undefined, strangerToken]) {
      expect((await get(`${root}/studies/${study}`, token, DICOM)).status).toBe(404);
      expect((await get(`${root}/studies/${study}/series/${series}/instances/${sop}/rendered`, token)).status).toBe(404);
      expect((await get(`${root}/studies`, token)).status).toBe(404);
    }
    const viewer = await buildUser(server, "viewer");
    await owner.ok(GRANT_ROLE, { projectId, input: { email: viewer.email, role: "VIEWER" } });
    expect((await get(`${root}/studies/${study}`, await tokenOf(viewer.caller), DICOM)).status).toBe(200);
    // ...but not see or change the store's settings.
    expect(errorCode(await viewer.caller.gql(GET, { projectId }))).toBe("NOT_FOUND");
    expect(errorCode(await viewer.caller.gql(SET, { projectId, input: { baseUrl: orthanc.dicomWebUrl } }))).toBe("NOT_FOUND");
    expect(errorCode(await viewer.caller.gql(CLEAR, { projectId }))).toBe("NOT_FOUND");
    expect(errorCode(await stranger.caller.gql(GET, { projectId }))).toBe("NOT_FOUND");
  });

  it("stores a many-file upload in Orthanc, each instance once, and indexes them all", async () => {
    const before = ((await (await fetch(`${orthanc.httpUrl}/statistics`)).json()) as { CountInstances: number }).CountInstances;
    const parts = Array.from({ length: 20 }, (_, i) => ({ name: `many-${i}.png`, bytes: chestPng(8, 8, 40 + i) }));
    expect((await stow(server, projectId, { token: ownerToken }, parts)).status).toBe(200);
    const after = ((await (await fetch(`${orthanc.httpUrl}/statistics`)).json()) as { CountInstances: number }).CountInstances;
    expect(after - before).toBe(20);
    const rows = await instanceRows(projectId);
    expect(rows.filter((r) => r.storage_key.startsWith("dicomweb:"))).toHaveLength(21);
  });

  it("deleting a case deletes its file in Orthanc (through its REST API: its DICOMweb plugin refuses DELETE); a store that refuses keeps the file, and the answer counts it", async () => {
    const DELETE = `mutation($projectId: ID!, $caseIds: [ID!]!) { deleteCases(projectId: $projectId, caseIds: $caseIds, reason: CONSENT_WITHDRAWN) { cases images filesLeft } }`;
    expect((await stow(server, projectId, { token: ownerToken }, ["withdrawn", "kept-there"].map((k, i) => ({ name: `${k}.png`, bytes: chestPng(8, 8, 70 + i) })))).status).toBe(200);
    const rows: Array<{ id: string; key: string; sop: string }> = await server.platform.db.dataSource.query(
      `SELECT c.id, c.key, i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1 AND c.key IN ('withdrawn', 'kept-there')`,
      [projectId],
    );
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    const direct = new DicomwebClient({ baseUrl: orthanc.dicomWebUrl });
    const inOrthanc = async (sop: string) => (await direct.searchInstances(undefined, undefined, { SOPInstanceUID: sop })).length;
    expect([await inOrthanc(byKey.withdrawn!.sop), await inOrthanc(byKey["kept-there"]!.sop)]).toEqual([1, 1]);

    expect((await owner.ok<{ deleteCases: unknown }>(DELETE, { projectId, caseIds: [byKey.withdrawn!.id] })).deleteCases).toEqual({ cases: 1, images: 1, filesLeft: 0 });
    expect(await inOrthanc(byKey.withdrawn!.sop)).toBe(0);

    // The project now points at a store that refuses deletes (and is no Orthanc): the file stays where it was, counted.
    const stub = await startDicomwebStub();
    try {
      await owner.ok(SET, { projectId, input: { baseUrl: stub.url } });
      expect((await owner.ok<{ deleteCases: unknown }>(DELETE, { projectId, caseIds: [byKey["kept-there"]!.id] })).deleteCases).toEqual({ cases: 1, images: 1, filesLeft: 1 });
      expect(stub.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.url.replace(/[0-9.]{20,}/g, "…")}`)).toEqual([
        "DELETE /dicom-web/studies/…/series/…/instances/…",
        "POST /tools/lookup",
      ]);
      const { caseDeletions } = await owner.ok<{ caseDeletions: Array<{ caseKey: string; filesLeft: number }> }>(`query($projectId: ID!) { caseDeletions(projectId: $projectId) { caseKey filesLeft } }`, { projectId });
      expect(caseDeletions).toEqual([
        { caseKey: "kept-there", filesLeft: 1 },
        { caseKey: "withdrawn", filesLeft: 0 },
      ]);
      expect(await inOrthanc(byKey["kept-there"]!.sop)).toBe(1);
    } finally {
      await owner.ok(SET, { projectId, input: { baseUrl: orthanc.dicomWebUrl } });
      await stub.close();
    }
  });

  it("after clearing the store, uploads go to the local store; instances left in Orthanc are served again once it is set", async () => {
    await owner.ok(CLEAR, { projectId });
    expect((await stow(server, projectId, { token: ownerToken }, [{ name: "local.png", bytes: chestPng(8, 8, 9) }])).status).toBe(200);
    const rows = await instanceRows(projectId);
    const [first, second] = [rows[0], rows.at(-1)];
    expect(second!.storage_key).toMatch(new RegExp(`^${projectId}/`));
    const [study, series] = first!.storage_key.replace(/^dicomweb:/, "").split("/");
    const url = `${root}/studies/${study}/series/${series}/instances/${first!.sop_instance_uid}`;
    const orphan = await get(url, ownerToken, DICOM);
    expect(orphan.status).toBe(502);
    expect(((await orphan.json()) as { error: string }).error).toMatch(/no longer has one configured/);
    await owner.ok(SET, { projectId, input: { baseUrl: orthanc.dicomWebUrl } });
    expect((await get(url, ownerToken, DICOM)).status).toBe(200);
  });

  it("keeps a store's password sealed in the database, and stores and serves through it", async () => {
    // Orthanc behind a proxy that asks for HTTP Basic, as a store on the network would.
    const password = "orthanc-pa55word";
    const expected = `Basic ${Buffer.from(`concord:${password}`).toString("base64")}`;
    const upstream = new URL(orthanc.httpUrl);
    const seen: Array<string | undefined> = [];
    const proxy = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization !== expected) {
        req.resume();
        res.writeHead(401, { "www-authenticate": 'Basic realm="orthanc"' }).end();
        return;
      }
      const { authorization: _auth, host: _host, ...headers } = req.headers;
      const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on("error", () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/dicom-web`;
      const pid = await buildProject(owner);
      const wrong = await owner.gql(SET, { projectId: pid, input: { baseUrl, auth: "BASIC", username: "concord", secret: "wrong" } });
      expect(fieldsOf(wrong)).toEqual([{ field: "secret", message: "the store refused these credentials (HTTP 401)" }]);
      await owner.ok(SET, { projectId: pid, input: { baseUrl, auth: "BASIC", username: "concord", secret: password } });
      const [row] = (await server.platform.db.dataSource.query(`SELECT secret FROM project_stores WHERE project_id = $1`, [pid])) as Array<{ secret: string }>;
      expect(row!.secret).toMatch(SEALED);
      expect(row!.secret).not.toContain(password);
      expect(row!.secret).not.toContain(Buffer.from(password).toString("base64"));

      const from = seen.length;
      expect((await stow(server, pid, { token: ownerToken }, [{ name: "sealed.png", bytes: chestPng(8, 8, 30) }])).status).toBe(200);
      const [stored] = await instanceRows(pid);
      const [study, series, sop] = stored!.storage_key.replace(/^dicomweb:/, "").split("/");
      const read = await get(`${server.url}/dicomweb/projects/${pid}/studies/${study}/series/${series}/instances/${sop}`, ownerToken, DICOM);
      expect(read.status).toBe(200);
      const parts = parseMultipartRelated(Buffer.from(await read.arrayBuffer()), read.headers.get("content-type") ?? undefined);
      expect(readDicomFile(parts[0]!.body, "sealed.dcm").sopInstanceUID).toBe(sop);
      // The STOW-RS and the WADO-RS both went through the proxy, with the opened password.
      expect(seen.length - from).toBeGreaterThanOrEqual(2);
      expect(seen.slice(from).every((a) => a === expected)).toBe(true);
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  it("with its store stopped, refuses each file with a message and indexes nothing", async () => {
    const second = await startOrthanc();
    const pid = await buildProject(owner);
    await owner.ok(SET, { projectId: pid, input: { baseUrl: second.dicomWebUrl } });
    expect((await stow(server, pid, { token: ownerToken }, [{ name: "before.png", bytes: chestPng(8, 8, 20) }])).status).toBe(200);
    await second.stop();

    const answer = await stow(server, pid, { token: ownerToken }, [
      { name: "c.png", bytes: chestPng(8, 8, 21) },
      { name: "d.png", bytes: chestPng(8, 8, 22) },
    ]);
    expect(answer.status).toBe(409);
    const { uploadBatch } = await owner.ok<{ uploadBatch: { status: string; refused: number; results: Array<{ status: string; message: string }> } }>(RESULTS, {
      id: answer.batchId,
    });
    expect([uploadBatch.status, uploadBatch.refused]).toEqual(["DONE", 2]);
    for (const [i, r] of uploadBatch.results.entries()) {
      expect(r.status).toBe("REFUSED");
      expect(r.message).toMatch(new RegExp(`^${["c", "d"][i]}\\.png: not stored: the project's DICOMweb store did not answer: no answer \\(connection refused, ECONNREFUSED\\)$`));
    }
    const rows = await instanceRows(pid);
    expect(rows).toHaveLength(1);
    // What was stored before is in the index but cannot be fetched: a bad gateway, saying why.
    const [study, series, sop] = rows[0]!.storage_key.replace(/^dicomweb:/, "").split("/");
    const gone = await get(`${server.url}/dicomweb/projects/${pid}/studies/${study}/series/${series}/instances/${sop}/rendered`, ownerToken);
    expect(gone.status).toBe(502);
    expect(((await gone.json()) as { error: string }).error).toMatch(/did not answer/);
  });
});
