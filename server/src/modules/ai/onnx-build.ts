import { onnx } from "onnx-proto";
import type { ExtractorSpec } from "./extractor.js";

// ONNX graphs for the fixed extractor and a trained linear head (opset 13), written with
// onnx-proto. Names of inputs and outputs are fixed so metadata and CAM can rely on them.

export const INPUT = "image";
export const FEATURES = "features";
export const POOLED = "pooled";
export const LOGITS = "logits";
export const PROBABILITIES = "probabilities";
export const VALUE = "value";
export const SCORES = "scores";
const OPSET = 13;

export type Task = "binary" | "multilabel" | "regression";

/** A linear head on the globally averaged feature map: y = W·gap(A) + b, then sigmoid unless regression. */
export interface LinearHead {
  task: Task;
  /** Row-major [K, F]. */
  weights: Float32Array;
  /** [K]. */
  bias: Float32Array;
  labels: string[];
}

export interface BuildOptions {
  /** A fixed batch of 1 (what the metadata promises) or a symbolic batch for bulk extraction. */
  batch?: 1 | "batch";
  docString?: string;
}

/** The extractor alone: image → features [N,F,h,w] and pooled [N,F]; training extracts with it. */
export function buildExtractorModel(spec: ExtractorSpec, options: BuildOptions = {}): Uint8Array {
  const g = new GraphBuilder();
  const n = options.batch ?? "batch";
  g.input(INPUT, [n, 1, spec.size, spec.size]);
  const features = addExtractor(g, spec, INPUT);
  g.node("GlobalAveragePool", [features], ["gap"]);
  g.node("Flatten", ["gap"], [POOLED], [intAttr("axis", 1)]);
  g.output(FEATURES, [n, ...spec.featureShape]);
  g.output(POOLED, [n, spec.featureShape[0]]);
  return g.model("concord-extractor", options.docString);
}

/** Extractor + head: image → probabilities (or value), logits, features. */
export function buildClassifierModel(spec: ExtractorSpec, head: LinearHead, options: BuildOptions = {}): Uint8Array {
  checkHead(head, spec.featureShape[0]);
  const g = new GraphBuilder();
  const n = options.batch ?? 1;
  g.input(INPUT, [n, 1, spec.size, spec.size]);
  const features = addExtractor(g, spec, INPUT);
  g.output(FEATURES, [n, ...spec.featureShape]);
  addHead(g, head, features, n);
  return g.model("concord-classifier", options.docString);
}

/** The head alone, taking a feature map: what Grad-CAM differentiates. */
export function buildHeadModel(head: LinearHead, featureShape: readonly [number, number, number], options: BuildOptions = {}): Uint8Array {
  checkHead(head, featureShape[0]);
  const g = new GraphBuilder();
  const n = options.batch ?? 1;
  g.input(FEATURES, [n, ...featureShape]);
  addHead(g, head, FEATURES, n);
  return g.model("concord-head", options.docString);
}

/**
 * A per-pixel segmenter: image [1,1,S,S] → scores [1,C,S/pool,S/pool]. Average pooling by `pool`
 * (1: none), then a 1×1 convolution with one weight and bias per channel, then a softmax over the
 * channels (a background-first head, as nnU-Net's), a sigmoid per channel, or nothing (logits). Each channel's score is
 * linear in the pixel's value, so the classes are bands of intensity: what the tests, the e2e and the
 * demo segment with, since no trained network can be fetched here.
 */
export function buildPixelSegmenter(spec: { size: number; pool?: number; weights: Float32Array; bias: Float32Array; activation: "softmax" | "sigmoid" | "none" }, options: BuildOptions = {}): Uint8Array {
  const c = spec.weights.length;
  if (spec.bias.length !== c) throw new Error(`segmenter has ${c} weights but ${spec.bias.length} biases`);
  const pool = spec.pool ?? 1;
  if (spec.size % pool) throw new Error(`size ${spec.size} is not a multiple of the pooling ${pool}`);
  const g = new GraphBuilder();
  g.input(INPUT, [1, 1, spec.size, spec.size]);
  let x = INPUT;
  if (pool > 1) {
    g.node("AveragePool", [x], ["seg.pooled"], [intsAttr("kernel_shape", [pool, pool]), intsAttr("strides", [pool, pool])]);
    x = "seg.pooled";
  }
  const w = g.initializer("seg.weight", [c, 1, 1, 1], spec.weights);
  const b = g.initializer("seg.bias", [c], spec.bias);
  g.node("Conv", [x, w, b], ["seg.logits"], [intsAttr("kernel_shape", [1, 1])]);
  if (spec.activation === "softmax") g.node("Softmax", ["seg.logits"], [SCORES], [intAttr("axis", 1)]);
  else if (spec.activation === "sigmoid") g.node("Sigmoid", ["seg.logits"], [SCORES]);
  else g.node("Identity", ["seg.logits"], [SCORES]);
  const side = spec.size / pool;
  g.output(SCORES, [1, c, side, side]);
  return g.model("concord-pixel-segmenter", options.docString);
}

/**
 * A segmenter on a fixed per-pixel feature map (segment-train.ts): image [1,1,S,S] → the
 * extractor's features [1,F,h,w] → a 1×1 convolution with the head [K,F] → a softmax over the K
 * channels (channel 0 the background) as SCORES [1,K,h,w].
 */
export function buildFeatureSegmenter(spec: ExtractorSpec, head: { weights: Float32Array; bias: Float32Array }, options: BuildOptions = {}): Uint8Array {
  const [f, h, w] = spec.featureShape;
  const k = head.bias.length;
  if (head.weights.length !== k * f) throw new Error(`segmenter head has ${head.weights.length} weights, expected ${k}×${f}`);
  const g = new GraphBuilder();
  g.input(INPUT, [1, 1, spec.size, spec.size]);
  const features = addExtractor(g, spec, INPUT);
  const wt = g.initializer("seg.weight", [k, f, 1, 1], head.weights);
  const b = g.initializer("seg.bias", [k], head.bias);
  g.node("Conv", [features, wt, b], ["seg.logits"], [intsAttr("kernel_shape", [1, 1])]);
  g.node("Softmax", ["seg.logits"], [SCORES], [intAttr("axis", 1)]);
  g.output(SCORES, [1, k, h, w]);
  return g.model("concord-feature-segmenter", options.docString);
}

function checkHead(head: LinearHead, f: number): void {
  const k = head.bias.length;
  if (head.weights.length !== k * f) throw new Error(`head weights have ${head.weights.length} values, expected ${k}×${f}`);
  if (head.labels.length !== k) throw new Error(`head has ${k} outputs but ${head.labels.length} labels`);
  if (head.task === "binary" && k !== 1) throw new Error(`a binary head has one output, got ${k}`);
}

function addExtractor(g: GraphBuilder, spec: ExtractorSpec, input: string): string {
  let x = input;
  spec.layers.forEach((layer, i) => {
    const out = i === spec.layers.length - 1 ? FEATURES : `x${i}`;
    switch (layer.op) {
      case "avgpool":
        g.node("AveragePool", [x], [out], [intsAttr("kernel_shape", [layer.kernel, layer.kernel]), intsAttr("strides", [layer.kernel, layer.kernel])]);
        break;
      case "conv": {
        const w = g.initializer(`conv${i}.weight`, layer.shape, layer.weight);
        const inputs = [x, w];
        if (layer.bias) inputs.push(g.initializer(`conv${i}.bias`, [layer.shape[0]], layer.bias));
        const p = layer.pad;
        g.node("Conv", inputs, [out], [
          intsAttr("kernel_shape", [layer.shape[2], layer.shape[3]]),
          intsAttr("pads", [p, p, p, p]),
          intsAttr("strides", [1, 1]),
          ...(layer.group && layer.group > 1 ? [intAttr("group", layer.group)] : []),
        ]);
        break;
      }
      case "relu":
        g.node("Relu", [x], [out]);
        break;
      case "mul":
        g.node("Mul", [x, g.initializer(`mask${i}`, layer.shape, layer.tensor)], [out]);
        break;
    }
    x = out;
  });
  if (x !== FEATURES) g.node("Identity", [x], [FEATURES]);
  return FEATURES;
}

/** Gemm initializer names, for metadata that points CAM at the weights inside the graph. */
export const HEAD_WEIGHTS = "head.weight";
export const HEAD_BIAS = "head.bias";

function addHead(g: GraphBuilder, head: LinearHead, features: string, n: 1 | "batch"): void {
  const k = head.bias.length;
  const f = head.weights.length / k;
  g.node("GlobalAveragePool", [features], ["head.gap"]);
  g.node("Flatten", ["head.gap"], ["head.pooled"], [intAttr("axis", 1)]);
  const w = g.initializer(HEAD_WEIGHTS, [k, f], head.weights);
  const b = g.initializer(HEAD_BIAS, [k], head.bias);
  if (head.task === "regression") {
    g.node("Gemm", ["head.pooled", w, b], [VALUE], [intAttr("transB", 1)]);
    g.output(VALUE, [n, k]);
  } else {
    g.node("Gemm", ["head.pooled", w, b], [LOGITS], [intAttr("transB", 1)]);
    g.node("Sigmoid", [LOGITS], [PROBABILITIES]);
    g.output(PROBABILITIES, [n, k]);
    g.output(LOGITS, [n, k]);
  }
}

/** The output a CAM graft adds: the ReLU'd class activation maps, resampled to CAM_SIZE. */
export const CAM_OUTPUT = "concord.cam";
/** The grafted model's int64 input [1,K,height,width]: the size CAM_OUTPUT is resampled to; fed only when CAM_OUTPUT is fetched. */
export const CAM_SIZE = "concord.cam.size";

/**
 * The model with its class activation maps as one more output: a 1×1 convolution of the feature
 * map with the head's weights [K,F], ReLU, and a bilinear resize (half-pixel centres, edges
 * clamped: what `upsampleBilinear` does) to the size fed as CAM_SIZE. onnxruntime computes them in
 * the forward pass the probabilities come from (and skips them when they are not fetched), instead
 * of JavaScript summing F channels per label and resampling afterwards. `featureMap` must be a
 * [1,F,h,w] output (validation checks it) and `weights` row-major [K,F]. Resize with a size input
 * needs opset 11 or later; for an older graph the result does not load.
 */
export function withCamOutput(bytes: Uint8Array, featureMap: string, weights: Float32Array, k: number): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) throw new Error("the model has no graph");
  const f = weights.length / k;
  if (!Number.isInteger(f) || f < 1) throw new Error(`CAM weights have ${weights.length} values, not a multiple of ${k} labels`);
  const names = { weight: `${CAM_OUTPUT}.weight`, conv: `${CAM_OUTPUT}.conv`, relu: `${CAM_OUTPUT}.relu`, roi: `${CAM_OUTPUT}.roi`, scales: `${CAM_OUTPUT}.scales` };
  const nodes = (graph.node ??= []);
  const initializers = (graph.initializer ??= []);
  const inputs = (graph.input ??= []);
  const taken = new Set<string>([...nodes.flatMap((n) => [...(n.input ?? []), ...(n.output ?? [])]), ...initializers.map((t) => t.name ?? ""), ...inputs.map((i) => i.name ?? "")]);
  for (const name of [CAM_OUTPUT, CAM_SIZE, ...Object.values(names)]) if (taken.has(name)) throw new Error(`the model already has a value named '${name}'`);
  const float = (name: string, dims: number[], values: Float32Array) => onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: littleEndian(values) });
  initializers.push(
    float(names.weight, [k, f, 1, 1], weights),
    float(names.roi, [0], new Float32Array(0)),
    float(names.scales, [0], new Float32Array(0)),
  );
  inputs.push(onnx.ValueInfoProto.create({ name: CAM_SIZE, type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [{ dimValue: 4 }] } } } }));
  const strAttr = (name: string, value: string) => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(value) });
  nodes.push(
    onnx.NodeProto.create({ opType: "Conv", input: [featureMap, names.weight], output: [names.conv], name: names.conv, attribute: [intsAttr("kernel_shape", [1, 1])] }),
    onnx.NodeProto.create({ opType: "Relu", input: [names.conv], output: [names.relu], name: names.relu }),
    onnx.NodeProto.create({
      opType: "Resize",
      input: [names.relu, names.roi, names.scales, CAM_SIZE],
      output: [CAM_OUTPUT],
      name: `${CAM_OUTPUT}.resize`,
      attribute: [strAttr("mode", "linear"), strAttr("coordinate_transformation_mode", "half_pixel")],
    }),
  );
  // No shape: onnxruntime works it out from the size fed.
  (graph.output ??= []).push(onnx.ValueInfoProto.create({ name: CAM_OUTPUT, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }));
  return onnx.ModelProto.encode(model).finish();
}

type Dim = number | string;

class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];

  node(opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): void {
    this.nodes.push({ opType, input, output, attribute, name: `${opType}_${this.nodes.length}` });
  }

  initializer(name: string, dims: readonly number[], values: Float32Array): string {
    const copy = Float32Array.from(values);
    this.initializers.push({ name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: littleEndian(copy) });
    return name;
  }

  input(name: string, dims: Dim[]): void {
    this.inputs.push(valueInfo(name, dims));
  }

  output(name: string, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, dims));
  }

  model(name: string, docString?: string): Uint8Array {
    const graph: onnx.IGraphProto = { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: "", version: OPSET }],
      producerName: "concord",
      producerVersion: "1",
      docString: docString ?? "",
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, dims: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function littleEndian(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

function intAttr(name: string, i: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

function intsAttr(name: string, ints: number[]): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints };
}

/** Reads a float initializer back out of model bytes (metadata may name the Gemm weights for CAM). */
export function readInitializer(bytes: Uint8Array, name: string): { dims: number[]; values: Float32Array } | null {
  const model = onnx.ModelProto.decode(bytes);
  const t = model.graph?.initializer?.find((i) => i.name === name);
  if (!t) return null;
  const dims = (t.dims ?? []).map((d) => Number(d));
  if (t.dataType !== onnx.TensorProto.DataType.FLOAT) throw new Error(`initializer '${name}' is not float32`);
  if (t.rawData && t.rawData.length > 0) {
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    const values = new Float32Array(t.rawData.byteLength / 4);
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
    return { dims, values };
  }
  return { dims, values: Float32Array.from(t.floatData ?? []) };
}
