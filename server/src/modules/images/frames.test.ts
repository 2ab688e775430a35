import fs from "node:fs";
import path from "node:path";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildMultipartRelated, parseMultipartRelated, type Part } from "../../platform/dicomweb/multipart.js";
import { Caller, buildProject, buildUser, startTestServer } from "../../testing/harness.js";
import { loadManifest, NO_FIXTURES } from "../../testing/shared-fixtures.js";
import type { DcmjsDataset } from "./dicom/dcmjs.js";
import { readDicomFile, type DicomFile } from "./dicom/read.js";
import { BE, concat, element, fileMeta, imageDataset, part10, us } from "./dicom/synthetic.js";
import {
  bitSlice,
  bulkValue,
  mediaTypeOfSyntax,
  multipartBody,
  negotiateBulk,
  parseAccept,
  parseFrameList,
  PixelData,
  representationOf,
  swapBytes,
  WadoError,
} from "./frames.js";

const ELE = "1.2.840.10008.1.2.1";
const JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
/** What @cornerstonejs/dicom-image-loader's wadors loader sends. */
const CORNERSTONE_ACCEPT = "multipart/related; type=application/octet-stream; transfer-syntax=*";

const status = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof WadoError ? err.status : -1;
  }
  return undefined;
};

/** A parsed file, made up: enough for PixelData and bulkValue. */
function fakeFile(transferSyntaxUID: string, dict: DcmjsDataset, frames = 1): DicomFile {
  return { name: "x", meta: {}, dict, transferSyntaxUID, frames, hasPixelData: true, hasPreamble: true, hasFileMeta: true, warnings: [] };
}
const image = (rows: number, columns: number, bits: number, extra: DcmjsDataset = {}): DcmjsDataset => ({
  "00280002": { vr: "US", Value: [1] },
  "00280004": { vr: "CS", Value: ["MONOCHROME2"] },
  "00280010": { vr: "US", Value: [rows] },
  "00280011": { vr: "US", Value: [columns] },
  "00280100": { vr: "US", Value: [bits] },
  ...extra,
});
const ab = (bytes: number[]) => Uint8Array.from(bytes).buffer;

describe("frames: lists, Accept and media types", () => {
  it("parses frame lists, 1-based, in the order asked", () => {
    expect(parseFrameList("1")).toEqual([1]);
    expect(parseFrameList("3,1,5")).toEqual([3, 1, 5]);
    expect(parseFrameList("2, 2")).toEqual([2, 2]);
    for (const bad of ["0", "", "a", "1,,2", "1;2", "-1", "1.5", "1e3"]) expect(status(() => parseFrameList(bad)), bad).toBe(400);
  });

  it("names the media type of each compressed syntax (PS3.18 Table 8.7.3-5)", () => {
    expect(mediaTypeOfSyntax(JPEG_BASELINE)).toBe("image/jpeg");
    expect(mediaTypeOfSyntax("1.2.840.10008.1.2.4.51")).toBe("image/jpeg");
    expect(mediaTypeOfSyntax("1.2.840.10008.1.2.4.57")).toBe("image/jpeg");
    expect(mediaTypeOfSyntax("1.2.840.10008.1.2.4.70")).toBe("image/jpeg");
    expect(mediaTypeOfSyntax("1.2.840.10008.1.2.4.80")).toBe("image/jls");
    expect(mediaTypeOfSyntax("1.2.840.10008.1.2.4.81")).toBe("image/jls");
    expect(mediaTypeOfSyntax("1.2.840.10008.1.2.4.90")).toBe("image/jp2");
    expect(mediaTypeOfSyntax("1.2.840.10008.1.2.4.91")).toBe("image/jp2");
    expect(mediaTypeOfSyntax("1.2.840.10008.1.2.4.92")).toBe("image/jpx");
    expect(mediaTypeOfSyntax("1.2.840.10008.1.2.4.203")).toBe("image/jphc");
    expect(mediaTypeOfSyntax("1.2.840.10008.1.2.5")).toBe("image/dicom-rle");
    expect(mediaTypeOfSyntax("1.2.3.4")).toBe("application/octet-stream");
    expect(representationOf("1.2.840.10008.1.2")).toEqual({ mediaType: "application/octet-stream", transferSyntaxUid: ELE, native: true });
    expect(representationOf("1.2.840.10008.1.2.2").transferSyntaxUid).toBe(ELE);
    expect(representationOf("1.2.840.10008.1.2.1.98").native).toBe(true);
  });

  it("reads Accept headers with quoted parameters and quality, dropping q=0", () => {
    expect(parseAccept(undefined)).toEqual([{ type: "*/*", params: {}, q: 1 }]);
    expect(parseAccept('multipart/related; type="application/octet-stream"; transfer-syntax=*, image/png;q=0, */*;q=0.1')).toEqual([
      { type: "multipart/related", params: { type: "application/octet-stream", "transfer-syntax": "*" }, q: 1 },
      { type: "*/*", params: {}, q: 0.1 },
    ]);
    expect(parseAccept("a/b;q=0.5, c/d").map((r) => r.type)).toEqual(["c/d", "a/b"]);
  });

  it("serves native frames to octet-stream, any type or no Accept; not as a compressed type", () => {
    const native = representationOf(ELE);
    for (const accept of [undefined, "*/*", CORNERSTONE_ACCEPT, 'multipart/related; type="application/octet-stream"', `multipart/related; type="application/octet-stream"; transfer-syntax=${ELE}`, "multipart/related"]) {
      expect(negotiateBulk(accept, native, false), String(accept)).toEqual({ multipart: true });
    }
    expect(negotiateBulk("application/octet-stream", native, true)).toEqual({ multipart: false });
    expect(status(() => negotiateBulk("application/octet-stream", native, false))).toBe(406);
    expect(status(() => negotiateBulk('multipart/related; type="image/jpeg"', native, false))).toBe(406);
    expect(status(() => negotiateBulk('multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2', native, false))).toBe(406);
  });

  it("serves compressed frames as they are only to clients that take them: 406 for plain octet-stream", () => {
    const jls = representationOf("1.2.840.10008.1.2.4.80");
    for (const accept of [undefined, CORNERSTONE_ACCEPT, 'multipart/related; type="image/jls"', 'multipart/related; type="image/x-jls"', "multipart/related; type=image/jls; transfer-syntax=1.2.840.10008.1.2.4.80", 'multipart/related; type="image/*"']) {
      expect(negotiateBulk(accept, jls, false), String(accept)).toEqual({ multipart: true });
    }
    expect(negotiateBulk("image/jls", jls, true)).toEqual({ multipart: false });
    for (const accept of ['multipart/related; type="application/octet-stream"', "application/octet-stream", 'multipart/related; type="image/jp2"', "multipart/related; type=image/jls; transfer-syntax=1.2.840.10008.1.2.4.81", "image/png"]) {
      expect(status(() => negotiateBulk(accept, jls, true)), accept).toBe(406);
    }
    try {
      negotiateBulk('multipart/related; type="application/octet-stream"', jls, false);
    } catch (err) {
      expect((err as Error).message).toMatch(/JPEG-LS Lossless \(1\.2\.840\.10008\.1\.2\.4\.80\).*not transcoded.*type="image\/jls".*transfer-syntax=\*/);
    }
  });
});

describe("frames: cutting pixel data", () => {
  it("cuts native frames by Rows × Columns × Samples × Bits Allocated", () => {
    const px = Uint8Array.from({ length: 2 * 3 * 2 * 3 }, (_, i) => i);
    const pixels = PixelData.of(fakeFile(ELE, { ...image(2, 3, 16), "7FE00010": { vr: "OW", Value: [px.buffer] } }, 3))!;
    expect(pixels.frameCount).toBe(3);
    expect(Array.from(pixels.frame(2))).toEqual(Array.from(px.subarray(12, 24)));
    expect(status(() => pixels.frame(4))).toBe(404);
  });

  it("swaps big endian 16-bit (and OW 8-bit) pixel data to little endian, leaves OB alone", () => {
    const be = PixelData.of(fakeFile("1.2.840.10008.1.2.2", { ...image(1, 2, 16), "7FE00010": { vr: "OW", Value: [ab([0x01, 0x02, 0x03, 0x04])] } }))!;
    expect(Array.from(be.frame(1))).toEqual([0x02, 0x01, 0x04, 0x03]);
    const ow8 = PixelData.of(fakeFile("1.2.840.10008.1.2.2", { ...image(1, 4, 8), "7FE00010": { vr: "OW", Value: [ab([1, 2, 3, 4])] } }))!;
    expect(Array.from(ow8.frame(1))).toEqual([2, 1, 4, 3]);
    const ob8 = PixelData.of(fakeFile("1.2.840.10008.1.2.2", { ...image(1, 4, 8), "7FE00010": { vr: "OB", Value: [ab([1, 2, 3, 4])] } }))!;
    expect(Array.from(ob8.frame(1))).toEqual([1, 2, 3, 4]);
    expect(Array.from(swapBytes(Uint8Array.of(1, 2, 3, 4, 5), 4))).toEqual([4, 3, 2, 1, 5]);
  });

  it("cuts 1-bit frames that do not start on a byte boundary, re-packed from bit 0", () => {
    // 3×3 frames of 9 bits: frame 1 all ones, frame 2 alternating 1,0,..., frame 3 only its last bit
    const bits = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const packed = new Uint8Array(4);
    bits.forEach((b, i) => (packed[i >> 3]! |= b << (i & 7)));
    const pixels = PixelData.of(fakeFile(ELE, { ...image(3, 3, 1), "7FE00010": { vr: "OB", Value: [packed.buffer] } }, 3))!;
    expect(Array.from(pixels.frame(1))).toEqual([0xff, 0x01]);
    expect(Array.from(pixels.frame(2))).toEqual([0b0101_0101, 0x01]);
    expect(Array.from(pixels.frame(3))).toEqual([0x00, 0x01]);
    expect(Array.from(bitSlice(Uint8Array.of(0xff, 0xff), 0, 12))).toEqual([0xff, 0x0f]);
  });

  it("hands encapsulated frames back as stored, one buffer per frame", () => {
    const pixels = PixelData.of(fakeFile(JPEG_BASELINE, { ...image(2, 2, 8), "7FE00010": { vr: "OB", Value: [ab([0xff, 0xd8, 1]), ab([0xff, 0xd8, 2])] } }, 2))!;
    expect(pixels.native).toBe(false);
    expect(pixels.representation).toEqual({ mediaType: "image/jpeg", transferSyntaxUid: JPEG_BASELINE, native: false });
    expect(Array.from(pixels.frame(2))).toEqual([0xff, 0xd8, 2]);
    expect(pixels.encapsulatedFrames()).toHaveLength(2);
    expect(PixelData.of(fakeFile(ELE, image(2, 2, 8)))).toBeNull();
  });

  it("finds bulk data at the top level, by sequence path, or nested; swaps big endian by VR", () => {
    const item = { "00282000": { vr: "OB", Value: [ab([9, 9])] }, "7FE00010": { vr: "OW", Value: [ab([1, 2])] } };
    const file = fakeFile("1.2.840.10008.1.2.2", {
      "00283006": { vr: "OW", Value: [ab([0x12, 0x34, 0x56, 0x78])] },
      "00880200": { vr: "SQ", Value: [item] },
      "00100010": { vr: "PN", Value: [] },
    });
    expect(Array.from(bulkValue(file, ["00283006"])!.bytes)).toEqual([0x34, 0x12, 0x78, 0x56]);
    expect(Array.from(bulkValue(file, ["00880200", "1", "7FE00010"])!.bytes)).toEqual([2, 1]);
    expect(Array.from(bulkValue(file, ["00282000"])!.bytes)).toEqual([9, 9]);
    expect(bulkValue(file, ["00880200", "2", "7FE00010"])).toBeNull();
    expect(bulkValue(file, ["00100010"])).toBeNull();
    expect(bulkValue(file, ["7FE00010"])).not.toBeNull(); // only in the icon: found there
    for (const bad of [["zz"], ["00880200", "1"], ["00880200", "x", "7FE00010"]]) expect(status(() => bulkValue(file, bad)), bad.join("/")).toBe(400);
  });

  it("writes multipart/related with one Content-Type per part that our parser reads back", () => {
    const body = multipartBody(
      [
        { contentType: "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", body: Uint8Array.of(1, 2, 3) },
        { contentType: "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", body: Uint8Array.of() },
      ],
      "image/jpeg",
    );
    expect(body.contentType).toMatch(/^multipart\/related; type="image\/jpeg"; boundary=concord-[0-9a-f]{24}$/);
    const joined = Buffer.concat(body.chunks);
    expect(joined.length).toBe(body.length);
    const parts = parseMultipartRelated(joined, body.contentType);
    expect(parts.map((p) => [p.headers["content-type"], Array.from(p.body)])).toEqual([
      ["image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", [1, 2, 3]],
      ["image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", []],
    ]);
  });
});

// ---- over HTTP

type Json = Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>;

function png16(width: number, height: number, sample: (x: number, y: number) => number): Buffer {
  const img = new PNG({ width, height, bitDepth: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = sample(x, y);
  img.data = Buffer.from(data.buffer);
  return PNG.sync.write(img, { bitDepth: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** A big endian, signed, MONOCHROME1, 3-frame image, built byte by byte: `values[frame][pixel]`. */
function mono1BigEndian(rows: number, columns: number, values: number[][]): Uint8Array {
  const ts = "1.2.840.10008.1.2.2";
  const sop = "1.2.826.0.1.3680043.2.1143.77.1";
  const pixels = new Uint8Array(values.length * rows * columns * 2);
  const view = new DataView(pixels.buffer);
  values.flat().forEach((v, i) => view.setInt16(i * 2, v, false));
  const dataset = concat(
    element(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7", BE),
    element(0x00080018, "UI", sop, BE),
    element(0x00080060, "CS", "OT", BE),
    element(0x00100010, "PN", "Mono^One", BE),
    element(0x00100020, "LO", "M1", BE),
    element(0x0020000d, "UI", "1.2.826.0.1.3680043.2.1143.77.2", BE),
    element(0x0020000e, "UI", "1.2.826.0.1.3680043.2.1143.77.3", BE),
    us(0x00280002, [1], BE),
    element(0x00280004, "CS", "MONOCHROME1", BE),
    element(0x00280008, "IS", String(values.length), BE),
    us(0x00280010, [rows], BE),
    us(0x00280011, [columns], BE),
    us(0x00280100, [16], BE),
    us(0x00280101, [16], BE),
    us(0x00280102, [15], BE),
    us(0x00280103, [1], BE),
    element(0x00281052, "DS", "-100", BE),
    element(0x00281053, "DS", "1", BE),
    element(0x7fe00010, "OW", pixels, BE),
  );
  return part10(ts, dataset, fileMeta(ts, "1.2.840.10008.5.1.4.1.1.7", sop));
}

const le16 = (values: number[]) => {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setInt16(i * 2, v, true));
  return Array.from(out);
};

/** How Cornerstone's wadors getPixelData reads a frame answer: first part only, by its own rules. */
function cornerstoneExtract(body: Uint8Array): { contentType: string | undefined; pixelData: Uint8Array } {
  const text = Buffer.from(body).toString("latin1");
  const tokenIndex = text.indexOf("\r\n\r\n");
  const header = text.slice(0, tokenIndex).split("\r\n");
  const boundary = header.find((h) => h.startsWith("--"))!;
  const contentType = header.find((h) => h.substring(0, 13) === "Content-Type:")?.substring(13).trim();
  const offset = tokenIndex + 4;
  const endIndex = text.indexOf(boundary, offset);
  return { contentType, pixelData: body.subarray(offset, endIndex - 2) };
}

describe("WADO-RS frames, bulk data and rendered over HTTP", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Caller;
  let token: string;
  let root: string;

  const stow = async (files: Uint8Array[]): Promise<string[]> => {
    const { body, contentType } = buildMultipartRelated(files);
    const res = await fetch(`${root}/studies`, { method: "POST", headers: { "content-type": contentType, authorization: `Bearer ${token}` }, body });
    expect(res.status).toBe(200);
    const stored = ((await res.json()) as Json)["00081199"]!.Value as Json[];
    return stored.map((s) => s["00081190"]!.Value![0] as string);
  };
  const get = (url: string, accept?: string, who: { token?: string } = { token }) =>
    fetch(url, { headers: { ...(who.token ? { authorization: `Bearer ${who.token}` } : {}), ...(accept ? { accept } : {}) } });
  const parts = async (res: Response): Promise<Part[]> => parseMultipartRelated(Buffer.from(await res.arrayBuffer()), res.headers.get("content-type") ?? undefined);
  const retrieveFile = async (instanceUrl: string): Promise<DicomFile> => {
    const res = await get(instanceUrl, 'multipart/related; type="application/dicom"');
    expect(res.status).toBe(200);
    return readDicomFile((await parts(res))[0]!.body, "retrieved.dcm");
  };
  const pixelValue = (file: DicomFile, frame = 0) => new Uint8Array((file.dict["7FE00010"]!.Value as ArrayBuffer[])[frame]!);
  const decodePng = async (res: Response) => PNG.sync.read(Buffer.from(await res.arrayBuffer()));

  beforeAll(async () => {
    server = await startTestServer();
    ({ caller: owner } = await buildUser(server, "owner"));
    const projectId = await buildProject(owner);
    token = (await owner.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "frames" }) { token } }`)).createApiToken.token;
    root = `${server.url}/dicomweb/projects/${projectId}`;
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  describe("a 16-bit grayscale Secondary Capture (from a 16-bit PNG)", () => {
    const width = 40;
    const height = 30;
    let url: string;
    let expected: Uint8Array;

    beforeAll(async () => {
      [url] = await stow([png16(width, height, (x, y) => 1000 + x * 50 + y * 3)]);
      const file = await retrieveFile(url!);
      expect([file.rows, file.columns, file.dict["00280100"]!.Value![0], file.transferSyntaxUID]).toEqual([height, width, 16, ELE]);
      expected = pixelValue(file).subarray(0, width * height * 2);
    });

    it("answers frame 1 as one octet-stream part in Explicit VR Little Endian, as Cornerstone asks and reads it", async () => {
      const res = await get(`${url}/frames/1`, CORNERSTONE_ACCEPT);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^multipart\/related; type="application\/octet-stream"; boundary=/);
      const body = new Uint8Array(await res.arrayBuffer());
      const [part, ...rest] = parseMultipartRelated(Buffer.from(body), res.headers.get("content-type") ?? undefined);
      expect(rest).toHaveLength(0);
      expect(part!.headers["content-type"]).toBe(`application/octet-stream; transfer-syntax=${ELE}`);
      expect(Buffer.compare(part!.body, Buffer.from(expected))).toBe(0);
      const seen = cornerstoneExtract(body);
      expect(seen.contentType).toBe(`application/octet-stream; transfer-syntax=${ELE}`);
      expect(Buffer.compare(Buffer.from(seen.pixelData), Buffer.from(expected))).toBe(0);
    });

    it("takes plain octet-stream, no Accept, and a single-part octet-stream for one frame", async () => {
      for (const accept of ['multipart/related; type="application/octet-stream"', undefined]) {
        const res = await get(`${url}/frames/1`, accept);
        expect(res.status, String(accept)).toBe(200);
        expect(Buffer.compare((await parts(res))[0]!.body, Buffer.from(expected))).toBe(0);
      }
      const single = await get(`${url}/frames/1`, "application/octet-stream");
      expect(single.status).toBe(200);
      expect(single.headers.get("content-type")).toBe(`application/octet-stream; transfer-syntax=${ELE}`);
      expect(Buffer.compare(Buffer.from(await single.arrayBuffer()), Buffer.from(expected))).toBe(0);
    });

    it("answers 404 beyond the frame count, 400 for a bad frame list, 406 for a compressed type", async () => {
      const beyond = await get(`${url}/frames/2`, CORNERSTONE_ACCEPT);
      expect(beyond.status).toBe(404);
      expect(((await beyond.json()) as { error: string }).error).toBe("frame 2 is beyond this instance's 1 frame");
      expect((await get(`${url}/frames/1,2`, CORNERSTONE_ACCEPT)).status).toBe(404);
      for (const list of ["0", "abc", "1,,2", "-1"]) expect((await get(`${url}/frames/${list}`, CORNERSTONE_ACCEPT)).status, list).toBe(400);
      const notAcceptable = await get(`${url}/frames/1`, 'multipart/related; type="image/jpeg"');
      expect(notAcceptable.status).toBe(406);
      expect(((await notAcceptable.json()) as { error: string }).error).toMatch(/application\/octet-stream/);
      expect((await get(`${url.replace(/instances\/[^/]+$/, "instances/1.2.3.4")}/frames/1`, CORNERSTONE_ACCEPT)).status).toBe(404);
    });

    it("serves the Pixel Data BulkDataURI the metadata gives, and 404 for a tag that is not there", async () => {
      const [meta] = (await (await get(`${url}/metadata`)).json()) as Json[];
      const bulkUri = meta!["7FE00010"]!.BulkDataURI!;
      expect(bulkUri).toBe(`${url}/bulk/7FE00010`);
      const res = await get(bulkUri, CORNERSTONE_ACCEPT);
      expect(res.status).toBe(200);
      const [part] = await parts(res);
      expect(part!.headers["content-type"]).toBe(`application/octet-stream; transfer-syntax=${ELE}`);
      expect(Buffer.compare(part!.body.subarray(0, expected.length), Buffer.from(expected))).toBe(0);
      expect((await get(`${url}/bulk/00091001`)).status).toBe(404);
      expect((await get(`${url}/bulk/not-a-tag`)).status).toBe(400);
    });

    it("renders PNG with a min–max window: the lowest value black, the highest white", async () => {
      for (const accept of ["image/png", "*/*", undefined]) {
        const res = await get(`${url}/rendered`, accept);
        expect(res.status, String(accept)).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^image\/png/);
        const img = await decodePng(res);
        expect([img.width, img.height]).toEqual([width, height]);
        expect(img.data[0]).toBe(0);
        expect(img.data[(height * width - 1) * 4]).toBe(255);
      }
      const frame = await decodePng(await get(`${url}/frames/1/rendered`, "image/png"));
      expect([frame.width, frame.height, frame.data[0]]).toEqual([width, height, 0]);
    });

    it("applies window=, viewport= and JPEG quality=", async () => {
      // A threshold: everything up to 2000 black, above white.
      const thresholded = await decodePng(await get(`${url}/rendered?window=2000.5,1`, "image/png"));
      expect(thresholded.data[0]).toBe(0);
      expect(thresholded.data[(width * height - 1) * 4]).toBe(255);
      const small = await decodePng(await get(`${url}/rendered?viewport=20,20`, "image/png"));
      expect([small.width, small.height]).toEqual([20, 15]);
      const jpg = await get(`${url}/rendered?quality=80`, "image/jpeg");
      expect(jpg.status).toBe(200);
      expect(jpg.headers.get("content-type")).toMatch(/^image\/jpeg/);
      const decoded = jpeg.decode(new Uint8Array(await jpg.arrayBuffer()), { useTArray: true });
      expect([decoded.width, decoded.height]).toEqual([width, height]);
      expect((await get(`${url}/rendered`, "image/gif")).status).toBe(406);
      for (const query of ["window=1,0", "viewport=0,5", "quality=0", "window=a,b"]) expect((await get(`${url}/rendered?${query}`, "image/png")).status, query).toBe(400);
      expect((await get(`${url}/frames/2/rendered`, "image/png")).status).toBe(404);
      expect((await get(`${url}/frames/1,1/rendered`, "image/png")).status).toBe(400);
    });

    it("is not found without a token, for a stranger, and for a forged token; a viewer reads", async () => {
      const stranger = await buildUser(server, "stranger");
      const strangerToken = (await stranger.caller.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "x" }) { token } }`)).createApiToken.token;
      for (const who of [{}, { token: strangerToken }, { token: "cct_forged" }]) {
        for (const [path, accept] of [
          ["/frames/1", CORNERSTONE_ACCEPT],
          ["/frames/1", 'multipart/related; type="image/jpeg"'], // would be 406 for a member
          ["/frames/9", CORNERSTONE_ACCEPT],
          ["/bulk/7FE00010", undefined],
          ["/rendered", "image/png"],
          ["/frames/1/rendered", "image/gif"],
        ] as const) {
          const res = await get(`${url}${path}`, accept, who);
          expect(res.status, `${path} as ${JSON.stringify(who)}`).toBe(404);
        }
      }
      const viewer = await buildUser(server, "viewer");
      const projectId = root.split("/").pop()!;
      await owner.ok(`mutation($p: ID!, $e: String!) { grantRole(projectId: $p, input: { email: $e, role: VIEWER }) { role } }`, { p: projectId, e: viewer.email });
      const res = await fetch(`${url}/frames/1`, { headers: { cookie: viewer.caller.cookie!, accept: CORNERSTONE_ACCEPT } });
      expect(res.status).toBe(200);
    });
  });

  describe("a big endian, signed, MONOCHROME1 multi-frame image", () => {
    const rows = 4;
    const columns = 5;
    const values = [0, 1, 2].map((f) => Array.from({ length: rows * columns }, (_, i) => f * 300 + i * 7 - 50));
    let url: string;

    beforeAll(async () => {
      [url] = await stow([mono1BigEndian(rows, columns, values)]);
      const file = await retrieveFile(url!);
      expect([file.transferSyntaxUID, file.frames]).toEqual(["1.2.840.10008.1.2.2", 3]);
    });

    it("answers the frames asked for, in that order, swapped to little endian", async () => {
      const res = await get(`${url}/frames/3,1,2`, CORNERSTONE_ACCEPT);
      expect(res.status).toBe(200);
      const got = await parts(res);
      expect(got.map((p) => p.headers["content-type"])).toEqual(Array(3).fill(`application/octet-stream; transfer-syntax=${ELE}`));
      expect(got.map((p) => Array.from(p.body))).toEqual([le16(values[2]!), le16(values[0]!), le16(values[1]!)]);
      expect((await get(`${url}/frames/4`, CORNERSTONE_ACCEPT)).status).toBe(404);
      // several frames cannot be one single-part answer
      expect((await get(`${url}/frames/1,2`, "application/octet-stream")).status).toBe(406);
    });

    it("answers frames asked one at a time and at once (as a viewer does) from one shared parse, unchanged by earlier answers", async () => {
      for (let round = 0; round < 2; round++) {
        const answers = await Promise.all([3, 1, 2, 1, 3].map(async (n) => ({ n, got: await parts(await get(`${url}/frames/${n}`, CORNERSTONE_ACCEPT)) })));
        for (const { n, got } of answers) expect(Array.from(got[0]!.body), `round ${round}, frame ${n}`).toEqual(le16(values[n - 1]!));
        // A rendering in between must not disturb the frames (it works on copies).
        await decodePng(await get(`${url}/frames/1/rendered`, "image/png"));
      }
    });

    it("answers the whole Pixel Data as one little endian part", async () => {
      const [part] = await parts(await get(`${url}/bulk/7FE00010`, CORNERSTONE_ACCEPT));
      expect(Array.from(part!.body)).toEqual(le16(values.flat()));
    });

    it("renders MONOCHROME1 inverted: the lowest value white, the highest black", async () => {
      const img = await decodePng(await get(`${url}/frames/2/rendered`, "image/png"));
      expect([img.width, img.height]).toEqual([columns, rows]);
      expect(img.data[0]).toBe(255);
      expect(img.data[(rows * columns - 1) * 4]).toBe(0);
      // The window is in modality units (stored - 100): centred on pixel 0, 1 wide, pixel 0 is mid-grey
      // and pixel 1 (7 higher) is past the window, so black once inverted.
      const centre = values[1]![0]! - 100;
      const windowed = await decodePng(await get(`${url}/frames/2/rendered?window=${centre},1,linear-exact`, "image/png"));
      expect([windowed.data[0], windowed.data[4]]).toEqual([127, 0]);
    });
  });

  describe("rendering off the event loop", () => {
    it("renders on the rendering thread, and a frame it cannot render answers 406 with the reason", async () => {
      // An 8-bit PALETTE COLOR image: stored and served, not rendered (its colour tables are not applied yet).
      const ts = ELE;
      const sop = "1.2.826.0.1.3680043.2.1143.78.1";
      const dataset = imageDataset({
        rows: 4,
        columns: 4,
        bitsAllocated: 8,
        bitsStored: 8,
        photometric: "PALETTE COLOR",
        sopInstanceUid: sop,
        studyInstanceUid: "1.2.826.0.1.3680043.2.1143.78.2",
        seriesInstanceUid: "1.2.826.0.1.3680043.2.1143.78.3",
        modality: "OT",
        patientName: "Palette^One",
        patientId: "P1",
      });
      const [paletteUrl] = await stow([part10(ts, dataset, fileMeta(ts, "1.2.840.10008.5.1.4.1.1.7", sop))]);
      const [greyUrl] = await stow([png16(8, 6, (x, y) => x * 100 + y)]);
      const run = vi.spyOn(server.services.rendering, "run");
      try {
        const refused = await get(`${paletteUrl}/rendered`, "image/png");
        expect(refused.status).toBe(406);
        expect(((await refused.json()) as { error?: string }).error).toMatch(/PALETTE COLOR with 1 sample per pixel is not rendered/);
        const ok = await get(`${greyUrl}/rendered`, "image/png");
        expect(ok.status).toBe(200);
        const img = await decodePng(ok);
        expect([img.width, img.height, img.data[0], img.data[(8 * 6 - 1) * 4]]).toEqual([8, 6, 0, 255]);
        expect(run.mock.calls.map((c) => c[0])).toEqual(["renderedFrame", "renderedFrame"]);
      } finally {
        run.mockRestore();
      }
    });
  });

  const manifest = loadManifest();
  describe.skipIf(!manifest)(`fixtures: a native multi-frame image and JPEG baseline (${manifest ? "fixtures present" : NO_FIXTURES})`, () => {
    const pick = (test: (e: NonNullable<typeof manifest>["dicom"][number]) => boolean) => manifest!.dicom.find((e) => e.expectedToParse && e.hasPixelData && test(e));
    const upload = async (entry: { path: string }) => (await stow([fs.readFileSync(path.join(manifest!.dir, entry.path))]))[0]!;

    it("cuts a native multi-frame image's frames exactly, in the order asked", async () => {
      const entry = pick((e) => (e.frames ?? 1) > 2 && e.transferSyntaxUID === ELE && e.bitsAllocated === 16)!;
      expect(entry, "a native 16-bit multi-frame fixture").toBeDefined();
      const url = await upload(entry);
      const file = await retrieveFile(url);
      const frameSize = file.rows! * file.columns! * 2;
      const whole = pixelValue(file);
      const asked = [entry.frames!, 1, Math.ceil(entry.frames! / 2)];
      const res = await get(`${url}/frames/${asked.join(",")}`, CORNERSTONE_ACCEPT);
      expect(res.status).toBe(200);
      const got = await parts(res);
      expect(got).toHaveLength(3);
      got.forEach((p, i) => {
        const n = asked[i]!;
        expect(Buffer.compare(p.body, Buffer.from(whole.subarray((n - 1) * frameSize, n * frameSize))), `frame ${n}`).toBe(0);
      });
      expect((await get(`${url}/frames/${entry.frames! + 1}`, CORNERSTONE_ACCEPT)).status).toBe(404);
      const img = await decodePng(await get(`${url}/frames/${entry.frames}/rendered`, "image/png"));
      expect([img.width, img.height]).toEqual([file.columns, file.rows]);
    });

    it("answers JPEG baseline frames as stored, typed image/jpeg with their transfer syntax; 406 for plain octet-stream", async () => {
      const entry = pick((e) => e.transferSyntaxUID === JPEG_BASELINE && (e.frames ?? 1) > 1) ?? pick((e) => e.transferSyntaxUID === JPEG_BASELINE);
      expect(entry, "a JPEG baseline fixture").toBeDefined();
      const url = await upload(entry!);
      const file = await retrieveFile(url);
      expect(file.transferSyntaxUID).toBe(JPEG_BASELINE);
      const count = file.frames!;
      const asked = count > 1 ? [2, 1] : [1];
      const res = await get(`${url}/frames/${asked.join(",")}`, CORNERSTONE_ACCEPT);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^multipart\/related; type="image\/jpeg"/);
      const got = await parts(res);
      expect(got.map((p) => p.headers["content-type"])).toEqual(asked.map(() => `image/jpeg; transfer-syntax=${JPEG_BASELINE}`));
      got.forEach((p, i) => expect(Buffer.compare(p.body, Buffer.from(pixelValue(file, asked[i]! - 1))), `frame ${asked[i]}`).toBe(0));
      expect([got[0]!.body[0], got[0]!.body[1]]).toEqual([0xff, 0xd8]);
      for (const accept of ['multipart/related; type="application/octet-stream"', "application/octet-stream"]) {
        const refused = await get(`${url}/frames/1`, accept);
        expect(refused.status, accept).toBe(406);
        expect(((await refused.json()) as { error: string }).error).toMatch(/JPEG Baseline.*not transcoded/);
      }
      expect((await get(`${url}/frames/1`, 'multipart/related; type="image/jpeg"')).status).toBe(200);
      const bulk = await parts(await get(`${url}/bulk/7FE00010`, CORNERSTONE_ACCEPT));
      expect(bulk).toHaveLength(count);
      const img = await decodePng(await get(`${url}/rendered`, "image/png"));
      expect([img.width, img.height]).toEqual([file.columns, file.rows]);
    });

    it("refuses to render what it cannot decode, with a reason", async () => {
      const entry = pick((e) => e.transferSyntaxUID === "1.2.840.10008.1.2.4.80");
      if (!entry) return;
      const url = await upload(entry);
      const res = await get(`${url}/rendered`, "image/png");
      expect(res.status).toBe(406);
      expect(((await res.json()) as { error: string }).error).toMatch(/not rendered yet/);
      const frames = await get(`${url}/frames/1`, CORNERSTONE_ACCEPT);
      expect(frames.status).toBe(200);
      expect((await parts(frames))[0]!.headers["content-type"]).toBe("image/jls; transfer-syntax=1.2.840.10008.1.2.4.80");
    });
  });
});
