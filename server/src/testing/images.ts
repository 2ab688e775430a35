import { randomBytes } from "node:crypto";
import { PNG } from "pngjs";
import { imageToSecondaryCapture } from "../modules/images/convert/secondary-capture.js";

// Images into a project the way a tool sends them: STOW-RS over HTTP, with the caller's credentials.

/** A small greyscale PNG; `seed` varies the pixels so images differ. */
export function chestPng(width = 16, height = 12, seed = 0): Buffer {
  const image = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(width * height).map((_, i) => (i * 13 + seed * 7) % 251));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

interface Dcmjs {
  data: { DicomDict: new (meta: unknown) => { dict: unknown; write(): ArrayBuffer } };
}

/** A DICOM attribute as dcmjs writes it: its VR, then its values. */
export type DicomValue = [vr: string, ...values: unknown[]];

/**
 * A small DICOM image, the Secondary Capture of chestPng(columns, rows, seed), with these
 * attributes set over it by tag (`{ "0020000D": ["UI", uid] }`); a SOP Instance UID (00080018)
 * given goes in its file meta too. Written with dcmjs, as a tool would write it.
 */
export function chestDicom(seed: number, tags: Record<string, DicomValue> = {}, size: { columns?: number; rows?: number } = {}): Buffer {
  const dcmjs = require("dcmjs") as Dcmjs;
  const sc = imageToSecondaryCapture(chestPng(size.columns ?? 8, size.rows ?? 8, seed), `seed-${seed}.png`);
  const dict = sc.dict as Record<string, { vr: string; Value?: unknown[] }>;
  for (const [tag, [vr, ...values]] of Object.entries(tags)) dict[tag] = { vr, Value: values };
  const sop = tags["00080018"]?.[1];
  if (sop !== undefined) (sc.meta as Record<string, { vr: string; Value?: unknown[] }>)["00020003"] = { vr: "UI", Value: [sop] };
  const d = new dcmjs.data.DicomDict(sc.meta);
  d.dict = sc.dict;
  return Buffer.from(d.write());
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
