import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/harness.js";

// The UI's files as the server sends them: each built script (and style sheet, WebAssembly
// module) is also on disk brotli- and gzip-compressed beside it (client/vite.config.ts), and the
// browser gets the smallest it accepts, byte for byte the file once decoded.

let server: TestServer & { dropDatabase(): Promise<void> };
let dir: string;
const script = Buffer.from(Array.from({ length: 400 }, (_, i) => `export const value${i} = "a viewer of chest radiographs ${i}";\n`).join(""));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-client-"));
  fs.mkdirSync(path.join(dir, "assets"));
  fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>Concord</title>");
  fs.writeFileSync(path.join(dir, "assets", "page-abc123.js"), script);
  fs.writeFileSync(path.join(dir, "assets", "page-abc123.js.br"), zlib.brotliCompressSync(script));
  fs.writeFileSync(path.join(dir, "assets", "page-abc123.js.gz"), zlib.gzipSync(script));
  fs.writeFileSync(path.join(dir, "assets", "plain-def456.js"), "export {};\n"); // too small to compress: no siblings
  server = await startTestServer({ clientDir: dir });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await server?.dropDatabase();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** GET with the given Accept-Encoding; the body as sent (not decoded). */
function get(urlPath: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}${urlPath}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

describe("the UI's built files", () => {
  it("go brotli-compressed to a browser that takes brotli, as a script, cached for good", async () => {
    const res = await get("/assets/page-abc123.js", { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-type"]).toMatch(/javascript/);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.body.length).toBeLessThan(script.length / 4);
    expect(zlib.brotliDecompressSync(res.body).equals(script)).toBe(true);
  });

  it("go gzip-compressed to one that takes only gzip, and as they are to one that takes neither", async () => {
    const gz = await get("/assets/page-abc123.js", { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gz.body).equals(script)).toBe(true);
    const neither: Array<Record<string, string>> = [{}, { "accept-encoding": "identity" }];
    for (const headers of neither) {
      const plain = await get("/assets/page-abc123.js", headers);
      expect(plain.status).toBe(200);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.body.equals(script)).toBe(true);
    }
  });

  it("without compressed copies go as they are; the app's routes still get the page", async () => {
    const small = await get("/assets/plain-def456.js", { "accept-encoding": "br, gzip" });
    expect([small.status, small.headers["content-encoding"], small.body.toString()]).toEqual([200, undefined, "export {};\n"]);
    const page = await get("/projects/some-project/data", { accept: "text/html", "accept-encoding": "br, gzip" });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain("<title>Concord</title>");
    expect((await get("/assets/missing-000.js", { "accept-encoding": "br" })).status).toBe(404);
  });
});

describe("headers for where the UI is served from", () => {
  it("sends Cross-Origin-Opener-Policy on a loopback name, not over plain HTTP by another (the browser would ignore it and log an error)", async () => {
    const port = new URL(server.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `app.localhost:${port}`]) {
      expect((await get("/", { host })).headers["cross-origin-opener-policy"], host).toBe("same-origin");
    }
    for (const host of [`concord.test:${port}`, `10.1.2.3:${port}`, `pacs-lab:${port}`]) {
      const res = await get("/", { host });
      expect(res.status, host).toBe(200);
      expect(res.headers["cross-origin-opener-policy"], host).toBeUndefined();
      // The rest of the security headers stay.
      expect(res.headers["content-security-policy"], host).toContain("default-src 'self'");
    }
  });
});

