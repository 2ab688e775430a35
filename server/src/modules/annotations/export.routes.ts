import express, { type NextFunction, type Request, type Response } from "express";
import type { Actor } from "../../access/access.js";
import { credentialsOf } from "../../http/auth.js";
import { drained } from "../../http/drained.js";
import type { Services } from "../../services.js";
import type { CsvExport, ExportKind } from "./annotations.service.js";

// CSV exports of a project's submitted annotations, under /export/projects/{projectId}/:
//   labels.csv  case,label,annotator,value,seconds,confidence,implicit,version,submitted_at,case_seconds,idle_seconds,timing_clamped,label_id,group,split
//   rois.csv    case,annotator,class,kind,points,sop_instance_uid,frame,version,submitted_at,class_id,roi_id,suggested_by,suggestion_changed,split
// Each reader's latest submitted version of each case; ?versions=all for every submitted version.
//   skips.csv   case,annotator,reason,note,skipped_at,case_id: the cases readers skipped, newest first.
//   cases.csv   every case in upload order, its de-identified UIDs, how far its reading has come and,
//               for an excluded case, why (CASE_EXPORT_COLUMNS).
// Authenticated like the API (session cookie or bearer token), permission data.export; anything
// else answers 404. Rows stream out in batches; X-Total-Rows says how many data rows follow, so a
// client can show progress (GraphQL exportSize answers the same before a download).

type Req = Request<{ projectId: string }>;

export function exportRouter(services: Services): express.Router {
  const router = express.Router({ mergeParams: true });
  const actorOf = async (req: Request): Promise<Actor | null> => {
    const { sessionToken, bearer } = credentialsOf(req.headers);
    return services.accounts.authenticate(sessionToken, bearer);
  };

  for (const kind of ["labels", "rois"] as const satisfies readonly ExportKind[]) {
    router.get(`/${kind}.csv`, (req: Req, res: Response, next: NextFunction) => {
      const versions = req.query.versions ?? "latest";
      if (versions !== "latest" && versions !== "all") {
        res.status(400).json({ error: "versions must be latest or all" });
        return;
      }
      sendCsv(res, async () => services.annotations.openExport(await actorOf(req), req.params.projectId, kind, { allVersions: versions === "all" })).catch(next);
    });
  }
  router.get("/skips.csv", (req: Req, res: Response, next: NextFunction) => {
    sendCsv(res, async () => services.annotations.openSkipsExport(await actorOf(req), req.params.projectId)).catch(next);
  });
  router.get("/cases.csv", (req: Req, res: Response, next: NextFunction) => {
    sendCsv(res, async () => services.annotations.openCasesExport(await actorOf(req), req.params.projectId)).catch(next);
  });

  router.use((err: Error & { code?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      // Mid-stream: a truncated file must not look complete.
      res.destroy(err);
      return;
    }
    if (err.code === "NOT_FOUND" || err.code === "UNAUTHENTICATED") {
      res.status(404).json({ error: "not found" });
      return;
    }
    if (err.code === "BAD_USER_INPUT") {
      res.status(400).json({ error: err.message });
      return;
    }
    next(err);
  });
  return router;
}

async function sendCsv(res: Response, open: () => Promise<CsvExport>): Promise<void> {
  const csv = await open();
  let gone = false;
  res.on("close", () => {
    gone = true;
  });
  try {
    res.status(200);
    res.setHeader("Content-Type", "text/csv; charset=utf-8; header=present");
    res.setHeader("Content-Disposition", `attachment; filename="${csv.filename}"`);
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Total-Rows", String(csv.totalRows));
    res.write(csvLine(csv.columns));
    for await (const batch of csv.batches()) {
      if (gone) return;
      if (!batch.length) continue;
      if (!res.write(batch.map(csvLine).join(""))) await drained(res);
    }
    if (!gone) res.end();
  } finally {
    await csv.close();
  }
}

/** One RFC 4180 line: fields with a comma, quote or line break are quoted; null is empty. */
export function csvLine(fields: ReadonlyArray<string | number | null>): string {
  return (
    fields
      .map((f) => {
        if (f === null) return "";
        const s = String(f);
        return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
      })
      .join(",") + "\r\n"
  );
}
