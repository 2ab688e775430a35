/**
 * Why a file could not be read, for two audiences: `message` is for the data owner ("scan.dcm:
 * truncated: ..."), `code` is for code that decides what to do (retry, quarantine, report).
 */
export type DicomReadErrorCode =
  /** Empty, or not DICOM at all (no DICM marker and no data set we recognise). */
  | "NOT_DICOM"
  /** A DICM marker or file meta information, but no data set after it. */
  | "NO_DATASET"
  /** The file ends before something it declared: a value, an item, a delimiter, pixel data. */
  | "TRUNCATED"
  /** A value length that cannot be right: past the end of the file or of its sequence item. */
  | "BAD_LENGTH"
  /** File meta information without (0002,0010), so the data set's encoding is unknown. */
  | "MISSING_TRANSFER_SYNTAX"
  /** Structure that breaks the encoding rules (invalid VR, stray tag where an item belongs...). */
  | "MALFORMED"
  /** A standard sequence stored as VR UN in an explicit VR data set (see read.ts). */
  | "UN_SEQUENCE"
  /** Native pixel data shorter than Rows x Columns x Samples x Bits Allocated x Frames. */
  | "PIXEL_DATA_TOO_SHORT"
  /** Encapsulated pixel data whose fragments cannot be assigned to its frames. */
  | "PIXEL_DATA_FRAMES"
  /** The deflated data set does not inflate. */
  | "DEFLATE"
  /** A limit that protects the server was exceeded (size, elements, nesting, values). */
  | "LIMIT";

export class DicomReadError extends Error {
  override readonly name = "DicomReadError";

  constructor(
    readonly fileName: string,
    readonly code: DicomReadErrorCode,
    readonly reason: string,
  ) {
    super(`${fileName}: ${reason}`);
  }
}
