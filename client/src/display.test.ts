import { describe, expect, it } from "vitest";
import { caseImageCount, dateTime, expiryText, fileSize, plural } from "./display";

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

describe("dateTime and expiryText", () => {
  const now = Date.parse("2025-06-01T12:00:00Z");

  it("formats a time, or the fallback when there is none", () => {
    expect(dateTime("2025-06-01T12:00:00Z")).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(now));
    expect(dateTime(null)).toBe("—");
    expect(dateTime(undefined, "Never")).toBe("Never");
  });

  it("says Expired once the time has passed, and Never without one", () => {
    expect(expiryText("2025-06-01T11:59:59Z", now)).toBe("Expired");
    expect(expiryText("2025-06-01T12:00:00Z", now)).toBe("Expired");
    expect(expiryText("2025-06-08T12:00:00Z", now)).toBe(dateTime("2025-06-08T12:00:00Z"));
    expect(expiryText(null, now)).toBe("Never");
  });
});

describe("caseImageCount", () => {
  it("gives an image's frames, a series' images and a study's series and images", () => {
    expect(caseImageCount({ sopInstanceUid: "1.2", frames: 1, images: 1, series: 1 })).toBe("1");
    expect(caseImageCount({ sopInstanceUid: "1.2", frames: 24, images: 1, series: 1 })).toBe("24 frames");
    expect(caseImageCount({ sopInstanceUid: null, frames: 1, images: 120, series: 1 })).toBe("120 images");
    expect(caseImageCount({ sopInstanceUid: null, frames: 1, images: 1, series: 1 })).toBe("1 image");
    expect(caseImageCount({ sopInstanceUid: null, frames: 1, images: 140, series: 3 })).toBe("3 series, 140 images");
  });
});

describe("plural", () => {
  it("gives the count with its noun, one or many, the count formatted for people", () => {
    expect(plural(1, "case")).toBe("1 case");
    expect(plural(0, "case")).toBe("0 cases");
    expect(plural(3, "series", "series")).toBe("3 series");
    expect(plural(1200, "reader")).toBe(`${new Intl.NumberFormat().format(1200)} readers`);
  });
});
