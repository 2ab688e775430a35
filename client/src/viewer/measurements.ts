// Measurements: a reader's rulers, long and short axes, angles and pixel probes on the image shown.
// Cornerstone's own tools draw and compute them (with its calibration: Pixel Spacing, Imager Pixel
// Spacing corrected by the Estimated Radiographic Magnification Factor, ultrasound regions); this
// module only turns what a tool computed into the line the viewer lists beside the image.
//
// They are reading aids, as on a workstation: kept while the case is open, never saved, never sent
// to anyone else (a blind reading shows nothing through them), and gone when the case is closed.

import { toModality, type Rescale } from "./windowLevel";

export type MeasureKind = "length" | "bidirectional" | "angle" | "probe";

export const MEASURE_KINDS: readonly MeasureKind[] = ["length", "bidirectional", "angle", "probe"];

/** Cornerstone's tool names, which its annotations carry as metadata.toolName. */
export const MEASURE_TOOL: Record<MeasureKind, string> = {
  length: "Length",
  bidirectional: "Bidirectional",
  angle: "Angle",
  probe: "Probe",
};

const KIND_OF_TOOL = new Map(Object.entries(MEASURE_TOOL).map(([kind, tool]) => [tool, kind as MeasureKind]));

export function measureKindOf(toolName: string | undefined): MeasureKind | null {
  return (toolName && KIND_OF_TOOL.get(toolName)) || null;
}

export const MEASURE_NAMES: Record<MeasureKind, string> = {
  length: "Length",
  bidirectional: "Long and short axis",
  angle: "Angle",
  probe: "Pixel value",
};

/** One measurement as the viewer lists it. */
export interface Measurement {
  id: string;
  kind: MeasureKind;
  /** What it measures, for the list: "23.4 mm", "23.4 × 11.0 mm", "41.2°", "35 HU". Empty while incomplete. */
  text: string;
  /** The numbers behind the text: a length, long and short axes, an angle in degrees, a pixel value. */
  values: number[];
  /** "mm", "px", "°", "HU", ... */
  unit: string;
  /** How a length is calibrated, when it is not plainly in the patient's plane (see calibrationNote). */
  note: string | null;
}

/** The image's rescale, to give a probe's stored value as a modality value when the loader kept stored values. */
export type ProbeScaling = Rescale;

type Stats = Record<string, unknown>;

/**
 * A length unit as Cornerstone's calibration names it ("mm", "mm Proj", "mm ERMF", "px", "cm US
 * Region", ...) split into the unit and a note a reader can act on.
 */
export function calibrationNote(unit: string): { unit: string; note: string | null } {
  const [base = unit, ...rest] = unit.trim().split(/\s+/);
  const kind = rest.join(" ");
  if (base === "px" || kind === "Uncalibrated") return { unit: "px", note: NO_SPACING };
  return { unit: base, note: kind in CALIBRATION_NOTES ? CALIBRATION_NOTES[kind]! : kind };
}

const NO_SPACING = "no pixel spacing: image pixels, not millimetres";

/** Cornerstone's calibration types (and "" for none), as a reader needs to know them. */
const CALIBRATION_NOTES: Record<string, string | null> = {
  "": null,
  Proj: "at the detector (Imager Pixel Spacing): objects in the patient are smaller by the magnification",
  ERMF: "corrected for the radiographic magnification",
  Calibrated: "calibrated on a reference object (fiducial)",
  User: "calibrated by a user",
  Unknown: "the file does not say how its pixel spacing was calibrated",
  Error: "the file's pixel spacing attributes disagree",
  "US Region": "from the ultrasound region's calibration",
};

function finite(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** Lengths to 0.1 (mm or px); small ones to 0.01 so a few pixels still say something. */
export function formatLength(v: number): string {
  return Math.abs(v) < 10 ? v.toFixed(2) : v.toFixed(1);
}

/** A probe's value: whole numbers as they are, others to three significant decimals. */
export function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3)));
}

/**
 * The measurement a tool's cached statistics describe (the first target's: a stack viewport has
 * one), or an incomplete one (text "") while it is being drawn or lies off the image.
 */
export function describeMeasurement(
  id: string,
  kind: MeasureKind,
  cachedStats: Record<string, Stats> | undefined,
  { scaling, calibrationType }: { scaling?: ProbeScaling; calibrationType?: string | null } = {},
): Measurement {
  const stats = Object.values(cachedStats ?? {})[0] ?? {};
  const empty: Measurement = { id, kind, text: "", values: [], unit: "", note: null };
  // A projection radiograph placed by its calibrated spacing (calibration.ts) measures in plain
  // millimetres to Cornerstone; how they are calibrated is known here.
  const lengthUnit = () => {
    const unit = String(stats.unit ?? "px");
    return calibrationNote(calibrationType && unit === "mm" ? `${unit} ${calibrationType}` : unit);
  };
  switch (kind) {
    case "length": {
      if (!finite(stats.length)) return empty;
      const { unit, note } = lengthUnit();
      return { id, kind, text: `${formatLength(stats.length)} ${unit}`, values: [stats.length], unit, note };
    }
    case "bidirectional": {
      if (!finite(stats.length) || !finite(stats.width)) return empty;
      const { unit, note } = lengthUnit();
      return { id, kind, text: `${formatLength(stats.length)} × ${formatLength(stats.width)} ${unit}`, values: [stats.length, stats.width], unit, note };
    }
    case "angle": {
      if (!finite(stats.angle)) return empty;
      return { id, kind, text: `${stats.angle.toFixed(1)}°`, values: [stats.angle], unit: "°", note: null };
    }
    case "probe": {
      if (!finite(stats.value)) return empty;
      // Cornerstone reads the pixel data it was handed; where the loader left the stored values
      // (no pre-scaling), the modality value is the rescale of them.
      const value = toModality(scaling ?? { preScaled: true })(stats.value);
      const unit = String(stats.modalityUnit ?? "");
      const index = Array.isArray(stats.index) ? (stats.index as unknown[]).filter(finite) : [];
      const at = index.length >= 2 ? ` at (${index[0]}, ${index[1]})` : "";
      return { id, kind, text: `${formatValue(value)}${unit ? ` ${unit}` : ""}${at}`, values: [value], unit, note: null };
    }
  }
}
