import { createHash } from "node:crypto";
import type { DcmjsDataset } from "../images/dicom/dcmjs.js";
import { writeDicomFile } from "../images/dicom/write.js";

// Synthetic frontal chest radiographs with known ground truth, for AI tests and the demo project.
// Brighter = denser (as a radiograph is displayed, MONOCHROME2). Geometry is in fractions of the
// image so any size works. What each finding changes, so a model (and a test) has something real to find:
// - cardiomegaly: the heart is wider (cardiothoracic ratio 0.58–0.66 instead of 0.40–0.48 on PA);
// - effusion: fluid fills a lung base with a meniscus higher laterally (blunted costophrenic angle);
// - nodule: a small bright disc inside a lung, its centre returned for localisation tests;
// - pneumothorax: the lung on one side collapses medially and down; the apical and lateral rim between
//   it and the chest wall is black air without vessel markings, bounded by a thin bright pleural line;
// - consolidation (the paper's "pneumonia"): a patchy dense area in one lung with dark air bronchograms;
// - ild (interstitial lung disease): a fine reticular mesh, strongest in the lower and peripheral zones;
// - edema: a perihilar "bat-wing" haze on both sides and Kerley B lines at the lateral bases;
// - atelectasis: a plate-like band of density in a lower zone and volume loss (the hemidiaphragm on
//   that side raised);
// - view AP: clavicles project higher and flatter, scapulae overlap the upper lateral lung fields,
//   heart magnified by about 10 %; PA: scapulae rotated out of the lung fields;
// - sex F: soft breast shadows over the lower lateral lung fields;
// - age: rib density falls linearly with age (osteopenia) and the aortic knob grows.
// With `vessels`, vessel markings fan out from the hila, fading towards the periphery.
// The first three findings and the anatomy use one random stream, kept as it was when this
// generator had only them, so a seed gives the same patient; the later findings draw from their own.

export type CxrView = "PA" | "AP";
export type CxrSex = "F" | "M";
export type CxrSide = "right" | "left";
export type CxrFinding = "cardiomegaly" | "effusion" | "nodule" | "pneumothorax" | "consolidation" | "ild" | "edema" | "atelectasis";
export const CXR_FINDINGS: readonly CxrFinding[] = ["cardiomegaly", "effusion", "nodule", "pneumothorax", "consolidation", "ild", "edema", "atelectasis"];
/** The findings randomCxr draws when no prevalence names others (what it drew before the rest existed). */
const LEGACY_FINDINGS: readonly CxrFinding[] = ["cardiomegaly", "effusion", "nodule"];

/** mulberry32: a small seeded generator in [0, 1), so a seed always replays the same choices. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
  /**
   * Vessel markings fanning out from the hila. Default off, so images and the models earlier tests
   * trained on stay as they were; randomCxr with per-finding prevalences (the demo) turns them on.
   * A pneumothorax shows best with them: its rim is the lung field without markings.
   */
  vessels?: boolean;
}

export interface CxrNodule {
  /** Centre in pixels (x to the right, y down). */
  x: number;
  y: number;
  radius: number;
}

/** An ellipse in fractions of the image (cx, rx of the width; cy, ry of the height). */
export interface Ellipse {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
}

/** Where the anatomy and the findings are, in fractions of the image: ground truth for tests and ROIs. */
export interface CxrGeometry {
  /** Patient's right lung (on the viewer's left) and left lung, as drawn (after any volume loss). */
  rightLung: Ellipse;
  leftLung: Ellipse;
  heart: Ellipse;
  /** Heart width over the outer width of the lungs, as drawn. */
  cardiothoracicRatio: number;
  pneumothorax?: { side: CxrSide; collapsedLung: Ellipse };
  consolidation?: { side: CxrSide; centre: { x: number; y: number }; radius: number };
  atelectasis?: { side: CxrSide; centre: { x: number; y: number }; angle: number; halfLength: number; thickness: number };
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
  geometry: CxrGeometry;
  seed: number;
}

export interface RandomCxrOptions extends Omit<CxrOptions, "seed" | "findings"> {
  /**
   * One prevalence for cardiomegaly, effusion and nodule (default 0.4), or one per finding; only
   * findings named in an object are drawn (the rest absent).
   */
  prevalence?: number | Partial<Record<CxrFinding, number>>;
}

/** Labels drawn at random with the given prevalences (default 0.4 for each of the first three findings), then the image. */
export function randomCxr(seed: number, options: RandomCxrOptions = {}): CxrImage {
  const { prevalence, ...rest } = options;
  const rnd = seededRandom(seed ^ 0x5bd1e995);
  const per = (f: CxrFinding) => (typeof prevalence === "object" ? (prevalence[f] ?? 0) : LEGACY_FINDINGS.includes(f) ? (prevalence ?? 0.4) : 0);
  const findings: Partial<Record<CxrFinding, boolean>> = {};
  // The first draws in the order they always had, so a seed keeps its patient.
  for (const f of LEGACY_FINDINGS) findings[f] = rnd() < per(f);
  const view: CxrView = rnd() < 0.5 ? "PA" : "AP";
  const sex: CxrSex = rnd() < 0.5 ? "F" : "M";
  const age = Math.round(20 + rnd() * 70);
  const more = seededRandom(seed ^ 0x27d4eb2f);
  for (const f of CXR_FINDINGS) if (!LEGACY_FINDINGS.includes(f)) findings[f] = more() < per(f);
  return generateCxr({ view, sex, age, vessels: typeof prevalence === "object", ...rest, seed, findings });
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
    pneumothorax: !!f.pneumothorax,
    consolidation: !!f.consolidation,
    ild: !!f.ild,
    edema: !!f.edema,
    atelectasis: !!f.atelectasis,
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

  // ---- the later findings and the vessel markings: their own stream, so the first one is unchanged.
  const more = seededRandom((options.seed ^ 0x68e31da4) >>> 0);
  const side = (): CxrSide => (more() < 0.5 ? "right" : "left");
  const lungOf = (s: CxrSide) => (s === "right" ? rightLung : leftLung);
  const medial = (s: CxrSide) => (s === "right" ? 1 : -1); // the direction of the midline from that lung
  const geometry: CxrGeometry = { rightLung, leftLung, heart, cardiothoracicRatio: (2 * heartRx) / thorax };
  // Vessel markings: lines fanning out from each hilum with a wavy course.
  const hila = (["right", "left"] as const).map((s) => ({ x: lungOf(s).cx + medial(s) * 0.6 * lungOf(s).rx, y: lungCy - 0.01 + (more() - 0.5) * 0.02 }));
  const phases = Array.from({ length: 6 }, () => more() * Math.PI * 2);

  let collapsed: Ellipse | null = null;
  let ptxSide: CxrSide | null = null;
  if (labels.pneumothorax) {
    ptxSide = side();
    const lung = lungOf(ptxSide);
    const k = 0.72 + more() * 0.12; // the collapsed lung's size relative to the pleural space
    collapsed = { cx: lung.cx + medial(ptxSide) * (1 - k) * lung.rx, cy: lung.cy + (1 - k) * lung.ry * 0.7, rx: lung.rx * k, ry: lung.ry * k };
    geometry.pneumothorax = { side: ptxSide, collapsedLung: collapsed };
  }
  let consol: { x: number; y: number; r: number; blobs: Array<{ x: number; y: number; s: number }>; side: CxrSide } | null = null;
  if (labels.consolidation) {
    const s = side();
    const lung = lungOf(s);
    let x = lung.cx;
    let y = lung.cy;
    for (let i = 0; i < 50; i++) {
      x = lung.cx + (more() * 2 - 1) * 0.55 * lung.rx;
      y = lung.cy + (more() * 2 - 1) * 0.6 * lung.ry;
      if (!inEllipse(x, y, heart, 1.15)) break;
    }
    const r = 0.05 + more() * 0.035;
    const blobs = Array.from({ length: 5 }, () => ({ x: x + (more() * 2 - 1) * r * 0.6, y: y + (more() * 2 - 1) * r * 0.6, s: r * (0.45 + more() * 0.35) }));
    consol = { x, y, r, blobs, side: s };
    geometry.consolidation = { side: s, centre: { x, y }, radius: r };
  }
  const ildAngle = more() * Math.PI;
  const ildCos = Math.cos(ildAngle);
  const ildSin = Math.sin(ildAngle);
  let atel: { side: CxrSide; x: number; y: number; cos: number; sin: number; half: number; thick: number } | null = null;
  if (labels.atelectasis) {
    const s = side();
    // Volume loss: the hemidiaphragm on that side rises, the lung's top stays.
    const lung = lungOf(s);
    const newBase = lung.cy + lung.ry - (0.03 + more() * 0.02);
    const lungTop = lung.cy - lung.ry;
    lung.ry = (newBase - lungTop) / 2;
    lung.cy = (newBase + lungTop) / 2;
    const angle = (more() * 2 - 1) * 0.3;
    const y = lung.cy + lung.ry * (0.3 + more() * 0.25);
    const x = lung.cx + (more() * 2 - 1) * 0.15 * lung.rx;
    atel = { side: s, x, y, cos: Math.cos(angle), sin: Math.sin(angle), half: lung.rx * (0.45 + more() * 0.2), thick: 0.008 + more() * 0.008 };
    geometry.atelectasis = { side: s, centre: { x, y }, angle, halfLength: atel.half, thickness: atel.thick };
  }
  const edemaHaze = 0.13 + more() * 0.05;
  const vessels = options.vessels ?? false;

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
        const sideHere: CxrSide = right ? "right" : "left";
        // Pneumothorax: outside the collapsed lung there is only air: darker, no vessels.
        let parenchyma = 1;
        if (collapsed && ptxSide === sideHere) {
          parenchyma = inside(u, v, collapsed, 0.02);
          value -= 0.07 * (1 - parenchyma) * lungIn;
          const d = ellipseD(u, v, collapsed);
          value += 0.12 * Math.max(0, 1 - Math.abs(d - 1) / (0.005 / collapsed.rx)) * lungIn;
        }
        // Vessel markings, tapering towards the periphery.
        const hilum = hila[right ? 0 : 1]!;
        const dx = (u - hilum.x) / lungRy;
        const dy = (v - hilum.y) / lungRy;
        const r = Math.sqrt(dx * dx + dy * dy);
        if (vessels && r > 0.04 && r < 0.95 && parenchyma > 0) {
          const t = Math.atan2(dy, dx);
          const c1 = cosT(t * 11 + 0.5 * cosT(r * 9 + phases[0]!) + phases[1]!);
          let c = c1 * c1;
          c *= c;
          c *= c;
          const c2 = cosT(t * 23 + 0.7 * cosT(r * 13 + phases[2]!) + phases[3]!);
          let d = c2 * c2;
          d *= d;
          d *= d;
          d *= d;
          const fade = Math.max(0, 1 - r / 0.95);
          value += (0.075 * c * fade * fade + 0.05 * d * fade * (r > 0.3 ? 1 : r / 0.3)) * parenchyma * lungIn;
        }
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
        if (labels.effusion && effusionIn(sideHere)) {
          const lateral = Math.abs(u - lung.cx) / lung.rx + (right ? (lung.cx - u) : (u - lung.cx)) / lung.rx;
          const level = fluidLevel - 0.05 * Math.max(0, lateral);
          const fluid = 1 / (1 + Math.exp(-(v - level) / 0.008));
          value += 0.3 * fluid * lungIn;
        }
        // Consolidation: overlapping soft blobs, mottled, crossed by dark air bronchograms.
        if (consol && consol.side === sideHere) {
          let blob = 0;
          for (const b of consol.blobs) {
            const bx = (u - b.x) / b.s;
            const by = (v - b.y) / b.s;
            const q = bx * bx + by * by;
            if (q < 9) blob += Math.exp(-q);
          }
          if (blob > 0.01) {
            const density = Math.min(1, blob) * (0.8 + 0.2 * cosT(u * 140 + phases[4]!) * cosT(v * 120 + phases[5]!));
            const t = Math.atan2(dy, dx);
            const cb = cosT(t * 17 + 0.4 * cosT(r * 15));
            let bronchus = cb * cb;
            bronchus *= bronchus;
            bronchus *= bronchus;
            value += (0.26 * density - 0.1 * bronchus * density * density) * lungIn * parenchyma;
          }
        }
        // Interstitial lung disease: a reticular mesh, lower and peripheral zones.
        if (labels.ild) {
          const zone = smoothStep((v - (lung.cy - 0.05)) / (lung.ry * 0.9)) * (0.55 + 0.45 * Math.min(1, Math.abs(u - lung.cx) / lung.rx));
          if (zone > 0) {
            const a = (u * ildCos + v * ildSin) * 150 + 1.5 * cosT(v * 40 + phases[0]!);
            const b = (-u * ildSin + v * ildCos) * 150 + 1.5 * cosT(u * 37 + phases[1]!);
            let ga = cosT(a);
            ga *= ga;
            ga *= ga;
            ga *= ga;
            let gb = cosT(b);
            gb *= gb;
            gb *= gb;
            gb *= gb;
            value += (0.13 * Math.max(ga, gb) + 0.03) * zone * lungIn * parenchyma;
          }
        }
        // Pulmonary edema: bat-wing perihilar haze; Kerley B lines at the lateral bases.
        if (labels.edema) {
          const hx = (u - hilum.x) / 0.1;
          const hy = (v - hilum.y) / 0.13;
          value += edemaHaze * Math.exp(-(hx * hx + hy * hy)) * lungIn * parenchyma;
          const lateral = Math.abs(u - lung.cx) / lung.rx;
          if (lateral > 0.75 && v > lung.cy + lung.ry * 0.3) {
            const kl = Math.abs(((v * 90) % 1) - 0.5) * 2; // 0 on a line, 1 between
            value += 0.07 * Math.max(0, 1 - kl / 0.25) * Math.min(1, (lateral - 0.75) / 0.1) * lungIn * parenchyma;
          }
        }
        // Atelectasis: a plate-like band of density.
        if (atel && atel.side === sideHere) {
          const ax = u - atel.x;
          const ay = v - atel.y;
          const along = ax * atel.cos + ay * atel.sin;
          const across = -ax * atel.sin + ay * atel.cos;
          if (Math.abs(along) < atel.half) {
            const band = Math.max(0, 1 - Math.abs(across) / atel.thick) * Math.min(1, (atel.half - Math.abs(along)) / 0.02);
            value += 0.22 * band * lungIn;
          }
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
  const image: CxrImage = { width: W, height: H, bitsStored: bits, maxValue, pixels: out, labels, geometry, seed: options.seed };
  if (nodule) image.nodule = nodule;
  if (effusionSide) image.effusionSide = effusionSide;
  return image;
}

/** Masks (1 inside) of the heart, both lungs and, with a pneumothorax, its air rim: for measuring the ground truth. */
export function cxrMasks(image: CxrImage): { heart: Uint8Array; lungs: Uint8Array; pneumothorax: Uint8Array | null } {
  const { width: W, height: H, geometry: g } = image;
  const heart = new Uint8Array(W * H);
  const lungs = new Uint8Array(W * H);
  const ptx = g.pneumothorax ? new Uint8Array(W * H) : null;
  const midline = (g.rightLung.cx + g.rightLung.rx + g.leftLung.cx - g.leftLung.rx) / 2;
  for (let py = 0; py < H; py++) {
    const v = (py + 0.5) / H;
    for (let px = 0; px < W; px++) {
      const u = (px + 0.5) / W;
      const i = py * W + px;
      if (ellipseD(u, v, g.heart) < 1) heart[i] = 1;
      const lung = u < midline ? g.rightLung : g.leftLung;
      if (ellipseD(u, v, lung) < 1) {
        lungs[i] = 1;
        if (ptx && (u < midline ? "right" : "left") === g.pneumothorax!.side && ellipseD(u, v, g.pneumothorax!.collapsedLung) >= 1) ptx[i] = 1;
      }
    }
  }
  return { heart, lungs, pneumothorax: ptx };
}

/** A box around a localised finding, in pixels: [minX, minY, maxX, maxY] (the ROI coordinates the platform stores). */
export interface CxrFindingBox {
  finding: CxrFinding;
  box: [number, number, number, number];
}

/** Boxes around the findings that have a place (consolidation, pneumothorax rim, atelectatic band, nodule): ground truth for ROIs. */
export function cxrFindingBoxes(image: CxrImage): CxrFindingBox[] {
  const { width: W, height: H, geometry: g } = image;
  const clip = (b: number[]): [number, number, number, number] => [
    Math.max(0, Math.floor(b[0]!)),
    Math.max(0, Math.floor(b[1]!)),
    Math.min(W, Math.ceil(b[2]!)),
    Math.min(H, Math.ceil(b[3]!)),
  ];
  const boxes: CxrFindingBox[] = [];
  if (g.consolidation) {
    const { centre, radius } = g.consolidation;
    const r = radius * 1.2;
    boxes.push({ finding: "consolidation", box: clip([(centre.x - r) * W, (centre.y - r) * H, (centre.x + r) * W, (centre.y + r) * H]) });
  }
  if (g.pneumothorax) {
    const rim = cxrMasks(image).pneumothorax!;
    let [x0, y0, x1, y1] = [W, H, 0, 0];
    for (let i = 0; i < rim.length; i++) {
      if (!rim[i]) continue;
      const x = i % W;
      const y = Math.floor(i / W);
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
    }
    if (x1 > x0 && y1 > y0) boxes.push({ finding: "pneumothorax", box: [x0, y0, x1, y1] });
  }
  if (g.atelectasis) {
    const a = g.atelectasis;
    const dx = Math.cos(a.angle) * a.halfLength;
    const dy = Math.sin(a.angle) * a.halfLength;
    const m = a.thickness * 1.5;
    const xs = [a.centre.x - dx, a.centre.x + dx];
    const ys = [a.centre.y - dy, a.centre.y + dy];
    boxes.push({ finding: "atelectasis", box: clip([(Math.min(...xs) - m) * W, (Math.min(...ys) - m) * H, (Math.max(...xs) + m) * W, (Math.max(...ys) + m) * H]) });
  }
  if (image.nodule) {
    const { x, y, radius } = image.nodule;
    boxes.push({ finding: "nodule", box: clip([x - radius * 1.5, y - radius * 1.5, x + radius * 1.5, y + radius * 1.5]) });
  }
  return boxes;
}

/** Cardiothoracic ratio measured on the masks: the heart's widest extent over the lungs' outer width. */
export function measuredCardiothoracicRatio(image: CxrImage): number {
  const { heart, lungs } = cxrMasks(image);
  const extent = (mask: Uint8Array) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      const x = i % image.width;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    return hi - lo + 1;
  };
  return extent(heart) / extent(lungs);
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

// Textures need many cosines per pixel; a table is several times faster than Math.cos and exact enough.
const COS_STEPS = 4096;
const COS_TABLE = Float32Array.from({ length: COS_STEPS }, (_, i) => Math.cos((i / COS_STEPS) * 2 * Math.PI));
const COS_SCALE = COS_STEPS / (2 * Math.PI);
function cosT(x: number): number {
  return COS_TABLE[((x * COS_SCALE) | 0) & (COS_STEPS - 1)]!;
}

/** 0 below 0, 1 above 1, smooth between. */
function smoothStep(x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return x * x * (3 - 2 * x);
}

/** Standard normals (Box–Muller) from the given uniform source; its own spare, so images stay independent. */
export function normalSource(rnd: () => number): () => number {
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

// ---- as DICOM

/** Digital X-Ray Image Storage - For Presentation. */
export const DX_FOR_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1";
const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
/** Every synthetic file says what it is where a person or a program looks first. */
export const SYNTHETIC_PATIENT_NAME = "SYNTHETIC^CXR";
export const SYNTHETIC_COMMENT = "Synthetic image generated by Concord; not a patient";
/** No word of the patient's name or ID in it: de-identification scrubs kept text that repeats them. */
export const SYNTHETIC_MANUFACTURER = "Generated by Concord, not a patient";
export const SYNTHETIC_DEID_METHOD = "Synthetic image: generated, not derived from any patient";
/** The detector's width (43 cm, a common flat panel), over which any image size is spread. */
const DETECTOR_MM = 430;

interface DcmjsNaturalizer {
  data: { DicomMetaDictionary: { denaturalizeDataset(ds: Record<string, unknown>): DcmjsDataset } };
}
// dcmjs ships no types; this is the one function used here.
const dcmjs = require("dcmjs") as DcmjsNaturalizer;

export interface SyntheticDicomOptions {
  patientId?: string;
  studyUid?: string;
  seriesUid?: string;
  sopInstanceUid?: string;
  accessionNumber?: string;
  /** DX (default) or CR. */
  modality?: "DX" | "CR";
  /** Study date, YYYYMMDD; default 20260101 so files are byte-for-byte reproducible. */
  studyDate?: string;
}

/** A UID under 2.25 from a hash, so the same image and role always get the same UID. */
export function derivedUid(...parts: Array<string | number>): string {
  const digest = createHash("sha256").update(`concord-synthetic-cxr\0${parts.join("\0")}`).digest();
  return `2.25.${BigInt(`0x${digest.subarray(0, 16).toString("hex")}`).toString()}`;
}

/**
 * The image as a DICOM Part 10 file: a DX (or CR) PA chest image, MONOCHROME2, 16 bits allocated
 * (12 stored for a 12-bit image), with a plausible pixel spacing. It is marked synthetic where it
 * counts: PatientName SYNTHETIC^CXR, ImageComments, Series and Study Description, ImageType
 * DERIVED\SECONDARY (not an acquisition), PatientIdentityRemoved YES with a De-identification
 * Method saying there was no patient, BurnedInAnnotation NO; the ground truth is not in the file.
 * De-identification on ingest replaces the name and method and drops descriptions, comments and
 * the model name; Manufacturer and ImageType survive it, so a stored copy is still marked.
 * UIDs derive from the seed unless given, so writing the same image twice gives the same file.
 */
export function syntheticCxrDicom(image: CxrImage, opts: SyntheticDicomOptions = {}): Uint8Array {
  const patientId = opts.patientId ?? `SYNTH-${image.seed}`;
  const studyUid = opts.studyUid ?? derivedUid("study", image.seed, patientId);
  const seriesUid = opts.seriesUid ?? derivedUid("series", studyUid);
  const sopInstanceUid = opts.sopInstanceUid ?? derivedUid("instance", seriesUid, image.seed);
  const modality = opts.modality ?? "DX";
  const sopClass = modality === "DX" ? DX_FOR_PRESENTATION : "1.2.840.10008.5.1.4.1.1.1"; // CR Image Storage
  const date = opts.studyDate ?? "20260101";
  const bitsStored = image.bitsStored === 8 ? 8 : 12;
  // 16 bits allocated either way: DX allows 8 only for 8-bit detectors, and viewers handle 16 everywhere.
  const words = new Uint16Array(image.width * image.height);
  words.set(image.pixels);
  const spacing = (DETECTOR_MM / image.width).toFixed(4);
  const birthYear = Number(date.slice(0, 4)) - image.labels.age;
  const dataset: Record<string, unknown> = {
    SpecificCharacterSet: "ISO_IR 192", // what writeDicomFile writes anyway
    ImageType: ["DERIVED", "SECONDARY"],
    SOPClassUID: sopClass,
    SOPInstanceUID: sopInstanceUid,
    StudyDate: date,
    SeriesDate: date,
    ContentDate: date,
    StudyTime: "120000",
    SeriesTime: "120000",
    ContentTime: "120000",
    AccessionNumber: opts.accessionNumber ?? "",
    Modality: modality,
    PresentationIntentType: "FOR PRESENTATION",
    // Kept by de-identification (unlike PatientName, descriptions, comments, model name), so a stored copy still says it.
    Manufacturer: SYNTHETIC_MANUFACTURER,
    ReferringPhysicianName: "",
    StudyDescription: "SYNTHETIC CHEST PA",
    SeriesDescription: "SYNTHETIC CXR - NOT A PATIENT",
    ManufacturerModelName: "Concord synthetic CXR generator",
    PatientName: SYNTHETIC_PATIENT_NAME,
    PatientID: patientId,
    PatientBirthDate: `${birthYear}0101`,
    PatientSex: image.labels.sex,
    PatientAge: `${String(image.labels.age).padStart(3, "0")}Y`,
    PatientIdentityRemoved: "YES",
    DeidentificationMethod: SYNTHETIC_DEID_METHOD,
    BodyPartExamined: "CHEST",
    KVP: "120",
    ImagerPixelSpacing: [spacing, spacing],
    ViewPosition: image.labels.view,
    StudyInstanceUID: studyUid,
    SeriesInstanceUID: seriesUid,
    StudyID: "1",
    SeriesNumber: "1",
    InstanceNumber: "1",
    PatientOrientation: ["L", "F"],
    BurnedInAnnotation: "NO",
    ImageComments: SYNTHETIC_COMMENT,
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    Rows: image.height,
    Columns: image.width,
    PixelSpacing: [spacing, spacing],
    PixelSpacingCalibrationType: "GEOMETRY",
    BitsAllocated: 16,
    BitsStored: bitsStored,
    HighBit: bitsStored - 1,
    PixelRepresentation: 0,
    WindowCenter: String((image.maxValue + 1) / 2),
    WindowWidth: String(image.maxValue + 1),
    RescaleIntercept: "0",
    RescaleSlope: "1",
    RescaleType: "US",
    LossyImageCompression: "00",
    PixelIntensityRelationship: "LIN",
    PixelIntensityRelationshipSign: 1,
    PresentationLUTShape: "IDENTITY",
    PixelData: [words.buffer],
    _vrMap: { PixelData: "OW" },
  };
  const meta = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
  });
  return writeDicomFile({ meta, dict: dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset) });
}
