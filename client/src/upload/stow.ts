import { pathOf } from "./pick";
import { newId } from "../ids";

// Uploads from the browser go to the project's STOW-RS endpoint as multipart/related, one request
// per batch, so each batch has its own progress bar and a failure costs one batch, not all.

export interface UploadBatchPlan {
  files: File[];
  bytes: number;
}

/** Groups files into batches of at most `maxFiles` files and about `maxBytes` bytes (a larger file goes alone). */
export function planBatches(files: File[], maxFiles = 25, maxBytes = 64 * 1024 * 1024): UploadBatchPlan[] {
  return batchGroups(files.map((f) => [f]), maxFiles, maxBytes);
}

/** Batches groups of files the same way; a group never splits, and one over the limits goes alone. */
export function batchGroups(groups: File[][], maxFiles = 25, maxBytes = 64 * 1024 * 1024): UploadBatchPlan[] {
  const batches: UploadBatchPlan[] = [];
  let current: UploadBatchPlan = { files: [], bytes: 0 };
  for (const group of groups) {
    if (!group.length) continue;
    const bytes = group.reduce((sum, f) => sum + f.size, 0);
    if (current.files.length && (current.files.length + group.length > maxFiles || current.bytes + bytes > maxBytes)) {
      batches.push(current);
      current = { files: [], bytes: 0 };
    }
    current.files.push(...group);
    current.bytes += bytes;
  }
  if (current.files.length) batches.push(current);
  return batches;
}

// A volume can come as two files, which the server joins only when both arrive in one request: an
// NRRD header (.nhdr) whose "data file:" line names its data, resolved against the header's folder,
// and a NIfTI header (.hdr) with the .img of the same name beside it.

const folderOf = (path: string) => path.slice(0, path.lastIndexOf("/") + 1);

/** The data file a detached NRRD header's text names, or null (attached, none, or a LIST or %d form). */
export function nrrdDataFileName(header: string): string | null {
  const lines = header.split("\n").map((l) => l.replace(/\r$/, ""));
  if (!/^NRRD000\d/.test(lines[0] ?? "")) return null;
  for (const line of lines.slice(1)) {
    if (line === "") break; // the end of the header
    if (line.startsWith("#")) continue;
    const colon = line.indexOf(": ");
    const kv = line.indexOf(":=");
    if (colon < 0 || (kv >= 0 && kv < colon)) continue;
    const field = line.slice(0, colon).trim().toLowerCase().replace(/\s+/g, " ");
    if (field !== "data file" && field !== "datafile") continue;
    const value = line.slice(colon + 2).trim();
    return !value || /^LIST\b/.test(value) || /%\d*d/.test(value) ? null : value;
  }
  return null;
}

/** A data file's path: its name in the header, against the header's folder ("./" and "../" included). */
function resolveIn(folder: string, name: string): string {
  const out: string[] = [];
  for (const p of `${folder}${name}`.split(/[/\\]/)) {
    if (p === "." || (p === "" && out.length)) continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return out.join("/");
}

/** The files in groups that must travel together (a detached header with its data), in the order chosen. */
export async function companionGroups(files: File[]): Promise<File[][]> {
  const paths = files.map(pathOf);
  const at = new Map<string, number>();
  paths.forEach((p, i) => at.set(p, i));
  // Union-find over the files' positions: a data file two headers name joins all three.
  const parent = files.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  const join = (a: number, b: number) => {
    const [ra, rb] = [root(a), root(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  await Promise.all(
    files.map(async (file, i) => {
      const path = paths[i]!;
      let data: number | undefined;
      if (/\.hdr$/i.test(path)) {
        const stem = path.slice(0, -4);
        data = at.get(`${stem}.img`) ?? at.get(`${stem}.IMG`);
      } else if (/\.nhdr$/i.test(path)) {
        let name: string | null = null;
        try {
          name = nrrdDataFileName(await file.slice(0, 64 * 1024).text());
        } catch {
          // Unreadable here: it goes on its own, and the server says what it makes of it.
        }
        if (name !== null) data = at.get(resolveIn(folderOf(path), name));
      }
      if (data !== undefined && data !== i) join(i, data);
    }),
  );
  const groups = new Map<number, File[]>();
  files.forEach((file, i) => {
    const r = root(i);
    const group = groups.get(r);
    if (group) group.push(file);
    else groups.set(r, [file]);
  });
  return [...groups.values()];
}

/** The upload's batches: as planBatches, but a detached header and its data file always share one. */
export async function planUpload(files: File[], maxFiles = 25, maxBytes = 64 * 1024 * 1024): Promise<UploadBatchPlan[]> {
  return batchGroups(await companionGroups(files), maxFiles, maxBytes);
}

/** A multipart/related body; each part names its file (Content-Location), which keys its case. */
export function multipartBody(files: Array<Blob & { name: string; webkitRelativePath?: string }>, boundary: string): Blob {
  const parts: BlobPart[] = [];
  for (const file of files) {
    // Content-Location is a URI: the name travels percent-encoded, so any script survives.
    const name = encodeURIComponent(file.webkitRelativePath || file.name).replace(/%2F/g, "/");
    parts.push(`--${boundary}\r\nContent-Type: application/dicom\r\nContent-Location: ${name}\r\n\r\n`, file, "\r\n");
  }
  parts.push(`--${boundary}--\r\n`);
  return new Blob(parts);
}

export interface StowAnswer {
  status: number;
  /** The upload's id: its report (file by file) is the GraphQL uploadBatch query. */
  batchId: string | null;
  error: string | null;
}

/** Concord's own STOW-RS parameters: how to name new cases, and an id to follow the upload's processing by. */
export interface StowOptions {
  caseKeys?: string | null;
  uploadId?: string | null;
}

export function stowUrl(projectId: string, options: StowOptions = {}): string {
  const query = new URLSearchParams();
  if (options.caseKeys) query.set("caseKeys", options.caseKeys);
  if (options.uploadId) query.set("upload", options.uploadId);
  const qs = query.toString();
  return `/dicomweb/projects/${encodeURIComponent(projectId)}/studies${qs ? `?${qs}` : ""}`;
}

/** Sends one batch; onProgress gets the fraction of bytes sent (the server then processes them). */
export function stowBatch(projectId: string, files: File[], onProgress: (fraction: number) => void, options: StowOptions = {}): Promise<StowAnswer> {
  const boundary = `concord-${newId()}`;
  const body = multipartBody(files, boundary);
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", stowUrl(projectId, options));
    xhr.setRequestHeader("Content-Type", `multipart/related; type="application/dicom"; boundary=${boundary}`);
    xhr.setRequestHeader("Accept", "application/dicom+json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let error: string | null = null;
      if (xhr.status >= 400 && xhr.status !== 409) {
        try {
          error = (JSON.parse(xhr.responseText) as { error?: string }).error ?? `HTTP ${xhr.status}`;
        } catch {
          error = `HTTP ${xhr.status}`;
        }
      }
      resolve({ status: xhr.status, batchId: xhr.getResponseHeader("X-Concord-Upload"), error });
    };
    xhr.onerror = () => resolve({ status: 0, batchId: null, error: "the connection failed" });
    xhr.send(body);
  });
}
