import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

// The API server (`npm start` at the repo root) listens on 4000 and serves GraphQL over HTTP and
// graphql-ws on the same path, so the dev server proxies both.
const api = "http://localhost:4000";

export default defineConfig({
  plugins: [vue()],
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
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
    },
  },
});
