// CSV exports downloaded with a progress bar: fetch the file with the session cookie, count its rows
// as the body streams in against the server's X-Total-Rows, then hand the whole file to the browser
// as a download. (A plain link would download too, but shows no progress and no clear error.)

export type ExportKind = "labels" | "rois";

export function exportUrl(projectId: string, kind: ExportKind, allVersions: boolean): string {
  return `/export/projects/${encodeURIComponent(projectId)}/${kind}.csv${allVersions ? "?versions=all" : ""}`;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Counts the records of an RFC 4180 CSV as its bytes arrive in chunks. The server quotes any field
 * with a comma, quote or line break (ROI points, label and class names may hold them), so a line
 * break inside quotes does not end a record. Counting works on bytes: in UTF-8 neither '"' nor a
 * line break occurs inside a multi-byte character, so a chunk may split one anywhere. An escaped
 * quote ("") flips the state twice, which leaves it right even when a chunk ends between the two.
 */
export class CsvRowCounter {
  private quoted = false;
  /** Bytes of a record seen since the last record ended. */
  private open = false;
  /** Records ended so far, the header included. */
  records = 0;

  push(chunk: Uint8Array): void {
    let quoted = this.quoted;
    let open = this.open;
    let records = this.records;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === QUOTE) {
        quoted = !quoted;
        open = true;
      } else if (b === LF && !quoted) {
        records++;
        open = false;
      } else if (b !== CR || quoted) {
        open = true;
      }
    }
    this.quoted = quoted;
    this.open = open;
    this.records = records;
  }

  /** Ends the input: a last record without a line break still counts. */
  finish(): void {
    if (this.open) this.records++;
    this.open = false;
  }

  /** Records after the header line. */
  get dataRows(): number {
    return Math.max(0, this.records - 1);
  }

  /** The input ended inside a quoted field: the file was cut short. */
  get unterminated(): boolean {
    return this.quoted;
  }
}

/** The file name a Content-Disposition header gives (filename* before filename), or null. */
export function fileNameFrom(contentDisposition: string | null): string | null {
  if (!contentDisposition) return null;
  let name: string | null = null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(contentDisposition);
  if (extended) {
    try {
      name = decodeURIComponent(extended[2]!.trim());
    } catch {
      name = null;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(contentDisposition);
    name = plain ? (plain[1] !== undefined ? plain[1].replace(/\\(.)/g, "$1") : plain[2]!) : null;
  }
  // Only a name, never a path.
  const base = name?.split(/[/\\]/).pop()?.trim();
  return base ? base : null;
}

export interface DownloadProgress {
  /** Data rows received so far. */
  rows: number;
  /** Data rows the file will hold, when known. */
  total: number | null;
  bytes: number;
}

export interface CsvFile {
  blob: Blob;
  fileName: string;
  rows: number;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /** The expected row count when the answer has no X-Total-Rows (GraphQL exportSize). */
  fallbackTotal?: () => Promise<number | null>;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** A download that failed, with a message for the person who asked for it. */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = "DownloadError";
  }
}

async function refusal(response: Response): Promise<DownloadError> {
  let detail: string | null = null;
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === "string") detail = body.error;
  } catch {
    // Not JSON: the status says enough.
  }
  if (response.status === 404) return new DownloadError("The export was not found: the project may be gone, or you may no longer export its data.", 404);
  if (response.status === 401 || response.status === 403) return new DownloadError("You are not allowed to export this project's data. Log in again if your session ended.", response.status);
  if (response.status === 400) return new DownloadError(`The server refused the export: ${detail ?? "bad request"}.`, 400);
  return new DownloadError(`The export failed on the server (HTTP ${response.status}${detail ? `: ${detail}` : ""}). Try again later.`, response.status);
}

const isAbort = (err: unknown) => err instanceof DOMException && err.name === "AbortError";

/**
 * Downloads one CSV export into memory, reporting rows as they arrive. Fails with a DownloadError
 * when the server refuses, the connection drops or the file comes short of the rows it announced,
 * so a truncated file is never offered as complete. An abort rejects with the AbortError.
 */
export async function fetchCsv(url: string, options: DownloadOptions = {}): Promise<CsvFile> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, { credentials: "same-origin", signal: options.signal, headers: { Accept: "text/csv" } });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new DownloadError("Cannot reach the server. Check your connection and try again.");
  }
  if (!response.ok) throw await refusal(response);
  // Anything else (say, a dev server's index.html for a path it does not proxy) is not the export.
  const type = response.headers.get("Content-Type");
  if (type && !/^text\/csv\b/i.test(type)) throw new DownloadError(`The server answered with ${type.split(";")[0]} instead of a CSV file.`, response.status);
  if (!response.body) throw new DownloadError("The browser gave no access to the download's content.");

  const header = response.headers.get("X-Total-Rows");
  const announced = header !== null && /^\d+$/.test(header.trim()) ? Number(header) : null;
  let total = announced;
  if (total === null && options.fallbackTotal) total = await options.fallbackTotal().catch(() => null);

  const counter = new CsvRowCounter();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = response.body.getReader();
  options.onProgress?.({ rows: 0, total, bytes: 0 });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
      counter.push(value);
      options.onProgress?.({ rows: counter.dataRows, total, bytes });
    }
  } catch (err) {
    if (isAbort(err) || options.signal?.aborted) throw err instanceof Error ? err : new DOMException("Aborted", "AbortError");
    throw new DownloadError("The download was interrupted, so the file is incomplete and was not saved. Try again.");
  } finally {
    reader.releaseLock();
  }
  counter.finish();
  const rows = counter.dataRows;
  options.onProgress?.({ rows, total, bytes });
  // X-Total-Rows comes from the same database snapshot as the rows, so fewer rows mean a cut file.
  // (exportSize is counted separately and may differ by the submissions made in between.)
  if (counter.unterminated || (announced !== null && rows < announced)) {
    throw new DownloadError(`The download ended early (${rows} of ${announced ?? "?"} rows), so the file was not saved. Try again.`);
  }
  const fileName = fileNameFrom(response.headers.get("Content-Disposition")) ?? url.split("?")[0]!.split("/").pop() ?? "export.csv";
  return { blob: new Blob(chunks as BlobPart[], { type: "text/csv;charset=utf-8" }), fileName, rows };
}

/** Hands a file to the browser as a download. */
export function saveFile(file: CsvFile): void {
  const href = URL.createObjectURL(file.blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = file.fileName;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  // The browser reads the object URL after the click returns; let it go a little later.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
