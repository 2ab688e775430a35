import { randomBytes } from "node:crypto";

// multipart/related bodies (RFC 2387) as DICOMweb uses them: STOW-RS requests, WADO-RS responses.

export interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

export class MultipartError extends Error {}

export function buildMultipartRelated(
  bodies: Uint8Array[],
  type = "application/dicom",
): { body: Buffer; contentType: string } {
  const { chunks, length, contentType } = multipartRelatedChunks(bodies, type);
  return { body: Buffer.concat(chunks, length), contentType };
}

/**
 * The same body as buildMultipartRelated, as the pieces to send one after the other: the parts'
 * bytes are not copied into one more buffer (for a STOW-RS of large images, a copy of them all).
 */
export function multipartRelatedChunks(bodies: Uint8Array[], type = "application/dicom"): { chunks: Buffer[]; length: number; contentType: string } {
  const writer = multipartRelatedWriter(type);
  const chunks = [...bodies.flatMap((b) => writer.part(b)), writer.end];
  return { chunks, length: chunks.reduce((n, c) => n + c.length, 0), contentType: writer.contentType };
}

/**
 * A multipart/related body made part by part, for a body sent as its parts become available (a
 * study retrieved one file at a time): its Content-Type (with a fresh boundary), each part's
 * pieces, and the closing delimiter.
 */
export function multipartRelatedWriter(type = "application/dicom"): { contentType: string; part(body: Uint8Array, partType?: string): Buffer[]; end: Buffer } {
  const boundary = `concord-${randomBytes(12).toString("hex")}`;
  return {
    contentType: `multipart/related; type="${type}"; boundary=${boundary}`,
    // "Content-Type:" spelled so exactly: Cornerstone's parser of frame answers matches that spelling.
    part: (b, partType = type) => [
      Buffer.from(`--${boundary}\r\nContent-Type: ${partType}\r\nContent-Length: ${b.byteLength}\r\n\r\n`, "latin1"),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
      CRLF,
    ],
    end: Buffer.from(`--${boundary}--\r\n`),
  };
}

const CRLF = Buffer.from("\r\n");

/** The boundary and type parameters of a multipart/related Content-Type. */
export function multipartParams(contentType: string | undefined): { boundary: string; type: string | null } {
  if (!contentType || !/^\s*multipart\/related\b/i.test(contentType)) {
    throw new MultipartError(`expected Content-Type multipart/related, got ${contentType ?? "none"}`);
  }
  const param = (name: string) => {
    const m = contentType.match(new RegExp(`;\\s*${name}\\s*=\\s*("([^"]*)"|[^;\\s]+)`, "i"));
    return m ? (m[2] ?? m[1]!) : null;
  };
  const boundary = param("boundary");
  if (!boundary || boundary.length > 200) throw new MultipartError("multipart/related without a usable boundary parameter");
  return { boundary, type: param("type") };
}

/** Splits a multipart/related body into its parts. Limits bound the work a hostile body can cause. */
export function parseMultipartRelated(body: Buffer, contentType: string | undefined, limits = { maxParts: 10_000 }): Part[] {
  const { boundary } = multipartParams(contentType);
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.concat([CRLF, delimiter]);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MultipartError("the body does not contain its boundary");
  for (;;) {
    const after = pos + delimiter.length;
    if (body[after] === 0x2d && body[after + 1] === 0x2d) return parts; // closing delimiter "--boundary--"
    const headerStart = body.indexOf("\r\n", after);
    if (headerStart < 0) throw new MultipartError("truncated multipart body: a part has no headers");
    const headerEnd = body.indexOf("\r\n\r\n", headerStart);
    if (headerEnd < 0) throw new MultipartError("truncated multipart body: a part's headers do not end");
    const headers: Record<string, string> = {};
    for (const line of body.subarray(headerStart + 2, headerEnd).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const next = body.indexOf(nextDelimiter, headerEnd + 4);
    if (next < 0) throw new MultipartError("truncated multipart body: no closing boundary");
    parts.push({ headers, body: body.subarray(headerEnd + 4, next) });
    if (parts.length > limits.maxParts) throw new MultipartError(`more than ${limits.maxParts} parts`);
    pos = next + 2;
  }
}
