import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { fromBase64, toBase64 } from "./base64";

describe("base64", () => {
  it("round-trips any bytes, large ones too, as Node's encoder does", () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7919) % 256);
    const text = toBase64(bytes);
    expect(text).toBe(Buffer.from(bytes).toString("base64"));
    expect(fromBase64(text)).toEqual(bytes);
    expect(toBase64(new Uint8Array())).toBe("");
  });

  it("carries a Yjs update intact", () => {
    const doc = new Y.Doc();
    doc.getMap("rois").set("a", 1);
    const other = new Y.Doc();
    Y.applyUpdate(other, fromBase64(toBase64(Y.encodeStateAsUpdate(doc))));
    expect(other.getMap("rois").get("a")).toBe(1);
    // The empty update, as the server documents it.
    expect(toBase64(Y.encodeStateAsUpdate(new Y.Doc()))).toBe("AAA=");
  });
});
