import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalBlobStore } from "./local.js";

describe("LocalBlobStore", () => {
  let dir: string;
  let store: LocalBlobStore;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "concord-store-"));
    store = new LocalBlobStore(dir);
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("stores, reads back, and deletes files by key", async () => {
    const bytes = new Uint8Array([1, 2, 3, 250]);
    await store.put("p1/2.25.1/2.25.2/2.25.3.dcm", bytes);
    expect(await store.has("p1/2.25.1/2.25.2/2.25.3.dcm")).toBe(true);
    expect([...(await store.get("p1/2.25.1/2.25.2/2.25.3.dcm"))]).toEqual([1, 2, 3, 250]);
    await store.delete("p1/2.25.1/2.25.2/2.25.3.dcm");
    expect(await store.has("p1/2.25.1/2.25.2/2.25.3.dcm")).toBe(false);
  });

  it("leaves no temporary files behind", async () => {
    await store.put("p2/a.dcm", new Uint8Array(10));
    await store.put("p2/a.dcm", new Uint8Array(20));
    expect(await fs.readdir(path.join(dir, "p2"))).toEqual(["a.dcm"]);
    expect((await store.get("p2/a.dcm")).length).toBe(20);
  });

  it("makes a folder again that went away after it was first made", async () => {
    await store.put("p3/s1/a.dcm", new Uint8Array(4));
    await fs.rm(path.join(dir, "p3"), { recursive: true });
    await store.put("p3/s1/b.dcm", new Uint8Array(6));
    expect((await store.get("p3/s1/b.dcm")).length).toBe(6);
    expect(await fs.readdir(path.join(dir, "p3", "s1"))).toEqual(["b.dcm"]);
  });

  it("refuses keys that would leave the store", async () => {
    for (const key of ["../x", "a/../../x", "/etc/passwd", "a//b", "", ".hidden", "a/./b"]) {
      await expect(store.put(key, new Uint8Array(1)), key).rejects.toThrow(/unsafe storage key/);
    }
  });
});
