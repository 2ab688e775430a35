// Source images for the export tests, made with the platform's own DICOM code (write.ts for a
// CT-like image, the PNG → Secondary Capture conversion for an uploaded picture), and the
// SourceImage an export would be given for them (read back with read.ts).
import { randomBytes } from "node:crypto";
import { PNG } from "pngjs";
import { imageToSecondaryCapture } from "../../images/convert/secondary-capture.js";
import { readDicomFile } from "../../images/dicom/read.js";
import { writeDicomFile } from "../../images/dicom/write.js";
import { dcmjs } from "./dcmjs.js";
import type { ExportRoi, SegmentationInput, SourceGeometry, SourceImage } from "./types.js";

const CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
const randomUid = () => `2.25.${BigInt(`0x${randomBytes(16).toString("hex")}`).toString()}`;

/** A Part 10 file (explicit VR little endian) of a data set in dcmjs's naturalized form, which names its SOP class and instance. */
export function part10Of(dataset: { SOPClassUID: string; SOPInstanceUID: string } & Record<string, unknown>): Uint8Array {
  const meta = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: "1.2.840.10008.1.2.1",
  });
  return writeDicomFile({ meta, dict: dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset) });
}

/** A 64x64 MONOCHROME2 16-bit CT-like image with patient geometry. */
export function ctImage(): Uint8Array {
  const sop = randomUid();
  const pixels = new Uint16Array(64 * 64).map((_, i) => (i * 7) % 4096);
  return part10Of({
    SOPClassUID: CT_IMAGE,
    SOPInstanceUID: sop,
    ImageType: ["ORIGINAL", "PRIMARY", "AXIAL"],
    StudyDate: "20240102",
    StudyTime: "101010",
    AccessionNumber: "ACC1",
    Modality: "CT",
    PatientName: "Anon^CT",
    PatientID: "ANON-CT",
    PatientBirthDate: "",
    PatientSex: "",
    ReferringPhysicianName: "",
    StudyInstanceUID: randomUid(),
    SeriesInstanceUID: randomUid(),
    StudyID: "",
    SeriesNumber: 1,
    InstanceNumber: 1,
    FrameOfReferenceUID: randomUid(),
    PositionReferenceIndicator: "",
    ImagePositionPatient: [-16, -16, 42.5],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    SliceThickness: 1.25,
    PixelSpacing: [0.5, 0.5],
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    Rows: 64,
    Columns: 64,
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    RescaleIntercept: -1024,
    RescaleSlope: 1,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: "OW" },
  });
}

/** A PNG upload converted to Secondary Capture: no frame of reference, no geometry. */
export function secondaryCaptureImage(width = 37, height = 29): Uint8Array {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(new Uint8Array(width * height).map((_, i) => (i * 13) % 251));
  const parts = imageToSecondaryCapture(PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }), "chest.png", { patientId: "ANON-SC" });
  return writeDicomFile(parts);
}

/** What an export is told about a stored image. */
export function sourceOf(bytes: Uint8Array): SourceImage {
  const file = readDicomFile(bytes, "source");
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.dict) as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const nums = (v: unknown) => (Array.isArray(v) ? v.map(Number) : []);
  const name = ds.PatientName as Array<{ Alphabetic?: string }> | undefined;
  const source: SourceImage = {
    studyInstanceUid: file.studyInstanceUID!,
    seriesInstanceUid: file.seriesInstanceUID!,
    sopInstanceUid: file.sopInstanceUID!,
    sopClassUid: file.sopClassUID!,
    rows: file.rows!,
    columns: file.columns!,
    patient: { id: s(ds.PatientID) ?? "", name: name?.[0]?.Alphabetic ?? "" },
  };
  if (s(ds.StudyDate)) source.studyDate = s(ds.StudyDate)!;
  if (s(ds.AccessionNumber)) source.accession = s(ds.AccessionNumber)!;
  if (s(ds.FrameOfReferenceUID)) {
    source.frameOfReferenceUid = s(ds.FrameOfReferenceUID)!;
    source.geometry = {
      pixelSpacing: nums(ds.PixelSpacing) as [number, number],
      imageOrientationPatient: nums(ds.ImageOrientationPatient) as SourceGeometry["imageOrientationPatient"],
      imagePositionPatient: nums(ds.ImagePositionPatient) as [number, number, number],
      ...(ds.SliceThickness !== undefined ? { sliceThickness: Number(ds.SliceThickness) } : {}),
    };
  }
  return source;
}

export const NO_DCMTK = "needs DCMTK (apt-get install dcmtk): dsrdump and dcmdump check the files independently of dcmjs";

/** A Segmentation export's input: one reader's ROIs on `source` (on `frame`, for a multi-frame source). */
export function segInput(source: SourceImage, rois: ExportRoi[], frame?: number): SegmentationInput {
  return {
    source,
    reader: { id: "reader-1", displayName: "Reader 1" },
    project: { id: "project-1", name: "Chest" },
    caseKey: "case-7",
    rois,
    version: 2,
    submittedAt: new Date("2026-02-03T04:05:06Z"),
    ...(frame ? { frame } : {}),
  };
}
