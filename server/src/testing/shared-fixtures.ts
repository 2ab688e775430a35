import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../paths.js";

/**
 * The shared public test data (../shared/fixtures beside the repository, or CONCORD_FIXTURES).
 * Never copied into the repository. Tests that need it skip, saying so, when it is absent.
 */
export function sharedFixturesDir(): string | null {
  const dir = process.env.CONCORD_FIXTURES ?? path.join(repoRoot(), "..", "shared", "fixtures");
  return fs.existsSync(path.join(dir, "manifest.json")) ? dir : null;
}

export const NO_FIXTURES = "needs ../shared/fixtures (or CONCORD_FIXTURES): the public DICOM test data is not in the repository";

export interface ManifestDicomEntry {
  path: string;
  sizeBytes: number;
  hasFileMeta: boolean;
  sopClassUID: string | null;
  transferSyntaxUID: string | null;
  modality: string | null;
  rows: number | null;
  columns: number | null;
  frames: number | null;
  bitsAllocated: number | null;
  photometric: string | null;
  specificCharacterSet: string | null;
  hasPixelData: boolean;
  expectedToParse: boolean;
  expectedPixelDecode: boolean | null;
  exercises?: string[];
  notes?: string;
  derived?: string;
}

/** A NIfTI or NRRD fixture: `dim` for NIfTI, `header.sizes` for NRRD. */
export interface ManifestVolumeEntry {
  path: string;
  sizeBytes: number;
  expectedToParse: boolean;
  notes?: string;
  dim?: number[];
  datatype?: number;
  endianness?: "little" | "big";
  header?: { type: string; dimension: string; sizes: string; encoding: string; space: string | null; dataFile: string | null };
}

export function loadManifest(): { dir: string; dicom: ManifestDicomEntry[]; nifti: ManifestVolumeEntry[]; nrrd: ManifestVolumeEntry[]; raw: Record<string, unknown> } | null {
  const dir = sharedFixturesDir();
  if (!dir) return null;
  const raw = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as Record<string, unknown>;
  return { dir, dicom: raw.dicom as ManifestDicomEntry[], nifti: (raw.nifti ?? []) as ManifestVolumeEntry[], nrrd: (raw.nrrd ?? []) as ManifestVolumeEntry[], raw };
}
