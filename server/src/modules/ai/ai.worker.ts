import type { MessagePort } from "node:worker_threads";
import {
  heldOutOverlapNow,
  inferNow,
  pixelSumsNow,
  scoreNow,
  segmentationCellsNow,
  segmentNow,
  trainingFeaturesNow,
  trainingImagesNow,
  trainNow,
  trainSegmenterNow,
  validateNow,
  withLoadedModel,
  type ComputeTask,
} from "./ai.compute.js";

// The worker-thread side of threadCompute (ai.compute.ts): one task per call.
export default async function aiTask(task: ComputeTask): Promise<unknown> {
  switch (task.kind) {
    case "validate":
      return validateNow(task.bytes, task.metadata);
    case "trainingImages":
      return trainingImagesNow(task.file, task.size, task.frames);
    case "pixelSums":
      return pixelSumsNow(task.file, task.size, task.frames);
    case "heldOutOverlap":
      return withLoadedModel(task.model, (ref) => heldOutOverlapNow(ref, task.file, task.images, task.labels, task.rectangles));
    case "trainingFeatures":
      return trainingFeaturesNow(task.file, task.size, task.normalisation);
    case "infer":
      return withLoadedModel(task.model, (ref) => inferNow(ref, task.file, task.options));
    case "score":
      return withLoadedModel(task.model, (ref) => scoreNow(ref, task.file));
    case "segment":
      return withLoadedModel(task.model, (ref) => segmentNow(ref, task.file));
    case "segmentationCells":
      return segmentationCellsNow(task.file, task.images, task.classes, task.normalisation, task.caps);
    case "train":
      return reporting(task.progress, (report) => trainNow(task.cases, task.options, report));
    case "trainSegmenter":
      return reporting(task.progress, (report) => trainSegmenterNow(task.cells, task.classes, task.normalisation, task.minPixels, report));
  }
}

/** Work that reports its progress to the caller's port, closed when it ends. */
async function reporting<T>(port: MessagePort, work: (report: (percent: number) => void) => Promise<T>): Promise<T> {
  try {
    return await work((p) => port.postMessage(p));
  } finally {
    port.close();
  }
}
