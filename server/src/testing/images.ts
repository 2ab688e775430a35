import { randomBytes } from "node:crypto";
import { PNG } from "pngjs";

// Images into a project the way a tool sends them: STOW-RS over HTTP, with the caller's credentials.

/** A small greyscale PNG; `seed` varies the pixels so images differ. */
export function chestPng(width = 16, height = 12, seed = 0): Buffer {
  const image = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(width * height).map((_, i) => (i * 13 + seed * 7) % 251));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

export interface StowPart {
  bytes: Uint8Array;
  /** Sent as the part's Content-Location: the file name, from which the case key comes. Without it the part is "part N". */
  name?: string;
}

export interface StowAnswer {
  status: number;
  /** The upload batch the server made (X-Concord-Upload). */
  batchId: string;
  /** The answer's body, as text. */
  body: string;
}

/** STOW-RS of the parts into a project, as the holder of a session cookie or an API token. */
export async function stow(
  server: { url: string },
  projectId: string,
  who: { cookie?: string | undefined; token?: string | undefined },
  parts: StowPart[],
  query: Record<string, string> = {},
): Promise<StowAnswer> {
  const boundary = `concord-test-${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const location = p.name ? `Content-Location: ${encodeURIComponent(p.name)}\r\n` : "";
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n${location}\r\n`), Buffer.from(p.bytes), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const headers: Record<string, string> = {
    "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}`,
    accept: "application/dicom+json",
  };
  if (who.cookie) headers.cookie = who.cookie;
  if (who.token) headers.authorization = `Bearer ${who.token}`;
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${server.url}/dicomweb/projects/${projectId}/studies${qs ? `?${qs}` : ""}`, { method: "POST", headers, body: Buffer.concat(chunks) });
  const body = await res.text();
  return { status: res.status, batchId: res.headers.get("x-concord-upload") ?? "", body };
}

/** STOW-RS that must store something; fails the test otherwise. */
export async function stowOk(server: { url: string }, projectId: string, who: { cookie?: string | undefined; token?: string | undefined }, parts: StowPart[]): Promise<string> {
  const answer = await stow(server, projectId, who, parts);
  if (answer.status !== 200 && answer.status !== 202) throw new Error(`STOW-RS answered ${answer.status}`);
  return answer.batchId;
}
