import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isStandardUid, isValidUid, normalizeUid, replacementUid, UidMapper } from "./uid.js";

const projectA = new TextEncoder().encode("project A secret");
const projectB = new TextEncoder().encode("project B secret");

/** Realistic originals: vendor roots, long and short, some with the NUL padding UI values may carry. */
function sampleUids(n: number): string[] {
  const out = ["1.2.3", "1.2.840.113619.2.1.1.322987881.621.736170080.681", "2.25.0", "1.3.6.1.4.1.5962.1.1.0.1.1.1175775772.5729.0\0"];
  for (let i = 0; out.length < n; i++) out.push(`1.2.826.0.1.3680043.8.498.${randomBytes(6).readUIntBE(0, 6)}.${i}`);
  return out;
}

describe("replacementUid", () => {
  it("is deterministic: the same UID in the same project always gives the same replacement", () => {
    for (const uid of sampleUids(200)) {
      expect(replacementUid(projectA, uid)).toBe(replacementUid(projectA, uid));
      expect(new UidMapper(projectA).map(uid)).toBe(replacementUid(projectA, uid));
    }
  });

  it("is 2.25 followed by the decimal of the first 128 bits of HMAC-SHA256(projectKey, uid)", () => {
    const uid = "1.2.840.113619.2.1.1.322987881.621.736170080.681";
    const mac = createHmac("sha256", projectA).update(uid).digest();
    expect(replacementUid(projectA, uid)).toBe(`2.25.${BigInt(`0x${mac.subarray(0, 16).toString("hex")}`)}`);
  });

  it("separates projects: another project's key gives another UID for every input", () => {
    for (const uid of sampleUids(200)) expect(replacementUid(projectB, uid)).not.toBe(replacementUid(projectA, uid));
  });

  it("gives different UIDs for different inputs (no collisions among 10,000)", () => {
    const uids = sampleUids(10_000);
    expect(new Set(uids.map((u) => replacementUid(projectA, u))).size).toBe(new Set(uids.map(normalizeUid)).size);
  });

  it("produces valid UIDs: at most 64 characters, digits-only components, no leading zeros", () => {
    for (const uid of sampleUids(2_000)) {
      const out = replacementUid(projectA, uid);
      expect(out.length).toBeLessThanOrEqual(64);
      expect(out).toMatch(/^2\.25\.(0|[1-9][0-9]*)$/);
      for (const component of out.split(".")) {
        expect(component).toMatch(/^[0-9]+$/);
        expect(component === "0" || !component.startsWith("0")).toBe(true);
      }
      expect(isValidUid(out)).toBe(true);
    }
  });

  it("ignores the trailing NUL or space padding of a stored UI value", () => {
    expect(replacementUid(projectA, "1.2.3.4\0")).toBe(replacementUid(projectA, "1.2.3.4"));
    expect(replacementUid(projectA, "1.2.3.4 ")).toBe(replacementUid(projectA, "1.2.3.4"));
  });

  it("refuses to work without a project key", () => {
    expect(() => replacementUid(new Uint8Array(), "1.2.3")).toThrow(/project key/);
  });
});

describe("isValidUid", () => {
  it("accepts UIDs and rejects what is not one", () => {
    expect(isValidUid("1.2.840.10008.1.2.1")).toBe(true);
    expect(isValidUid("2.25.0")).toBe(true);
    expect(isValidUid("1.02.3")).toBe(false); // leading zero
    expect(isValidUid("1..3")).toBe(false);
    expect(isValidUid("1.2.a")).toBe(false);
    expect(isValidUid("1")).toBe(false);
    expect(isValidUid(`1.${"2".repeat(63)}`)).toBe(false); // 65 characters
  });
});

describe("isStandardUid", () => {
  it("recognises the Standard's own UIDs, which are kept", () => {
    expect(isStandardUid("1.2.840.10008.5.1.4.1.1.2")).toBe(true);
    expect(isStandardUid("1.2.840.10008.15.1.1")).toBe(true);
    expect(isStandardUid("1.2.840.113619.2.1")).toBe(false);
  });
});
