import { Enums, getWebWorkerManager } from "@cornerstonejs/core";
import { describe, expect, it } from "vitest";
import { decodeNativeFramesInPage, decodesInPage, IN_PAGE_MAX_PIXELS, type DecodeTaskArgs, type FrameDecoder } from "./inPageDecode";

const { Interaction, Prefetch } = Enums.RequestType;
const frame = (rows: number, columns: number, transferSyntax = "1.2.840.10008.1.2.1"): DecodeTaskArgs => ({
  imageFrame: { rows, columns, samplesPerPixel: 1 },
  transferSyntax,
  pixelData: new Uint8Array(rows * columns),
  decodeConfig: {},
  options: { preScale: { enabled: true } },
});

describe("decodesInPage", () => {
  it("takes the native little endian frames the viewer waits for, up to the size limit", () => {
    expect(decodesInPage("dicomImageLoader", "decodeTask", frame(1024, 1024), Interaction)).toBe(true);
    expect(decodesInPage("dicomImageLoader", "decodeTask", frame(16, 16, "1.2.840.10008.1.2"), Interaction)).toBe(true);
    expect(decodesInPage("dicomImageLoader", "decodeTask", frame(2048, 2048), Interaction)).toBe(true);
    expect(2048 * 2049).toBeGreaterThan(IN_PAGE_MAX_PIXELS);
    expect(decodesInPage("dicomImageLoader", "decodeTask", frame(2048, 2049), Interaction)).toBe(false);
  });

  it("leaves compressed, big endian, loaded-ahead and other workers' tasks to the workers", () => {
    expect(decodesInPage("dicomImageLoader", "decodeTask", frame(64, 64, "1.2.840.10008.1.2.4.50"), Interaction)).toBe(false);
    expect(decodesInPage("dicomImageLoader", "decodeTask", frame(64, 64, "1.2.840.10008.1.2.2"), Interaction)).toBe(false);
    expect(decodesInPage("dicomImageLoader", "decodeTask", frame(64, 64, "1.2.840.10008.1.2.1.99"), Interaction)).toBe(false);
    expect(decodesInPage("dicomImageLoader", "decodeTask", frame(64, 64), Prefetch)).toBe(false);
    expect(decodesInPage("dicomImageLoader", "decodeTask", frame(64, 64), undefined)).toBe(false);
    expect(decodesInPage("polySeg", "decodeTask", frame(64, 64), Interaction)).toBe(false);
    expect(decodesInPage("dicomImageLoader", "decodeTask", { ...frame(64, 64), pixelData: undefined }, Interaction)).toBe(false);
    expect(decodesInPage("dicomImageLoader", "decodeTask", frame(0, 64), Interaction)).toBe(false);
  });
});

describe("decodeNativeFramesInPage", () => {
  it("once its decoder has loaded, runs the picked tasks with it on a copy of the bytes, and hands the rest to the worker manager", async () => {
    const manager = getWebWorkerManager() as unknown as { executeTask: (...a: unknown[]) => Promise<unknown> };
    const toWorkers: unknown[][] = [];
    manager.executeTask = async (...a: unknown[]) => {
      toWorkers.push(a);
      return "from a worker";
    };
    const calls: unknown[][] = [];
    let loaded!: (d: FrameDecoder) => void;
    decodeNativeFramesInPage(() => new Promise((resolve) => (loaded = resolve)));
    const task = frame(8, 8);
    // Before the decoder is there: the worker.
    expect(await manager.executeTask("dicomImageLoader", "decodeTask", task, { requestType: Interaction })).toBe("from a worker");
    loaded(async (...a) => {
      calls.push(a);
      return "in the page";
    });
    await Promise.resolve();
    expect(await manager.executeTask("dicomImageLoader", "decodeTask", task, { requestType: Interaction })).toBe("in the page");
    expect(calls).toHaveLength(1);
    const [imageFrame, transferSyntax, pixelData, decodeConfig, options] = calls[0]!;
    expect([imageFrame, transferSyntax, decodeConfig, options]).toEqual([task.imageFrame, task.transferSyntax, task.decodeConfig, task.options]);
    expect(pixelData).toEqual(task.pixelData);
    expect(pixelData).not.toBe(task.pixelData);
    expect(await manager.executeTask("dicomImageLoader", "decodeTask", task, { requestType: Prefetch })).toBe("from a worker");
    expect(toWorkers).toHaveLength(2);
  });
});
