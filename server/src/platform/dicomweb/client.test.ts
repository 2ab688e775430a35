import http from "node:http";
import type { AddressInfo } from "node:net";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageToSecondaryCapture } from "../../modules/images/convert/secondary-capture.js";
import { startDicomwebStub } from "../../testing/dicomweb-stub.js";
import { hasOrthanc, NO_ORTHANC, startOrthanc, type OrthancPeer } from "../../testing/orthanc.js";
import { BlobStoreError } from "../storage/store.js";
import { DicomwebBlobStore, dicomwebKey } from "./blob-store.js";
import { DicomwebClient, DicomwebError } from "./client.js";

interface Dcmjs {
  data: { DicomDict: new (meta: unknown) => { dict: unknown; write(): ArrayBuffer } };
}
const dcmjs = require("dcmjs") as Dcmjs;

function syntheticInstance(seed = 0): { bytes: Buffer; study: string; series: string; sop: string } {
  const image = new PNG({ width: 16, height: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(256).map((_, i) => (i + seed) % 256));
  const sc = imageToSecondaryCapture(PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false }), `gradient-${seed}.png`);
  const d = new dcmjs.data.DicomDict(sc.meta);
  d.dict = sc.dict;
  const uid = (tag: string) => (sc.dict[tag]!.Value as string[])[0]!;
  return { bytes: Buffer.from(d.write()), study: uid("0020000D"), series: uid("0020000E"), sop: uid("00080018") };
}

describe("DICOMweb client: credentials and failures", () => {
  it("sends Basic and Bearer credentials, and none when told so", async () => {
    const stub = await startDicomwebStub();
    try {
      await new DicomwebClient({ baseUrl: `${stub.url}/`, auth: { kind: "BASIC", username: "ana", password: "pä:ss" } }).probe();
      await new DicomwebClient({ baseUrl: stub.url, auth: { kind: "BEARER", token: "tok-1" } }).probe();
      await new DicomwebClient({ baseUrl: stub.url }).probe();
      expect(stub.requests.map((r) => [r.method, r.url, r.authorization])).toEqual([
        ["GET", "/dicom-web/studies?limit=1", `Basic ${Buffer.from("ana:pä:ss").toString("base64")}`],
        ["GET", "/dicom-web/studies?limit=1", "Bearer tok-1"],
        ["GET", "/dicom-web/studies?limit=1", undefined],
      ]);
    } finally {
      await stub.close();
    }
  });

  it("says what is wrong: refused credentials, a wrong root, no answer, a redirect", async () => {
    const stub = await startDicomwebStub({ authorization: "Bearer right" });
    try {
      const wrongToken = await new DicomwebClient({ baseUrl: stub.url, auth: { kind: "BEARER", token: "wrong" } }).probe().catch((e: unknown) => e);
      expect(wrongToken).toBeInstanceOf(DicomwebError);
      expect((wrongToken as DicomwebError).status).toBe(401);
      const wrongRoot = await new DicomwebClient({ baseUrl: stub.url.replace("/dicom-web", "/nothing"), auth: { kind: "BEARER", token: "right" } })
        .probe()
        .catch((e: unknown) => e);
      expect((wrongRoot as DicomwebError).status).toBe(404);
      expect((wrongRoot as DicomwebError).message).toMatch(/QIDO-RS answered HTTP 404: not here/);
    } finally {
      await stub.close();
    }
    const closed = await new DicomwebClient({ baseUrl: stub.url }).probe().catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(DicomwebError);
    expect((closed as DicomwebError).status).toBeNull();
    expect((closed as DicomwebError).message).toMatch(/^no answer \(connection refused, ECONNREFUSED\)$/);

    const redirecting = http.createServer((_req, res) => res.writeHead(301, { location: "https://elsewhere.example/dicom-web/studies" }).end());
    await new Promise<void>((r) => redirecting.listen(0, "127.0.0.1", r));
    try {
      const { port } = redirecting.address() as AddressInfo;
      const moved = await new DicomwebClient({ baseUrl: `http://127.0.0.1:${port}` }).probe().catch((e: unknown) => e);
      expect((moved as DicomwebError).message).toMatch(/HTTP 301: redirected to https:\/\/elsewhere\.example/);
    } finally {
      redirecting.close();
    }
  });

  it("gives up on a store that does not answer in time", async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const { port } = silent.address() as AddressInfo;
      const err = await new DicomwebClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200 }).probe().catch((e: unknown) => e);
      expect((err as DicomwebError).message).toMatch(/no answer \(timed out\)/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe("DICOMweb client: connections", () => {
  async function server(handler: (req: http.IncomingMessage, res: http.ServerResponse, nth: number) => void) {
    const perSocket = new Map<unknown, number>();
    let connections = 0;
    const s = http.createServer((req, res) => {
      const nth = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, nth);
      req.resume();
      handler(req, res, nth);
    });
    s.keepAliveTimeout = 1000; // announced as "Keep-Alive: timeout=1", as Orthanc does
    s.on("connection", () => connections++);
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const { port } = s.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/dicom-web`, connections: () => connections, close: () => new Promise<void>((r) => s.close(() => r())) };
  }
  const answer = (res: http.ServerResponse) => res.writeHead(200, { "content-type": "application/dicom+json" }).end("[]");

  it("reuses one connection for requests in a row, even to a store that keeps idle connections for only a second", async () => {
    const store = await server((_req, res) => answer(res));
    try {
      for (let i = 0; i < 3; i++) await new DicomwebClient({ baseUrl: store.url }).probe();
      expect(store.connections()).toBe(1);
    } finally {
      await store.close();
    }
  });

  it("sends a request again on a new connection when the store closed the kept one meanwhile", async () => {
    // The store drops every connection at its second request without answering, as a server
    // does whose idle timeout ran out just as the request came.
    const store = await server((req, res, nth) => (nth > 1 ? req.socket.destroy() : answer(res)));
    try {
      const client = new DicomwebClient({ baseUrl: store.url });
      await client.probe();
      await client.probe();
      expect(store.connections()).toBe(2);
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(!hasOrthanc())(`DICOMweb client against Orthanc${hasOrthanc() ? "" : ` (${NO_ORTHANC})`}`, () => {
  let orthanc: OrthancPeer;
  let client: DicomwebClient;
  const a = syntheticInstance(1);
  beforeAll(async () => {
    orthanc = await startOrthanc();
    client = new DicomwebClient({ baseUrl: orthanc.dicomWebUrl });
  });
  afterAll(async () => {
    await orthanc?.stop();
  });

  it("stores by STOW-RS, finds by QIDO-RS, and retrieves the same bytes and metadata by WADO-RS", async () => {
    await client.probe();
    const reply = await client.stow([a.bytes]);
    expect(reply.status).toBe(200);
    expect(reply.stored.map((s) => s.sopInstanceUid)).toEqual([a.sop]);
    expect(reply.failed).toEqual([]);

    expect((await client.searchStudies({ StudyInstanceUID: a.study })).map((s) => s["0020000D"]?.Value?.[0])).toEqual([a.study]);
    expect((await client.searchSeries(a.study)).map((s) => s["0020000E"]?.Value?.[0])).toEqual([a.series]);
    expect((await client.searchInstances(a.study, a.series)).map((s) => s["00080018"]?.Value?.[0])).toEqual([a.sop]);

    expect((await client.retrieveInstance(a.study, a.series, a.sop)).equals(a.bytes)).toBe(true);
    expect((await client.retrieve(a.study)).map((f) => f.length)).toEqual([a.bytes.length]);
    const [meta] = await client.metadata(a.study, a.series, a.sop);
    expect(meta!["00080018"]?.Value).toEqual([a.sop]);
  });

  it("passes frames and rendered images through as the store answers them", async () => {
    const frames = await client.frames(a.study, a.series, a.sop, [1]);
    expect(frames.status).toBe(200);
    expect(frames.contentType).toMatch(/^multipart\/related/);
    const jpeg = await client.rendered(a.study, a.series, a.sop, { query: { quality: 50 } });
    expect([jpeg.status, jpeg.contentType, [...jpeg.body.subarray(0, 2)]]).toEqual([200, "image/jpeg", [0xff, 0xd8]]);
    const png = await client.rendered(a.study, a.series, a.sop, { frame: 1, accept: "image/png" });
    expect([png.status, png.contentType, png.body.subarray(1, 4).toString("latin1")]).toEqual([200, "image/png", "PNG"]);
  });

  it("refuses Orthanc's REST root, which is not DICOMweb", async () => {
    const probe = await new DicomwebClient({ baseUrl: orthanc.httpUrl }).probe().catch((e: unknown) => e);
    expect(probe).toBeInstanceOf(DicomwebError);
    expect((probe as Error).message).toMatch(/^QIDO-RS answered HTTP 400: Missing "since" argument/);
    // Without limit, its /studies is a list of Orthanc ids.
    const search = await new DicomwebClient({ baseUrl: orthanc.httpUrl }).searchStudies().catch((e: unknown) => e);
    expect((search as Error).message).toMatch(/not a list of DICOM JSON objects/);
  });

  it("as a BlobStore: put, has and get by instance key; a missing instance is a BlobStoreError", async () => {
    const store = new DicomwebBlobStore(client);
    const b = syntheticInstance(2);
    const key = dicomwebKey(b.study, b.series, b.sop);
    expect(await store.has(key)).toBe(false);
    await store.put(key, b.bytes);
    expect(await store.has(key)).toBe(true);
    expect((await store.get(key)).equals(b.bytes)).toBe(true);
    // Orthanc's plugin refuses DICOMweb DELETE; its REST API, one level up, deletes it.
    expect(await store.delete(key)).toBe(true);
    expect(await store.has(key)).toBe(false);
    expect(await store.delete(key)).toBe(true); // already gone
    const missing = await store.get(dicomwebKey(b.study, b.series, "2.25.1")).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BlobStoreError);
    expect((missing as BlobStoreError).status).toBe(404);
    // Bytes that are not DICOM: Orthanc answers 400, and the store says so.
    const junk = await store.put(dicomwebKey("2.25.9", "2.25.9", "2.25.9"), Buffer.from("not dicom")).catch((e: unknown) => e);
    expect(junk).toBeInstanceOf(BlobStoreError);
    expect((junk as Error).message).toMatch(/refused it: STOW-RS answered HTTP 400/);
  });
});
