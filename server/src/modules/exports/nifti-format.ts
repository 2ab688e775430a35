import { isAreaShape } from "../projects/projects.entity.js";
import type { SourceImage } from "./dicom/types.js";
import { caseKeyPath, consensusReadings, excludedCasesNote, LeftOutPointsAndLines, readerReadings, roisByImage, ZipSink, type Reading } from "./dicom-formats.js";
import type { ExportFormatSpec } from "./formats.js";
import { caseVolumes, type ExportVolume } from "./nifti/volumes.js";
import { testPercent, type CaseSplit } from "../cases/splits.js";

// The NIfTI export: a ZIP laid out as an nnU-Net v2 raw dataset, the form segmentation models are
// trained from (nnU-Net, MONAI, TotalSegmentator's tooling):
//
//   dataset.json                  channel names, label values, numTraining, file ending
//   imagesTr/<case>_0000.nii.gz   each case's image (colour: _0000, _0001, _0002 for R, G, B)
//   labelsTr/<case>.nii.gz        its label mask: 0 background, each ROI class its value
//   imagesTs/, labelsTs/          the same for the cases of the project's TEST split
//   splits_final.json             one fold: the TRAIN cases to train on, the VALIDATION cases to validate with
//   cases/<case>.json             which DICOM images and frames are the slices, its split, and notes
//
// A case whose images make several volumes (two series, or images of other sizes) has one file
// each, named <case>-1, <case>-2... Label masks go in labelsTr when each case has one reading in
// the export (the consensus, or one reader's latest); with every reader or every version they go
// in readers/<reader>/<case>.nii.gz (readers/<reader>-v<version>/ with every version) instead, for label fusion or agreement studies.
// A reading's mask is written for every volume of its case, empty where it drew nothing: a
// submitted reading without ROIs says there is nothing to segment. Point classes (landmarks) and
// line classes (lengths) have no label value: a point or a line encloses no voxel, so their points
// and lines are left out, as dataset.json's notes say.

/** What cases/<case>.json says of a case's volumes. */
interface CaseRecord {
  case: string;
  split: CaseSplit;
  volumes: Array<{
    name: string;
    images: string[];
    /** Slice k of the files is slices[k]: the DICOM image and frame it came from. */
    slices: Array<{ sopInstanceUid: string; frame: number }>;
    spacing: number[];
    placed: boolean;
    notes: string[];
  }>;
}

export const NIFTI_FORMAT: ExportFormatSpec = {
  extension: "zip",
  contentType: "application/zip",
  scopes: ["ALL_READERS", "READER", "CONSENSUS"],
  async write(ctx) {
    const { job } = ctx;
    const projectName = await ctx.reads.projectName(job.projectId);
    const splitSettings = await ctx.reads.datasetSplit(job.projectId);
    const classes = (await ctx.reads.labels(job.projectId)).filter((l) => l.kind === "ROI" && (l.roiShape == null || isAreaShape(l.roiShape)));
    const valueOf = new Map(classes.map((c, i) => [c.name, i + 1]));
    const oneReadingPerCase = job.scope === "CONSENSUS" || (job.scope === "READER" && !job.allVersions);
    const sink = new ZipSink(ctx);
    // Readings come in case key order (each case's readers together), so only the current case's volumes are kept.
    let current: { caseKey: string; volumes: Array<ExportVolume & { imaged: boolean }> } | null = null;
    const channels = new Set<string>();
    const notes = new Set<string>();
    const leftOut = new LeftOutPointsAndLines();
    let imagesWritten = 0;
    let labelFiles = 0;
    // The files' case identifiers (<case> and <case>-2...) in each split, for splits_final.json.
    const fold = { train: [] as string[], val: [] as string[] };

    /** The case's volumes, each with whether its image file was written. */
    const writeImages = async (reading: Reading, base: string, sources: SourceImage[], split: CaseSplit): Promise<Array<ExportVolume & { imaged: boolean }>> => {
      const record: CaseRecord = { case: reading.caseKey, split, volumes: [] };
      const out = [];
      const keys = new Map(sources.map((s) => [s.sopInstanceUid, s.storageKey]));
      for (const volume of caseVolumes(sources)) {
        const name = `${base}${volume.suffix}`;
        const files = [];
        for (const sop of new Set(volume.slices.map((s) => s.sopInstanceUid))) {
          const key = keys.get(sop);
          if (key) files.push({ sopInstanceUid: sop, bytes: await ctx.readInstance(key).catch(() => null) });
        }
        const readable = files.filter((f): f is { sopInstanceUid: string; bytes: Uint8Array } => f.bytes !== null);
        // The files move to the compute thread rather than being copied there: a series is held once.
        const image = await ctx.compute.runMoving("niftiImage", readable.map((f) => f.bytes), { volume, files: readable });
        const paths: string[] = [];
        const volumeNotes = [...volume.notes];
        if ("problem" in image) {
          volumeNotes.push(`no image file: ${image.problem}`);
          notes.add(`${name}: no image file (${image.problem})`);
        } else {
          for (const [c, bytes] of image.channels.entries()) {
            const path = `${split === "TEST" ? "imagesTs" : "imagesTr"}/${name}_${String(c).padStart(4, "0")}.nii.gz`;
            await sink.add(path, bytes, reading.submittedAt);
            paths.push(path);
          }
          if (split !== "TEST") imagesWritten++;
          if (split !== "TEST") (split === "TRAIN" ? fold.train : fold.val).push(name);
          channels.add(JSON.stringify(image.channels.length === 3 ? { 0: "R", 1: "G", 2: "B" } : { 0: image.modality === "CT" ? "CT" : image.modality || "image" }));
        }
        record.volumes.push({ name, images: paths, slices: volume.slices, spacing: volume.spacing, placed: volume.geometry !== null, notes: volumeNotes });
        out.push({ ...volume, imaged: paths.length > 0 });
      }
      await sink.add(`cases/${base}.json`, new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`), reading.submittedAt);
      return out;
    };

    const writeLabels = async (reading: Reading, base: string, sources: SourceImage[], volumes: Array<ExportVolume & { imaged: boolean }>, split: CaseSplit) => {
      const rois = [];
      let unknownClass = 0;
      for (const [sop, onImage] of roisByImage(reading, sources)) {
        for (const roi of leftOut.areas(onImage)) {
          const value = valueOf.get(roi.className);
          if (value === undefined) unknownClass++;
          else rois.push({ kind: roi.kind, points: roi.points, sopInstanceUid: sop, frame: roi.frame ?? 1, value });
        }
      }
      if (unknownClass) notes.add(`${base}: ${unknownClass} ROI(s) of a class the project no longer has were left out`);
      const who = job.allVersions && reading.version != null ? `${reading.readerId}-v${reading.version}` : reading.readerId;
      const folder = oneReadingPerCase ? (split === "TEST" ? "labelsTs" : "labelsTr") : `readers/${caseKeyPath(who)}`;
      for (const volume of volumes) {
        // A training set's label without its image would stop nnU-Net; the case's notes say why it is missing.
        if (oneReadingPerCase && !volume.imaged) continue;
        const { file } = await ctx.compute.run("niftiLabelMask", { volume, rois, maxValue: classes.length });
        await sink.add(`${folder}/${base}${volume.suffix}.nii.gz`, file, reading.submittedAt);
        if (!oneReadingPerCase || split !== "TEST") labelFiles++;
      }
    };

    const onBatch = async (readings: Reading[]) => {
      const keys = [...new Set(readings.map((r) => r.caseKey))];
      const sources = await ctx.reads.caseSources(job.projectId, keys);
      const splits = await ctx.reads.caseSplits(job.projectId, keys);
      for (const reading of readings) {
        const images = sources.get(reading.caseKey);
        // Cases without an image (gone since) have nothing to place a mask on.
        if (!images?.length) continue;
        const base = caseKeyPath(reading.caseKey);
        const split = splits.get(reading.caseKey) ?? "TRAIN";
        if (current?.caseKey !== reading.caseKey) current = { caseKey: reading.caseKey, volumes: await writeImages(reading, base, images, split) };
        await writeLabels(reading, base, images, current.volumes, split);
      }
    };
    if (job.scope === "CONSENSUS") await consensusReadings(ctx, onBatch, false);
    else await readerReadings(ctx, onBatch, false);

    const excluded = excludedCasesNote(await ctx.reads.excludedCases(job.projectId));
    if (excluded) notes.add(excluded);
    for (const note of leftOut.notes("label value")) notes.add(note);
    if (channels.size > 1) notes.add(`the cases' images differ in their channels (${[...channels].join(", ")}); dataset.json names the first`);
    const dataset = {
      channel_names: channels.size ? JSON.parse([...channels][0]!) : { 0: "image" },
      labels: Object.fromEntries([["background", 0], ...classes.map((c, i) => [c.name, i + 1])]),
      numTraining: oneReadingPerCase ? labelFiles : imagesWritten,
      file_ending: ".nii.gz",
      name: projectName,
      description:
        `Exported from Concord (${job.scope === "CONSENSUS" ? "the consensus ROIs" : job.scope === "READER" ? "one reader's ROIs" : "every reader's ROIs"}); cases/<case>.json names each file's DICOM images and its split. ` +
        `The project's TEST split (${testPercent(splitSettings)} % of ${splitSettings.groupBy === "PATIENT" ? "patients" : splitSettings.groupBy === "STUDY" ? "studies" : "cases"}) is in imagesTs${oneReadingPerCase ? " and labelsTs" : ""}; ` +
        `splits_final.json is one fold, TRAIN (${splitSettings.trainPercent} %) to train on and VALIDATION (${splitSettings.validationPercent} %) to validate with: copy it to the dataset's nnUNet_preprocessed folder to use it.` +
        `${oneReadingPerCase ? "" : " Label masks are in readers/<reader>/, one folder per reader: copy one to labelsTr to train."}`,
      ...(notes.size ? { notes: [...notes] } : {}),
    };
    await sink.add("dataset.json", new TextEncoder().encode(`${JSON.stringify(dataset, null, 2)}\n`), new Date());
    await sink.add("splits_final.json", new TextEncoder().encode(`${JSON.stringify([fold], null, 2)}\n`), new Date());
    await sink.end();
    return { items: sink.files };
  },
};
