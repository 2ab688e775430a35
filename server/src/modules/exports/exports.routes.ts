import fs from "node:fs";
import express, { type NextFunction, type Request, type Response } from "express";
import { credentialsOf } from "../../http/auth.js";
import type { Services } from "../../services.js";

// GET /export/jobs/{id}/file: a finished export's file, for those who may export from its project
// (session cookie or bearer token). Anything else answers 404, so ids do not leak.
export function exportJobsRouter(services: Services): express.Router {
  const router = express.Router();
  router.get("/:exportId/file", (req: Request<{ exportId: string }>, res: Response, next: NextFunction) => {
    (async () => {
      const { sessionToken, bearer } = credentialsOf(req.headers);
      const actor = await services.accounts.authenticate(sessionToken, bearer);
      const file = await services.exports.file(actor, req.params.exportId);
      res.status(200);
      res.setHeader("Content-Type", file.contentType);
      res.setHeader("Content-Length", String(file.bytes));
      res.setHeader("Content-Disposition", `attachment; filename="${file.fileName}"`);
      res.setHeader("Cache-Control", "no-store");
      const stream = fs.createReadStream(file.path);
      stream.on("error", (err) => res.destroy(err));
      stream.pipe(res);
    })().catch(next);
  });
  router.use((err: Error & { code?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (err.code === "NOT_FOUND" || err.code === "UNAUTHENTICATED") {
      res.status(404).json({ error: "not found" });
      return;
    }
    next(err);
  });
  return router;
}
