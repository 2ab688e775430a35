import { describe, expect, it } from "vitest";
import { fileSize } from "./display";

describe("fileSize", () => {
  it("gives KB below a megabyte (rounded up) and MB with one decimal from there", () => {
    expect(fileSize(1)).toBe("1 KB");
    expect(fileSize(1536)).toBe("2 KB");
    expect(fileSize(8 * 1024 * 1024)).toBe("8.0 MB");
    expect(fileSize(1.25 * 1024 * 1024)).toBe("1.3 MB");
  });
  it("gives nothing for an unknown size", () => {
    expect(fileSize(null)).toBe("");
    expect(fileSize(undefined)).toBe("");
  });
});
