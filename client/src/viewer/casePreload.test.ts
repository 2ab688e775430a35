import { describe, expect, it, vi } from "vitest";
import { holdingForImage, releaseImageHolds } from "../graphql/imageFirst";
import { caseImageSettled, prefetchCase, preloadCase, registerCasePreloader, takePreloadedCase } from "./casePreload";
import type { StackImage } from "./stack";

const ref = (sop: string) => ({ projectId: "p1", studyInstanceUid: "1.2", seriesInstanceUid: "1.2.3", sopInstanceUid: sop });
const stack: StackImage[] = [
  { imageId: "wadors:x", sopInstanceUid: "1.2.3.4", seriesInstanceUid: "1.2.3", seriesNumber: 1, modality: "CT", seriesDescription: "", view: null, frame: 1, orientation: "plane", frameRate: null },
];

describe("case preloads", () => {
  it("does nothing before the viewer's code has registered its loader", () => {
    preloadCase(ref("1.2.3.0"));
    expect(takePreloadedCase(ref("1.2.3.0"))).toBeNull();
  });

  it("loads a case once however often it is pressed, and hands it over once", async () => {
    const load = vi.fn(async () => stack);
    registerCasePreloader(load);
    preloadCase(ref("1.2.3.4"));
    preloadCase(ref("1.2.3.4"));
    expect(load).toHaveBeenCalledTimes(1);
    expect(takePreloadedCase(ref("1.2.3.5"))).toBeNull();
    await expect(takePreloadedCase(ref("1.2.3.4"))).resolves.toBe(stack);
    expect(takePreloadedCase(ref("1.2.3.4"))).toBeNull();
  });

  it("forgets a preload nobody took", () => {
    vi.useFakeTimers();
    try {
      registerCasePreloader(async () => stack);
      preloadCase(ref("1.2.3.6"));
      vi.advanceTimersByTime(60_000);
      expect(takePreloadedCase(ref("1.2.3.6"))).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("hands over a failed preload as it is (the viewer asks again)", async () => {
    registerCasePreloader(async () => {
      throw new Error("offline");
    });
    preloadCase(ref("1.2.3.7"));
    await expect(takePreloadedCase(ref("1.2.3.7"))).rejects.toThrow("offline");
  });

  it("holds the page's GraphQL reads from the press until the viewer has drawn that case's image", async () => {
    releaseImageHolds();
    registerCasePreloader(async () => stack);
    preloadCase(ref("1.2.3.8"));
    expect(holdingForImage()).toBe(true);
    await takePreloadedCase(ref("1.2.3.8"));
    caseImageSettled(ref("1.2.3.9")); // another case's image: not this hold
    expect(holdingForImage()).toBe(true);
    caseImageSettled(ref("1.2.3.8"));
    expect(holdingForImage()).toBe(false);
  });

  it("a press on a case loading in the background (hovered in the list) loads nothing more, and holds the page's reads for its image", async () => {
    releaseImageHolds();
    const load = vi.fn(async () => stack);
    registerCasePreloader(load);
    prefetchCase(ref("1.2.3.10"));
    expect(holdingForImage()).toBe(false);
    preloadCase(ref("1.2.3.10"));
    expect(load).toHaveBeenCalledTimes(1);
    expect(holdingForImage()).toBe(true);
    await expect(takePreloadedCase(ref("1.2.3.10"))).resolves.toBe(stack);
    caseImageSettled(ref("1.2.3.10"));
    expect(holdingForImage()).toBe(false);
  });

  it("loads the next case in the background while another is read: no hold, kept while the reader reads, taken at once when opened", async () => {
    vi.useFakeTimers();
    try {
      releaseImageHolds();
      const load = vi.fn(async (_ref: unknown, _options?: { background?: boolean }) => stack);
      registerCasePreloader(load);
      prefetchCase(ref("1.2.4.1"));
      expect(load).toHaveBeenCalledWith(ref("1.2.4.1"), { background: true });
      expect(holdingForImage()).toBe(false); // the page being read keeps its reads
      // "Next case" hands that case over minutes later: the press finds it loaded, and loads nothing again.
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      preloadCase(ref("1.2.4.1"));
      expect(load).toHaveBeenCalledTimes(1);
      expect(holdingForImage()).toBe(false);
      await expect(takePreloadedCase(ref("1.2.4.1"))).resolves.toBe(stack);
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps one case ahead: a newer one replaces it", () => {
    const load = vi.fn(async () => stack);
    registerCasePreloader(load);
    prefetchCase(ref("1.2.4.2"));
    prefetchCase(ref("1.2.4.2"));
    prefetchCase(ref("1.2.4.3"));
    expect(load).toHaveBeenCalledTimes(2);
    expect(takePreloadedCase(ref("1.2.4.2"))).toBeNull();
    expect(takePreloadedCase(ref("1.2.4.3"))).not.toBeNull();
  });
});
