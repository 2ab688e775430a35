import { gunzipSync } from "node:zlib";

// Decompression with a ceiling on what comes out, so a small hostile file cannot fill memory.

export const isGzip = (b: Uint8Array) => b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08;

export class TooLarge extends Error {}

/** gzip (one or more members) to at most `max` bytes; throws TooLarge past that, or zlib's error for damaged data. */
export function gunzipAtMost(bytes: Uint8Array, max: number): Uint8Array {
  try {
    const out = gunzipSync(bytes, { maxOutputLength: max });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw new TooLarge(`unpacks to more than ${max} bytes`);
    throw err;
  }
}

interface Bunzip {
  decode(input: Uint8Array, output: { writeByte(b: number): void }, multistream?: boolean): unknown;
}
// seek-bzip ships no types; decode with an output stream of our own is the one function used.
const Bunzip = require("seek-bzip") as Bunzip;

/** bzip2 to at most `max` bytes; throws TooLarge past that, or seek-bzip's error for damaged data. */
export function bunzip2AtMost(bytes: Uint8Array, max: number, expected = 0): Uint8Array {
  let out = new Uint8Array(Math.min(Math.max(expected, 4096), max));
  let length = 0;
  const sink = {
    writeByte(b: number) {
      if (length === out.length) {
        if (length >= max) throw new TooLarge(`unpacks to more than ${max} bytes`);
        const grown = new Uint8Array(Math.min(out.length * 2, max));
        grown.set(out);
        out = grown;
      }
      out[length++] = b;
    },
  };
  Bunzip.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), sink, true);
  return out.subarray(0, length);
}
