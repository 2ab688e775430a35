import express, { type NextFunction, type Request, type Response } from "express";
import { credentialsOf } from "../../http/auth.js";
import type { Services } from "../../services.js";
import { MAX_MODEL_UPLOAD_BYTES } from "./ai.service.js";

/** The header that carries a model's metadata record, as JSON (or base64 of it). */
export const METADATA_HEADER = "concord-model-metadata";

// POST /ai/projects/{projectId}/models/{name}/versions: registers a model version from the raw ONNX
// bytes (Content-Type application/octet-stream), for models too large for GraphQL's JSON body.
// The metadata record goes in the Concord-Model-Metadata header. Session cookie or bearer token,
// permission models.manage; anything else answers 404. The octet-stream body and the custom
// header make a browser preflight any cross-site request, which this server does not allow.
export function aiRouter(services: Services): express.Router {
  const router = express.Router({ mergeParams: true });
  router.post(
    "/models/:name/versions",
    express.raw({ type: "application/octet-stream", limit: MAX_MODEL_UPLOAD_BYTES }),
    (req: Request<{ projectId: string; name: string }>, res: Response, next: NextFunction) => {
      (async () => {
        if (!req.is("application/octet-stream")) {
          res.status(415).json({ error: "send the ONNX file's bytes as application/octet-stream" });
          return;
        }
        const header = req.get(METADATA_HEADER);
        if (!header) {
          res.status(400).json({ error: `the ${METADATA_HEADER} header (the model's metadata as JSON, or base64 of it) is missing` });
          return;
        }
        const metadata = header.trimStart().startsWith("{") ? header : Buffer.from(header, "base64").toString("utf8");
        const { sessionToken, bearer } = credentialsOf(req.headers);
        const actor = await services.accounts.authenticate(sessionToken, bearer);
        const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const v = await services.ai.register(actor, req.params.projectId, { name: req.params.name, metadata, file: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
        res.status(202).json({ id: v.id, modelId: v.modelId, version: v.version, status: v.status, sha256: v.sha256 });
      })().catch(next);
    },
  );
  router.use(errors);
  return router;
}

/**
 * GET /ai/model-versions/{id}/model.onnx and /metadata.json: a model version's ONNX file and its
 * metadata record (what registerModel takes, so the two register the same model elsewhere), as
 * attachments named after the model and version. Session cookie or bearer token, permission
 * models.manage; anything else answers 404.
 */
export function modelFilesRouter(services: Services): express.Router {
  const router = express.Router();
  // The body is read before any header is set: a refusal on the way answers as a refusal, not as an attachment.
  type Found = Awaited<ReturnType<Services["ai"]["modelFile"]>>;
  const file = (ext: "onnx" | "json", contentType: string, body: (found: Found) => Promise<Buffer | string>, headers: (found: Found) => Record<string, string> = () => ({})) =>
    (req: Request<{ id: string }>, res: Response, next: NextFunction) => {
      (async () => {
        const { sessionToken, bearer } = credentialsOf(req.headers);
        const actor = await services.accounts.authenticate(sessionToken, bearer);
        const found = await services.ai.modelFile(actor, req.params.id);
        const content = await body(found);
        const name = `${found.version.modelName}-v${found.version.version}`.replace(/[^A-Za-z0-9._-]+/g, "_");
        res.set({ "Content-Type": contentType, "Content-Disposition": `attachment; filename="${name}.${ext}"`, "Cache-Control": "private, no-store", ...headers(found) });
        res.end(content);
      })().catch(next);
    };
  router.get(
    "/:id/model.onnx",
    file("onnx", "application/octet-stream", ({ onnx }) => onnx(), ({ version }) => ({ "X-Content-SHA256": version.sha256 })),
  );
  router.get(
    "/:id/metadata.json",
    file("json", "application/json; charset=utf-8", async ({ version }) => `${JSON.stringify(version.metadata, null, 2)}\n`),
  );
  router.use(errors);
  return router;
}

/** Refusals as HTTP: what the caller may not see is not there. */
function errors(err: Error & { code?: string; type?: string; extensions?: { fields?: unknown } }, _req: Request, res: Response, next: NextFunction): void {
  if (err.code === "NOT_FOUND" || err.code === "UNAUTHENTICATED") {
    res.status(404).json({ error: "not found" });
    return;
  }
  if (err.code === "BAD_USER_INPUT") {
    res.status(400).json({ error: err.message, fields: err.extensions?.fields ?? [] });
    return;
  }
  if (err.type === "entity.too.large") {
    res.status(413).json({ error: `a model file may be at most ${MAX_MODEL_UPLOAD_BYTES} bytes` });
    return;
  }
  next(err);
}
