import { createRequire } from "node:module";
import path from "node:path";
import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";
import { compression } from "vite-plugin-compression2";

// The API server (`npm start` at the repo root) listens on 4000 and serves GraphQL over HTTP and
// graphql-ws on the same path, so the dev server proxies both.
const api = "http://localhost:4000";

// Cornerstone3D (STACK.md trap 8): vtk.js needs the `events` package in the browser; the DICOM
// image loader's decoders run in module workers, so workers are ES modules; the loader itself
// must not be pre-bundled (its worker and codec URLs are relative to its own files), while its
// CommonJS and codec dependencies must be, or dev mode fails to import them.
const cornerstoneDeps = {
  exclude: ["@cornerstonejs/dicom-image-loader"],
  include: [
    "dicom-parser",
    "@cornerstonejs/core",
    "@cornerstonejs/metadata",
    "@cornerstonejs/utils",
    "comlink",
    "pako",
    "@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs",
    "@cornerstonejs/codec-charls/decodewasmjs",
    "@cornerstonejs/codec-openjpeg/decodewasmjs",
    "@cornerstonejs/codec-openjph/wasmjs",
  ],
};

// The built scripts (the case page's is 4.4 MB), styles and the decoders' WebAssembly are also
// written compressed, brotli and gzip beside each file, and the server sends the one the browser
// takes (server/src/http/app.ts): nothing is compressed per request.
const precompressed = compression({
  algorithms: ["brotliCompress", "gzip"],
  include: /\.(js|mjs|css|html|svg|json|wasm)$/i,
  threshold: 1024,
  skipIfLargerOrEqual: true,
  logLevel: "silent",
});

// The image loader's decode module, which its workers run, loaded into the page too for the frames
// the viewer decodes there (src/viewer/inPageDecode.ts). The package exports no path to it.
const loaderRoot = path.dirname(createRequire(import.meta.url).resolve("@cornerstonejs/dicom-image-loader/package.json"));
const pageDecoder = path.join(loaderRoot, "dist/esm/decodeImageFrameWorker.js");

export default defineConfig({
  plugins: [vue(), precompressed],
  resolve: { alias: [{ find: /^concord-page-decoder$/, replacement: pageDecoder }] },
  optimizeDeps: cornerstoneDeps,
  worker: { format: "es" },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // The case page's chunk carries Cornerstone and vtk.js (about 4 MB); it loads only there.
    chunkSizeWarningLimit: 5000,
  },
  server: {
    proxy: {
      "/graphql": {
        target: api,
        ws: true,
        configure(proxy) {
          // The server refuses WebSocket handshakes from origins it does not serve; through this
          // dev proxy the page's origin is the dev server's, so present the API's own origin.
          proxy.on("proxyReqWs", (proxyReq) => proxyReq.setHeader("origin", api));
        },
      },
      // Images, exports and model files come from the API too (same-origin cookies through the proxy).
      "/dicomweb": api,
      "/export": api,
      "/ai": api,
    },
  },
});
