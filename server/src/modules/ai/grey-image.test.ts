import { describe, expect, it } from "vitest";
import { BRIGHT, BACKGROUND, ctImage, frame, uid } from "../../testing/ct-images.js";
import { greyFrames } from "./grey-image.js";

describe("a stored file's frames in grey", () => {
  it("decodes each frame asked for, and names the file for a frame it does not have", () => {
    const frames = [frame(8, [{ cx: 4, cy: 4, r: 2 }]), frame(8, [])];
    const file = ctImage({ study: uid(), series: uid(), sop: uid(), n: 1, size: 8, frames });
    const grey = greyFrames(file, "two-frames.dcm")!;
    expect(grey.count).toBe(2);
    expect(Math.max(...Array.from(grey.frame(1).data))).toBe(BRIGHT);
    expect(Math.max(...Array.from(grey.frame(2).data))).toBe(BACKGROUND);
    expect(() => grey.frame(3)).toThrow("two-frames.dcm has 2 frames: there is no frame 3");
    expect(() => grey.frame(0)).toThrow("there is no frame 0");
    expect(() => grey.frame(1.5)).toThrow("there is no frame 1.5");
  });
});
