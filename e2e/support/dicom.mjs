// DICOM the e2e writes itself, with dcmjs: what a scanner would send.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

const dcmjs = createRequire(import.meta.url)("dcmjs");

/** The pixel module of a 16-bit unsigned grey image, all 16 bits stored. */
const GREY_16 = { SamplesPerPixel: 1, PhotometricInterpretation: "MONOCHROME2", BitsAllocated: 16, BitsStored: 16, HighBit: 15, PixelRepresentation: 0 };

/** One slice of a small CT series: 64 × 64, 16-bit, a disc whose size grows with the slice; `tag` makes its UIDs (one series per tag). */
export function ctSlice(n, tag) {
  const size = 64;
  const pixels = new Uint16Array(size * size).map((_, i) => {
    const x = (i % size) - 32;
    const y = Math.floor(i / size) - 32;
    return x * x + y * y < (10 + 6 * n) ** 2 ? 1200 + 40 * n : 100 + ((x + y + 64) % 16) * 10;
  });
  const uid = (tail) => uidOf(`${tag}-${tail}`);
  const dataset = {
    SOPClassUID: "1.2.840.10008.5.1.4.1.1.2",
    SOPInstanceUID: uid(`sop-${n}`),
    StudyInstanceUID: uid("study"),
    SeriesInstanceUID: uid("series"),
    Modality: "CT",
    PatientName: "Series^Test",
    PatientID: `SERIES-${tag}`,
    InstanceNumber: n,
    SeriesNumber: 1,
    ImagePositionPatient: [0, 0, n * 2.5],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    PixelSpacing: [0.7, 0.7],
    SliceThickness: 2.5,
    Rows: size,
    Columns: size,
    ...GREY_16,
    RescaleIntercept: -1024,
    RescaleSlope: 1,
    WindowCenter: 40,
    WindowWidth: 400,
    PixelData: pixels.buffer,
  };
  return part10(dataset);
}

/**
 * One image of a series of an MR study (`tag` makes the study's UIDs; one series per `series`):
 * `columns` × `rows`, 16-bit, axial or coronal; its pixels a ramp across the image, brighter with `n`.
 */
export function studyImage(tag, { series, seriesNumber, description, n, columns = 64, rows = 64, plane = "axial" }) {
  const pixels = new Uint16Array(columns * rows).map((_, i) => 100 + Math.round(((i % columns) / columns) * 800) + 50 * n);
  const uid = (tail) => uidOf(`${tag}-${tail}`);
  return part10({
    SOPClassUID: "1.2.840.10008.5.1.4.1.1.4",
    SOPInstanceUID: uid(`${series}-sop-${n}`),
    StudyInstanceUID: uid("study"),
    SeriesInstanceUID: uid(`${series}-series`),
    FrameOfReferenceUID: uid("frame"),
    Modality: "MR",
    PatientName: "Study^Test",
    PatientID: `STUDY-${tag}`,
    SeriesNumber: seriesNumber,
    SeriesDescription: description,
    InstanceNumber: n,
    ImagePositionPatient: plane === "axial" ? [0, 0, n * 5] : [0, n * 5, 0],
    ImageOrientationPatient: plane === "axial" ? [1, 0, 0, 0, 1, 0] : [1, 0, 0, 0, 0, -1],
    PixelSpacing: [1, 1],
    SliceThickness: 5,
    Rows: rows,
    Columns: columns,
    ...GREY_16,
    WindowCenter: 600,
    WindowWidth: 1200,
    PixelData: pixels.buffer,
  });
}

/** A UID of the 2.25 form made from a tag (the same tag, the same UID). */
function uidOf(text) {
  return `2.25.${BigInt(`0x${createHash("sha256").update(text).digest("hex").slice(0, 30)}`)}`;
}

/**
 * A digital radiograph (DX, for presentation), `size` pixels square, 16-bit, a bright square in the
 * middle: its pixel spacing only as Imager Pixel Spacing (at the detector), with an Estimated
 * Radiographic Magnification Factor when `ermf` is given.
 */
export function radiograph(tag, { size = 128, imagerPixelSpacing = 0.2, ermf } = {}) {
  const pixels = new Uint16Array(size * size).map((_, i) => {
    const x = i % size;
    const y = Math.floor(i / size);
    return Math.abs(x - size / 2) < size / 4 && Math.abs(y - size / 2) < size / 4 ? 3000 : 500 + ((x * 7 + y * 3) % 50);
  });
  return part10({
    SOPClassUID: "1.2.840.10008.5.1.4.1.1.1.1",
    SOPInstanceUID: uidOf(`${tag}-sop`),
    StudyInstanceUID: uidOf(`${tag}-study`),
    SeriesInstanceUID: uidOf(`${tag}-series`),
    Modality: "DX",
    PatientName: "Radiograph^Test",
    PatientID: `DX-${tag}`,
    PresentationIntentType: "FOR PRESENTATION",
    ImagerPixelSpacing: [imagerPixelSpacing, imagerPixelSpacing],
    ...(ermf ? { EstimatedRadiographicMagnificationFactor: ermf } : {}),
    Rows: size,
    Columns: size,
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    WindowCenter: 1750,
    WindowWidth: 3000,
    PixelData: pixels.buffer,
  });
}

/** A naturalized data set as a Part 10 file in explicit VR little endian. */
function part10(dataset) {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: "1.2.840.10008.1.2.1",
    ImplementationClassUID: "2.25.1",
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return Buffer.from(dict.write());
}
