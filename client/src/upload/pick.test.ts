import { describe, expect, it } from "vitest";
import { droppedFiles, keep, pathOf, withPath, type DroppedItem } from "./pick";

// Entries as Chromium hands them over for a drop: files, and folders read in batches.
type Tree = { [name: string]: Tree | string };

function entryOf(name: string, node: Tree | string, batch = 2): unknown {
  if (typeof node === "string") return { isFile: true, isDirectory: false, name, file: (ok: (f: File) => void) => ok(new File([node], name)) };
  const children = Object.entries(node).map(([n, child]) => entryOf(n, child, batch));
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader: () => {
      let at = 0;
      // At most `batch` entries an answer, then an empty one: callers must ask until it is empty.
      return { readEntries: (ok: (e: unknown[]) => void) => ok(children.slice(at, (at += batch))) };
    },
  };
}

const item = (name: string, node: Tree | string): DroppedItem => ({
  kind: "file",
  getAsFile: () => (typeof node === "string" ? new File([node], name) : null),
  webkitGetAsEntry: () => entryOf(name, node) as never,
});

describe("dropped files and folders", () => {
  it("walks folders to every file, with its path under the dropped folder, in name order", async () => {
    const files = await droppedFiles([
      item("scans", { "ct-10.dcm": "a", "ct-9.dcm": "b", sub: { "x.nhdr": "h", "x.raw": "r", deeper: { "one.png": "p" } }, "ct-1.dcm": "c", ".DS_Store": "junk" }),
      item("loose.png", "l"),
    ]);
    expect(files.map(pathOf)).toEqual(["scans/ct-1.dcm", "scans/ct-9.dcm", "scans/ct-10.dcm", "scans/sub/deeper/one.png", "scans/sub/x.nhdr", "scans/sub/x.raw", "loose.png"]);
    expect(await files[0]!.text()).toBe("c");
  });

  it("reads a folder of more entries than one answer holds", async () => {
    const many: Tree = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`${String(i).padStart(3, "0")}.dcm`, String(i)]));
    const files = await droppedFiles([item("big", many)]);
    expect(files).toHaveLength(250);
    expect(pathOf(files[249]!)).toBe("big/249.dcm");
  });

  it("takes files without entries (a browser without the entries API) as they are, and skips what is not a file", async () => {
    const plain: DroppedItem = { kind: "file", getAsFile: () => new File(["x"], "plain.dcm") };
    const text: DroppedItem = { kind: "string", getAsFile: () => null };
    expect((await droppedFiles([plain, text])).map(pathOf)).toEqual(["plain.dcm"]);
  });

  it("leaves out file managers' litter, and keeps a chosen file's own path", () => {
    const files = ["a.dcm", "__MACOSX/a.dcm", "d/.DS_Store", "d/Thumbs.db", "d/b.dcm"].map((p) => withPath(new File(["x"], p.split("/").pop()!), p));
    expect(keep(files).map(pathOf)).toEqual(["a.dcm", "d/b.dcm"]);
    expect(withPath(new File(["x"], "same.dcm"), "same.dcm").webkitRelativePath).toBeFalsy();
  });
});
