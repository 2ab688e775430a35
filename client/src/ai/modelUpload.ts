// Model files go to the server's raw upload route, not through GraphQL: an ONNX file of a realistic
// model is tens or hundreds of megabytes, which a JSON body (base64, at most 8 MB) cannot carry, and
// a plain request body gives the upload a progress bar.

import { toBase64 } from "../collab/base64";

export interface FieldProblem {
  field: string;
  message: string;
}

export type ModelUploadAnswer =
  | { ok: true; version: { id: string; modelId: string; version: number; status: string } }
  | { ok: false; status: number; message: string; fields: FieldProblem[] };

export function modelUploadUrl(projectId: string, name: string): string {
  return `/ai/projects/${encodeURIComponent(projectId)}/models/${encodeURIComponent(name)}/versions`;
}

/** The metadata header's value: base64 of the JSON's UTF-8 (a header cannot carry line breaks or any script). */
export function metadataHeader(metadataJson: string): string {
  return toBase64(new TextEncoder().encode(metadataJson));
}

/** Reads the server's answer to a refused upload. */
export function refusal(status: number, body: string): { message: string; fields: FieldProblem[] } {
  let parsed: { error?: unknown; fields?: unknown } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const fields = Array.isArray(parsed.fields)
    ? parsed.fields.filter((f): f is FieldProblem => typeof f?.field === "string" && typeof f?.message === "string")
    : [];
  const message =
    typeof parsed.error === "string" ? parsed.error : status === 404 ? "Not found." : status === 0 ? "Cannot reach the server. Check your connection and try again." : `The upload failed (HTTP ${status}).`;
  return { message, fields };
}

/** Sends the ONNX file; `onProgress` gets the fraction of its bytes sent (a worker then checks the model). */
export function uploadModel(projectId: string, name: string, metadataJson: string, file: Blob, onProgress: (fraction: number) => void): Promise<ModelUploadAnswer> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", modelUploadUrl(projectId, name));
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("Concord-Model-Metadata", metadataHeader(metadataJson));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status === 202) resolve({ ok: true, version: JSON.parse(xhr.responseText) as { id: string; modelId: string; version: number; status: string } });
      else resolve({ ok: false, status: xhr.status, ...refusal(xhr.status, xhr.responseText) });
    };
    xhr.onerror = () => resolve({ ok: false, status: 0, ...refusal(0, "") });
    xhr.send(file);
  });
}
