import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { ZipSink } from "./dicom-formats.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "concord-zip-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes a ZIP of `count` files through a ZipSink; answers the archive's bytes and how many writes it took. */
async function archive(count: number, body: (i: number) => Uint8Array, modified = (_i: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, 6))): Promise<{ bytes: Buffer; writes: number }> {
  const chunks: Buffer[] = [];
  const sink = new ZipSink({ write: async (chunk: Uint8Array) => void chunks.push(Buffer.from(chunk)) });
  for (let i = 0; i < count; i++) await sink.add(`case-${i}/reader-sr.dcm`, body(i), modified(i));
  await sink.end();
  return { bytes: Buffer.concat(chunks), writes: chunks.length };
}

const python = (() => {
  try {
    execFileSync("python3", ["-c", "import zipfile"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("export archives (ZipSink)", () => {
  it("stores each file as given, with its time, in writes of a few hundred KB", async () => {
    const body = (i: number) => Uint8Array.from({ length: 4000 + i }, (_, k) => (k * 7 + i) & 0xff);
    const { bytes, writes } = await archive(300, body);
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toHaveLength(300);
    for (const i of [0, 150, 299]) expect(Buffer.from(files[`case-${i}/reader-sr.dcm`]!).equals(Buffer.from(body(i)))).toBe(true);
    // About 1.2 MB in all: a handful of writes, not one per file.
    expect(writes).toBeGreaterThan(1);
    expect(writes).toBeLessThan(20);
  });

  it.skipIf(!python)(`gives each file its time (UTC, to the 2 s of a ZIP time), and 1980-01-02 to a file older than ZIP times${python ? "" : " (skipped: python3 is not on this machine to read the archive)"}`, () => {
    return archive(2, (i) => Uint8Array.of(i), (i) => (i ? new Date(Date.UTC(1970, 0, 1)) : new Date(Date.UTC(2026, 10, 30, 23, 59, 59)))).then(({ bytes }) => {
      const file = path.join(tmp, "times.zip");
      fs.writeFileSync(file, bytes);
      const script = "import sys, zipfile\nfor i in zipfile.ZipFile(sys.argv[1]).infolist(): print(i.filename, *i.date_time)";
      const lines = execFileSync("python3", ["-c", script, file], { encoding: "utf8" }).trim().split("\n");
      expect(lines).toEqual(["case-0/reader-sr.dcm 2026 11 30 23 59 58", "case-1/reader-sr.dcm 1980 1 2 0 0 0"]);
    });
  });

  it.skipIf(!python)(`writes ZIP64 past 65,535 files, which other readers take whole${python ? "" : " (skipped: python3 is not on this machine to read the archive)"}`, async () => {
    const count = 65_600;
    const { bytes } = await archive(count, (i) => Uint8Array.of(i & 0xff, (i >> 8) & 0xff));
    const file = path.join(tmp, "many.zip");
    fs.writeFileSync(file, bytes);
    const script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nbad = z.testzip()\nnames = z.namelist()\nlast = z.read(names[-1])\nprint(len(names), bad, last[0] | (last[1] << 8))";
    const [n, bad, last] = execFileSync("python3", ["-c", script, file], { encoding: "utf8" }).trim().split(" ");
    expect([Number(n), bad, Number(last)]).toEqual([count, "None", (count - 1) & 0xffff]);
  }, 120_000);
});
