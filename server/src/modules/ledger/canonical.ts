import { createHash } from "node:crypto";

/**
 * Canonical JSON: the RFC 8785 (JCS) scheme for the values we hash. Object keys sorted by UTF-16
 * code units, no whitespace, strings escaped as ECMAScript JSON.stringify does, numbers in the
 * shortest form that round-trips (JSON.stringify's, which is what JCS specifies; -0 is 0).
 * Stricter than JSON.stringify: NaN, ±Infinity, bigint, functions, symbols and undefined array
 * elements are refused rather than silently changed, as are Map, Set, RegExp, binary buffers.
 * Properties whose value is undefined are left out (as if absent); any other object is its own
 * enumerable properties. A Date becomes its ISO 8601 string (toISOString, millisecond precision).
 */
export function canonicalJson(value: unknown): string {
  return encode(value, "$");
}

/** SHA-256 of the UTF-8 canonical JSON of a value. */
export function canonicalSha256(value: unknown): Buffer {
  return createHash("sha256").update(canonicalJson(value), "utf8").digest();
}

function encode(v: unknown, at: string): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "string":
      return JSON.stringify(v);
    case "number":
      if (!Number.isFinite(v)) throw new TypeError(`canonical JSON: ${at} is ${v}, which JSON cannot hold`);
      return JSON.stringify(v);
    case "object": {
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) throw new TypeError(`canonical JSON: ${at} is an invalid date`);
        return JSON.stringify(v.toISOString());
      }
      if (Array.isArray(v)) {
        return `[${v
          .map((x, i) => {
            if (x === undefined) throw new TypeError(`canonical JSON: ${at}[${i}] is undefined`);
            return encode(x, `${at}[${i}]`);
          })
          .join(",")}]`;
      }
      // Objects are their own enumerable properties (class instances too: GraphQL inputs are);
      // built-ins whose content is not in their properties are refused.
      if (v instanceof Map || v instanceof Set || v instanceof WeakMap || v instanceof WeakSet || v instanceof RegExp || v instanceof Promise || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
        throw new TypeError(`canonical JSON: ${at} is a ${(v as object).constructor.name}, not JSON`);
      }
      const keys = Object.keys(v as object)
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .sort(); // default sort compares UTF-16 code units, as RFC 8785 §3.2.3 asks
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode((v as Record<string, unknown>)[k], `${at}.${k}`)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonical JSON: ${at} is a ${typeof v}`);
  }
}
