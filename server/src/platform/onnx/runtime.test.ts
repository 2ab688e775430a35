import { onnx } from "onnx-proto";
import { describe, expect, it } from "vitest";
import { loadModel, releaseModel, run, runtimeLoaded } from "./runtime.js";

/** y = sigmoid(x) on [1,3], written by hand so this test depends on nothing else here. */
function sigmoidModel(): Uint8Array {
  const dims = { dim: [{ dimValue: 1 }, { dimValue: 3 }] };
  const type = { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: dims } };
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: "", version: 13 }],
      graph: { name: "g", node: [{ opType: "Sigmoid", input: ["x"], output: ["y"] }], input: [{ name: "x", type }], output: [{ name: "y", type }] },
    }),
  ).finish();
}

describe("onnx runtime adapter", () => {
  it("does not load onnxruntime when AI modules are only imported (the API's case)", async () => {
    await import("../../modules/ai/metadata.js");
    await import("../../modules/ai/train.js");
    await import("../../modules/ai/cam.js");
    expect(runtimeLoaded()).toBe(false);
  });

  it("loads a model on first use, describes it and runs it", async () => {
    const model = await loadModel(sigmoidModel());
    expect(runtimeLoaded()).toBe(true);
    expect(model.inputs).toEqual([{ name: "x", shape: [1, 3], type: "float32" }]);
    expect(model.outputs.map((o) => o.name)).toEqual(["y"]);
    const out = await run(model, { x: { dims: [1, 3], data: Float32Array.from([-2, 0, 3]) } });
    expect(out.y!.dims).toEqual([1, 3]);
    [-2, 0, 3].forEach((x, i) => expect(out.y!.data[i]).toBeCloseTo(1 / (1 + Math.exp(-x)), 6));
    await releaseModel(model);
  });

  it("refuses bytes that are not a model, and feeds of the wrong shape", async () => {
    await expect(loadModel(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow();
    const model = await loadModel(sigmoidModel());
    await expect(run(model, { x: { dims: [1, 4], data: new Float32Array(4) } })).rejects.toThrow();
  });
});
