import { describe, expect, it } from "vitest";
import { buildMultipartRelated, multipartParams, multipartRelatedChunks, parseMultipartRelated } from "./multipart.js";

describe("multipart/related", () => {
  it("round-trips binary parts, including ones that contain CRLF and dashes", () => {
    const parts = [new Uint8Array([0, 1, 2, 13, 10, 45, 45, 255]), new Uint8Array(0), new Uint8Array(70_000).fill(7)];
    const { body, contentType } = buildMultipartRelated(parts);
    const back = parseMultipartRelated(body, contentType);
    expect(back.map((p) => [...p.body.subarray(0, 8)])).toEqual([[0, 1, 2, 13, 10, 45, 45, 255], [], [7, 7, 7, 7, 7, 7, 7, 7]]);
    expect(back.map((p) => p.body.length)).toEqual([8, 0, 70_000]);
    expect(back[0]!.headers["content-type"]).toBe("application/dicom");
  });

  it("gives the same body in pieces, the parts' bytes not copied", () => {
    const parts = [new Uint8Array([1, 2, 3]), new Uint8Array(50_000).fill(9)];
    const { chunks, length, contentType } = multipartRelatedChunks(parts);
    expect(length).toBe(chunks.reduce((n, c) => n + c.length, 0));
    expect(chunks.filter((c) => c.buffer === parts[1]!.buffer)).toHaveLength(1);
    expect(parseMultipartRelated(Buffer.concat(chunks), contentType).map((p) => p.body.length)).toEqual([3, 50_000]);
  });

  it("reads the boundary quoted or not, and refuses other content types", () => {
    expect(multipartParams(`multipart/related; type="application/dicom"; boundary="a b"`)).toEqual({ boundary: "a b", type: "application/dicom" });
    expect(multipartParams(`Multipart/Related;boundary=xyz;type=application/dicom`).boundary).toBe("xyz");
    expect(() => multipartParams("application/json")).toThrow(/expected Content-Type multipart\/related/);
    expect(() => multipartParams("multipart/related; type=application/dicom")).toThrow(/boundary/);
  });

  it("refuses truncated bodies instead of guessing", () => {
    const { body, contentType } = buildMultipartRelated([new Uint8Array(100).fill(1)]);
    expect(() => parseMultipartRelated(body.subarray(0, body.length - 30), contentType)).toThrow(/truncated/);
    expect(() => parseMultipartRelated(Buffer.from("nothing here"), contentType)).toThrow(/boundary/);
  });
});
