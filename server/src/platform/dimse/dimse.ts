import type { Socket } from "node:net";
import path from "node:path";
import type { Dcmjs, DcmjsDataset } from "../../modules/images/dicom/dcmjs.js";

// dcmjs-dimse, loaded once and made quiet. It bundles its own dcmjs (0.50), which it uses to parse
// datasets; the server's own dcmjs writes the Part 10 files here, as everywhere else.
export const dimse = require("dcmjs-dimse") as typeof import("dcmjs-dimse");
const dcmjs = require("dcmjs") as Dcmjs;

dimse.log.setLevel("silent");
// The bundled dcmjs warns about every private tag. Resolved from dcmjs-dimse's own folder, "dcmjs"
// is its nested copy wherever npm put it.
(require(require.resolve("dcmjs", { paths: [path.dirname(require.resolve("dcmjs-dimse"))] })) as Dcmjs).log.setLevel("error");

/** DIMSE status codes we send or test for (PS3.7 Annex C). */
export const Status = {
  Success: 0x0000,
  Pending: 0xff00,
  PendingWithWarnings: 0xff01,
  ProcessingFailure: 0x0110,
  NotAuthorized: 0x0124,
  OutOfResources: 0xa700,
  CannotUnderstand: 0xc000,
} as const;
/** The library's names for every status, for messages. */
export const STATUS_NAMES = dimse.constants.Status as unknown as Record<string, number>;

export const VERIFICATION: string = dimse.constants.SopClass.Verification;
export const IMPLICIT_LE: string = dimse.constants.TransferSyntax.ImplicitVRLittleEndian;
export const EXPLICIT_LE: string = dimse.constants.TransferSyntax.ExplicitVRLittleEndian;

/** A DICOM application entity we talk to. */
export interface DicomNode {
  aeTitle: string;
  host: string;
  port: number;
}

/** A C-STORE's data set as it came over the wire, made into a Part 10 file. */
export interface ReceivedInstance {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** The sender's own Study Instance UID: only to attribute the instance, never stored. */
  studyInstanceUid: string | null;
  bytes: Uint8Array;
}

/** Storage SOP classes live under this root (images, SR, SEG, RT, waveforms, documents...). */
export const isStorageSopClass = (uid: string) => uid.startsWith("1.2.840.10008.5.1.4.1.1.") || uid.startsWith("1.2.840.10008.5.1.4.34.");

/** Transfer syntaxes whose data sets we can file as received: little endian, native or encapsulated (not deflated or big endian). */
export function storableTransferSyntax(uid: string): boolean {
  return uid === IMPLICIT_LE || uid === EXPLICIT_LE || uid.startsWith("1.2.840.10008.1.2.4.") || uid === "1.2.840.10008.1.2.5";
}

/**
 * Prefix the data set bytes received in a C-STORE with a preamble and file meta information:
 * the file is then byte for byte what the sender sent, in the transfer syntax it sent.
 */
export function part10(dataset: Uint8Array, sopClassUid: string, sopInstanceUid: string, transferSyntaxUid: string): Uint8Array {
  const meta: DcmjsDataset = {
    "00020001": { vr: "OB", Value: [new Uint8Array([0, 1]).buffer] },
    "00020002": { vr: "UI", Value: [sopClassUid] },
    "00020003": { vr: "UI", Value: [sopInstanceUid] },
    "00020010": { vr: "UI", Value: [transferSyntaxUid] },
    "00020012": { vr: "UI", Value: [IMPLEMENTATION_CLASS_UID] },
    "00020013": { vr: "SH", Value: [IMPLEMENTATION_VERSION_NAME] },
  };
  const header = new dcmjs.data.DicomDict(meta);
  header.dict = {};
  const head = new Uint8Array(header.write());
  const out = new Uint8Array(head.byteLength + dataset.byteLength);
  out.set(head, 0);
  out.set(dataset, head.byteLength);
  return out;
}

// The same identity images/dicom/write.ts gives the files it writes.
const IMPLEMENTATION_CLASS_UID = "2.25.75839079994943346179328704103331231226";
const IMPLEMENTATION_VERSION_NAME = "CONCORD_1";

/** Reads only the elements before (0020,000E) of a Part 10 file, for the sender's Study Instance UID. */
export function studyInstanceUidOf(file: Uint8Array): string | null {
  try {
    const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    const read = dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: true, untilTag: "0020000D", includeUntilTagValue: true, stopOnGreaterTag: true, noCopy: true } as never);
    const value = read.dict["0020000D"]?.Value?.[0];
    return typeof value === "string" && value.trim() ? value.trim() : null;
  } catch {
    return null;
  }
}

/** Nagle's algorithm delays every small DIMSE PDU by tens of milliseconds; the library never turns it off. */
export function noDelay(socket: Socket | undefined): void {
  socket?.setNoDelay?.(true);
}

/** The bytes a Network accumulated for a C-STORE data set, kept on the Dataset it hands over. */
const RAW = Symbol("raw C-STORE data set");
type RawCarrier = { [RAW]?: Uint8Array };

/**
 * Makes a dcmjs-dimse Network keep each C-STORE data set's raw bytes next to the parsed Dataset,
 * so files are stored exactly as sent instead of being re-encoded by the bundled dcmjs.
 */
export function keepRawStoreBytes(network: object | undefined): void {
  if (!network) return;
  const n = network as { createDatasetFromStoreWritableStream: (w: { toBuffer(): Buffer }, pc: { getAcceptedTransferSyntaxUid(): string }, cb: (d: unknown) => void) => void };
  n.createDatasetFromStoreWritableStream = (writable, context, callback) => {
    const raw = writable.toBuffer();
    // An empty Dataset: the bundled dcmjs is not trusted to parse what we store (compressed data, odd VRs).
    const dataset = new dimse.Dataset({}, context.getAcceptedTransferSyntaxUid()) as unknown as RawCarrier;
    dataset[RAW] = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    callback(dataset);
  };
}

/** The Part 10 file of a received C-STORE request, or null when its data set was not captured. */
export function receivedInstance(request: import("dcmjs-dimse").requests.CStoreRequest): ReceivedInstance | null {
  const dataset = request.getDataset() as unknown as (RawCarrier & { getTransferSyntaxUid(): string }) | undefined;
  const raw = dataset?.[RAW];
  if (!dataset || !raw) return null;
  const sopClassUid = request.getAffectedSopClassUid();
  const sopInstanceUid = request.getAffectedSopInstanceUid();
  const transferSyntaxUid = dataset.getTransferSyntaxUid();
  const bytes = part10(raw, sopClassUid, sopInstanceUid, transferSyntaxUid);
  return { sopClassUid, sopInstanceUid, transferSyntaxUid, studyInstanceUid: studyInstanceUidOf(bytes), bytes };
}
