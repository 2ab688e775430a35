import { createHash } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { isUuid, requireAccess, type Actor } from "../../access/access.js";
import { followProject } from "../../access/follow.js";
import type { Compute } from "../../compute/compute.js";
import { invalid, notFound } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../platform/database/index.js";
import type { Bus } from "../../platform/pubsub/bus.js";
import type { Queue } from "../../platform/queue/queue.js";
import type { AnnotationsService } from "../annotations/annotations.service.js";
import type { CollabService } from "../collab/collab.service.js";
import type { LedgerService } from "../ledger/ledger.service.js";
import { ExportReads, ExportsRepository, type ExportJobRow, type ExportScope } from "./exports.repository.js";
import { EXPORT_FORMATS, type ExportFormat, type WriteContext } from "./formats.js";

/** How long a finished export's file can be downloaded. */
export const EXPORT_KEEP_MS = 7 * 24 * 3600_000;

export const exportsChannel = (projectId: string) => `exports:${projectId}`;

export interface ExportRequest {
  format: ExportFormat;
  scope: ExportScope;
  readerId?: string | null;
  allVersions?: boolean | null;
}

// Export jobs (issue 9): asked for through GraphQL, run by a worker (the queue's `export.run`), the
// file written under <data dir>/exports/<project>/ while its rows are read in batches (never the
// whole project in memory), then downloadable for EXPORT_KEEP_MS. Every finished export is a ledger leaf.
// Permission data.export throughout. Blind reading hides readers' work from other readers; those
// who may export (owners, managers, data owners) are never blinded readers, so exports carry all of it.
export class ExportsService {
  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly queue: Queue,
    private readonly annotations: AnnotationsService,
    private readonly collab: CollabService,
    private readonly ledger: LedgerService,
    private readonly dir: string,
    private readonly log: Logger,
    private readonly compute: Compute,
    /** A stored instance's file, by the project and its storage key (local or external store). */
    private readonly readInstance: (projectId: string, storageKey: string) => Promise<Uint8Array>,
  ) {}

  private repo() {
    return new ExportsRepository(this.db.dataSource.manager);
  }

  async start(actor: Actor | null, projectId: string, input: ExportRequest): Promise<ExportJobRow> {
    const access = await requireAccess(this.db.dataSource.manager, actor, "data.export", projectId);
    const format = EXPORT_FORMATS[input.format];
    const problems = [];
    if (!format) problems.push({ field: "format", message: `must be one of ${Object.keys(EXPORT_FORMATS).join(", ")}` });
    else if (!format.scopes.includes(input.scope)) problems.push({ field: "scope", message: `${input.format} exports ${format.scopes.join(" or ")}` });
    if (input.scope === "READER") {
      if (!input.readerId || !isUuid(input.readerId) || !(await this.repo().isProjectReader(projectId, input.readerId))) {
        problems.push({ field: "readerId", message: "must be a member or reader of the project" });
      }
    } else if (input.readerId) problems.push({ field: "readerId", message: "is only for scope READER" });
    if (problems.length) throw invalid(problems);
    void access;
    const job = await this.repo().insert({
      projectId,
      requestedBy: actor!.userId,
      format: input.format,
      scope: input.scope,
      readerId: input.scope === "READER" ? input.readerId! : null,
      allVersions: !!input.allVersions,
    });
    await this.queue.enqueue("export.run", { exportId: job.id }, { jobId: `export-${job.id}`, attempts: 3 });
    await this.publish(job);
    return job;
  }

  async list(actor: Actor | null, projectId: string, first: number): Promise<ExportJobRow[]> {
    await requireAccess(this.db.dataSource.manager, actor, "data.export", projectId);
    if (first < 1 || first > 100) throw invalid([{ field: "first", message: "must be between 1 and 100" }]);
    return this.repo().list(projectId, first);
  }

  /** A job the actor may see, else "not found". */
  async get(actor: Actor | null, exportId: string): Promise<ExportJobRow> {
    const job = isUuid(exportId) ? await this.repo().get(exportId) : null;
    if (!job) throw notFound("Export");
    await requireAccess(this.db.dataSource.manager, actor, "data.export", job.projectId);
    return job;
  }

  /** A finished export's file to download. */
  async file(actor: Actor | null, exportId: string): Promise<{ path: string; fileName: string; bytes: number; contentType: string }> {
    const job = await this.get(actor, exportId);
    if (job.status !== "DONE" || !job.fileName || (job.expiresAt && job.expiresAt.getTime() < Date.now())) throw notFound("Export file");
    const format = EXPORT_FORMATS[job.format as ExportFormat];
    return { path: this.filePath(job), fileName: job.fileName, bytes: job.bytes ?? 0, contentType: format?.contentType ?? "application/octet-stream" };
  }

  /** The project's export jobs as they change; for those who may export, checked again at each event. */
  async updates(actor: Actor | null, projectId: string): Promise<AsyncIterable<ExportJobRow>> {
    const repo = this.repo();
    return followProject<{ id: string }, ExportJobRow>(this.db.dataSource.manager, this.bus, actor, projectId, exportsChannel(projectId), "data.export", (p) => repo.get(p.id));
  }

  /** The job itself (`export.run`): idempotent, a finished export is left as it is. */
  async run(exportId: string): Promise<ExportJobRow | null> {
    const started = await this.repo().start(exportId);
    if (!started) return this.repo().get(exportId);
    // Cases deleted while the export reads would be in its file: counted now, checked at the end.
    const deletionsAtStart = await this.repo().deletionCount(started.projectId);
    await this.publish(started);
    const format = EXPORT_FORMATS[started.format as ExportFormat];
    const target = this.filePath(started);
    const partial = `${target}.partial`;
    try {
      if (!format) throw new Error(`unknown export format ${started.format}`);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const out = fs.createWriteStream(partial);
      const hash = createHash("sha256");
      let bytes = 0;
      let lastProgress = 0;
      let lastAt = 0;
      const ctx: WriteContext = {
        job: started,
        annotations: this.annotations,
        collab: this.collab,
        reads: new ExportReads(this.db.dataSource.manager),
        compute: this.compute,
        readInstance: (storageKey) => this.readInstance(started.projectId, storageKey),
        write: async (chunk) => {
          const b = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
          hash.update(b);
          bytes += b.byteLength;
          // events.once also rejects on "error" and removes both listeners after either.
          if (!out.write(b)) await once(out, "drain");
        },
        progress: async (fraction) => {
          const percent = Math.max(0, Math.min(99, Math.floor(fraction * 100)));
          // At most a few updates a second, and only when the whole percent moves.
          if (percent <= lastProgress || Date.now() - lastAt < 250) return;
          lastProgress = percent;
          lastAt = Date.now();
          await this.repo().setProgress(exportId, percent);
          await this.publish({ ...started, progress: percent });
        },
      };
      const { items } = await format.write(ctx);
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      await fsp.rename(partial, target);
      const sha256 = hash.digest("hex");
      const fileName = `concord-${started.projectId}-${started.format.toLowerCase()}-${started.scope.toLowerCase()}-${started.id.slice(0, 8)}.${format.extension}`;
      const done = await this.db.tx(async (em) => {
        if ((await new ExportsRepository(em).deletionCount(started.projectId)) !== deletionsAtStart) {
          throw new Error("cases were deleted from the project while this export ran, and it may hold them; make the export again");
        }
        const row = await new ExportsRepository(em).finish(exportId, { items, bytes, sha256, fileName, keepForMs: EXPORT_KEEP_MS });
        await this.ledger.record(em, {
          type: "export",
          actorId: started.requestedBy,
          projectId: started.projectId,
          objectId: started.id,
          change: { format: started.format, scope: started.scope, readerId: started.readerId, allVersions: started.allVersions, items, bytes, sha256 },
        });
        return row;
      });
      await this.publish(done);
      this.log.info({ export: exportId, format: started.format, items, bytes }, "export finished");
      return done;
    } catch (err) {
      await fsp.rm(partial, { force: true }).catch(() => undefined);
      const failed = await this.repo().fail(exportId, (err as Error).message);
      if (failed) await this.publish(failed);
      this.log.error({ export: exportId, err: (err as Error).message }, "export failed");
      throw err;
    }
  }

  /** Removes exports past keeping, files and rows (the hourly maintenance job). */
  async purgeExpired(): Promise<number> {
    let removed = 0;
    for (;;) {
      const gone = await this.repo().takeExpired(500);
      for (const g of gone) if (g.fileName) await fsp.rm(this.filePath(g), { force: true }).catch(() => undefined);
      removed += gone.length;
      if (gone.length < 500) return removed;
    }
  }

  private filePath(job: Pick<ExportJobRow, "id" | "projectId">): string {
    return path.join(this.dir, job.projectId, `${job.id}.export`);
  }

  private publish(job: ExportJobRow): Promise<void> {
    return this.bus.publish(exportsChannel(job.projectId), { id: job.id });
  }
}
