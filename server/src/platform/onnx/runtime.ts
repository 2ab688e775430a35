import type * as Ort from "onnxruntime-node";

// The one door to onnxruntime-node. It is imported on first use only, so a process that never
// validates or runs a model (the API) never loads the native library.

type OrtModule = typeof Ort;
let loading: Promise<OrtModule> | undefined;

async function runtime(): Promise<OrtModule> {
  loading ??= import("onnxruntime-node").then((m) => ((m as { default?: OrtModule }).default ?? m) as OrtModule);
  return loading;
}

/** Whether this process has loaded onnxruntime-node (tests assert the API does not). */
export function runtimeLoaded(): boolean {
  return loading !== undefined;
}

/** A float32 tensor as plain data: row-major values and their dimensions. */
export interface TensorData {
  dims: readonly number[];
  data: Float32Array;
}

/** An input: float32, or int64 (sizes and shapes). */
export interface FeedData {
  dims: readonly number[];
  data: Float32Array | BigInt64Array;
}

export interface ValueInfo {
  name: string;
  /** Dimensions; a string for a symbolic dimension (e.g. "batch"), [] when unknown. */
  shape: ReadonlyArray<number | string>;
  type: string;
}

export interface OnnxModel {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  /** @internal the runtime's session; only this adapter touches it. */
  readonly session: Ort.InferenceSession;
}

export interface LoadOptions {
  /** Threads for one operator; 1 by default so a worker does not starve its neighbours. */
  threads?: number;
}

/** Parses and prepares a model; throws the runtime's message when the bytes are not a loadable model. */
export async function loadModel(bytes: Uint8Array, options: LoadOptions = {}): Promise<OnnxModel> {
  const ort = await runtime();
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    executionProviders: ["cpu"],
  });
  const info = (m: Ort.InferenceSession.ValueMetadata): ValueInfo =>
    m.isTensor ? { name: m.name, shape: [...m.shape], type: m.type } : { name: m.name, shape: [], type: "non-tensor" };
  return { session, inputs: session.inputMetadata.map(info), outputs: session.outputMetadata.map(info) };
}

/** One forward pass. `outputs` limits what is fetched (all outputs by default). */
export async function run(model: OnnxModel, feeds: Record<string, FeedData>, outputs?: readonly string[]): Promise<Record<string, TensorData>> {
  const ort = await runtime();
  const inputs: Record<string, Ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds))
    inputs[name] = t.data instanceof BigInt64Array ? new ort.Tensor("int64", t.data, [...t.dims]) : new ort.Tensor("float32", t.data, [...t.dims]);
  const result = outputs ? await model.session.run(inputs, [...outputs]) : await model.session.run(inputs);
  const answer: Record<string, TensorData> = {};
  for (const [name, t] of Object.entries(result)) {
    if (t.type !== "float32") throw new Error(`output '${name}' is ${t.type}, only float32 outputs are supported`);
    answer[name] = { dims: [...t.dims], data: t.data as Float32Array };
  }
  return answer;
}

export async function releaseModel(model: OnnxModel): Promise<void> {
  await model.session.release();
}
