import { seededRandom } from "./random.js";

// Synthetic frontal chest radiographs with known ground truth, for AI tests and demo data.
// Brighter = denser (as a radiograph is displayed, MONOCHROME2). Geometry is in fractions of the
// image so any size works. What each label changes, so a model has something real to learn:
// - cardiomegaly: the heart is wider (cardiothoracic ratio 0.58–0.66 instead of 0.40–0.48);
// - effusion: fluid fills a lung base with a meniscus higher laterally (blunted costophrenic angle);
// - nodule: a small bright disc inside a lung, its centre returned for localisation tests;
// - view AP: clavicles project higher and flatter, scapulae overlap the upper lateral lung fields,
//   heart magnified by about 10 %; PA: scapulae rotated out of the lung fields;
// - sex F: soft breast shadows over the lower lateral lung fields;
// - age: rib density falls linearly with age (osteopenia) and the aortic knob grows.

export type CxrView = "PA" | "AP";
export type CxrSex = "F" | "M";
export type CxrFinding = "cardiomegaly" | "effusion" | "nodule";
export const CXR_FINDINGS: readonly CxrFinding[] = ["cardiomegaly", "effusion", "nodule"];

export interface CxrOptions {
  seed: number;
  width?: number;
  height?: number;
  /** 8 (Uint8Array, max 255) or 12 (Uint16Array, max 4095, like a DX detector). Default 8. */
  bitsStored?: 8 | 12;
  findings?: Partial<Record<CxrFinding, boolean>>;
  view?: CxrView;
  sex?: CxrSex;
  /** Years, 18–95. */
  age?: number;
  /** Standard deviation of the added noise, in fractions of full scale. Default 0.02. */
  noise?: number;
}

export interface CxrNodule {
  /** Centre in pixels (x to the right, y down). */
  x: number;
  y: number;
  radius: number;
}

export interface CxrImage {
  width: number;
  height: number;
  bitsStored: 8 | 12;
  maxValue: number;
  pixels: Uint8Array | Uint16Array;
  labels: Record<CxrFinding, boolean> & { view: CxrView; sex: CxrSex; age: number };
  /** Ground truth for localisation, when the image has a nodule. */
  nodule?: CxrNodule;
  effusionSide?: "right" | "left" | "both";
}

/** Labels drawn at random with the given prevalences (default 0.4 per finding), then the image. */
export function randomCxr(seed: number, options: Omit<CxrOptions, "seed" | "findings"> & { prevalence?: number } = {}): CxrImage {
  const rnd = seededRandom(seed ^ 0x5bd1e995);
  const p = options.prevalence ?? 0.4;
  const findings = { cardiomegaly: rnd() < p, effusion: rnd() < p, nodule: rnd() < p };
  const view: CxrView = rnd() < 0.5 ? "PA" : "AP";
  const sex: CxrSex = rnd() < 0.5 ? "F" : "M";
  const age = Math.round(20 + rnd() * 70);
  return generateCxr({ view, sex, age, ...options, seed, findings });
}

export function generateCxr(options: CxrOptions): CxrImage {
  const W = options.width ?? 256;
  const H = options.height ?? 256;
  const bits = options.bitsStored ?? 8;
  const maxValue = bits === 8 ? 255 : 4095;
  const rnd = seededRandom(options.seed);
  const jitter = (s: number) => (rnd() * 2 - 1) * s;
  const f = options.findings ?? {};
  const labels = {
    cardiomegaly: !!f.cardiomegaly,
    effusion: !!f.effusion,
    nodule: !!f.nodule,
    view: options.view ?? "PA",
    sex: options.sex ?? "M",
    age: Math.min(95, Math.max(18, options.age ?? 50)),
  };
  const ap = labels.view === "AP";

  // Anatomy in fractions, each jittered a little so no two patients are alike.
  const cx = 0.5 + jitter(0.02);
  const top = 0.14 + jitter(0.02);
  const base = 0.76 + jitter(0.03);
  const lungRy = (base - top) / 2;
  const lungCy = (base + top) / 2;
  const lungRx = 0.145 + jitter(0.01);
  const lungGap = 0.035 + jitter(0.005);
  const rightLung = { cx: cx - lungGap - lungRx, cy: lungCy, rx: lungRx, ry: lungRy };
  const leftLung = { cx: cx + lungGap + lungRx * 0.95, cy: lungCy, rx: lungRx * 0.95, ry: lungRy };
  const thorax = 2 * (lungGap + lungRx * 1.975);
  const ctr = labels.cardiomegaly ? 0.58 + rnd() * 0.08 : 0.4 + rnd() * 0.08;
  const heartRx = (ctr * thorax) / 2 * (ap ? 1.1 : 1);
  const heart = { cx: cx + heartRx * 0.25, cy: base - 0.12 + jitter(0.01), rx: heartRx, ry: 0.12 + jitter(0.01) };
  const boneDensity = Math.max(0.25, 1 - 0.009 * (labels.age - 20));
  const knobR = 0.022 + 0.0005 * (labels.age - 20);
  const gain = 1 + jitter(0.05);
  const clavY = ap ? top - 0.03 : top + 0.02;
  const clavSlope = ap ? 0.02 : 0.12;

  let effusionSide: CxrImage["effusionSide"];
  let fluidLevel = 2;
  if (labels.effusion) {
    const r = rnd();
    effusionSide = r < 0.4 ? "right" : r < 0.8 ? "left" : "both";
    fluidLevel = base - (0.12 + rnd() * 0.1);
  }
  const effusionIn = (side: "right" | "left") => effusionSide === side || effusionSide === "both";

  let nodule: CxrNodule | undefined;
  let nod = { x: -9, y: -9, r: 0 };
  if (labels.nodule) {
    // A point well inside either lung, away from the heart, by rejection.
    for (let i = 0; i < 100; i++) {
      const lung = rnd() < 0.5 ? rightLung : leftLung;
      const a = rnd() * Math.PI * 2;
      const d = Math.sqrt(rnd()) * 0.7;
      const x = lung.cx + Math.cos(a) * d * lung.rx;
      const y = lung.cy + Math.sin(a) * d * lung.ry;
      if (inEllipse(x, y, heart, 1.2) || y > fluidLevel - 0.04) continue;
      nod = { x, y, r: 0.022 + rnd() * 0.012 };
      break;
    }
    if (nod.r === 0) nod = { x: rightLung.cx, y: rightLung.cy - rightLung.ry * 0.3, r: 0.028 };
    nodule = { x: nod.x * W, y: nod.y * H, radius: nod.r * W };
  }

  const body = { cx, cy: 0.56, rx: 0.47, ry: 0.6 };
  const knob = { cx: cx + 0.04, cy: top + 0.09, rx: knobR, ry: knobR };
  const scapulae = [-1, 1].map((s, i) => ({ cx: [rightLung, leftLung][i]!.cx + s * 0.55 * lungRx, cy: top + 0.16, rx: 0.06, ry: 0.15 })) as [Ellipse, Ellipse];
  const breasts = [-1, 1].map((s, i) => ({ cx: [rightLung, leftLung][i]!.cx + s * 0.35 * lungRx, cy: base - 0.06, rx: 0.13, ry: 0.12 })) as [Ellipse, Ellipse];
  const ribSpacing = (base - top) / 9.5;
  const out = bits === 8 ? new Uint8Array(W * H) : new Uint16Array(W * H);
  const noise = options.noise ?? 0.02;
  const soft = 0.012;
  const gauss = normalSource(rnd);

  for (let py = 0; py < H; py++) {
    const v = (py + 0.5) / H;
    for (let px = 0; px < W; px++) {
      const u = (px + 0.5) / W;
      const inBody = inside(u, v, body, 0.02);
      let value = 0.06 + 0.4 * inBody;
      // Lungs: air is dark; a soft edge so the boundary is not a staircase.
      const right = u < cx;
      const lung = right ? rightLung : leftLung;
      const lungIn = inside(u, v, lung, soft / lung.rx);
      value -= 0.26 * lungIn;
      if (lungIn > 0) {
        // Posterior ribs: arcs that fall laterally, over the lungs only.
        const lat = Math.abs(u - cx) / (lungGap + 2 * lungRx);
        const arc = v - top - 0.1 * lat * lat;
        const k = arc / ribSpacing;
        const dist = Math.abs(k - Math.round(k)) * ribSpacing;
        const rib = Math.max(0, 1 - dist / 0.009);
        if (k > 0.3 && k < 10) value += 0.11 * boneDensity * rib * lungIn;
        // AP: scapulae overlap the upper lateral lung.
        if (ap) {
          const scap = inside(u, v, right ? scapulae[0] : scapulae[1], 0.1);
          value += 0.08 * scap * lungIn;
        }
        // Female: breast shadows over the lower lateral lung fields.
        if (labels.sex === "F") {
          const br = inside(u, v, right ? breasts[0] : breasts[1], 0.25);
          value += 0.09 * br * lungIn;
        }
        // Effusion: fluid up to a meniscus that rises laterally.
        if (labels.effusion && effusionIn(right ? "right" : "left")) {
          const lateral = Math.abs(u - lung.cx) / lung.rx + (right ? (lung.cx - u) : (u - lung.cx)) / lung.rx;
          const level = fluidLevel - 0.05 * Math.max(0, lateral);
          const fluid = 1 / (1 + Math.exp(-(v - level) / 0.008));
          value += 0.3 * fluid * lungIn;
        }
      }
      // Mediastinum and spine: a bright central band.
      const med = Math.max(0, 1 - Math.abs(u - cx) / 0.055) * smoothInside(Math.abs(v - 0.45) / 0.42, 0.1);
      if (med > 0) value = value * (1 - med) + Math.max(value, 0.44 + 0.1 * boneDensity) * med;
      // Heart and aortic knob.
      const heartIn = inside(u, v, heart, soft / heart.rx);
      value = value * (1 - heartIn) + 0.52 * heartIn;
      const knobIn = inside(u, v, knob, 0.15);
      value = Math.max(value, 0.5 * knobIn + value * (1 - knobIn));
      // Clavicles.
      const cl = Math.abs(u - cx);
      if (cl > 0.03 && cl < 0.3) {
        const y0 = clavY - clavSlope * (cl - 0.03);
        const d = Math.abs(v - y0);
        value += 0.13 * boneDensity * Math.max(0, 1 - d / 0.012);
      }
      // Diaphragm domes under the lungs are already soft tissue (body).
      if (labels.nodule) {
        const dx = (u - nod.x) / nod.r;
        const dy = ((v - nod.y) * H) / W / nod.r;
        const d2 = dx * dx + dy * dy;
        if (d2 < 2.5) value += 0.22 * Math.exp(-d2 * d2 * 0.7);
      }
      value = value * gain + gauss() * noise;
      const clamped = value < 0 ? 0 : value > 1 ? 1 : value;
      out[py * W + px] = Math.round(clamped * maxValue);
    }
  }
  const image: CxrImage = { width: W, height: H, bitsStored: bits, maxValue, pixels: out, labels };
  if (nodule) image.nodule = nodule;
  if (effusionSide) image.effusionSide = effusionSide;
  return image;
}

interface Ellipse {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
}

/** Normalised radius: < 1 inside. */
function ellipseD(u: number, v: number, e: Ellipse): number {
  const dx = (u - e.cx) / e.rx;
  const dy = (v - e.cy) / e.ry;
  return Math.sqrt(dx * dx + dy * dy);
}

function inEllipse(u: number, v: number, e: Ellipse, scale: number): boolean {
  return ellipseD(u, v, { ...e, rx: e.rx * scale, ry: e.ry * scale }) < 1;
}

/** 1 well inside (normalised radius < 1 - w), 0 outside, linear across the edge; no sqrt away from the edge. */
function inside(u: number, v: number, e: Ellipse, w: number): number {
  const dx = (u - e.cx) / e.rx;
  const dy = (v - e.cy) / e.ry;
  const d2 = dx * dx + dy * dy;
  const lo = 1 - w;
  const hi = 1 + w;
  if (d2 <= lo * lo) return 1;
  if (d2 >= hi * hi) return 0;
  return (hi - Math.sqrt(d2)) / (2 * w);
}

/** 1 well inside (d < 1 - w), 0 outside, linear across the edge. */
function smoothInside(d: number, w: number): number {
  if (d <= 1 - w) return 1;
  if (d >= 1 + w) return 0;
  return (1 + w - d) / (2 * w);
}

/** Standard normals (Box–Muller) from the given uniform source; its own spare, so images stay independent. */
function normalSource(rnd: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u1 = Math.max(rnd(), 1e-12);
    const u2 = rnd();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
}

/**
 * `count` random images as training cases (the shape modules/ai/train.ts takes): id `cxr-<seed>`,
 * the findings as booleans, `AP` and `female` as booleans, `age` as a number.
 */
export function cxrCases(count: number, options: { size?: number; firstSeed?: number; prevalence?: number } = {}) {
  const size = options.size ?? 128;
  const first = options.firstSeed ?? 1000;
  return Array.from({ length: count }, (_, i) => {
    const image = randomCxr(first + i, { width: size, height: size, ...(options.prevalence !== undefined ? { prevalence: options.prevalence } : {}) });
    const l = image.labels;
    return {
      id: `cxr-${first + i}`,
      image: { width: size, height: size, data: image.pixels, maxValue: image.maxValue },
      labels: { cardiomegaly: l.cardiomegaly, effusion: l.effusion, nodule: l.nodule, AP: l.view === "AP", female: l.sex === "F", age: l.age },
      cxr: image,
    };
  });
}
