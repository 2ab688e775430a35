import { randomUUID } from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { GRANT_ROLE, buildLabel, buildTeam, buildTeamProject, errorCode, trackSubscriptions, type Team } from "../../testing/fixtures.js";
import { buildProject, buildUser, startTestServer, type Caller } from "../../testing/harness.js";
import { runExportJob } from "../../testing/exports.js";
import { stowOk } from "../../testing/images.js";
import { BACKGROUND, BRIGHT, ctImage, frame, inDisc, inRect, uid, type Disc, type Rect } from "../../testing/ct-images.js";
import { unzipSync } from "fflate";
import { maskOutlines } from "../exports/dicom/contours.js";
import { readSegmentation } from "../exports/dicom/seg.js";
import { putRoi } from "../collab/collab.document.js";
import { greyFrames } from "./grey-image.js";
import { closeModel, openModel } from "./inference.js";
import { parseModelMetadata } from "./metadata.js";
import { INPUT, SCORES, buildPixelSegmenter } from "./onnx-build.js";
import { hesitantShare, segmentScores } from "./segment.js";
import { PREDICTIONS, REGIONS, RUN, caseAddedBy, runAndFollow as followRun, waitFor, type Job, type Prediction, type Regions, startAiTestServer, type AiTestServer } from "../../testing/ai.js";

// Segmentation models through the real server: registration and validation, a model run over every
// slice of a series case and every frame of a multi-frame image, the regions as predictionRegions
// gives them (the project's ROI class of each label's name), access, and the cap on regions.

/** The CT images' side (the tissue model's input) and the checkerboard's (the speckle model's). */
const S = 64;
const BIG = 256;

const VERSION = `id modelId modelName projectId version status refusal labels inputShape hasCam metadataJson`;
const REGISTER = `mutation($projectId: ID!, $name: String!, $metadata: String!, $file: String!) {
  registerModel(projectId: $projectId, name: $name, metadata: $metadata, file: $file) { ${VERSION} } }`;
const MODEL_VERSION = `query($id: ID!) { modelVersion(id: $id) { ${VERSION} } }`;
const MODELS = `query($projectId: ID!) { models(projectId: $projectId) { id name task versions { id status } } }`;
const ARCHIVE_LABEL = `mutation($id: ID!) { archiveLabel(id: $id) { id archived } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const MODEL_AGREEMENT = `query($projectId: ID!, $modelVersionId: ID!) { modelRoiAgreement(projectId: $projectId, modelVersionId: $modelVersionId) {
  projectId modelVersionId cases roiSkipped roiClasses { roiClass { id } overlap { n meanDice } } readers { reader { id } overlap { n meanDice meanIou medianDice } } } }`;
const SETTINGS = `mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id blindReading } }`;
const TAKEN = `id classId kind sopInstanceUid frame suggestedBy suggestionChanged`;
const SAVE_DRAFT = `mutation($caseId: ID!, $input: AnnotationInput!) { saveDraft(caseId: $caseId, input: $input) { version status rois { ${TAKEN} } } }`;
const SUBMIT_TAKEN = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { version status rois { ${TAKEN} } } }`;
const REVISE = `mutation($caseId: ID!) { reviseAnnotation(caseId: $caseId) { version status rois { ${TAKEN} } } }`;
const MINE = `query($caseId: ID!) { myAnnotation(caseId: $caseId) { version status rois { ${TAKEN} } } }`;
const WHERE = `query($caseId: ID!) { casePredictions(caseId: $caseId) { modelVersionId outputs { label sopInstanceUid frame } slices { aggregate images { sopInstanceUid frame values } } } }`;
/** A reader's region as the provenance tests read it back. */
type Taken = { id: string; classId: string; kind: string; sopInstanceUid: string; frame: number; suggestedBy: string | null; suggestionChanged: boolean | null };
interface Where {
  modelVersionId: string;
  outputs: Array<{ label: string; sopInstanceUid: string | null; frame: number | null }>;
  slices: { aggregate: string; images: Array<{ sopInstanceUid: string; frame: number; values: number[] }> } | null;
}
const COLLAB_UPDATE = `mutation($caseId: ID!, $layer: String!, $update: String!) { collabUpdate(caseId: $caseId, layer: $layer, update: $update) { updateId } }`;

interface Version {
  id: string;
  modelId: string;
  modelName: string;
  status: string;
  refusal: string | null;
  labels: string[];
  inputShape: number[];
  hasCam: boolean;
  metadataJson: string;
}

// ---- images

/** What was painted with one value: its pixel count and box [x0, y0, x1, y1] in pixel-corner coordinates. */
interface Painted {
  pixels: number;
  box: [number, number, number, number];
}


/** The pixels a shape covers on a size × size image: count and box. */
function painted(size: number, inside: (x: number, y: number) => boolean): Painted {
  let pixels = 0;
  const box: [number, number, number, number] = [size, size, 0, 0];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      if (inside(x, y)) {
        pixels++;
        box[0] = Math.min(box[0], x);
        box[1] = Math.min(box[1], y);
        box[2] = Math.max(box[2], x + 1);
        box[3] = Math.max(box[3], y + 1);
      }
  return { pixels, box };
}

/** How many points the traced (unstraightened) outline of a shape has: one per turn of its pixel edges. */
function staircase(size: number, inside: (x: number, y: number) => boolean): number {
  const mask = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) mask[y * size + x] = inside(x, y) ? 1 : 0;
  const [outline] = maskOutlines(mask, size, size);
  return outline!.length;
}

// ---- models

/**
 * A softmax segmenter with a background channel: logits 0, 20p - 6, 40p - 20 for p = value / 4095,
 * so 0.3 < p < 0.7 is the first label and p > 0.7 the second (see segment.test.ts).
 */
function tissueModel(labels: string[] = ["Vessel", "Nodule"]) {
  const bytes = buildPixelSegmenter({ size: S, weights: Float32Array.of(0, 20, 40), bias: Float32Array.of(0, -6, -20), activation: "softmax" });
  const metadata = {
    input: { name: INPUT, shape: [1, 1, S, S], normalisation: { kind: "meanStd", mean: 0, std: 1 } },
    task: "segmentation",
    output: { name: SCORES, labels },
  };
  return { bytes, metadata };
}

/** One label above p = 0.5, on BIG × BIG images. */
function speckleModel() {
  const bytes = buildPixelSegmenter({ size: BIG, weights: Float32Array.of(0, 20), bias: Float32Array.of(0, -10), activation: "softmax" });
  const metadata = {
    input: { name: INPUT, shape: [1, 1, BIG, BIG], normalisation: { kind: "meanStd", mean: 0, std: 1 } },
    task: "segmentation",
    output: { name: SCORES, labels: ["Nodule"] },
  };
  return { bytes, metadata };
}

/** A region's box [x0, y0, x1, y1] from its outline. */
function boxOf(points: number[][]): [number, number, number, number] {
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function expectBox(actual: number[][], expected: Painted, what: string) {
  const box = boxOf(actual);
  box.forEach((v, k) => expect(Math.abs(v - expected.box[k]!), `${what}: box ${JSON.stringify(box)} vs ${JSON.stringify(expected.box)}`).toBeLessThanOrEqual(2));
}

// ---- the series: five slices, written out of order; slice 2 has nothing bright

/** By instance number. Slice 3 also has a MID rectangle: the first label's only region. */
const SLICES: Record<number, { discs: Disc[]; rects: Rect[] }> = {
  1: { discs: [{ cx: 20, cy: 18, r: 8 }], rects: [] },
  2: { discs: [], rects: [] },
  3: { discs: [{ cx: 44, cy: 30, r: 10.5 }], rects: [{ x0: 4, y0: 44, x1: 15, y1: 59 }] },
  4: { discs: [{ cx: 40, cy: 50, r: 6 }], rects: [] },
  5: { discs: [{ cx: 12.5, cy: 46, r: 7.3 }], rects: [] },
};
const UPLOAD_ORDER = [4, 2, 5, 1, 3];
/** The multi-frame image's frames: a disc each, of different sizes at different places. */
const FRAMES: Disc[] = [
  { cx: 16, cy: 16, r: 5 },
  { cx: 32, cy: 40, r: 9 },
  { cx: 48, cy: 20, r: 12 },
];
/**
 * Checkerboard: a 4-pixel pitch over BIG × BIG, 4096 squares; 3×3 in the last 8 rows of cells, 2×2 in
 * the 56 above. The largest are found last: kept first, they would not be in the found order.
 */
const PITCH = 4;
const BIG_ROWS = 8;
const CELLS = (BIG / PITCH) ** 2;

describe("AI: segmentation models through the server", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let projectId: string;
  let ai: AiTestServer | undefined;
  let subscriptions: ReturnType<typeof trackSubscriptions>;
  const owner = () => team.OWNER.caller;
  const sql = <T,>(q: string, p: unknown[] = []) => server.platform.db.dataSource.query(q, p) as Promise<T[]>;

  let seriesCase: string;
  let multiFrameCase: string;
  let checkerCase: string;
  /** The stored (de-identified) SOP Instance UIDs, by instance number; and the multi-frame and checkerboard images'. */
  const sliceSop: Record<number, string> = {};
  let multiFrameSop: string;
  let checkerSop: string;
  let tissue: Version;
  let speckles: Version;
  let noduleClass: string;
  let vesselClass: string;
  let vesselLabel: string;

  async function register(who: Caller, name: string, bytes: Uint8Array, metadata: unknown) {
    return who.gql<{ registerModel: Version }>(REGISTER, { projectId, name, metadata: JSON.stringify(metadata), file: Buffer.from(bytes).toString("base64") });
  }
  async function settled(id: string): Promise<Version> {
    return waitFor(async () => {
      const v = (await owner().ok<{ modelVersion: Version }>(MODEL_VERSION, { id })).modelVersion;
      return v.status !== "VALIDATING" && v;
    }, 20_000, "the model's validation");
  }
  const newCase = (stowed: () => Promise<unknown>) => caseAddedBy(sql, projectId, stowed);
  /** Runs the model on the case as `who`, following its job as the owner. */
  const runAndFollow = (who: Caller, caseId: string, modelVersionId: string) => followRun({ listener: owner(), projectId, subscriptions }, who, caseId, modelVersionId);
  async function regionsOf(who: Caller, caseId: string, modelVersionId: string): Promise<Regions> {
    return (await who.ok<{ predictionRegions: Regions }>(REGIONS, { caseId, modelVersionId })).predictionRegions;
  }

  beforeAll(async () => {
    ai = await startAiTestServer();
    ({ server, subscriptions } = ai);
    team = await buildTeam(server);
    projectId = await buildTeamProject(team, { caseUnit: "SERIES" });
    const study = uid();

    // A CT series of five slices, sent out of order in one upload.
    const series = uid();
    seriesCase = await newCase(() =>
      stowOk(
        server,
        projectId,
        owner(),
        UPLOAD_ORDER.map((n) => ({ name: `slice${n}.dcm`, bytes: ctImage({ study, series, sop: `${series}.${n}`, n, size: S, frames: [frame(S, SLICES[n]!.discs, SLICES[n]!.rects)] }) })),
      ),
    );
    const slices = await sql<{ sop: string; n: number }>(`SELECT sop_instance_uid AS sop, instance_number AS n FROM instances WHERE series_id = (SELECT series_id FROM cases WHERE id = $1)`, [seriesCase]);
    expect(slices.map((s) => s.n).sort()).toEqual([1, 2, 3, 4, 5]);
    for (const s of slices) sliceSop[s.n] = s.sop;
    // De-identified: none is the UID written.
    expect(slices.every((s) => !s.sop.startsWith(series))).toBe(true);

    // An enhanced CT of three frames, its own series and case.
    const mfSeries = uid();
    multiFrameCase = await newCase(() =>
      stowOk(server, projectId, owner(), [{ name: "enhanced.dcm", bytes: ctImage({ study, series: mfSeries, sop: `${mfSeries}.1`, n: 1, size: S, frames: FRAMES.map((d) => frame(S, [d])) }) }]),
    );
    const [mf] = await sql<{ sop: string; frames: number }>(`SELECT i.sop_instance_uid AS sop, i.frames FROM cases c JOIN instances i ON i.series_id = c.series_id WHERE c.id = $1`, [multiFrameCase]);
    expect(mf).toMatchObject({ frames: FRAMES.length });
    multiFrameSop = mf!.sop;

    // The checkerboard: thousands of small bright squares on one BIG × BIG image.
    const cbSeries = uid();
    const board = new Uint16Array(BIG * BIG).fill(BACKGROUND);
    for (let j = 0; j < BIG / PITCH; j++)
      for (let i = 0; i < BIG / PITCH; i++) {
        const side = j >= BIG / PITCH - BIG_ROWS ? 3 : 2;
        for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) board[(j * PITCH + y) * BIG + i * PITCH + x] = BRIGHT;
      }
    checkerCase = await newCase(() => stowOk(server, projectId, owner(), [{ name: "board.dcm", bytes: ctImage({ study, series: cbSeries, sop: `${cbSeries}.1`, n: 1, size: BIG, frames: [board] }) }]));
    const [cb] = await sql<{ sop: string }>(`SELECT i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.series_id = c.series_id WHERE c.id = $1`, [checkerCase]);
    checkerSop = cb!.sop;

    // ROI classes: "nodule " (the API trims names; the stored one keeps an outer space, as a class
    // named before names were trimmed would), and "Vessel" only as a classification label.
    noduleClass = await buildLabel(owner(), projectId, { name: "nodule ", kind: "ROI", roiShape: "FREEHAND" });
    await sql(`UPDATE label_definitions SET name = 'nodule ' WHERE id = $1`, [noduleClass]);
    vesselLabel = await buildLabel(owner(), projectId, { name: "Vessel", kind: "CLASSIFICATION" });
  }, 60_000);
  afterAll(async () => {
    await ai?.close();
  });

  it("registers a segmentation model: READY, task SEGMENTATION, the defaults stored; a channel count that does not fit the labels is REFUSED naming the shape", async () => {
    const { bytes, metadata } = tissueModel();
    const big = speckleModel();
    const bigRegistered = await register(owner(), "speckles", big.bytes, big.metadata);
    const r = await register(owner(), "tissue", bytes, metadata);
    expect(r.errors).toBeUndefined();
    expect(r.data!.registerModel).toMatchObject({ status: "VALIDATING", labels: ["Vessel", "Nodule"], inputShape: [1, 1, S, S], hasCam: false });
    tissue = await settled(r.data!.registerModel.id);
    speckles = await settled(bigRegistered.data!.registerModel.id);
    expect(tissue.refusal).toBeNull();
    expect(tissue.status).toBe("READY");
    const stored = JSON.parse(tissue.metadataJson) as { task: string; segmentation?: unknown };
    expect(stored.task).toBe("segmentation");
    expect(stored.segmentation).toEqual({ background: true, threshold: 0.5, minPixels: 1 });
    const [leaf] = await sql<{ event_type: string }>(`SELECT event_type FROM ledger_leaves WHERE object_id = $1`, [tissue.id]);
    expect(leaf?.event_type).toBe("model.register");
    expect(speckles.status).toBe("READY");

    const { models } = await team.VIEWER.caller.ok<{ models: Array<{ name: string; task: string; versions: Array<{ id: string; status: string }> }> }>(MODELS, { projectId });
    expect(models.find((m) => m.name === "tissue")).toMatchObject({ task: "SEGMENTATION", versions: [{ id: tissue.id, status: "READY" }] });
    expect(models.find((m) => m.name === "speckles")).toMatchObject({ task: "SEGMENTATION" });

    // Three channels (background and two labels) but one label named: [1,2,h,w] expected.
    const wrong = await register(owner(), "wrong", bytes, { ...metadata, output: { ...metadata.output, labels: ["Nodule"] } });
    expect(wrong.errors).toBeUndefined();
    const refused = await settled(wrong.data!.registerModel.id);
    expect(refused.status).toBe("REFUSED");
    expect(refused.refusal).toContain("expected [1,2,h,w]");
    expect(refused.refusal).toContain(`[1,3,${S},${S}]`);
    // Without a background channel, two labels are two channels: refused too, saying so.
    const noBackground = await settled((await register(owner(), "wrong", bytes, { ...metadata, segmentation: { background: false } })).data!.registerModel.id);
    expect(noBackground.status).toBe("REFUSED");
    expect(noBackground.refusal).toMatch(/expected \[1,2,h,w\]: 2 channels \(one per label\)/);
    expect(errorCode(await owner().gql(RUN, { caseId: seriesCase, modelVersionId: refused.id }))).toBe("BAD_USER_INPUT");
  });

  it("runs over every slice of a series case: DONE, each label's share of the pixels, regions on the right slices in slice order", async () => {
    const { queued, events } = await runAndFollow(team.ANNOTATOR.caller, seriesCase, tissue.id);
    expect(queued).toMatchObject({ kind: "INFER", status: "QUEUED", caseId: seriesCase, modelVersionId: tissue.id });
    const done = events.at(-1)!;
    expect(done.message).toBeNull();
    expect(done).toMatchObject({ status: "DONE", progress: 100 });
    expect(events.slice(0, 2).map((e) => e.status)).toEqual(["QUEUED", "RUNNING"]);
    // Progress between slices is published at most every 250 ms: five 64×64 slices usually take
    // less, so a RUNNING event with 0 < progress < 100 is not required, only checked when it comes.
    const progress = events.filter((e) => e.status === "RUNNING").map((e) => e.progress);
    expect(progress[0]).toBe(0);
    for (const p of progress.slice(1)) expect(p > 0 && p < 100, `progress ${p}`).toBe(true);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    const { casePredictions } = await team.VIEWER.caller.ok<{ casePredictions: Prediction[] }>(PREDICTIONS, { caseId: seriesCase });
    const p = casePredictions.find((x) => x.modelVersionId === tissue.id)!;
    expect(p).toMatchObject({ id: done.predictionId, task: "SEGMENTATION", modelName: "tissue", heatmapMethod: "none" });
    // Each label's share of the case's pixels: of all five slices.
    const total = 5 * S * S;
    const nodule = Object.values(SLICES).reduce((n, s) => n + s.discs.reduce((k, d) => k + painted(S, (x, y) => inDisc(d, x, y)).pixels, 0), 0);
    const vessel = painted(S, (x, y) => inRect(SLICES[3]!.rects[0]!, x, y)).pixels;
    expect(p.outputs.map((o) => o.label)).toEqual(["Vessel", "Nodule"]);
    expect(p.outputs[0]!.value).toBeCloseTo(vessel / total, 6);
    expect(p.outputs[1]!.value).toBeCloseTo(nodule / total, 6);
    // Each slice's share of its own pixels per label, in slice order; each label names the slice it covers most of (3 for both).
    const where = (await team.VIEWER.caller.ok<{ casePredictions: Where[] }>(WHERE, { caseId: seriesCase })).casePredictions.find((x) => x.modelVersionId === tissue.id)!;
    expect(where.slices!.aggregate).toBe("SHARE");
    expect(where.slices!.images.map((i) => [i.sopInstanceUid, i.frame])).toEqual([1, 2, 3, 4, 5].map((n) => [sliceSop[n], 1]));
    where.slices!.images.forEach((image, i) => {
      const n = i + 1;
      const v = SLICES[n]!.rects.reduce((k, rect) => k + painted(S, (x, y) => inRect(rect, x, y)).pixels, 0);
      const d = SLICES[n]!.discs.reduce((k, disc) => k + painted(S, (x, y) => inDisc(disc, x, y)).pixels, 0);
      expect(image.values[0], `slice ${n} Vessel`).toBeCloseTo(v / (S * S), 6);
      expect(image.values[1], `slice ${n} Nodule`).toBeCloseTo(d / (S * S), 6);
    });
    expect(where.outputs.map((o) => [o.label, o.sopInstanceUid, o.frame])).toEqual([["Vessel", sliceSop[3], 1], ["Nodule", sliceSop[3], 1]]);

    const r = await regionsOf(team.ANNOTATOR.caller, seriesCase, tissue.id);
    expect(r).toMatchObject({ caseId: seriesCase, modelVersionId: tissue.id, notes: [] });
    // In slice order (instance number), then label: slice 3's "Vessel" before its "Nodule"; none on slice 2.
    const expected = [
      { n: 1, label: "Nodule", shape: SLICES[1]!.discs[0]! as Disc | Rect },
      { n: 3, label: "Vessel", shape: SLICES[3]!.rects[0]! },
      { n: 3, label: "Nodule", shape: SLICES[3]!.discs[0]! },
      { n: 4, label: "Nodule", shape: SLICES[4]!.discs[0]! },
      { n: 5, label: "Nodule", shape: SLICES[5]!.discs[0]! },
    ];
    expect(r.regions.map((x) => [x.sopInstanceUid, x.label, x.frame])).toEqual(expected.map((e) => [sliceSop[e.n], e.label, 1]));
    expect(r.regions.some((x) => x.sopInstanceUid === sliceSop[2])).toBe(false);
    r.regions.forEach((region, k) => {
      const shape = expected[k]!.shape;
      const truth = painted(S, (x, y) => ("r" in shape ? inDisc(shape, x, y) : inRect(shape, x, y)));
      expect(region.pixels, `slice ${expected[k]!.n} ${region.label}`).toBe(truth.pixels);
      expectBox(region.points, truth, `slice ${expected[k]!.n} ${region.label}`);
      expect(region.points.length).toBeGreaterThanOrEqual(4);
    });
    // The discs' traced staircases are straightened (at half a pixel): fewer points than their pixel edges turn.
    const discs = expected.map((e, k) => ["r" in e.shape ? e.shape : null, r.regions[k]!] as const).filter(([d]) => d);
    const traced = discs.reduce((n, [d]) => n + staircase(S, (x, y) => inDisc(d!, x, y)), 0);
    expect(discs.reduce((n, [, region]) => n + region.points.length, 0)).toBeLessThan(traced);
    // A rectangle's outline is its four corners.
    expect(r.regions[1]!.points).toEqual([[4, 44], [15, 44], [15, 59], [4, 59]]);
  });

  it("matches each label to the project's ROI class by name, case and outer spaces aside; a label without one is listed, its class null", async () => {
    const r = await regionsOf(owner(), seriesCase, tissue.id);
    const nodules = r.regions.filter((x) => x.label === "Nodule");
    expect(nodules).toHaveLength(4);
    for (const x of nodules) expect(x).toMatchObject({ roiClassId: noduleClass, roiShape: "FREEHAND" });
    // "Vessel" is a classification label, not a ROI class.
    expect(r.regions.filter((x) => x.label === "Vessel")).toEqual([expect.objectContaining({ roiClassId: null, roiShape: null })]);
    expect(r.unmatchedLabels).toEqual(["Vessel"]);
    // Read when asked: a ROI class named later matches at once, with its shape (names are unique
    // among the project's live labels, whatever their kind: the classification label goes first).
    await owner().ok(ARCHIVE_LABEL, { id: vesselLabel });
    const vessel = await buildLabel(owner(), projectId, { name: "VESSEL", kind: "ROI", roiShape: "RECTANGLE" });
    const again = await regionsOf(owner(), seriesCase, tissue.id);
    expect(again.unmatchedLabels).toEqual([]);
    expect(again.regions.filter((x) => x.label === "Vessel")).toEqual([expect.objectContaining({ roiClassId: vessel, roiShape: "RECTANGLE" })]);
    vesselClass = vessel;
  });

  it("an archived ROI class is no match: a reader could not take a region into it", async () => {
    // submitAnnotation refuses a ROI whose class is archived ('"VESSEL" is archived').
    await owner().ok(ARCHIVE_LABEL, { id: vesselClass });
    const r = await regionsOf(owner(), seriesCase, tissue.id);
    expect(r.regions.filter((x) => x.label === "Vessel")).toEqual([expect.objectContaining({ roiClassId: null, roiShape: null })]);
    expect(r.unmatchedLabels).toEqual(["Vessel"]);
  });

  it("runs over every frame of a multi-frame image: regions on each frame with its number", async () => {
    const { events } = await runAndFollow(owner(), multiFrameCase, tissue.id);
    expect(events.at(-1)).toMatchObject({ status: "DONE", progress: 100 });
    const r = await regionsOf(owner(), multiFrameCase, tissue.id);
    expect(r.regions.map((x) => [x.sopInstanceUid, x.frame, x.label])).toEqual(FRAMES.map((_, k) => [multiFrameSop, k + 1, "Nodule"]));
    r.regions.forEach((region, k) => {
      const truth = painted(S, (x, y) => inDisc(FRAMES[k]!, x, y));
      expect(region.pixels, `frame ${k + 1}`).toBe(truth.pixels);
      expectBox(region.points, truth, `frame ${k + 1}`);
    });
    const { casePredictions } = await owner().ok<{ casePredictions: Prediction[] }>(PREDICTIONS, { caseId: multiFrameCase });
    const shares = casePredictions.find((x) => x.modelVersionId === tissue.id)!.outputs;
    const nodule = FRAMES.reduce((n, d) => n + painted(S, (x, y) => inDisc(d, x, y)).pixels, 0);
    expect(shares.map((o) => o.label)).toEqual(["Vessel", "Nodule"]);
    expect(shares[0]!.value).toBe(0);
    expect(shares[1]!.value).toBeCloseTo(nodule / (FRAMES.length * S * S), 6);
    // Per frame: Nodule covers most of frame 3 (the largest disc); Vessel, found nowhere, names no frame.
    const where = (await owner().ok<{ casePredictions: Where[] }>(WHERE, { caseId: multiFrameCase })).casePredictions.find((x) => x.modelVersionId === tissue.id)!;
    expect(where.slices!.images.map((i) => [i.frame, i.values[0], +i.values[1]!.toFixed(6)])).toEqual(FRAMES.map((d, k) => [k + 1, 0, +(painted(S, (x, y) => inDisc(d, x, y)).pixels / (S * S)).toFixed(6)]));
    expect(where.outputs.map((o) => [o.label, o.sopInstanceUid, o.frame])).toEqual([["Vessel", null, null], ["Nodule", multiFrameSop, 3]]);
  });

  it("a second runModel on the same case and version answers DONE at once, with the stored prediction", async () => {
    const [before] = await sql<{ id: string; created_at: Date }>(`SELECT id, created_at FROM predictions WHERE case_id = $1 AND model_version_id = $2`, [seriesCase, tissue.id]);
    const { runModel } = await team.ANNOTATOR.caller.ok<{ runModel: Job }>(RUN, { caseId: seriesCase, modelVersionId: tissue.id });
    expect(runModel).toMatchObject({ status: "DONE", progress: 100, predictionId: before!.id, caseId: seriesCase });
    await new Promise((r) => setTimeout(r, 200));
    const [after] = await sql<{ id: string; created_at: Date }>(`SELECT id, created_at FROM predictions WHERE case_id = $1 AND model_version_id = $2`, [seriesCase, tissue.id]);
    expect(after).toEqual(before);
    // Nothing wrote an annotation: suggestions are no reader's work.
    expect(await sql(`SELECT 1 FROM annotations WHERE case_id = $1`, [seriesCase])).toHaveLength(0);
  });

  it("keeps at most 1000 regions on a case, the largest, and says how many were left out", async () => {
    const { events } = await runAndFollow(owner(), checkerCase, speckles.id);
    expect(events.at(-1)).toMatchObject({ status: "DONE" });
    const r = await regionsOf(owner(), checkerCase, speckles.id);
    expect(r.regions).toHaveLength(1000);
    const bigOnes = BIG_ROWS * (BIG / PITCH);
    expect(r.regions.filter((x) => x.pixels === 9)).toHaveLength(bigOnes);
    expect(r.regions.filter((x) => x.pixels === 4)).toHaveLength(1000 - bigOnes);
    expect(r.regions.every((x) => x.sopInstanceUid === checkerSop && x.frame === 1 && x.label === "Nodule" && x.roiClassId === noduleClass)).toBe(true);
    // In the order they were found (raster order of their first pixel).
    const corners = r.regions.map((x) => boxOf(x.points));
    const raster = [...corners].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    expect(corners).toEqual(raster);
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toContain(`${CELLS - 1000} of ${CELLS} regions left out`);
    // The shares count every pixel, kept or not.
    const { casePredictions } = await owner().ok<{ casePredictions: Prediction[] }>(PREDICTIONS, { caseId: checkerCase });
    const share = casePredictions.find((x) => x.modelVersionId === speckles.id)!.outputs[0]!.value;
    expect(share).toBeCloseTo((bigOnes * 9 + (CELLS - bigOnes) * 4) / (BIG * BIG), 6);
    // One image of one frame: no per-image outputs; the label names the image.
    const where = (await owner().ok<{ casePredictions: Where[] }>(WHERE, { caseId: checkerCase })).casePredictions.find((x) => x.modelVersionId === speckles.id)!;
    expect(where.slices).toBeNull();
    expect(where.outputs.map((o) => [o.sopInstanceUid, o.frame])).toEqual([[checkerSop, 1]]);
  });

  it("access: members read the regions (a reader in a blind project too), others get NOT_FOUND; running needs case.annotate", async () => {
    await owner().ok(SETTINGS, { id: projectId, input: { blindReading: true } });
    // A reader who has submitted nothing sees the suggestion: a model's work is no reader's.
    for (const role of ["ANNOTATOR", "TRAINEE", "VIEWER", "DATA_OWNER"] as const) {
      const r = await regionsOf(team[role].caller, seriesCase, tissue.id);
      expect(r.regions, role).toHaveLength(5);
    }
    // No prediction from that version: null; an unknown version: null.
    expect((await owner().ok<{ predictionRegions: null }>(REGIONS, { caseId: seriesCase, modelVersionId: speckles.id })).predictionRegions).toBeNull();
    expect((await owner().ok<{ predictionRegions: null }>(REGIONS, { caseId: seriesCase, modelVersionId: "not-a-uuid" })).predictionRegions).toBeNull();
    // Not a member (and a member of another project only): NOT_FOUND, as for an unknown case.
    const stranger = await buildUser(server, "seg-stranger");
    expect(errorCode(await stranger.caller.gql(REGIONS, { caseId: seriesCase, modelVersionId: tissue.id }))).toBe("NOT_FOUND");
    const other = await buildProject(team.MANAGER.caller);
    await team.MANAGER.caller.ok(GRANT_ROLE, { projectId: other, input: { email: stranger.email, role: "OWNER" } });
    expect(errorCode(await stranger.caller.gql(REGIONS, { caseId: seriesCase, modelVersionId: tissue.id }))).toBe("NOT_FOUND");
    expect(errorCode(await stranger.caller.gql(RUN, { caseId: seriesCase, modelVersionId: tissue.id }))).toBe("NOT_FOUND");
    expect(errorCode(await owner().gql(REGIONS, { caseId: "00000000-0000-4000-8000-000000000000", modelVersionId: tissue.id }))).toBe("NOT_FOUND");
    // Viewers and data owners see suggestions but cannot ask for them.
    for (const role of ["VIEWER", "DATA_OWNER"] as const) expect(errorCode(await team[role].caller.gql(RUN, { caseId: multiFrameCase, modelVersionId: speckles.id })), role).toBe("NOT_FOUND");
    expect(await sql(`SELECT 1 FROM predictions WHERE case_id = $1 AND model_version_id = $2`, [multiFrameCase, speckles.id])).toHaveLength(0);
    // A trainee may (case.annotate), in the blind project too.
    const { events } = await runAndFollow(team.TRAINEE.caller, multiFrameCase, speckles.id);
    expect(events.at(-1)).toMatchObject({ status: "DONE" });
  });

  it("model ROI agreement: each reader's submitted regions against the model's, per reader and class; stats.view only", async () => {
    const r = await regionsOf(owner(), seriesCase, tissue.id);
    const nodules = r.regions.filter((x) => x.roiClassId === noduleClass);
    expect(nodules).toHaveLength(4);
    const roi = (x: (typeof nodules)[number]) => ({ classId: noduleClass, kind: "FREEHAND", points: x.points, sopInstanceUid: x.sopInstanceUid, frame: x.frame });
    // The annotator takes every suggested nodule as it is; the owner draws only the first slice's.
    await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: seriesCase, input: { labels: [], rois: nodules.map(roi) } });
    await owner().ok(SUBMIT, { caseId: seriesCase, input: { labels: [], rois: [roi(nodules[0]!)] } });
    const { modelRoiAgreement: a } = await owner().ok<{
      modelRoiAgreement: { cases: number; roiSkipped: number; roiClasses: Array<{ roiClass: { id: string }; overlap: { n: number; meanDice: number } }>; readers: Array<{ reader: { id: string }; overlap: { n: number; meanDice: number; meanIou: number; medianDice: number } }> };
    }>(MODEL_AGREEMENT, { projectId, modelVersionId: tissue.id });
    expect(a.cases).toBe(1);
    expect(a.roiSkipped).toBe(0);
    const of = (id: string) => a.readers.find((x) => x.reader.id === id)?.overlap;
    // The same outlines: Dice 1 on each of the four slices with a nodule.
    expect(of(team.ANNOTATOR.id)).toEqual({ n: 4, meanDice: 1, meanIou: 1, medianDice: 1 });
    // One slice the same, three where the owner drew nothing: Dice 1, 0, 0, 0.
    expect(of(team.OWNER.id)).toEqual({ n: 4, meanDice: 0.25, meanIou: 0.25, medianDice: 0 });
    expect(a.readers).toHaveLength(2);
    // Only the nodule class: "Vessel" names no live ROI class (archived above).
    expect(a.roiClasses).toEqual([{ roiClass: { id: noduleClass }, overlap: { n: 8, meanDice: 0.625 } }]);
    // The case excluded from the project: neither the model's regions on it nor the readers' are compared; included again, they are.
    const agreement = async () => (await owner().ok<{ modelRoiAgreement: typeof a }>(MODEL_AGREEMENT, { projectId, modelVersionId: tissue.id })).modelRoiAgreement;
    await sql(`INSERT INTO case_exclusions (case_id, project_id, reason) VALUES ($1, $2, 'WRONG_IMAGE')`, [seriesCase, projectId]);
    try {
      const excluded = await agreement();
      expect(excluded).toMatchObject({ cases: 0, readers: [] });
      expect(excluded.roiClasses.every((c) => c.overlap.n === 0)).toBe(true);
    } finally {
      await sql(`DELETE FROM case_exclusions WHERE case_id = $1`, [seriesCase]);
    }
    expect(await agreement()).toEqual(a);
    // An annotator may not see statistics; a classification or unknown version is refused.
    expect(errorCode(await team.ANNOTATOR.caller.gql(MODEL_AGREEMENT, { projectId, modelVersionId: tissue.id }))).not.toBeNull();
    expect(errorCode(await owner().gql(MODEL_AGREEMENT, { projectId, modelVersionId: "00000000-0000-4000-8000-000000000000" }))).toBe("BAD_USER_INPUT");
  });

  it("a region taken from a suggestion names the model version, and whether the reader changed it: on saving, in rois.csv and through a revision", async () => {
    // A live rectangle class for "Vessel" again (its class and label were archived above).
    const box = await buildLabel(owner(), projectId, { name: "vessel", kind: "ROI", roiShape: "RECTANGLE" });
    const r = await regionsOf(owner(), seriesCase, tissue.id);
    const nodules = r.regions.filter((x) => x.label === "Nodule");
    const vessel = r.regions.find((x) => x.label === "Vessel")!;
    expect(vessel.roiClassId).toBe(box);
    const reader = team.REVIEWER;
    const shift = (points: number[][], d: number) => points.map(([x, y]) => [x! + d, y!]);
    const ids = Array.from({ length: 7 }, () => randomUUID());
    const nodulesBox = boxOf(nodules[0]!.points);
    const taken = [
      // As suggested: the outline, and a rectangle class's bounding box (corners in either order).
      { id: ids[0], classId: noduleClass, kind: "FREEHAND", points: nodules[0]!.points, sopInstanceUid: nodules[0]!.sopInstanceUid, suggestedBy: tissue.id },
      { id: ids[1], classId: box, kind: "RECTANGLE", points: [[15, 59], [4, 44]], sopInstanceUid: vessel.sopInstanceUid, suggestedBy: tissue.id.toUpperCase() },
      // Within the client's rounding (0.01 px): as suggested.
      { id: ids[2], classId: noduleClass, kind: "FREEHAND", points: shift(nodules[1]!.points, 0.01), sopInstanceUid: nodules[1]!.sopInstanceUid, suggestedBy: tissue.id },
      // Changed: moved by a pixel; put on another slice; taken into another class; one point less.
      { id: ids[3], classId: noduleClass, kind: "FREEHAND", points: shift(nodules[2]!.points, 1), sopInstanceUid: nodules[2]!.sopInstanceUid, suggestedBy: tissue.id },
      { id: ids[4], classId: noduleClass, kind: "FREEHAND", points: nodules[3]!.points, sopInstanceUid: nodules[2]!.sopInstanceUid, suggestedBy: tissue.id },
      { id: ids[5], classId: box, kind: "RECTANGLE", points: [nodulesBox.slice(0, 2), nodulesBox.slice(2)], sopInstanceUid: nodules[0]!.sopInstanceUid, suggestedBy: tissue.id },
      { id: ids[6], classId: noduleClass, kind: "FREEHAND", points: nodules[1]!.points.slice(1), sopInstanceUid: nodules[1]!.sopInstanceUid, suggestedBy: tissue.id },
    ];
    const [{ key: seriesCaseKey }] = await sql<{ key: string }>(`SELECT key FROM cases WHERE id = $1`, [seriesCase]);
    const drawn = { id: randomUUID(), classId: noduleClass, kind: "FREEHAND", points: [[1, 1], [9, 1], [5, 6]], sopInstanceUid: sliceSop[2] };
    const saved = (await reader.caller.ok<{ saveDraft: { rois: Taken[] } }>(SAVE_DRAFT, { caseId: seriesCase, input: { labels: [], rois: [...taken, drawn] } })).saveDraft;
    const expected = [false, false, false, true, true, true, true].map((changed) => ({ suggestedBy: tissue.id, suggestionChanged: changed }));
    const provenance = (rois: Taken[]) => rois.map((x) => ({ suggestedBy: x.suggestedBy, suggestionChanged: x.suggestionChanged }));
    expect(provenance(saved.rois)).toEqual([...expected, { suggestedBy: null, suggestionChanged: null }]);

    // Not a version that suggested regions on this case (one that ran elsewhere, a made-up one), or not an id: refused, naming the region; nothing stored.
    for (const [suggestedBy, message] of [
      [speckles.id, "is not a model version that suggested regions on this case"],
      [randomUUID(), "is not a model version that suggested regions on this case"],
      ["tissue", "must be a model version id"],
    ] as const) {
      const res = await reader.caller.gql(SAVE_DRAFT, { caseId: seriesCase, input: { labels: [], rois: [drawn, { ...taken[0], id: randomUUID(), suggestedBy }] } });
      expect(errorCode(res), suggestedBy).toBe("BAD_USER_INPUT");
      expect(JSON.stringify(res.errors), suggestedBy).toContain("input.rois[1].suggestedBy");
      expect(JSON.stringify(res.errors), suggestedBy).toContain(message);
    }
    expect(provenance((await reader.caller.ok<{ myAnnotation: { rois: Taken[] } }>(MINE, { caseId: seriesCase })).myAnnotation.rois)).toEqual(provenance(saved.rois));

    // Submitted: rois.csv has the version and 1/0 for changed, empty for the drawn region.
    const submitted = (await reader.caller.ok<{ submitAnnotation: { version: number; rois: Taken[] } }>(SUBMIT_TAKEN, { caseId: seriesCase, input: { labels: [] } })).submitAnnotation;
    expect(provenance(submitted.rois)).toEqual(provenance(saved.rois));
    const res = await fetch(`${server.url}/export/projects/${projectId}/rois.csv`, { headers: { cookie: owner().cookie! } });
    expect(res.status).toBe(200);
    const rows = (parseCsv(await res.text(), { columns: true }) as Array<Record<string, string>>).filter((x) => x.annotator === reader.id);
    expect(rows.map((x) => [x.roi_id, x.suggested_by, x.suggestion_changed])).toEqual([
      ...taken.map((t, k) => [t.id, tissue.id, expected[k]!.suggestionChanged ? "1" : "0"]),
      [drawn.id, "", ""],
    ]);

    // The model against the readers: how many of each reader's regions were taken as suggested, taken and changed, or drawn.
    const sources = (
      await owner().ok<{ modelRoiAgreement: { readers: Array<{ reader: { id: string }; regions: { asSuggested: number; changed: number; other: number } }> } }>(
        `query($projectId: ID!, $modelVersionId: ID!) { modelRoiAgreement(projectId: $projectId, modelVersionId: $modelVersionId) { readers { reader { id } regions { asSuggested changed other } } } }`,
        { projectId, modelVersionId: tissue.id },
      )
    ).modelRoiAgreement.readers;
    expect(Object.fromEntries(sources.map((x) => [x.reader.id, x.regions]))).toEqual({
      [reader.id]: { asSuggested: 3, changed: 4, other: 1 },
      // Submitted in the test above without saying where they came from: drawn, for Concord.
      [team.ANNOTATOR.id]: { asSuggested: 0, changed: 0, other: 4 },
      [team.OWNER.id]: { asSuggested: 0, changed: 0, other: 1 },
    });

    // COCO: each annotation says the same.
    const coco = JSON.parse((await runExportJob(server, owner(), projectId, { format: "COCO", scope: "READER", readerId: reader.id })).body.toString("utf8")) as {
      annotations: Array<{ concord_roi_id: string; concord_suggested_by: string | null; concord_suggestion_changed: boolean | null }>;
    };
    expect(coco.annotations.map((a) => [a.concord_roi_id, a.concord_suggested_by, a.concord_suggestion_changed])).toEqual([
      ...taken.map((t, k) => [t.id, tissue.id, expected[k]!.suggestionChanged]),
      [drawn.id, null, null],
    ]);

    // DICOM SEG: a segment with a region taken from the model is SEMIAUTOMATIC, naming it; a reader who drew theirs, MANUAL.
    /** The segments of the series case's SEG: a reader's, or the consensus's (null). */
    const segments = async (readerId: string | null) => {
      const { body } = await runExportJob(server, owner(), projectId, readerId ? { format: "DICOM_SEG", scope: "READER", readerId } : { format: "DICOM_SEG", scope: "CONSENSUS" });
      const files = Object.entries(unzipSync(body)).filter(([name]) => name.endsWith(".dcm") && name.includes(seriesCaseKey));
      return files.flatMap(([, bytes]) => readSegmentation(bytes).segments.map((x) => [x.label, x.algorithmType, x.algorithmName]));
    };
    // (The class's stored name keeps an outer space; a DICOM LO value loses it.)
    expect(await segments(reader.id)).toEqual([
      ["nodule", "SEMIAUTOMATIC", "tissue v1"],
      ["vessel", "SEMIAUTOMATIC", "tissue v1"],
    ]);
    expect(await segments(team.ANNOTATOR.id)).toEqual([["nodule", "MANUAL", null]]);

    // The consensus layer is not checked when written: its export names a model version only when it is one of the project's.
    const consensus = new Y.Doc();
    const [fromModel, junk] = [randomUUID(), randomUUID()];
    putRoi(consensus, { id: fromModel, classId: noduleClass, kind: "FREEHAND", points: nodules[0]!.points, sopInstanceUid: nodules[0]!.sopInstanceUid, suggestedBy: tissue.id });
    putRoi(consensus, { id: junk, classId: noduleClass, kind: "FREEHAND", points: nodules[1]!.points, sopInstanceUid: nodules[1]!.sopInstanceUid, suggestedBy: "<img src=x>" });
    await team.REVIEWER.caller.ok(COLLAB_UPDATE, { caseId: seriesCase, layer: "consensus", update: Buffer.from(Y.encodeStateAsUpdate(consensus)).toString("base64") });
    const consensusCsv = parseCsv((await runExportJob(server, owner(), projectId, { format: "CSV_ROIS", scope: "CONSENSUS" })).body.toString("utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(Object.fromEntries(consensusCsv.map((x) => [x.roi_id, [x.suggested_by, x.suggestion_changed]]))).toEqual({ [fromModel]: [tissue.id, ""], [junk]: ["", ""] });
    expect(await segments(null)).toEqual([["nodule", "SEMIAUTOMATIC", "tissue v1"]]);

    // A revision starts from the submitted regions, where they came from included.
    const revised = (await reader.caller.ok<{ reviseAnnotation: { version: number; rois: Taken[] } }>(REVISE, { caseId: seriesCase })).reviseAnnotation;
    expect(revised.version).toBe(2);
    expect(provenance(revised.rois)).toEqual(provenance(saved.rois));

    // Through the reader's collaboration layer: the field in the Yjs document; moving the region there makes it changed.
    const trainee = team.TRAINEE;
    const doc = new Y.Doc();
    const id = randomUUID();
    const layer = `reader:${trainee.id}`;
    const push = async () => trainee.caller.gql(COLLAB_UPDATE, { caseId: seriesCase, layer, update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64") });
    putRoi(doc, { id, classId: noduleClass, kind: "FREEHAND", points: nodules[0]!.points, sopInstanceUid: nodules[0]!.sopInstanceUid, suggestedBy: tissue.id });
    expect((await push()).errors).toBeUndefined();
    const layerRois = async () => provenance((await trainee.caller.ok<{ myAnnotation: { rois: Taken[] } }>(MINE, { caseId: seriesCase })).myAnnotation.rois);
    expect(await layerRois()).toEqual([{ suggestedBy: tissue.id, suggestionChanged: false }]);
    putRoi(doc, { id, classId: noduleClass, kind: "FREEHAND", points: shift(nodules[0]!.points, -2), sopInstanceUid: nodules[0]!.sopInstanceUid });
    expect((await push()).errors).toBeUndefined();
    expect(await layerRois()).toEqual([{ suggestedBy: tissue.id, suggestionChanged: true }]);
    // A layer naming a version that suggested nothing here is refused, and the draft keeps what it had.
    putRoi(doc, { id: randomUUID(), classId: noduleClass, kind: "FREEHAND", points: nodules[1]!.points, sopInstanceUid: nodules[1]!.sopInstanceUid, suggestedBy: speckles.id });
    expect(errorCode(await push())).toBe("BAD_USER_INPUT");
    expect(await layerRois()).toEqual([{ suggestedBy: tissue.id, suggestionChanged: true }]);
  });

  it("a class renamed after its regions were taken: they stay as suggested at the next save; one moved, or taken into it after the rename, is changed", async () => {
    const reader = team.REVIEWER;
    const FULL = `query($caseId: ID!) { myAnnotation(caseId: $caseId) { version status rois { id classId kind points sopInstanceUid frame suggestedBy suggestionChanged } } }`;
    type Full = Taken & { points: number[][] };
    const mine = async () => (await reader.caller.ok<{ myAnnotation: { version: number; status: string; rois: Full[] } }>(FULL, { caseId: seriesCase })).myAnnotation;
    const before = await mine();
    expect(before).toMatchObject({ version: 2, status: "DRAFT" });
    const unchanged = before.rois.filter((r) => r.suggestedBy && r.suggestionChanged === false && r.classId === noduleClass);
    expect(unchanged.length).toBeGreaterThanOrEqual(2);
    const RENAME = `mutation($id: ID!, $input: UpdateLabelInput!) { updateLabel(id: $id, input: $input) { id name } }`;
    await owner().ok(RENAME, { id: noduleClass, input: { name: "Solid nodule" } });
    try {
      const input = (rois: Full[]) => rois.map(({ suggestionChanged: _c, ...r }) => r);
      // The same regions saved again: the taken ones keep what they were, though "Solid nodule" no longer names the label.
      const again = (await reader.caller.ok<{ saveDraft: { rois: Taken[] } }>(SAVE_DRAFT, { caseId: seriesCase, input: { labels: [], rois: input(before.rois) } })).saveDraft;
      expect(again.rois.map((r) => [r.id, r.suggestionChanged])).toEqual(before.rois.map((r) => [r.id, r.suggestionChanged]));
      // Moved by a pixel: changed. Taken into the renamed class only now (a new region, the same outline): its class is not the label's.
      const [first, second] = unchanged;
      const moved = { ...first!, points: first!.points.map(([x, y]: number[]) => [x! + 1, y!]) };
      const fresh = { ...second!, id: randomUUID() };
      const rois = input([...before.rois.map((r) => (r.id === first!.id ? moved : r)), fresh]);
      const saved = (await reader.caller.ok<{ saveDraft: { rois: Taken[] } }>(SAVE_DRAFT, { caseId: seriesCase, input: { labels: [], rois } })).saveDraft;
      const changed = new Map(saved.rois.map((r) => [r.id, r.suggestionChanged]));
      expect([changed.get(first!.id), changed.get(second!.id), changed.get(fresh.id)]).toEqual([true, false, true]);
    } finally {
      await owner().ok(RENAME, { id: noduleClass, input: { name: "Nodule" } });
    }
  });

  it("keeps where the model hesitates, on the case's most hesitant image: what the most-uncertain queue reads", async () => {
    // Two slices whose grey rises across the image through both of the model's class boundaries:
    // the first from its left edge to its right, the second over its right half only.
    const ramp = (from: number) => Uint16Array.from({ length: S * S }, (_, i) => Math.round((Math.max(0, (i % S) - from) / (S - 1 - from)) * 4095));
    const study = uid();
    const series = uid();
    const files = [0, S / 2].map((from, k) => ({ name: `ramp${k + 1}.dcm`, bytes: ctImage({ study, series, sop: `${series}.${k + 1}`, n: k + 1, size: S, frames: [ramp(from)] }) }));
    const caseId = await newCase(() => stowOk(server, projectId, owner(), files));
    const { events } = await runAndFollow(team.ANNOTATOR.caller, caseId, tissue.id);
    expect(events.at(-1)).toMatchObject({ status: "DONE" });
    // The same model on the same decoded slices, here.
    const { bytes, metadata } = tissueModel();
    const loaded = await openModel(bytes, parseModelMetadata(metadata));
    const shares: number[] = [];
    try {
      for (const f of files) {
        const image = greyFrames(f.bytes, f.name)!.frame(1);
        const { scores, channels, h, w } = await segmentScores(loaded, image);
        shares.push(hesitantShare(scores, channels, h, w, { background: true, threshold: 0.5 }));
      }
    } finally {
      await closeModel(loaded);
    }
    expect(shares[0]).toBeGreaterThan(shares[1]!);
    expect(shares[1]).toBeGreaterThan(0);
    const [row] = await sql<{ hesitant: number }>(`SELECT (regions->>'hesitant')::float8 AS hesitant FROM predictions WHERE case_id = $1 AND model_version_id = $2`, [caseId, tissue.id]);
    expect(row!.hesitant).toBe(Math.max(...shares));
    // And the readers see it beside the regions; a prediction stored before it was kept says null.
    expect((await regionsOf(team.ANNOTATOR.caller, caseId, tissue.id)).hesitant).toBe(Math.max(...shares));
    await sql(`UPDATE predictions SET regions = regions - 'hesitant' WHERE case_id = $1 AND model_version_id = $2`, [caseId, tissue.id]);
    expect((await regionsOf(team.ANNOTATOR.caller, caseId, tissue.id)).hesitant).toBeNull();
  });

  it("a point class named like a label is no match: no region is offered to it, a point cannot claim a suggestion, and the model's agreement leaves points out", async () => {
    // "Vessel" becomes a point class (its rectangle class of the test above archived).
    const [live] = await sql<{ id: string }>(`SELECT id FROM label_definitions WHERE project_id = $1 AND lower(name) = 'vessel' AND archived_at IS NULL`, [projectId]);
    await owner().ok(ARCHIVE_LABEL, { id: live!.id });
    const landmark = await buildLabel(owner(), projectId, { name: "Vessel", kind: "ROI", roiShape: "POINT" });
    const r = await regionsOf(owner(), seriesCase, tissue.id);
    expect(r.regions.filter((x) => x.label === "Vessel")).toEqual([expect.objectContaining({ roiClassId: null, roiShape: null })]);
    expect(r.unmatchedLabels).toEqual(["Vessel"]);

    // A point saying it was taken from the model: refused, naming it.
    const reader = team.MANAGER;
    const point = { classId: landmark, kind: "POINT", points: [[10, 50]], sopInstanceUid: sliceSop[1] };
    const refused = await reader.caller.gql(SAVE_DRAFT, { caseId: seriesCase, input: { labels: [], rois: [{ ...point, suggestedBy: tissue.id }] } });
    expect(errorCode(refused)).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(refused.errors)).toContain("input.rois[0].suggestedBy: must be absent on a point");

    // A reader who marked only points, on a case the model ran on: compared as one who drew no nodule
    // (Dice 0 on the four slices with one), the points neither a class nor a region of theirs here.
    await reader.caller.ok(SUBMIT, { caseId: seriesCase, input: { labels: [], rois: [point, { ...point, points: [[20, 40]] }] } });
    const QUERY = `query($projectId: ID!, $modelVersionId: ID!) { modelRoiAgreement(projectId: $projectId, modelVersionId: $modelVersionId) {
      roiClasses { roiClass { id } points { n } } readers { reader { id } overlap { n meanDice } regions { asSuggested changed other } } } }`;
    const { modelRoiAgreement: a } = await owner().ok<{
      modelRoiAgreement: { roiClasses: Array<{ roiClass: { id: string }; points: null }>; readers: Array<{ reader: { id: string }; overlap: { n: number; meanDice: number }; regions: unknown }> };
    }>(QUERY, { projectId, modelVersionId: tissue.id });
    expect(a.roiClasses.map((c) => c.roiClass.id)).toContain(noduleClass);
    expect(a.roiClasses.map((c) => c.roiClass.id)).not.toContain(landmark);
    expect(a.roiClasses.every((c) => c.points === null)).toBe(true);
    expect(a.readers.find((x) => x.reader.id === reader.id)).toEqual({ reader: { id: reader.id }, overlap: { n: 4, meanDice: 0 }, regions: { asSuggested: 0, changed: 0, other: 0 } });
  });

  it("a line class named like a label is no match: no region is offered to it, a line cannot claim a suggestion, and the model's agreement leaves lines out", async () => {
    // "Vessel" becomes a line class (the point class of the test above archived).
    const [live] = await sql<{ id: string }>(`SELECT id FROM label_definitions WHERE project_id = $1 AND lower(name) = 'vessel' AND archived_at IS NULL`, [projectId]);
    await owner().ok(ARCHIVE_LABEL, { id: live!.id });
    const length = await buildLabel(owner(), projectId, { name: "Vessel", kind: "ROI", roiShape: "LINE" });
    const r = await regionsOf(owner(), seriesCase, tissue.id);
    expect(r.regions.filter((x) => x.label === "Vessel")).toEqual([expect.objectContaining({ roiClassId: null, roiShape: null })]);
    expect(r.unmatchedLabels).toEqual(["Vessel"]);

    // A line saying it was taken from the model: refused, naming it.
    const reader = team.MANAGER;
    const line = { classId: length, kind: "LINE", points: [[10, 50], [30, 20]], sopInstanceUid: sliceSop[1] };
    const refused = await reader.caller.gql(SAVE_DRAFT, { caseId: seriesCase, input: { labels: [], rois: [{ ...line, suggestedBy: tissue.id }] } });
    expect(errorCode(refused)).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(refused.errors)).toContain("input.rois[0].suggestedBy: must be absent on a line");

    // A reader who drew only lines, one across the slice's nodule: compared as one who drew no nodule
    // (Dice 0 on the four slices with one), the lines neither a class nor a region of theirs here.
    // (Their points of the test above are revised away.)
    await reader.caller.ok(REVISE, { caseId: seriesCase });
    await reader.caller.ok(SUBMIT, { caseId: seriesCase, input: { labels: [], rois: [line, { ...line, points: [[0, 0], [S, S]] }] } });
    const QUERY = `query($projectId: ID!, $modelVersionId: ID!) { modelRoiAgreement(projectId: $projectId, modelVersionId: $modelVersionId) {
      roiClasses { roiClass { id } } readers { reader { id } overlap { n meanDice } regions { asSuggested changed other } } } }`;
    const { modelRoiAgreement: a } = await owner().ok<{
      modelRoiAgreement: { roiClasses: Array<{ roiClass: { id: string } }>; readers: Array<{ reader: { id: string }; overlap: { n: number; meanDice: number }; regions: unknown }> };
    }>(QUERY, { projectId, modelVersionId: tissue.id });
    expect(a.roiClasses.map((c) => c.roiClass.id)).toContain(noduleClass);
    expect(a.roiClasses.map((c) => c.roiClass.id)).not.toContain(length);
    expect(a.readers.find((x) => x.reader.id === reader.id)).toEqual({ reader: { id: reader.id }, overlap: { n: 4, meanDice: 0 }, regions: { asSuggested: 0, changed: 0, other: 0 } });
  });
});
