import { randomBytes, randomUUID } from "node:crypto";
import type { Actor } from "../access/access.js";
import { loadConfig } from "../config.js";
import { AppError } from "../errors.js";
import { createLogger } from "../logger.js";
import { closePlatform, openPlatform } from "../main.js";
import { createServices, type Platform, type Services } from "../services.js";
import { AccountsRepository } from "../modules/accounts/accounts.repository.js";
import { hashPassword } from "../modules/accounts/passwords.js";
import { IDLE_THRESHOLD_SECONDS } from "../modules/annotations/timing.js";
import { cxrFindingBoxes, randomCxr, seededRandom, SYNTHETIC_MANUFACTURER, syntheticCxrDicom, type CxrFinding, type CxrFindingBox } from "../modules/ai/synthetic-cxr.js";
import { simulateReader, type LabelProfile, type ReaderProfile } from "../modules/ai/simulated-readers.js";

// `concord demo`: a project shaped like the MarkIt paper's experiment (three readers, the paper's
// seven findings on PA chest radiographs), on synthetic images whose truth is known, read by
// simulated readers through the same services the UI uses (ingest with de-identification, submit
// with timing, training on the consensus, inference), so every page has live data to show.

export const DEMO_PROJECT_NAME = "MarkIt demo (synthetic)";
export const DEMO_MODEL_NAME = "Demo chest X-ray model";
export const DEMO_REGIONS_MODEL_NAME = "Demo finding regions";
export const DEMO_DOMAIN = "markit-demo.example";
export const DEFAULT_CASES = 300;
/** The demo's landmark class: every reader marks it on every case (the review page compares their points). */
export const DEMO_LANDMARK = "Left heart border";
/** The demo's line class: every reader draws the heart's width on every case (the review page compares their lengths). */
export const DEMO_LINE = "Heart width";

/**
 * The demo's label group: the heart's size graded by the cardiothoracic ratio, an ordered scale
 * every reader must answer. Each reader measures the ratio with an error of a few hundredths, so
 * readers disagree near the cut-offs, one step apart: what the review's weighted κ is for.
 */
export const DEMO_HEART_SIZE = {
  group: "Heart size (CTR)",
  grades: [
    { label: "CTR below 0.45", below: 0.45 },
    { label: "CTR 0.45 to 0.50", below: 0.5 },
    { label: "CTR 0.50 or more", below: Infinity },
  ],
} as const;
/** How far off (SD of the cardiothoracic ratio) an average reader's estimate is. */
const CTR_READING_SD = 0.015;

/** The grade (index into DEMO_HEART_SIZE.grades) of a cardiothoracic ratio. */
export function heartSizeGrade(ctr: number): number {
  return DEMO_HEART_SIZE.grades.findIndex((g) => ctr < g.below);
}

/** The paper's seven labels, each with the generator finding that draws it, its prevalence and reading profile. */
interface DemoFinding {
  label: string;
  finding: CxrFinding;
  description: string;
  prevalence: number;
  /** Median seconds per label (lognormal), and how hard it is: sensitivity and specificity of an average reader. */
  medianSeconds: number;
  spread: number;
  sensitivity: number;
  specificity: number;
}

// Times follow the paper (cardiomegaly fastest, 4.6 s mean; pneumothorax slowest, 13.9 s; 6.2 s overall).
export const DEMO_FINDINGS: readonly DemoFinding[] = [
  { label: "Interstitial lung disease", finding: "ild", description: "Reticular pattern, lower and peripheral zones", prevalence: 0.1, medianSeconds: 5.6, spread: 0.5, sensitivity: 0.75, specificity: 0.94 },
  { label: "Pneumonia", finding: "consolidation", description: "Consolidation: patchy airspace opacity, air bronchograms", prevalence: 0.15, medianSeconds: 5.2, spread: 0.5, sensitivity: 0.85, specificity: 0.93 },
  { label: "Pulmonary edema", finding: "edema", description: "Perihilar (bat-wing) haze, Kerley B lines", prevalence: 0.12, medianSeconds: 5.0, spread: 0.5, sensitivity: 0.8, specificity: 0.95 },
  { label: "Pleural effusion", finding: "effusion", description: "Fluid at a lung base, blunted costophrenic angle", prevalence: 0.2, medianSeconds: 4.6, spread: 0.45, sensitivity: 0.9, specificity: 0.95 },
  { label: "Cardiomegaly", finding: "cardiomegaly", description: "Cardiothoracic ratio 0.5 or more on a PA film", prevalence: 0.25, medianSeconds: 4.1, spread: 0.45, sensitivity: 0.93, specificity: 0.95 },
  { label: "Pneumothorax", finding: "pneumothorax", description: "Visible pleural line, no lung markings beyond it", prevalence: 0.1, medianSeconds: 11.5, spread: 0.6, sensitivity: 0.8, specificity: 0.98 },
  { label: "Atelectasis", finding: "atelectasis", description: "Band-like density with volume loss", prevalence: 0.15, medianSeconds: 5.0, spread: 0.5, sensitivity: 0.75, specificity: 0.93 },
];

/** Three readers of similar level, as in the paper; C is fastest on everything but pneumothorax (its Fig. 4). */
const READERS = [
  { tag: "reader-a", name: "Reader A (simulated)", speed: 1.1, ptxSpeed: 1.0, skill: 1.0, seed: 101 },
  { tag: "reader-b", name: "Reader B (simulated)", speed: 1.0, ptxSpeed: 0.95, skill: 1.03, seed: 202 },
  { tag: "reader-c", name: "Reader C (simulated)", speed: 0.72, ptxSpeed: 1.2, skill: 0.97, seed: 303 },
];

export function demoReaderProfiles(): ReaderProfile[] {
  return READERS.map((r) => ({
    seed: r.seed,
    labels: Object.fromEntries(
      DEMO_FINDINGS.map((f): [string, LabelProfile] => [
        f.label,
        {
          sensitivity: Math.min(0.99, f.sensitivity * r.skill),
          specificity: Math.min(0.995, 1 - (1 - f.specificity) / r.skill),
          timeSeconds: { median: f.medianSeconds * (f.finding === "pneumothorax" ? r.ptxSpeed : r.speed), spread: f.spread },
        },
      ]),
    ),
  }));
}

export interface DemoOptions {
  cases: number;
  /** Where progress and the final instructions go. */
  out: NodeJS.WritableStream;
  /** Draw progress bars (a terminal); otherwise a line per step. */
  bars: boolean;
  /** First image seed; cases use seed, seed + 1, ... */
  seed?: number;
}

export interface DemoResult {
  created: boolean;
  projectId: string;
  ownerEmail: string;
  password: string | null;
  cases: number;
  submissions: number;
  modelVersionId: string | null;
  timings: Record<string, number>;
}

/** `concord demo [--cases N]`: the CLI wrapper (opens the configured platform, seeds, closes). */
export async function demoCommand(argv: string[]): Promise<number> {
  let cases = DEFAULT_CASES;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--cases") cases = Number(argv[++i]);
    else if (a.startsWith("--cases=")) cases = Number(a.slice(8));
    else {
      console.error(`Unknown option ${a}\nUsage: concord demo [--cases N]`);
      return 2;
    }
  }
  if (!Number.isInteger(cases) || cases < 10 || cases > 10_000) {
    console.error("--cases must be a whole number from 10 to 10000 (training needs 10 cases with a consensus)");
    return 2;
  }
  // The services log at info; the demo draws its own progress, so only warnings go through.
  const config = loadConfig({ LOG_LEVEL: "warn", ...process.env });
  const log = createLogger(config.logLevel);
  const out = process.stdout;
  out.write(config.databaseUrl ? "Using the database at DATABASE_URL.\n" : `Starting the embedded database in ${config.dataDir} ...\n`);
  // The demo writes rows, so the schema must be there, external database or not.
  const platform = await openPlatform(config, log, { migrate: true }).catch((err: unknown) => {
    // The usual cause: `npm start` holds the embedded database of this data dir.
    if (!config.databaseUrl) throw new Error(`${(err as Error).message}\nIf Concord is running on ${config.dataDir}, stop it, run the demo, then start it again.`);
    throw err;
  });
  let services: Services | null = null;
  try {
    services = createServices(platform);
    await seedDemo(platform, services, { cases, out, bars: !!process.stdout.isTTY });
    return 0;
  } finally {
    await closePlatform(platform);
    await services?.ai.close();
  }
}

/** Seeds the demo project on an open platform; skips (and says so) when it already exists. */
export async function seedDemo(platform: Platform, services: Services, options: DemoOptions): Promise<DemoResult> {
  const { out } = options;
  const say = (line: string) => out.write(`${line}\n`);
  const timings: Record<string, number> = {};
  const started = Date.now();
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    const result = await fn();
    timings[name] = (Date.now() - t) / 1000;
    return result;
  };
  const db = platform.db.dataSource;
  const ownerEmail = `owner@${DEMO_DOMAIN}`;

  const existing = (await db.query(`SELECT id FROM projects WHERE name = $1 ORDER BY created_at LIMIT 1`, [DEMO_PROJECT_NAME])) as Array<{ id: string }>;
  if (existing.length) {
    say(`The demo project "${DEMO_PROJECT_NAME}" already exists; nothing to do. Log in as ${ownerEmail} (the password printed when it was made).`);
    return { created: false, projectId: existing[0]!.id, ownerEmail, password: null, cases: 0, submissions: 0, modelVersionId: null, timings };
  }

  // Accounts: one generated password for the demo's four accounts (an existing demo account gets it too).
  const password = randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  const account = async (email: string, name: string): Promise<Actor> => {
    const repo = new AccountsRepository(db.manager);
    const found = await repo.findUserByEmail(email);
    if (found) {
      await db.query(`UPDATE users SET password_hash = $1 WHERE id = $2`, [passwordHash, found.id]);
      return { userId: found.id, via: "session" };
    }
    return { userId: (await repo.insertUser({ email, name, passwordHash })).id, via: "session" };
  };
  const owner = await account(ownerEmail, "Demo owner");
  const readers: Actor[] = [];
  for (const r of READERS) readers.push(await account(`${r.tag}@${DEMO_DOMAIN}`, r.name));

  const { project } = await services.projects.create(owner, DEMO_PROJECT_NAME, {
    description:
      "Synthetic chest radiographs (generated by Concord, not patients) read by three simulated readers, shaped like the MarkIt paper's experiment: the paper's seven findings, blind reading, three readers per case.",
    readersPerCase: 3,
    blindReading: true,
  });
  const labelIds = new Map<string, string>();
  for (const f of DEMO_FINDINGS) {
    const label = await services.projects.createLabel(owner, project.id, { kind: "CLASSIFICATION", name: f.label, description: f.description });
    labelIds.set(f.label, label.id);
  }
  const gradeIds: string[] = [];
  for (const g of DEMO_HEART_SIZE.grades) gradeIds.push((await services.projects.createLabel(owner, project.id, { kind: "CLASSIFICATION", name: g.label })).id);
  await services.projects.createLabelGroup(owner, project.id, { name: DEMO_HEART_SIZE.group, labelIds: gradeIds, ordinal: true, required: true });
  const roiClass = await services.projects.createLabel(owner, project.id, { kind: "ROI", roiShape: "RECTANGLE", name: "Finding region", description: "Where a localised finding is (pneumonia, pneumothorax, atelectasis)" });
  const borderClass = await services.projects.createLabel(owner, project.id, {
    kind: "ROI",
    roiShape: "POINT",
    name: DEMO_LANDMARK,
    description: "The heart's outermost point on the patient's left: one end of the cardiothoracic ratio's heart width",
  });
  const widthClass = await services.projects.createLabel(owner, project.id, {
    kind: "ROI",
    roiShape: "LINE",
    name: DEMO_LINE,
    description: "The heart's greatest transverse width, border to border: the cardiothoracic ratio's numerator",
  });
  for (const r of READERS) await services.projects.grantRole(owner, project.id, `${r.tag}@${DEMO_DOMAIN}`, "ANNOTATOR");
  say(`Created "${DEMO_PROJECT_NAME}": owner ${ownerEmail}, readers ${READERS.map((r) => `${r.tag}@${DEMO_DOMAIN}`).join(", ")}.`);

  // Images: generated, written as DICOM and uploaded in batches through the normal ingest.
  const firstSeed = options.seed ?? 20_260_000;
  const prevalence = Object.fromEntries(DEMO_FINDINGS.map((f) => [f.finding, f.prevalence]));
  const truthByCase = new Map<string, Record<string, boolean>>();
  const boxesByCase = new Map<string, CxrFindingBox[]>();
  /** The left heart border in image pixels: the heart's outermost point on the patient's left (the image's right on a PA film). */
  const borderByCase = new Map<string, [number, number]>();
  /** The heart's width in image pixels: its outermost points on either side, at its centre's height. */
  const widthByCase = new Map<string, [[number, number], [number, number]]>();
  const ctrByCase = new Map<string, number>();
  const caseOrder: string[] = [];
  const upload = progressBar(out, "Uploading cases ", options.cases, options.bars);
  await step("upload", async () => {
    const BATCH = 24;
    for (let first = 0; first < options.cases; first += BATCH) {
      const files = [];
      const truths: Array<Record<string, boolean>> = [];
      const boxes: CxrFindingBox[][] = [];
      const borders: Array<[number, number]> = [];
      const widths: Array<[[number, number], [number, number]]> = [];
      const ctrs: number[] = [];
      for (let i = first; i < Math.min(options.cases, first + BATCH); i++) {
        const seed = firstSeed + i;
        const image = randomCxr(seed, { width: 256, height: 256, bitsStored: 12, view: "PA", prevalence });
        files.push({ name: `synthetic-cxr-${String(i + 1).padStart(4, "0")}.dcm`, bytes: syntheticCxrDicom(image, { patientId: `SYNTH-${seed}`, accessionNumber: `DEMO${i + 1}` }) });
        truths.push(Object.fromEntries(DEMO_FINDINGS.map((f) => [f.label, image.labels[f.finding]])));
        boxes.push(cxrFindingBoxes(image));
        const { heart } = image.geometry;
        ctrs.push(image.geometry.cardiothoracicRatio);
        borders.push([(heart.cx + heart.rx) * image.width, heart.cy * image.height]);
        widths.push([
          [(heart.cx - heart.rx) * image.width, heart.cy * image.height],
          [(heart.cx + heart.rx) * image.width, heart.cy * image.height],
        ]);
      }
      const { results } = await services.images.upload(owner, project.id, files, "GRAPHQL");
      const instanceIds = results.map((r) => r.instanceId);
      const refused = results.filter((r) => r.status === "REFUSED");
      if (refused.length) throw new Error(`ingest refused ${refused.length} synthetic file(s): ${refused[0]!.message}`);
      const rows = (await db.query(`SELECT id, instance_id FROM cases WHERE project_id = $1 AND instance_id = ANY($2)`, [project.id, instanceIds])) as Array<{ id: string; instance_id: string }>;
      const caseOf = new Map(rows.map((r) => [r.instance_id, r.id]));
      results.forEach((r, k) => {
        const caseId = r.instanceId ? caseOf.get(r.instanceId) : undefined;
        if (!caseId) throw new Error(`${r.fileName} did not become a case`);
        truthByCase.set(caseId, truths[k]!);
        boxesByCase.set(caseId, boxes[k]!);
        borderByCase.set(caseId, borders[k]!);
        widthByCase.set(caseId, widths[k]!);
        ctrByCase.set(caseId, ctrs[k]!);
        caseOrder.push(caseId);
      });
      upload.update(caseOrder.length);
    }
  });
  upload.done();

  // Readings: every reader submits every case, with their simulated values, confidence and timing.
  const simulated = demoReaderProfiles().map(simulateReader);
  const total = caseOrder.length * readers.length;
  const reading = progressBar(out, "Simulated reads ", total, options.bars);
  let submitted = 0;
  await step("readings", async () => {
    const jobs: Array<() => Promise<void>> = [];
    for (const caseId of caseOrder) {
      readers.forEach((actor, r) => {
        jobs.push(async () => {
          const index = caseOrder.indexOf(caseId);
          // Keyed by the image's seed, not the case id, so a rerun of the demo reads the same.
          const read = simulated[r]!.read(firstSeed + index, truthByCase.get(caseId)!);
          const labelId = (name: string) => labelIds.get(name)!;
          // A reader who found a localised finding draws a box around it, a few pixels off the truth.
          const jitter = seededRandom(READERS[r]!.seed * 7919 + index);
          const rois: Array<{ classId: string; kind: "RECTANGLE" | "POINT" | "LINE"; points: number[][] }> = boxesByCase
            .get(caseId)!
            .filter((b) => read.labels.some((l) => l.value && DEMO_FINDINGS.find((f) => f.label === l.label)?.finding === b.finding))
            .map((b) => {
              const [x0, y0, x1, y1] = b.box.map((v) => Math.min(256, Math.max(0, v + Math.round((jitter() * 2 - 1) * 4))));
              return { classId: roiClass.id, kind: "RECTANGLE", points: [[Math.min(x0!, x1! - 2), Math.min(y0!, y1! - 2)], [x1!, y1!]] };
            });
          // Every reader marks the left heart border, within a few pixels of it (clicks land to a tenth of a pixel).
          const [bx, by] = borderByCase.get(caseId)!;
          const near = (v: number, max: number) => Math.min(max, Math.max(0, Math.round((v + (jitter() * 2 - 1) * 3) * 10) / 10));
          rois.push({ classId: borderClass.id, kind: "POINT", points: [[near(bx, 256), near(by, 256)]] });
          // And draws the heart's width, each end within a few pixels of the heart's border.
          const [[lx, ly], [rx, ry]] = widthByCase.get(caseId)!;
          rois.push({ classId: widthClass.id, kind: "LINE", points: [[near(lx, 256), near(ly, 256)], [near(rx, 256), near(ry, 256)]] });
          // The heart's size: the reader's estimate of the ratio, graded; the nearer a cut-off, the less sure.
          const normal = () => Math.sqrt(-2 * Math.log(1 - jitter())) * Math.cos(2 * Math.PI * jitter());
          const estimate = ctrByCase.get(caseId)! + normal() * CTR_READING_SD / READERS[r]!.skill;
          const grade = heartSizeGrade(estimate);
          const margin = Math.min(...DEMO_HEART_SIZE.grades.filter((g) => Number.isFinite(g.below)).map((g) => Math.abs(estimate - g.below)));
          const gradeValues = gradeIds.map((id, k) => ({ labelId: id, value: k === grade, confidence: k === grade ? (margin < 0.01 ? 60 : margin < 0.03 ? 80 : 100) : null }));
          await services.annotations.submit(actor, caseId, {
            rois,
            labels: [...read.labels.map((l) => ({ labelId: labelId(l.label), value: l.value, confidence: l.confidence })), ...gradeValues],
            timing: {
              sessionId: randomUUID(),
              loadedAt: new Date(Date.now() - read.caseSeconds * 1000),
              caseSeconds: read.caseSeconds,
              clicks: read.labels.length * 2 + 1, // value and grade per label, then submit
              idleThresholdSeconds: IDLE_THRESHOLD_SECONDS,
              labelClicks: read.labels.map((l) => ({ labelId: labelId(l.label), atSeconds: l.atSeconds, value: l.value, confidence: l.confidence })),
              idle: read.idle,
            },
          });
          submitted++;
          reading.update(submitted);
        });
      });
    }
    await runLimited(jobs, 4);
  });
  reading.done();

  // A model trained on the readers' consensus (the AI service's training job, run here and awaited), then run on every case.
  const training = progressBar(out, "Training model  ", 100, options.bars);
  const version = await step("training", () =>
    services.ai.trainJob({ projectId: project.id, name: DEMO_MODEL_NAME, jobId: `train-${project.id}-demo`, requestedBy: owner.userId }, async (p) => training.update(p)),
  );
  training.done();
  const inference = progressBar(out, "Running model   ", 100, options.bars);
  await step("inference", () => services.ai.inferBatchJob(project.id, version.id, `infer-batch-${version.id}-demo`, async (p) => inference.update(p)));
  inference.done();

  // A segmentation model trained from the readers' boxes, then run on every case: the case page suggests finding regions.
  const regionTraining = progressBar(out, "Training regions", 100, options.bars);
  const regions = await step("region training", async () => {
    try {
      return await services.ai.trainJob(
        { projectId: project.id, name: DEMO_REGIONS_MODEL_NAME, jobId: `train-${project.id}-demo-regions`, requestedBy: owner.userId, from: "ROIS" },
        async (p) => regionTraining.update(p),
      );
    } catch (err) {
      // Too few boxed cases in a small demo: said, not fatal.
      if (err instanceof AppError && err.code === "BAD_USER_INPUT") return err;
      throw err;
    }
  });
  regionTraining.done();
  if (!(regions instanceof AppError)) {
    const regionRuns = progressBar(out, "Running regions ", 100, options.bars);
    await step("region inference", () => services.ai.inferBatchJob(project.id, regions.id, `infer-batch-${regions.id}-demo`, async (p) => regionRuns.update(p)));
    regionRuns.done();
  }

  timings.total = (Date.now() - started) / 1000;
  const metrics = (version.metrics ?? []) as Array<{ label: string; holdoutAuroc?: number | null }>;
  say("");
  say(`Done in ${timings.total.toFixed(0)} s: ${caseOrder.length} cases, ${submitted} readings, model "${DEMO_MODEL_NAME}" v${version.version} (${version.status}).`);
  if (metrics.length) say(`Held-out AUROC: ${metrics.map((m) => `${m.label} ${m.holdoutAuroc == null ? "n/a" : m.holdoutAuroc.toFixed(2)}`).join(", ")}`);
  if (regions instanceof AppError) say(`No "${DEMO_REGIONS_MODEL_NAME}": ${regions.message}`);
  else {
    const dice = ((regions.metrics ?? []) as Array<{ label: string; holdoutDice?: number | null }>).map((m) => `${m.label} ${m.holdoutDice == null ? "n/a" : m.holdoutDice.toFixed(2)}`);
    say(`Model "${DEMO_REGIONS_MODEL_NAME}" v${regions.version}, trained from the readers' boxes; held-out Dice: ${dice.join(", ")}.`);
  }
  say("");
  say(`Open it: npm start, then log in as ${ownerEmail} with password ${password}`);
  say(`(the readers ${READERS.map((r) => `${r.tag}@${DEMO_DOMAIN}`).join(", ")} have the same password).`);
  say(`Every image is synthetic, and its stored file says so: Manufacturer "${SYNTHETIC_MANUFACTURER}", ImageType DERIVED\\SECONDARY.`);
  return { created: true, projectId: project.id, ownerEmail, password, cases: caseOrder.length, submissions: submitted, modelVersionId: version.id, timings };
}

/** Runs the jobs with at most `limit` at a time; the first failure rejects. */
async function runLimited(jobs: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

/** A one-line progress bar on a terminal; elsewhere a line at the end. */
function progressBar(out: NodeJS.WritableStream, title: string, total: number, bars: boolean) {
  let shown = -1;
  const started = Date.now();
  const draw = (n: number) => {
    const width = 30;
    const filled = Math.round((Math.min(n, total) / Math.max(total, 1)) * width);
    out.write(`\r${title} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.min(n, total)}/${total}`);
  };
  return {
    update(n: number) {
      if (!bars || n === shown) return;
      shown = n;
      draw(n);
    },
    done() {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (bars) {
        draw(total);
        out.write(` ${seconds} s\n`);
      } else out.write(`${title.trim()}: ${total} done in ${seconds} s\n`);
    },
  };
}
