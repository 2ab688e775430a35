import { inferNow, scoreNow, segmentNow, trainingFeaturesNow, trainingImagesNow, trainNow, validateNow, withLoadedModel, type ComputeTask } from "./ai.compute.js";

// The worker-thread side of threadCompute (ai.compute.ts): one task per call.
export default async function aiTask(task: ComputeTask): Promise<unknown> {
  switch (task.kind) {
    case "validate":
      return validateNow(task.bytes, task.metadata);
    case "trainingImages":
      return trainingImagesNow(task.file, task.size, task.frames);
    case "trainingFeatures":
      return trainingFeaturesNow(task.file, task.size, task.normalisation);
    case "infer":
      return withLoadedModel(task.model, (ref) => inferNow(ref, task.file, task.options));
    case "score":
      return withLoadedModel(task.model, (ref) => scoreNow(ref, task.file));
    case "segment":
      return withLoadedModel(task.model, (ref) => segmentNow(ref, task.file));
    case "train": {
      try {
        return await trainNow(task.cases, task.options, (p) => task.progress.postMessage(p));
      } finally {
        task.progress.close();
      }
    }
  }
}
