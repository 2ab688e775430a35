// Uploads from the browser go to the project's STOW-RS endpoint as multipart/related, one request
// per batch, so each batch has its own progress bar and a failure costs one batch, not all.

export interface UploadBatchPlan {
  files: File[];
  bytes: number;
}

/** Groups files into batches of at most `maxFiles` files and about `maxBytes` bytes (a larger file goes alone). */
export function planBatches(files: File[], maxFiles = 25, maxBytes = 64 * 1024 * 1024): UploadBatchPlan[] {
  const batches: UploadBatchPlan[] = [];
  let current: UploadBatchPlan = { files: [], bytes: 0 };
  for (const file of files) {
    if (current.files.length && (current.files.length >= maxFiles || current.bytes + file.size > maxBytes)) {
      batches.push(current);
      current = { files: [], bytes: 0 };
    }
    current.files.push(file);
    current.bytes += file.size;
  }
  if (current.files.length) batches.push(current);
  return batches;
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
  const boundary = `concord-${crypto.randomUUID()}`;
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
