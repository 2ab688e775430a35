import express, { type NextFunction, type Request, type Response } from "express";
import { LRUCache } from "lru-cache";
import type { Actor } from "../../access/access.js";
import { credentialsOf } from "../../http/auth.js";
import { drained } from "../../http/drained.js";
import { multipartRelatedWriter, MultipartError, parseMultipartRelated } from "../../platform/dicomweb/multipart.js";
import { BlobStoreError } from "../../platform/storage/store.js";
import type { Services } from "../../services.js";
import { CASE_KEY_SOURCES, type CaseKeySource } from "../projects/projects.entity.js";
import { instanceJson, seriesJson, studyJson, type DicomJson } from "./dicom-json.js";
import { readDicomFile, type DicomFile } from "./dicom/read.js";
import { EXPLICIT_VR_LITTLE_ENDIAN } from "./dicom/transfer-syntax.js";
import {
  bulkValue,
  checkFrameNumbers,
  multipartBody,
  negotiateBulk,
  OCTET_STREAM,
  parseFrameList,
  partContentType,
  PixelData,
  representationOf,
  WadoError,
  type Representation,
} from "./frames.js";
import { describePixels, negotiateRendered, parseQuality, parseViewport, parseWindow, RenderError } from "./rendered.js";
import type { InstanceRow } from "./images.repository.js";
import type { StoredInstance } from "./images.service.js";

// Our DICOMweb service, one root per project: /dicomweb/projects/{projectId}/... (QIDO-RS, WADO-RS,
// STOW-RS, WADO-URI). Every request is authenticated like the GraphQL API (session cookie or
// bearer token) and checked by the access module; anything the caller may not see is 404.

const DICOM_JSON = "application/dicom+json";
const MAX_LIMIT = 1000;

type Req = Request<{ projectId: string; study?: string; series?: string; instance?: string }>;

export function dicomwebRouter(services: Services, opts: { maxUploadBytes: number; parsedCacheBytes?: number }): express.Router {
  const router = express.Router({ mergeParams: true });

  const actorOf = async (req: Request): Promise<Actor | null> => {
    const { sessionToken, bearer } = credentialsOf(req.headers);
    return services.accounts.authenticate(sessionToken, bearer);
  };
  const base = (req: Req) => `${req.protocol}://${req.get("host")}${req.baseUrl}`;
  const page = (req: Req) => ({
    limit: Math.min(Math.max(Number(req.query.limit ?? 100) || 100, 1), MAX_LIMIT),
    offset: Math.max(Number(req.query.offset ?? 0) || 0, 0),
  });
  const q = (req: Req, name: string) => (typeof req.query[name] === "string" && req.query[name] ? (req.query[name] as string) : undefined);
  const wrap = <R extends Request = Req>(fn: (req: R, res: Response) => Promise<void>) => (req: R, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };
  const instanceUrl = (req: Req, i: Pick<InstanceRow, "studyInstanceUid" | "seriesInstanceUid" | "sopInstanceUid">) => `${base(req)}/studies/${i.studyInstanceUid}/series/${i.seriesInstanceUid}/instances/${i.sopInstanceUid}`;

  // ---- QIDO-RS
  router.get(
    "/studies",
    wrap(async (req, res) => {
      const rows = await services.images.studies(await actorOf(req), req.params.projectId, {
        studyInstanceUid: q(req, "StudyInstanceUID") ?? q(req, "0020000D"),
        patientId: q(req, "PatientID") ?? q(req, "00100020"),
        studyDate: q(req, "StudyDate") ?? q(req, "00080020"),
        modality: q(req, "ModalitiesInStudy") ?? q(req, "00080061"),
        ...page(req),
      });
      sendJson(res, rows.map((s) => studyJson(s, `${base(req)}/studies/${s.studyInstanceUid}`)));
    }),
  );
  const seriesSearch = wrap(async (req, res) => {
    const { limit, offset } = page(req);
    const rows = await services.images.series(await actorOf(req), req.params.projectId, req.params.study ?? q(req, "StudyInstanceUID"), q(req, "SeriesInstanceUID"), limit, offset);
    sendJson(res, rows.map((s) => seriesJson(s, `${base(req)}/studies/${s.studyInstanceUid}/series/${s.seriesInstanceUid}`)));
  });
  router.get("/series", seriesSearch);
  router.get("/studies/:study/series", seriesSearch);
  const instanceSearch = wrap(async (req, res) => {
    const { limit, offset } = page(req);
    const rows = await services.images.instances(
      await actorOf(req),
      req.params.projectId,
      {
        studyInstanceUid: req.params.study ?? q(req, "StudyInstanceUID"),
        seriesInstanceUid: req.params.series ?? q(req, "SeriesInstanceUID"),
        sopInstanceUid: q(req, "SOPInstanceUID"),
      },
      limit,
      offset,
    );
    sendJson(res, rows.map((i) => instanceJson(i, instanceUrl(req, i))));
  });
  router.get("/instances", instanceSearch);
  router.get("/studies/:study/instances", instanceSearch);
  router.get("/studies/:study/series/:series/instances", instanceSearch);

  // ---- WADO-RS: metadata and retrieval
  const select = (req: Req) => ({
    studyInstanceUid: req.params.study,
    seriesInstanceUid: req.params.series,
    sopInstanceUid: req.params.instance,
  });
  const metadata = wrap(async (req, res) => {
    const rows = await services.images.instances(await actorOf(req), req.params.projectId, select(req));
    if (!rows.length) return notFound(res);
    sendJson(res, rows.map((i) => resolveBulk(i.metadata as DicomJson, instanceUrl(req, i))));
  });
  router.get("/studies/:study/metadata", metadata);
  router.get("/studies/:study/series/:series/metadata", metadata);
  router.get("/studies/:study/series/:series/instances/:instance/metadata", metadata);

  const retrieve = wrap(async (req, res) => {
    const accept = req.get("accept") ?? "*/*";
    if (!/multipart\/related|\*\/\*/i.test(accept) || (/multipart\/related/i.test(accept) && !/application\/dicom|type=("?)\*/i.test(accept))) {
      res.status(406).json({ error: 'retrieve as multipart/related; type="application/dicom"' });
      return;
    }
    const rows = await services.images.instances(await actorOf(req), req.params.projectId, select(req));
    if (!rows.length) return notFound(res);
    // One file at a time, each written as it is read, waiting for the client to take it: a study of
    // hundreds of images is never all in memory. The first file is read before the answer starts, so
    // a store that cannot serve it still gets its error status; a failure after that cuts the answer
    // short (no closing delimiter), which a client cannot take for a whole study.
    const writer = multipartRelatedWriter();
    let file: Uint8Array | null = await services.images.file(rows[0]!);
    res.status(200).setHeader("Content-Type", writer.contentType);
    try {
      for (let i = 0; i < rows.length; i++) {
        file ??= await services.images.file(rows[i]!);
        for (const chunk of writer.part(file)) if (!res.write(chunk)) await drained(res);
        file = null;
        if (res.destroyed) return; // the client went away
      }
      res.end(writer.end);
    } catch {
      res.destroy();
    }
  });
  router.get("/studies/:study", retrieve);
  router.get("/studies/:study/series/:series", retrieve);
  router.get("/studies/:study/series/:series/instances/:instance", retrieve);

  // ---- WADO-RS: frames, bulk data and rendered (frames.ts, rendered.ts). One instance, looked up
  // by its three UIDs (which checks access on every request); its parsed file is kept in a small
  // cache bounded by bytes, since a viewer asks for a multi-frame instance's frames one at a time
  // and a reader's neighbours ask for the same images. Stored instances never change.
  type PixelReq = Request<{ projectId: string; study: string; series: string; instance: string; frameList?: string; path?: string[] }>;
  const pixelRoute = (fn: (req: PixelReq, res: Response) => Promise<void>) => wrap<PixelReq>(fn);
  const oneInstance = async (req: PixelReq): Promise<InstanceRow> => {
    const { projectId, study, series, instance } = req.params;
    const [row] = await services.images.instances(await actorOf(req), projectId, { studyInstanceUid: study, seriesInstanceUid: series, sopInstanceUid: instance }, 1);
    if (!row) throw new WadoError(404, "not found");
    return row;
  };
  const files = new LRUCache<string, { file: DicomFile; bytes: number }>({
    maxSize: opts.parsedCacheBytes ?? 256 * 1024 ** 2,
    sizeCalculation: (v) => Math.max(v.bytes, 1),
  });
  const loading = new Map<string, Promise<DicomFile>>();
  const parsed = async (row: InstanceRow): Promise<DicomFile> => {
    const hit = files.get(row.id);
    if (hit) return hit.file;
    // Requests for the same instance at once share one read and parse.
    let pending = loading.get(row.id);
    if (!pending) {
      pending = (async () => {
        const bytes = await services.images.file(row);
        const file = readDicomFile(bytes, row.sopInstanceUid);
        files.set(row.id, { file, bytes: bytes.byteLength });
        return file;
      })().finally(() => loading.delete(row.id));
      loading.set(row.id, pending);
    }
    return pending;
  };
  const pixelsOf = (file: DicomFile): PixelData => {
    const pixels = PixelData.of(file);
    if (!pixels) throw new WadoError(404, "this instance has no pixel data");
    return pixels;
  };
  const param = (req: PixelReq, name: string): string | undefined => {
    const v = req.query[name];
    if (v === undefined || v === "") return undefined;
    if (typeof v !== "string") throw new WadoError(400, `give ${name} once`);
    return v;
  };
  const sendBulk = (res: Response, rep: Representation, bodies: Uint8Array[], multipart: boolean) => {
    if (!multipart) {
      res.status(200).setHeader("Content-Type", partContentType(rep));
      res.end(Buffer.from(bodies[0]!.buffer, bodies[0]!.byteOffset, bodies[0]!.byteLength));
      return;
    }
    const body = multipartBody(bodies.map((b) => ({ contentType: partContentType(rep), body: b })), rep.mediaType);
    res.status(200).setHeader("Content-Type", body.contentType);
    res.setHeader("Content-Length", String(body.length));
    for (const chunk of body.chunks) res.write(chunk);
    res.end();
  };

  router.get(
    "/studies/:study/series/:series/instances/:instance/frames/:frameList",
    pixelRoute(async (req, res) => {
      const numbers = parseFrameList(req.params.frameList!);
      const row = await oneInstance(req);
      negotiateBulk(req.get("accept"), representationOf(row.transferSyntaxUid), numbers.length === 1);
      const pixels = pixelsOf(await parsed(row));
      checkFrameNumbers(numbers, pixels.frameCount);
      const { multipart } = negotiateBulk(req.get("accept"), pixels.representation, numbers.length === 1);
      sendBulk(res, pixels.representation, numbers.map((n) => pixels.frame(n)), multipart);
    }),
  );

  router.get(
    "/studies/:study/series/:series/instances/:instance/bulk/*path",
    pixelRoute(async (req, res) => {
      const path = req.params.path ?? [];
      const row = await oneInstance(req);
      const accept = req.get("accept");
      if (path.length === 1 && path[0]!.toUpperCase() === "7FE00010") {
        // Pixel Data: native as one part (little endian), encapsulated as one part per frame.
        const stored = representationOf(row.transferSyntaxUid);
        negotiateBulk(accept, stored, stored.native || row.frames === 1);
        const pixels = pixelsOf(await parsed(row));
        const bodies = pixels.native ? [pixels.nativeValue()] : pixels.encapsulatedFrames();
        const { multipart } = negotiateBulk(accept, pixels.representation, bodies.length === 1);
        sendBulk(res, pixels.representation, bodies, multipart);
        return;
      }
      const rep: Representation = { mediaType: OCTET_STREAM, transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN, native: true };
      const { multipart } = negotiateBulk(accept, rep, true);
      const value = bulkValue(await parsed(row), path);
      if (!value) throw new WadoError(404, `this instance has no bulk data element ${path.join("/")}`);
      sendBulk(res, rep, [value.bytes], multipart);
    }),
  );

  const rendered = pixelRoute(async (req, res) => {
    const numbers = req.params.frameList ? parseFrameList(req.params.frameList) : [1];
    if (numbers.length !== 1) throw new WadoError(400, "rendered frames are served one at a time");
    const windowText = param(req, "window");
    const viewportText = param(req, "viewport");
    const qualityText = param(req, "quality");
    const options = {
      window: windowText ? parseWindow(windowText) : null,
      viewport: viewportText ? parseViewport(viewportText) : null,
      ...(qualityText ? { quality: parseQuality(qualityText) } : {}),
    };
    const row = await oneInstance(req);
    const type = negotiateRendered(req.get("accept"));
    const file = await parsed(row);
    const pixels = pixelsOf(file);
    checkFrameNumbers(numbers, pixels.frameCount);
    // On the rendering thread, not this event loop (decoding, windowing and encoding take tens to
    // hundreds of ms). A copy of the frame goes over: a view into the cached file would clone all of it.
    const rendered = await services.rendering.run("renderedFrame", pixels.frame(numbers[0]!).slice(), pixels.native, pixels.transferSyntaxUid, describePixels(file.dict), { ...options, type });
    if ("status" in rendered) throw new RenderError(rendered.status, rendered.message);
    res.status(200).type(type).send(Buffer.from(rendered.image.buffer, rendered.image.byteOffset, rendered.image.byteLength));
  });
  router.get("/studies/:study/series/:series/instances/:instance/rendered", rendered);
  router.get("/studies/:study/series/:series/instances/:instance/frames/:frameList/rendered", rendered);

  // ---- WADO-URI
  router.get(
    "/wado",
    wrap(async (req, res) => {
      if (q(req, "requestType") !== "WADO" || !q(req, "objectUID")) {
        res.status(400).json({ error: "requestType=WADO and objectUID are required" });
        return;
      }
      const contentType = q(req, "contentType") ?? "application/dicom";
      if (contentType !== "application/dicom") {
        res.status(406).json({ error: "only contentType=application/dicom is served here" });
        return;
      }
      const [row] = await services.images.instances(await actorOf(req), req.params.projectId, {
        studyInstanceUid: q(req, "studyUID"),
        seriesInstanceUid: q(req, "seriesUID"),
        sopInstanceUid: q(req, "objectUID"),
      });
      if (!row) return notFound(res);
      res.status(200).type("application/dicom").send(await services.images.file(row));
    }),
  );

  // ---- STOW-RS
  router.post(
    "/studies",
    express.raw({ type: () => true, limit: opts.maxUploadBytes }),
    wrap(async (req, res) => {
      let parts;
      try {
        parts = parseMultipartRelated(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), req.get("content-type"));
      } catch (err) {
        if (err instanceof MultipartError) {
          res.status(400).json({ error: err.message });
          return;
        }
        throw err;
      }
      const files = parts.map((p, i) => ({ name: partName(p.headers["content-location"]) ?? `part ${i + 1}`, bytes: p.body }));
      // Concord's own query parameters: how to name new cases, and an id to follow the upload's progress by.
      const caseKeys = typeof req.query.caseKeys === "string" ? req.query.caseKeys : undefined;
      if (caseKeys !== undefined && !(CASE_KEY_SOURCES as readonly string[]).includes(caseKeys)) {
        res.status(400).json({ error: `caseKeys must be one of ${CASE_KEY_SOURCES.join(", ")}` });
        return;
      }
      const uploadId = typeof req.query.upload === "string" ? req.query.upload : undefined;
      const outcome = await services.images.upload(await actorOf(req), req.params.projectId, files, "STOW", { caseKeys: caseKeys as CaseKeySource | undefined, uploadId });
      const stored: DicomJson[] = [];
      const failed: DicomJson[] = [];
      let ignored = 0;
      // Instances this upload stored are answered from memory; only those it found already there are looked up.
      const known = outcome.stored ?? new Map<string, StoredInstance>();
      const ids = outcome.results.flatMap((r) => (r.instanceId && r.status !== "REFUSED" && r.status !== "IGNORED" && !known.has(r.instanceId) ? [r.instanceId] : []));
      const rowsById = new Map<string, StoredInstance>([...known, ...(ids.length ? await services.images.instancesById(outcome.batch.projectId, ids) : []).map((row) => [row.id, row] as const)]);
      for (const r of outcome.results) {
        if (r.status === "IGNORED") {
          ignored++;
        } else if (r.status === "REFUSED") {
          failed.push({ "00081197": { vr: "US", Value: [0xc000] }, "00081196": { vr: "US", Value: [0] } });
        } else {
          const row = r.instanceId ? rowsById.get(r.instanceId) : undefined;
          if (row) {
            stored.push({
              "00081150": { vr: "UI", Value: [row.sopClassUid] },
              "00081155": { vr: "UI", Value: [row.sopInstanceUid] },
              "00081190": { vr: "UR", Value: [instanceUrl(req, row)] },
            });
          }
        }
      }
      // 200 all stored; 202 some not (the upload's report says which and why); 409 none stored.
      const status = failed.length === 0 && ignored === 0 ? 200 : stored.length === 0 && ignored === 0 ? 409 : 202;
      res.setHeader("X-Concord-Upload", outcome.batch.id);
      sendJson(res.status(status), {
        "00081190": { vr: "UR", Value: [`${base(req)}/studies`] },
        "00081198": failed.length ? { vr: "SQ", Value: failed } : { vr: "SQ" },
        "00081199": stored.length ? { vr: "SQ", Value: stored } : { vr: "SQ" },
      });
    }),
  );

  router.use((err: Error & { code?: string; status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (err.code === "NOT_FOUND" || err.code === "UNAUTHENTICATED") return notFound(res);
    if (err instanceof WadoError || err instanceof RenderError) {
      res.status(err.status).json({ error: err.message });
      return;
    }
    // The index knows the instance, but the project's external store could not hand over its bytes.
    if (err instanceof BlobStoreError) {
      res.status(502).json({ error: err.message });
      return;
    }
    if (err.code === "BAD_USER_INPUT") {
      res.status(400).json({ error: err.message });
      return;
    }
    if (err.code === "PROJECT_ARCHIVED") {
      res.status(409).json({ error: err.message });
      return;
    }
    if (err.type === "entity.too.large") {
      res.status(413).json({ error: `request larger than ${opts.maxUploadBytes} bytes` });
      return;
    }
    next(err);
  });
  return router;
}

/** A part's file name from its Content-Location (a URI, so percent-decoded). */
function partName(location: string | undefined): string | null {
  if (!location) return null;
  let name = location;
  try {
    name = decodeURIComponent(location);
  } catch {
    /* keep it as sent */
  }
  name = name.replace(/[\u0000-\u001f]/g, "").slice(-255);
  return name || null;
}

function notFound(res: Response): void {
  res.status(404).json({ error: "not found" });
}

function sendJson(res: Response, body: unknown): void {
  res.type(DICOM_JSON).send(JSON.stringify(body));
}

/** Stored metadata carries BulkDataURIs relative to its instance; served, they are absolute. */
function resolveBulk(metadata: DicomJson, instanceUrl: string): DicomJson {
  const out: DicomJson = {};
  for (const [tag, el] of Object.entries(metadata)) {
    const e = el as { vr: string; Value?: unknown[]; BulkDataURI?: string };
    if (e.BulkDataURI) out[tag] = { ...e, BulkDataURI: `${instanceUrl}/${e.BulkDataURI}` } as DicomJson[string];
    else if (e.vr === "SQ" && e.Value) out[tag] = { vr: "SQ", Value: e.Value.map((item) => resolveBulk(item as DicomJson, instanceUrl)) };
    else out[tag] = el;
  }
  return out;
}
