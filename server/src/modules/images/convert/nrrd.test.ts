import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { NO_FIXTURES, sharedFixturesDir } from "../../../testing/shared-fixtures.js";
import { concatBytes, encodeSamples, nrrdFile, type NrrdOptions } from "../../../testing/volumes.js";
import { bunzip2AtMost, gunzipAtMost, TooLarge } from "./compressed.js";
import { isNrrd, nrrdDataFile, nrrdHeader, permute, readNrrd } from "./nrrd.js";
import type { Volume } from "./volume.js";

const read = (opts: NrrdOptions, name = "vol.nrrd") => readNrrd(nrrdFile(opts), name);
const int16s = (v: Volume) => [...new Int16Array(v.data.buffer, v.data.byteOffset, v.data.byteLength / 2)];
const float32s = (v: Volume) => [...new Float32Array(v.data.buffer, v.data.byteOffset, v.data.byteLength / 4)];

/** Each component within 1e-9 (and -0 taken as 0). */
function expectVectors(actual: number[][], expected: number[][]) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => v.forEach((x, j) => expect(x, `[${i}][${j}] of ${JSON.stringify(actual)}`).toBeCloseTo(expected[i]![j]!, 9)));
}

// 4 × 3 × 2, negatives and values whose two bytes differ (a byte-order mistake shows).
const VALUES = [-32768, -1000, -1, 0, 1, 258, 4000, 32767, 8, 9, 10, 11, -12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
const BASE: NrrdOptions = { type: "short", sizes: [4, 3, 2], values: VALUES };

describe("readNrrd: encodings", () => {
  it("reads raw data in either byte order", () => {
    for (const endian of ["little", "big"] as const) {
      const v = read({ ...BASE, endian });
      expect(v).toMatchObject({ format: "NRRD", type: "int16", sizes: [4, 3, 2], slope: 1, intercept: 0, geometry: null });
      expect(int16s(v), endian).toEqual(VALUES);
    }
    expect(isNrrd(nrrdFile(BASE))).toBe(true);
    expect(isNrrd(new TextEncoder().encode("NRRD000X\n"))).toBe(false);
  });

  it("refuses a header that claims more data than the file holds, in every encoding", () => {
    // 1.8 GB claimed by a file of a few hundred bytes: refused as short, not allocated first.
    for (const encoding of ["raw", "ascii", "hex", "gzip"]) {
      const bytes = nrrdFile({ ...BASE, encoding, sizes: [30000, 30000, 1], values: VALUES });
      expect(() => readNrrd(bytes, "claims.nrrd"), encoding).toThrow(/^claims\.nrrd: truncated: the header promises /);
    }
  });

  it("refuses a header with no end in its first megabyte, without reading the rest as text", () => {
    const endless = new Uint8Array(3 * 1024 * 1024).fill(0x61);
    endless.set(new TextEncoder().encode("NRRD0004\ntype: short\n"));
    expect(() => readNrrd(endless, "endless.nrrd")).toThrow(/^endless\.nrrd: no end to the NRRD header in its first 1048576 bytes$/);
  });

  it("reads ascii, hex and gzip data", () => {
    expect(int16s(read({ ...BASE, encoding: "ascii" }))).toEqual(VALUES);
    expect(int16s(read({ ...BASE, encoding: "text", endian: null }))).toEqual(VALUES);
    expect(int16s(read({ ...BASE, encoding: "hex", endian: "big" }))).toEqual(VALUES);
    expect(int16s(read({ ...BASE, encoding: "hex", endian: "little" }))).toEqual(VALUES);
    expect(int16s(read({ ...BASE, encoding: "gzip", endian: "big" }))).toEqual(VALUES);
    expect(int16s(read({ ...BASE, encoding: "gz" }))).toEqual(VALUES);
    const floats = [0.5, -1.25, 3e10, 1e-3, Number.NaN, -Infinity];
    expect(float32s(read({ type: "float", sizes: [3, 2], encoding: "ascii", values: floats }))).toEqual([...new Float32Array(floats)]);
    const big = read({ type: "int64", sizes: [2], encoding: "ascii", values: [-5, 1e15] });
    expect([...new BigInt64Array(big.data.buffer, 0, 2)]).toEqual([-5n, 1000000000000000n]);
    // CRLF header lines are read as well.
    expect(int16s(read({ ...BASE, newline: "\r\n" }))).toEqual(VALUES);
  });

  it("skips bytes (also -1: the data at the end of a raw file) and lines", () => {
    const junk = new Uint8Array([1, 2, 3, 4, 5, 6, 7]);
    expect(int16s(read({ ...BASE, byteSkip: 7, skippedBytes: junk }))).toEqual(VALUES);
    expect(int16s(read({ ...BASE, byteSkip: -1, skippedBytes: junk }))).toEqual(VALUES);
    expect(int16s(read({ ...BASE, encoding: "gzip", byteSkip: 7, skippedBytes: junk }))).toEqual(VALUES);
    expect(int16s(read({ ...BASE, lineSkip: 2, skippedLines: ["a line", "and another"] }))).toEqual(VALUES);
    expect(int16s(read({ ...BASE, lineSkip: 1, byteSkip: 3, skippedLines: ["a line"], skippedBytes: junk.subarray(0, 3) }))).toEqual(VALUES);
    expect(int16s(read({ ...BASE, encoding: "ascii", lineSkip: 1, skippedLines: ["9 9 9 9 9"] }))).toEqual(VALUES);
    // Without the skip, the junk is read as data.
    expect(int16s(read({ ...BASE, skippedBytes: junk.subarray(0, 2) })).slice(0, 2)).toEqual([0x0201, -32768]);
    expect(() => read({ ...BASE, encoding: "gzip", byteSkip: -1, skippedBytes: junk })).toThrow(/^vol\.nrrd: byte skip -1 .* only for raw encoding/);
    expect(() => read({ ...BASE, lineSkip: 5, skippedLines: ["one"], values: [] })).toThrow(/^vol\.nrrd: line skip 5 goes past the end of the file/);
  });

  it("needs endian for multi-byte binary data, not for bytes or text", () => {
    expect(() => read({ ...BASE, endian: null })).toThrow(/^vol\.nrrd: the NRRD header has no "endian" field, needed for short data$/);
    expect(() => read({ ...BASE, endian: null, encoding: "gzip" })).toThrow(/no "endian" field/);
    expect([...read({ type: "uchar", sizes: [3], values: [1, 2, 250], endian: null }).data]).toEqual([1, 2, 250]);
    expect(int16s(read({ ...BASE, endian: null, encoding: "ascii" }))).toEqual(VALUES);
    expect(() => read({ ...BASE, fields: { endian: "middle" }, endian: null })).toThrow(/^vol\.nrrd: endian "middle" must be little or big/);
  });

  it("refuses missing fields, bad types and unsupported encodings, saying which", () => {
    for (const field of ["type", "dimension", "sizes", "encoding"]) {
      expect(() => read({ ...BASE, omit: [field] }), field).toThrow(new RegExp(`^vol\\.nrrd: the NRRD header has no "${field}" field$`));
    }
    expect(() => read({ ...BASE, type: "quaternion" })).toThrow(/^vol\.nrrd: type "quaternion" is not an NRRD type$/);
    expect(() => read({ ...BASE, type: "block", fields: { "block size": "4" } })).toThrow(/^vol\.nrrd: type "block" \(opaque blocks of bytes\) has no image form$/);
    expect(() => read({ ...BASE, encoding: "zrl" })).toThrow(/^vol\.nrrd: encoding "zrl" is not supported/);
    expect(() => read({ ...BASE, dimension: 2 })).toThrow(/^vol\.nrrd: sizes gives 3 sizes for 2 dimensions$/);
    expect(() => read({ ...BASE, dimension: 0, sizes: [] })).toThrow(/^vol\.nrrd: (dimension "0"|the NRRD header has no "sizes")/);
    expect(() => read({ ...BASE, sizes: [4, 0, 2] })).toThrow(/^vol\.nrrd: size 2 is "0"/);
    expect(() => read({ ...BASE, sizes: [4, 3.5, 2] })).toThrow(/^vol\.nrrd: size 2 is "3\.5"/);
    expect(() => readNrrd(new TextEncoder().encode("NRRD0004\ntype: short\n"), "cut.nrrd")).toThrow(/^cut\.nrrd: /);
  });

  it("refuses data short of what the header promises", () => {
    const whole = nrrdFile(BASE);
    expect(() => readNrrd(whole.subarray(0, whole.length - 5), "cut.nrrd")).toThrow(/^cut\.nrrd: truncated: the header promises 48 bytes of raw data, the file holds 43$/);
    expect(() => read({ ...BASE, encoding: "ascii", values: VALUES.slice(0, 20) })).toThrow(/^vol\.nrrd: truncated: the header promises 24 values, the file holds 20$/);
    expect(() => read({ ...BASE, encoding: "hex", values: VALUES.slice(0, 10) })).toThrow(/^vol\.nrrd: truncated: the header promises 48 bytes of hex data, the file holds 20$/);
    expect(() => read({ ...BASE, encoding: "gzip", values: VALUES.slice(0, 10) })).toThrow(/^vol\.nrrd: truncated: the header promises 48 bytes of gzip data, the file holds 20$/);
    // More gzip data than the sizes need is refused as well (it is not read into memory).
    expect(() => read({ ...BASE, encoding: "gzip", values: [...VALUES, 1] })).toThrow(/^vol\.nrrd: its gzip data unpacks to more than 48 bytes/);
    expect(() => read({ ...BASE, encoding: "ascii", values: [...VALUES.slice(0, 23), Number.NaN] })).not.toThrow();
    expect(() => readNrrd(concatBytes(nrrdFile({ ...BASE, encoding: "ascii", values: [] }), Buffer.from("1 2 x3\n")), "t.nrrd")).toThrow(/^t\.nrrd: truncated/);
  });
});

// 64-bit integers in text are read from their digits: through Number, values past 2^53 lost digits
// and the largest wrapped round ("18446744073709551615" read as 0).
it("reads 64-bit integers in ascii exactly", () => {
  const u = read({ type: "uint64", sizes: [3], encoding: "ascii", values: [0, 5, 0] }, "u.nrrd");
  expect(new BigUint64Array(u.data.buffer, 0, 3)[1]).toBe(5n);
  const text = (type: string, words: string) => readNrrd(Buffer.from(`NRRD0004\ntype: ${type}\ndimension: 1\nsizes: 2\nencoding: ascii\n\n${words}\n`, "latin1"), "big.nrrd");
  expect([...new BigUint64Array(text("uint64", "18446744073709551615 9007199254740993").data.buffer, 0, 2)]).toEqual([18446744073709551615n, 9007199254740993n]);
  expect([...new BigInt64Array(text("int64", "9223372036854775807 -9223372036854775808").data.buffer, 0, 2)]).toEqual([9223372036854775807n, -9223372036854775808n]);
});

describe("readNrrd: geometry", () => {
  const placed: NrrdOptions = {
    type: "uchar",
    sizes: [2, 2, 2],
    values: [0, 1, 2, 3, 4, 5, 6, 7],
    spaceDirections: [
      [1, 0, 0],
      [0, 2, 0],
      [0.5, 0, 3],
    ],
    spaceOrigin: [10, 20, 30],
  };

  it.each([
    ["right-anterior-superior", [-10, -20, 30], [[-1, 0, 0], [0, -2, 0], [-0.5, 0, 3]]],
    ["RAS", [-10, -20, 30], [[-1, 0, 0], [0, -2, 0], [-0.5, 0, 3]]],
    ["left-posterior-superior", [10, 20, 30], [[1, 0, 0], [0, 2, 0], [0.5, 0, 3]]],
    ["LPS", [10, 20, 30], [[1, 0, 0], [0, 2, 0], [0.5, 0, 3]]],
    ["left-anterior-superior", [10, -20, 30], [[1, 0, 0], [0, -2, 0], [0.5, 0, 3]]],
    ["right-anterior-superior-time", [-10, -20, 30], [[-1, 0, 0], [0, -2, 0], [-0.5, 0, 3]]],
  ])("space %s into LPS", (space, origin, steps) => {
    const v = read({ ...placed, space });
    expectVectors([v.geometry!.origin], [origin]);
    expectVectors(v.geometry!.steps, steps);
    expectVectors([v.spacing], [[1, 2, Math.hypot(0.5, 3)]]);
  });

  it("places nothing without a space (spacings alone) or in a space that is not anatomical", () => {
    const v = read({ type: "uchar", sizes: [2, 2, 2], values: [0, 1, 2, 3, 4, 5, 6, 7], spacings: [0.5, 0.75, 2] });
    expect(v.geometry).toBeNull();
    expect(v.spacing).toEqual([0.5, 0.75, 2]);
    expect(read({ ...placed }).geometry).toBeNull();
    expect(read({ ...placed, space: "scanner-xyz" }).geometry).toBeNull();
    expect(read({ type: "uchar", sizes: [2, 2], values: [0, 1, 2, 3], spacings: [Number.NaN, 3] }).spacing).toEqual([0, 3, 0]);
  });

  it("takes the unit normal as the third step of a single slice", () => {
    const v = read({ type: "uchar", sizes: [2, 2], values: [0, 1, 2, 3], space: "LPS", spaceDirections: [[0, 2, 0], [0, 0, 3]] });
    expectVectors(v.geometry!.steps, [[0, 2, 0], [0, 0, 3], [1, 0, 0]]);
    expectVectors([v.geometry!.origin], [[0, 0, 0]]);
  });

  it("refuses space directions that do not fit", () => {
    expect(() => read({ ...placed, space: "LPS", spaceDirections: "(1,0,0) (0,1,0)" })).toThrow(/^vol\.nrrd: space directions gives 2 entries for 3 dimensions$/);
    expect(() => read({ ...placed, space: "LPS", spaceDirections: "(1,0,0) (0,1,0) (0,0,x)" })).toThrow(/^vol\.nrrd: space directions .* is not a list of \(x,y,z\) vectors or none$/);
  });

  it("moves a leading vector axis to the end, so each frame is a slice", () => {
    const sizes = [3, 4, 3, 2];
    const values = Array.from({ length: 72 }, (_, i) => i * 1.5 - 20);
    const v = read({
      type: "float",
      sizes,
      values,
      kinds: ["vector", "domain", "domain", "domain"],
      space: "left-posterior-superior",
      spaceDirections: [null, [1, 0, 0], [0, 1, 0], [0, 0, 1]],
      spaceOrigin: [1, 2, 3],
    });
    expect(v.sizes).toEqual([4, 3, 2, 3]);
    expect(v.type).toBe("float32");
    const raw = encodeSamples("float32", values);
    expect(Buffer.from(v.data).equals(Buffer.from(permute(raw, sizes, [1, 2, 3, 0], 4)))).toBe(true);
    // Output (x, y, z, c) is input (c, x, y, z).
    const out = float32s(v);
    for (const [x, y, z, c] of [[0, 0, 0, 0], [3, 2, 1, 2], [1, 2, 0, 1], [2, 0, 1, 0]] as const) {
      expect(out[x + 4 * (y + 3 * (z + 2 * c))]).toBe(values[c + 3 * (x + 4 * (y + 3 * z))]);
    }
    expectVectors(v.geometry!.steps, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expectVectors([v.geometry!.origin], [[1, 2, 3]]);
    // Kinds alone (no space directions) say the same.
    const byKinds = read({ type: "float", sizes, values, kinds: ["vector", "domain", "domain", "domain"], spacings: [Number.NaN, 1, 2, 3] });
    expect(byKinds.sizes).toEqual([4, 3, 2, 3]);
    expect(Buffer.from(byKinds.data).equals(Buffer.from(v.data))).toBe(true);
    expect(byKinds.spacing).toEqual([1, 2, 3]);
  });

  it("reads a leading 3-component 8-bit colour axis as RGB", () => {
    const values = Array.from({ length: 3 * 4 * 2 }, (_, i) => (i * 11) % 256);
    for (const kind of ["RGB-color", "3-color"]) {
      const v = read({ type: "uchar", sizes: [3, 4, 2], values, kinds: [kind, "domain", "domain"], space: "RAS", spaceDirections: [null, [1, 0, 0], [0, 1, 0]] });
      expect(v.type).toBe("rgb24");
      expect(v.sizes).toEqual([4, 2]);
      expect([...v.data]).toEqual(values);
      expectVectors(v.geometry!.steps, [[-1, 0, 0], [0, -1, 0], [0, 0, 1]]);
    }
    // Not colour: a vector of 3 bytes, or 16-bit components, stays grey with the axis at the end.
    const vector = read({ type: "uchar", sizes: [3, 4, 2], values, kinds: ["vector", "domain", "domain"] });
    expect(vector).toMatchObject({ type: "uint8", sizes: [4, 2, 3] });
    const wide = read({ type: "ushort", sizes: [3, 4, 2], values, kinds: ["RGB-color", "domain", "domain"] });
    expect(wide).toMatchObject({ type: "uint16", sizes: [4, 2, 3] });
  });

  it("never carries content, key/value pairs or comments into the volume", () => {
    const v = read({ ...BASE, content: "Doe Jane", keyValues: { patient: "Doe Jane", "dob": "1961-04-03" }, comments: ["Doe Jane"], space: "LPS", spaceDirections: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] });
    expect(int16s(v)).toEqual(VALUES);
    expect(Object.keys(v).sort()).toEqual(["data", "format", "geometry", "intercept", "sizes", "slope", "spacing", "type"]);
    expect(JSON.stringify({ ...v, data: undefined })).not.toMatch(/Doe|Jane|1961/);
    // The header's fields leave key/value pairs and comments out.
    const header = nrrdHeader(nrrdFile({ ...BASE, keyValues: { patient: "Doe Jane", "weird: key": "x" }, comments: ["Doe Jane"] }), "h.nrrd");
    expect([...header.fields.keys()]).not.toContain("patient");
    expect([...header.fields.values()].join(" ")).not.toMatch(/Doe/);
  });
});

describe("readNrrd: detached data", () => {
  it("names the data file of a detached header, and refuses lists of files", () => {
    const header = (dataFile: string) => nrrdHeader(nrrdFile({ ...BASE, dataFile }), "h.nhdr");
    expect(nrrdDataFile(header("x.raw"), "h.nhdr")).toBe("x.raw");
    expect(nrrdDataFile(nrrdHeader(nrrdFile(BASE), "h.nrrd"), "h.nrrd")).toBeNull();
    expect(() => nrrdDataFile(header("LIST"), "h.nhdr")).toThrow(/^h\.nhdr: data file "LIST": data split over several files is not supported/);
    expect(() => nrrdDataFile(header("slice%03d.raw 1 2 1"), "h.nhdr")).toThrow(/^h\.nhdr: data file "slice%03d\.raw 1 2 1": data split/);
    expect(() => readNrrd(nrrdFile({ ...BASE, dataFile: "LIST" }), "h.nhdr")).toThrow(/^h\.nhdr: data file "LIST": data split/);
    expect(() => readNrrd(nrrdFile({ ...BASE, dataFile: "x.raw" }), "h.nhdr")).toThrow(/^h\.nhdr: its data is in "x\.raw", which was not uploaded with it$/);
  });
});

describe("permute", () => {
  function naive(data: Uint8Array, sizes: number[], order: number[], width: number): Uint8Array {
    const outSizes = order.map((a) => sizes[a]!);
    const total = sizes.reduce((a, b) => a * b, 1);
    const out = new Uint8Array(total * width);
    for (let o = 0; o < total; o++) {
      // The output index's coordinates, then the input's.
      const coords = new Array<number>(sizes.length);
      let rest = o;
      outSizes.forEach((s, k) => {
        coords[order[k]!] = rest % s;
        rest = Math.floor(rest / s);
      });
      let i = 0;
      for (let a = sizes.length - 1; a >= 0; a--) i = i * sizes[a]! + coords[a]!;
      out.set(data.subarray(i * width, (i + 1) * width), o * width);
    }
    return out;
  }

  it("matches a naive reordering on random sizes and orders", () => {
    const random = seededRandom(2005);
    for (let round = 0; round < 200; round++) {
      const rank = 1 + Math.floor(random() * 5);
      const sizes = Array.from({ length: rank }, () => 1 + Math.floor(random() * 4));
      const order = sizes.map((_, i) => i);
      for (let i = rank - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const width = [1, 2, 3, 4, 8][Math.floor(random() * 5)]!;
      const data = Uint8Array.from({ length: sizes.reduce((a, b) => a * b, 1) * width }, () => Math.floor(random() * 256));
      const label = `sizes ${sizes} order ${order} width ${width}`;
      expect(Buffer.from(permute(data, sizes, order, width)).equals(Buffer.from(naive(data, sizes, order, width))), label).toBe(true);
    }
  });

  it("moves axis 0 to the end as expected on a small case", () => {
    // sizes [2, 3]: input (a, b) at a + 2b; order [1, 0]: output (b, a) at b + 3a.
    expect([...permute(Uint8Array.from([0, 1, 2, 3, 4, 5]), [2, 3], [1, 0], 1)]).toEqual([0, 2, 4, 1, 3, 5]);
  });
});

describe("compressed data", () => {
  it("gunzipAtMost stops at its limit", () => {
    const data = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
    const gz = gzipSync(data);
    expect(Buffer.from(gunzipAtMost(gz, 5000)).equals(Buffer.from(data))).toBe(true);
    expect(() => gunzipAtMost(gz, 4999)).toThrow(TooLarge);
    expect(() => gunzipAtMost(gz, 4999)).toThrow("unpacks to more than 4999 bytes");
    // Two members are one stream.
    expect(gunzipAtMost(concatBytes(gz, gz), 10000).length).toBe(10000);
    // Damage is zlib's error, not TooLarge.
    const damaged = Uint8Array.from(gz);
    damaged.fill(0xff, 10, 30);
    expect(() => gunzipAtMost(damaged, 1e6)).toThrow();
    expect(() => gunzipAtMost(damaged, 1e6)).not.toThrow(TooLarge);
  });

  const fixtures = sharedFixturesDir();
  const nrrdDir = fixtures ? path.join(fixtures, "nrrd") : "";
  const present = fixtures !== null && ["_bz2.nrrd", "_gz.nrrd", ".nrrd", ".raw"].every((end) => fs.existsSync(path.join(nrrdDir, `BallBinary30x30x30${end}`)));
  describe.skipIf(!present)(`the pynrrd ball fixtures (${present ? "present" : `${NO_FIXTURES}; nrrd/BallBinary30x30x30*.nrrd`})`, () => {
    const load = (name: string) => new Uint8Array(fs.readFileSync(path.join(nrrdDir, name)));
    const payload = (bytes: Uint8Array) => bytes.subarray(nrrdHeader(bytes, "f").dataStart!);

    it("bunzip2AtMost gives the raw fixture's data, and stops at its limit", () => {
      const raw = payload(load("BallBinary30x30x30.nrrd"));
      expect(raw.length).toBe(30 * 30 * 30 * 2);
      const bz2 = payload(load("BallBinary30x30x30_bz2.nrrd"));
      expect(Buffer.from(bunzip2AtMost(bz2, raw.length)).equals(Buffer.from(raw))).toBe(true);
      expect(Buffer.from(bunzip2AtMost(bz2, raw.length * 2, raw.length)).equals(Buffer.from(raw))).toBe(true);
      expect(() => bunzip2AtMost(bz2, raw.length - 1)).toThrow(TooLarge);
      expect(() => bunzip2AtMost(bz2, 1000)).toThrow(TooLarge);
    });

    it("reads the raw, gzip and bzip2 forms to the same volume", () => {
      const [raw, gz, bz2] = ["BallBinary30x30x30.nrrd", "BallBinary30x30x30_gz.nrrd", "BallBinary30x30x30_bz2.nrrd"].map((n) => readNrrd(load(n), n));
      for (const v of [gz!, bz2!]) {
        expect(Buffer.from(v.data).equals(Buffer.from(raw!.data))).toBe(true);
        expect(v.sizes).toEqual([30, 30, 30]);
        expect(v.geometry).toEqual(raw!.geometry);
      }
      expect(raw!.type).toBe("int16");
      expect(Buffer.from(raw!.data).equals(fs.readFileSync(path.join(nrrdDir, "BallBinary30x30x30.raw")))).toBe(true);
      expect(new Set(int16s(raw!)).size).toBe(2);
      // A bzip2 payload with more data than the sizes need is refused.
      const bytes = load("BallBinary30x30x30_bz2.nrrd");
      const smaller = Buffer.from(Buffer.from(bytes).toString("latin1").replace("sizes: 30 30 30", "sizes: 30 30 29"), "latin1");
      expect(() => readNrrd(smaller, "ball.nrrd")).toThrow(/^ball\.nrrd: its bzip2 data unpacks to more than 52200 bytes/);
    });
  });
});
