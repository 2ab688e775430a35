import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { expandArchives } from "./archives.js";

const enc = (s: string) => new TextEncoder().encode(s);
const limits = { maxEntries: 100, maxTotalBytes: 1_000_000 };

describe("zip archives in an upload", () => {
  it("opens archives into their files, in path order, skipping folders and desktop litter", async () => {
    const zip = zipSync({ "b/2.dcm": enc("two"), "a/1.dcm": enc("one"), "__MACOSX/a/._1.dcm": enc("x"), "a/.DS_Store": enc("x") });
    const out = await expandArchives([{ name: "study.zip", bytes: zip }, { name: "single.dcm", bytes: enc("single") }], limits);
    expect(out.map((f) => f.name)).toEqual(["study.zip/a/1.dcm", "study.zip/b/2.dcm", "single.dcm"]);
    expect(new TextDecoder().decode((out[0] as { bytes: Uint8Array }).bytes)).toBe("one");
  });

  it("refuses a broken archive as one file", async () => {
    const zip = zipSync({ "a.dcm": enc("hello world hello world") });
    const out = await expandArchives([{ name: "cut.zip", bytes: zip.subarray(0, 30) }], limits);
    expect(out).toHaveLength(1);
    expect((out[0] as { refused: string }).refused).toMatch(/^cut\.zip: not a readable zip archive/);
  });

  it("refuses archives beyond the entry and size limits", async () => {
    const many = zipSync(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`${i}.dcm`, enc("x")])));
    expect(((await expandArchives([{ name: "many.zip", bytes: many }], { maxEntries: 3, maxTotalBytes: 1e6 }))[0] as { refused: string }).refused).toMatch(
      /more than 3 files/,
    );
    const big = zipSync({ "zeros.dcm": new Uint8Array(200_000) });
    expect(((await expandArchives([{ name: "bomb.zip", bytes: big }], { maxEntries: 10, maxTotalBytes: 100_000 }))[0] as { refused: string }).refused).toMatch(
      /unpacks to more than 100000 bytes/,
    );
  });
});
