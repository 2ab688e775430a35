import { z } from "zod";
import { invalid, type FieldProblem } from "../../errors.js";
import { loadModel, releaseModel, run, type OnnxModel } from "../../platform/onnx/runtime.js";
import { readInitializer } from "./onnx-build.js";

// What Concord must know about an ONNX model to feed it and read it. Pixel values are first scaled
// to [0, 1] by the image's maximum value (2^bits - 1); then `meanStd` gives (p - mean) / std and
// `window` gives clamp((p - (center - width/2)) / width, 0, 1), both in that [0, 1] scale. The
// modality kinds work on the values after the Modality LUT instead (Hounsfield units for CT), as CT
// models are trained: `modalityWindow` gives clamp((v - (center - width/2)) / width, 0, 1) and
// `modalityMeanStd` (v' - mean) / std with v' = v clipped to `clip` (nnU-Net's CT normalisation).

const positiveInt = z.number().int().positive();

export const normalisationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("meanStd"), mean: z.number().finite(), std: z.number().positive() }),
  z.object({ kind: z.literal("window"), center: z.number().finite(), width: z.number().positive() }),
  z.object({ kind: z.literal("modalityWindow"), center: z.number().finite(), width: z.number().positive() }),
  z.object({
    kind: z.literal("modalityMeanStd"),
    mean: z.number().finite(),
    std: z.number().positive(),
    clip: z
      .tuple([z.number().finite(), z.number().finite()])
      .refine(([lo, hi]) => lo < hi, { message: "clip must be [low, high] with low below high" })
      .optional(),
  }),
]);

export const taskSchema = z.enum(["binary", "multilabel", "regression", "segmentation"]);

/**
 * How a segmentation model's output [1, C, h, w] becomes masks. With `background` (nnU-Net's and
 * MONAI's softmax heads) channel 0 is the background and channels 1..K the labels: each pixel goes
 * to the channel with the highest score (logits or probabilities alike). Without, one channel per
 * label of probabilities (after a sigmoid): a pixel is in every label whose probability reaches
 * `threshold`, so labels may overlap. Scores are resampled bilinearly to the image's own size
 * before the decision, so a coarser output still gives smooth outlines.
 */
export const segmentationSchema = z.object({
  background: z.boolean().default(true),
  threshold: z.number().gt(0).lt(1).default(0.5),
  /** Regions of fewer pixels (at the image's size) are left out: specks a reader would not draw. */
  minPixels: z.number().int().min(1).default(1),
});

/**
 * How a classifier reads a case of several images (a series, or a multi-frame image): each image
 * and frame goes through the model alone, as the model was trained on one; then, per label, the
 * case's output is the `max` over them (a finding on any slice is a finding of the case: binary and
 * multi-label models by default) or their `mean` (regression's default). Either way the label's
 * heatmap is the one of the image where its output is highest.
 */
export const seriesSchema = z.object({ aggregate: z.enum(["max", "mean"]) });

/** DICOM modalities (CT, MR, MG...), upper-cased: what a model reads (ModelMetadata.modalities). */
export const modalitiesSchema = z
  .array(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_ ]{1,16}$/, "a DICOM modality: up to 16 letters, digits, spaces or _ (CT, MR, MG...)")
      .transform((m) => m.toUpperCase()),
  )
  .min(1)
  .max(20);

export const modelMetadataSchema = z
  .object({
    input: z.object({
      name: z.string().min(1),
      /** [1, C, H, W]; C is 1 (grey) or 3 (the grey image repeated). */
      shape: z.tuple([z.literal(1), z.union([z.literal(1), z.literal(3)]), positiveInt, positiveInt]),
      normalisation: normalisationSchema,
    }),
    task: taskSchema,
    output: z.object({
      /**
       * Probabilities for binary/multilabel (after the sigmoid), values for regression, per-pixel
       * scores [1, C, h, w] for segmentation (see `segmentation`).
       */
      name: z.string().min(1),
      /** Segmentation: the foreground classes in channel order, named as the project's ROI classes they suggest. */
      labels: z.array(z.string().min(1)).min(1),
    }),
    segmentation: segmentationSchema.optional(),
    series: seriesSchema.optional(),
    /**
     * The modalities (DICOM Modality: CT, MR, MG...) the model reads. In a case of several series
     * (a study case: a CT and an MR, a mammogram and its ultrasound), only the images of series of
     * these modalities go through it, and a case with none gets no prediction. Absent: every image.
     */
    modalities: modalitiesSchema.optional(),
    /** For CAM: the last feature map [1,F,h,w] as an output, and the linear head on its global average. */
    cam: z
      .object({
        featureMap: z.string().min(1),
        /** [K][F], one row per label; or name the Gemm initializer holding [K,F]. */
        weights: z.array(z.array(z.number().finite())).optional(),
        weightsInitializer: z.string().min(1).optional(),
      })
      .refine((c) => (c.weights === undefined) !== (c.weightsInitializer === undefined), {
        message: "give either weights or weightsInitializer",
      })
      .optional(),
  })
  .superRefine((m, ctx) => {
    if (m.task === "binary" && m.output.labels.length !== 1)
      ctx.addIssue({ code: "custom", path: ["output", "labels"], message: `a binary model names one label (the positive class), got ${m.output.labels.length}` });
    if (new Set(m.output.labels).size !== m.output.labels.length) ctx.addIssue({ code: "custom", path: ["output", "labels"], message: "label names repeat" });
    if (m.task === "segmentation" && m.cam) ctx.addIssue({ code: "custom", path: ["cam"], message: "a segmentation model's output is its map: it takes no CAM" });
    if (m.task !== "segmentation" && m.segmentation)
      ctx.addIssue({ code: "custom", path: ["segmentation"], message: `only a segmentation model takes segmentation settings, not a ${m.task} one` });
    if (m.task === "segmentation" && m.series)
      ctx.addIssue({ code: "custom", path: ["series"], message: "a segmentation model reads every image and frame for its regions: it takes no series aggregate" });
    if (m.cam?.weights && m.cam.weights.length !== m.output.labels.length)
      ctx.addIssue({ code: "custom", path: ["cam", "weights"], message: `CAM weights have ${m.cam.weights.length} rows, metadata names ${m.output.labels.length} labels` });
  });

export type ModelMetadata = z.infer<typeof modelMetadataSchema>;
export type SegmentationSettings = z.infer<typeof segmentationSchema>;

/** A segmentation model's settings, its defaults filled in (for metadata stored before they were). */
export const segmentationOf = (m: Pick<ModelMetadata, "segmentation">): SegmentationSettings => segmentationSchema.parse(m.segmentation ?? {});

/** Channels a segmentation model's output has: one per label, and the background's when it has one. */
export const segmentationChannels = (m: Pick<ModelMetadata, "segmentation" | "output">): number => m.output.labels.length + (segmentationOf(m).background ? 1 : 0);
export type Normalisation = z.infer<typeof normalisationSchema>;
export type SeriesAggregate = z.infer<typeof seriesSchema>["aggregate"];

/** The modalities a model reads (upper case), or null for every image. */
export const modalitiesOf = (m: Pick<ModelMetadata, "modalities">): string[] | null => (m.modalities?.length ? [...new Set(m.modalities.map((x) => x.toUpperCase()))] : null);

/** How a classifier's outputs over a case's images become the case's (for metadata stored before `series` was filled in, its default). */
export const seriesAggregateOf = (m: Pick<ModelMetadata, "series" | "task">): SeriesAggregate => m.series?.aggregate ?? (m.task === "regression" ? "mean" : "max");

/** Parses metadata or refuses with one problem per wrong field. */
export function parseModelMetadata(value: unknown): ModelMetadata {
  const parsed = modelMetadataSchema.safeParse(value);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => ({ field: ["metadata", ...i.path].join("."), message: i.message })));
  // Defaults are filled in so the stored record says how the masks are made.
  if (parsed.data.task === "segmentation") return { ...parsed.data, segmentation: segmentationOf(parsed.data) };
  return { ...parsed.data, series: { aggregate: seriesAggregateOf(parsed.data) } };
}

export interface ValidatedModel {
  metadata: ModelMetadata;
  /** [F, h, w] when the model exposes a feature map for CAM. */
  featureShape: [number, number, number] | null;
}

/**
 * Loads the model in onnxruntime and checks it against its metadata, with a dummy forward pass.
 * Loads the native runtime: call it from a worker, never from the API process.
 */
export async function validateModel(bytes: Uint8Array, metadataValue: unknown): Promise<ValidatedModel> {
  const metadata = parseModelMetadata(metadataValue);
  let model: OnnxModel;
  try {
    model = await loadModel(bytes);
  } catch (e) {
    throw invalid([{ field: "model", message: `not a loadable ONNX model: ${(e as Error).message}` }]);
  }
  try {
    const problems: FieldProblem[] = [];
    const names = (list: readonly { name: string }[]) => list.map((v) => `'${v.name}'`).join(", ");
    const input = model.inputs.find((i) => i.name === metadata.input.name);
    if (!input) problems.push({ field: "metadata.input.name", message: `the model has no input '${metadata.input.name}' (it has ${names(model.inputs)})` });
    else {
      if (model.inputs.length > 1) problems.push({ field: "model", message: `the model takes ${model.inputs.length} inputs (${names(model.inputs)}); only one image input is supported` });
      if (input.type !== "float32") problems.push({ field: "metadata.input.name", message: `input '${input.name}' is ${input.type}, expected float32` });
      const shape = input.shape;
      if (shape.length && shape.length !== 4) problems.push({ field: "metadata.input.shape", message: `input '${input.name}' has ${shape.length} dimensions, metadata says 4` });
      else
        shape.forEach((d, i) => {
          if (typeof d === "number" && d !== metadata.input.shape[i])
            problems.push({ field: "metadata.input.shape", message: `input '${input.name}' has dimension ${i} = ${d}, metadata says ${metadata.input.shape[i]}` });
        });
    }
    const wanted = [metadata.output.name, ...(metadata.cam ? [metadata.cam.featureMap] : [])];
    for (const name of wanted)
      if (!model.outputs.some((o) => o.name === name))
        problems.push({ field: name === metadata.output.name ? "metadata.output.name" : "metadata.cam.featureMap", message: `the model has no output '${name}' (it has ${names(model.outputs)})` });
    if (problems.length) throw invalid(problems);

    const size = metadata.input.shape.reduce((a, b) => a * b, 1);
    let outputs;
    try {
      outputs = await run(model, { [metadata.input.name]: { dims: metadata.input.shape, data: new Float32Array(size) } }, wanted);
    } catch (e) {
      throw invalid([{ field: "model", message: `a forward pass on a ${metadata.input.shape.join("×")} input failed: ${(e as Error).message}` }]);
    }
    const out = outputs[metadata.output.name]!;
    const k = metadata.output.labels.length;
    if (metadata.task === "segmentation") {
      const c = segmentationChannels(metadata);
      const { background } = segmentationOf(metadata);
      const channels = background ? `${c} channels (the background, then ${k} label${k === 1 ? "" : "s"})` : `${c} channel${c === 1 ? "" : "s"} (one per label)`;
      if (out.dims.length !== 4 || out.dims[0] !== 1 || out.dims[1] !== c)
        problems.push({ field: "metadata.output.labels", message: `output '${metadata.output.name}' has shape [${out.dims.join(",")}], expected [1,${c},h,w]: ${channels}` });
      else if (!out.data.every(Number.isFinite)) problems.push({ field: "model", message: `output '${metadata.output.name}' is not finite on a blank image` });
      else if (!background && !out.data.every((p) => p >= 0 && p <= 1))
        problems.push({ field: "metadata.output.name", message: `output '${metadata.output.name}' is not a probability in [0, 1] (put the sigmoid in the model, or set segmentation.background for a softmax head)` });
    } else if (out.data.length !== k)
      problems.push({ field: "metadata.output.labels", message: `output '${metadata.output.name}' has ${out.data.length} values, metadata names ${k} label${k === 1 ? "" : "s"}` });
    else if (!out.data.every(Number.isFinite)) problems.push({ field: "model", message: `output '${metadata.output.name}' is not finite on a blank image` });
    else if (metadata.task !== "regression" && !out.data.every((p) => p >= 0 && p <= 1))
      problems.push({ field: "metadata.output.name", message: `output '${metadata.output.name}' is not a probability in [0, 1] (put the sigmoid in the model)` });

    let featureShape: [number, number, number] | null = null;
    if (metadata.cam) {
      const fm = outputs[metadata.cam.featureMap]!;
      if (fm.dims.length !== 4 || fm.dims[0] !== 1)
        problems.push({ field: "metadata.cam.featureMap", message: `feature map '${metadata.cam.featureMap}' has shape [${fm.dims.join(",")}], expected [1,F,h,w]` });
      else {
        featureShape = [fm.dims[1]!, fm.dims[2]!, fm.dims[3]!];
        const f = featureShape[0];
        if (metadata.cam.weights) {
          const bad = metadata.cam.weights.findIndex((row) => row.length !== f);
          if (bad >= 0) problems.push({ field: "metadata.cam.weights", message: `CAM weights row ${bad} has ${metadata.cam.weights[bad]!.length} values, the feature map has ${f} channels` });
        } else {
          const init = readInitializer(bytes, metadata.cam.weightsInitializer!);
          if (!init) problems.push({ field: "metadata.cam.weightsInitializer", message: `the model has no initializer '${metadata.cam.weightsInitializer}'` });
          else if (init.dims.length !== 2 || init.dims[0] !== k || init.dims[1] !== f)
            problems.push({ field: "metadata.cam.weightsInitializer", message: `initializer '${metadata.cam.weightsInitializer}' is [${init.dims.join(",")}], expected [${k},${f}] (labels × feature channels)` });
        }
      }
    }
    if (problems.length) throw invalid(problems);
    return { metadata, featureShape };
  } finally {
    await releaseModel(model);
  }
}

/** The CAM weights [K,F] row-major, from the metadata or from the named initializer. */
export function camWeights(bytes: Uint8Array, metadata: ModelMetadata): Float32Array | null {
  if (!metadata.cam) return null;
  if (metadata.cam.weights) return Float32Array.from(metadata.cam.weights.flat());
  return readInitializer(bytes, metadata.cam.weightsInitializer!)?.values ?? null;
}

export interface GreyImage {
  width: number;
  height: number;
  data: ArrayLike<number>;
  /** Full scale of the stored values: 255 for 8-bit, 4095 for 12-bit. */
  maxValue: number;
  /**
   * How `data` maps back to the values after the Modality LUT (Hounsfield units for CT): a value d
   * is (inverted ? maxValue - d : d) + offset. Absent: 0 and not inverted.
   */
  offset?: number;
  inverted?: boolean;
}

/** The model's input tensor [1,C,H,W] from a grey image: resampled, scaled and normalised as the metadata says. */
export function preprocess(image: GreyImage, metadata: Pick<ModelMetadata, "input">): Float32Array {
  const [, c, h, w] = metadata.input.shape;
  const resized = resample(image, w, h);
  const norm = metadata.input.normalisation;
  const out = new Float32Array(c * h * w);
  const offset = image.offset ?? 0;
  const modality = (d: number) => (image.inverted ? image.maxValue - d : d) + offset;
  const [lo, hi] = norm.kind === "modalityMeanStd" && norm.clip ? norm.clip : [-Infinity, Infinity];
  for (let i = 0; i < h * w; i++) {
    const d = resized[i]!;
    let v: number;
    switch (norm.kind) {
      case "meanStd":
        v = (d / image.maxValue - norm.mean) / norm.std;
        break;
      case "window":
        v = Math.min(1, Math.max(0, (d / image.maxValue - (norm.center - norm.width / 2)) / norm.width));
        break;
      case "modalityWindow":
        v = Math.min(1, Math.max(0, (modality(d) - (norm.center - norm.width / 2)) / norm.width));
        break;
      case "modalityMeanStd":
        v = (Math.min(hi, Math.max(lo, modality(d))) - norm.mean) / norm.std;
        break;
    }
    for (let ch = 0; ch < c; ch++) out[ch * h * w + i] = v;
  }
  return out;
}

/** Block average for whole-number reductions (no aliasing), bilinear (half-pixel centres) otherwise. */
export function resample(image: GreyImage, w: number, h: number): Float64Array {
  const { width: sw, height: sh, data } = image;
  const out = new Float64Array(w * h);
  if (sw % w === 0 && sh % h === 0) {
    const fx = sw / w;
    const fy = sh / h;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let a = 0; a < fy; a++) for (let b = 0; b < fx; b++) s += data[(y * fy + a) * sw + x * fx + b]!;
        out[y * w + x] = s / (fx * fy);
      }
    return out;
  }
  for (let y = 0; y < h; y++) {
    const sy = Math.min(sh - 1, Math.max(0, ((y + 0.5) * sh) / h - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const ty = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(sw - 1, Math.max(0, ((x + 0.5) * sw) / w - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(sw - 1, x0 + 1);
      const tx = sx - x0;
      const top = data[y0 * sw + x0]! * (1 - tx) + data[y0 * sw + x1]! * tx;
      const bottom = data[y1 * sw + x0]! * (1 - tx) + data[y1 * sw + x1]! * tx;
      out[y * w + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}
