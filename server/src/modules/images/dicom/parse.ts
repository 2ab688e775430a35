import { PIXEL_DATA, dictionaryVr, tagLabel, tagText } from "./dictionary.js";
import { DicomReadError, type DicomReadErrorCode } from "./errors.js";
import { IMPLICIT_LE, type Syntax } from "./transfer-syntax.js";

/*
 * Walks the element structure of a data set (PS3.5 §7) and records where every value lies,
 * checking each length against what is really there. Neither dcmjs nor dicom-parser does this:
 * both return partial data for a file that ends early. Values are decoded later (convert.ts),
 * once the Specific Character Set of each data set is known.
 *
 * Every loop below consumes at least 8 bytes per turn or stops, so a hostile file cannot make it
 * spin; nesting and element counts are capped so it cannot exhaust the stack or memory either.
 */

export interface RawElement {
  tag: number;
  /**
   * The VR as stored (explicit VR), as the dictionary gives it (implicit VR: may be a
   * placeholder such as "xs" that depends on the data set), "SQ" for every sequence however it
   * was found, "OB" for encapsulated pixel data.
   */
  vr: string;
  /** The value's bytes: a view into the parsed buffer, empty for sequences and fragments. */
  value: Uint8Array;
  /** Byte order of `value`: a UN value read through the dictionary is little endian (§6.2.2). */
  littleEndian: boolean;
  items?: RawDataset[];
  /** Encapsulated pixel data: the Basic Offset Table item, then each fragment. */
  fragments?: Uint8Array[];
  /** Stored with VR UN and read as the dictionary's VR. */
  fromUN?: boolean;
}

export type RawDataset = RawElement[];

export interface ParseLimits {
  maxElements: number;
  maxDepth: number;
  allowUnknownVrSequences: boolean;
}

const UNDEFINED_LENGTH = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_DELIMITER = 0xfffee00d;
const SEQUENCE_DELIMITER = 0xfffee0dd;

const VALID_VRS = new Set(
  "AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV".split(" "),
);
/** VRs with a reserved 2 bytes and a 4-byte length in explicit VR (PS3.5 Table 7.1-1). */
const LONG_VRS = new Set("OB OD OF OL OV OW SQ SV UC UN UR UT UV".split(" "));

type Until = "end" | "item-delimiter" | "other-group";

export class DatasetParser {
  readonly warnings: string[] = [];
  private readonly view: DataView;
  private elementCount = 0;

  /**
   * @param where what the buffer holds, for messages: "data set" or "file meta information"
   */
  constructor(
    private readonly buf: Uint8Array,
    private readonly fileName: string,
    private readonly limits: ParseLimits,
    private readonly where: "data set" | "file meta information",
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** The whole buffer from `start` as one data set. */
  parseAll(start: number, syntax: Syntax): RawDataset {
    return this.parseDataset(start, this.buf.length, syntax, 0, "end", 0).elements;
  }

  /**
   * The file meta group: explicit VR little endian elements of group 0002 from `start`, read up
   * to the first element of another group (more forgiving than trusting (0002,0000), which some
   * writers get wrong). Returns the elements and where the data set begins.
   */
  parseMetaGroup(start: number): { elements: RawDataset; next: number } {
    const { elements, next } = this.parseDataset(start, this.buf.length, { explicit: true, littleEndian: true }, 0, "other-group", 0);
    return { elements, next };
  }

  private parseDataset(
    start: number,
    end: number,
    syntax: Syntax,
    depth: number,
    until: Until,
    owner: number,
  ): { elements: RawDataset; next: number } {
    const elements: RawDataset = [];
    // A data set or item holds each element once (PS3.5 §7.1), and never command (0000) or file
    // meta (0002, but in the file meta information) elements: such elements are read past and left
    // out (the first of a repeated one is kept), so nothing stored carries them and a file written
    // from what is read reads back.
    const seen = until === "other-group" ? null : new Set<number>();
    let pos = start;
    for (;;) {
      if (pos === end) {
        if (until === "item-delimiter") {
          throw this.fail(
            end === this.buf.length ? "TRUNCATED" : "BAD_LENGTH",
            `an item of sequence ${tagLabel(owner)} has no end: its item delimiter is missing (${this.endOf(end)} comes first)`,
          );
        }
        return { elements, next: pos };
      }
      const left = end - pos;
      if (left < 8) {
        if (depth === 0 && until === "end" && this.allZero(pos, end)) {
          this.warnings.push(`${left} zero bytes after the last element were ignored`);
          return { elements, next: end };
        }
        throw this.headerCut(pos, left, end);
      }
      const tag = this.readTag(pos, syntax.littleEndian);
      if (until === "other-group" && tag >>> 16 !== 0x0002) return { elements, next: pos };
      if (tag >>> 16 === 0xfffe) {
        if (tag === ITEM_DELIMITER && until === "item-delimiter") return { elements, next: pos + 8 };
        throw this.fail("MALFORMED", `unexpected ${delimiterName(tag)} at byte ${pos} of the ${this.where}`);
      }
      const { element, next } = this.parseElement(pos, end, syntax, depth);
      const misplaced = seen && misplacedGroup(tag >>> 16);
      if (misplaced) {
        this.warnings.push(`element ${tagLabel(tag)} at byte ${pos} was left out: ${misplaced}`);
      } else if (seen?.has(tag)) {
        this.warnings.push(`element ${tagLabel(tag)} appears twice in ${depth === 0 && until === "end" ? `the ${this.where}` : `an item of ${tagLabel(owner)}`}; the second, at byte ${pos}, was left out`);
      } else {
        seen?.add(tag);
        elements.push(element);
      }
      pos = next;
    }
  }

  private parseElement(pos: number, end: number, syntax: Syntax, depth: number): { element: RawElement; next: number } {
    const tag = this.readTag(pos, syntax.littleEndian);
    this.countElement();
    let vr: string;
    let length: number;
    let header = 8;
    if (syntax.explicit) {
      vr = String.fromCharCode(this.buf[pos + 4]!, this.buf[pos + 5]!);
      if (!VALID_VRS.has(vr)) {
        throw this.fail("MALFORMED", `element ${tagLabel(tag)} has an invalid value representation "${printable(vr)}" at byte ${pos}`);
      }
      if (LONG_VRS.has(vr)) {
        header = 12;
        if (end - pos < header) throw this.headerCut(pos, end - pos, end, header);
        length = this.u32(pos + 8, syntax.littleEndian);
      } else {
        length = this.u16(pos + 6, syntax.littleEndian);
      }
    } else {
      length = this.u32(pos + 4, true);
      vr = dictionaryVr(tag) ?? (length === UNDEFINED_LENGTH ? "SQ" : "UN");
    }
    const start = pos + header;
    const base: RawElement = { tag, vr, value: this.buf.subarray(start, start), littleEndian: syntax.littleEndian };

    if (length === UNDEFINED_LENGTH) {
      if (tag === PIXEL_DATA) {
        const { fragments, next } = this.parseFragments(start, end);
        return { element: { ...base, vr: "OB", fragments }, next };
      }
      if (vr === "SQ" || !syntax.explicit) {
        const { items, next } = this.parseSequence(start, undefined, end, syntax, depth + 1, tag);
        return { element: { ...base, vr: "SQ", items }, next };
      }
      if (vr === "UN") {
        // CP-246: a sequence whose VR was unknown to its writer; its items are implicit VR LE.
        const { items, next } = this.parseSequence(start, undefined, end, IMPLICIT_LE, depth + 1, tag);
        return { element: { ...base, vr: "SQ", items, littleEndian: true, fromUN: true }, next };
      }
      throw this.fail("MALFORMED", `element ${tagLabel(tag)} has VR ${vr} with undefined length, which only sequences and pixel data may have`);
    }

    const available = end - start;
    if (length > available) throw this.lengthError(tag, length, available, end);
    const next = start + length;
    const value = this.buf.subarray(start, next);

    if (vr === "SQ") {
      const { items } = this.parseSequence(start, next, end, syntax, depth + 1, tag);
      return { element: { ...base, items }, next };
    }
    if (syntax.explicit && vr === "UN") {
      const known = dictionaryVr(tag);
      if (known === "SQ") return { element: this.unknownVrSequence(base, value, depth), next };
      // A value stored as UN is little endian whatever the transfer syntax (PS3.5 §6.2.2).
      if (known) return { element: { ...base, vr: known, value, littleEndian: true, fromUN: true }, next };
    }
    return { element: { ...base, value }, next };
  }

  /**
   * A standard sequence written as UN with a defined length: its writer did not know the
   * attribute, encoded the items implicit VR (CP-246) and labelled them UN inside an explicit VR
   * data set. The standard allows reading them back, but nothing in the file says the writer
   * really followed CP-246 (some wrote explicit items), and the manifest's expectation for such
   * files is that a conformant reader reports them; so this is refused unless the caller opts in.
   */
  private unknownVrSequence(base: RawElement, value: Uint8Array, depth: number): RawElement {
    if (!this.limits.allowUnknownVrSequences) {
      throw this.fail(
        "UN_SEQUENCE",
        `sequence ${tagLabel(base.tag)} is stored with VR UN (unknown) and its items are not encoded like the rest of the ${this.where}; the system that wrote it did not know this attribute`,
      );
    }
    const start = value.byteOffset - this.buf.byteOffset;
    try {
      const { items } = this.parseSequence(start, start + value.length, start + value.length, IMPLICIT_LE, depth + 1, base.tag);
      return { ...base, vr: "SQ", items, littleEndian: true, fromUN: true };
    } catch (error) {
      if (!(error instanceof DicomReadError) || error.code === "LIMIT") throw error;
      this.warnings.push(`sequence ${tagLabel(base.tag)} stored as UN could not be read as implicit VR items; kept as bytes`);
      return { ...base, value };
    }
  }

  /**
   * Items of a sequence, from `start` to `definedEnd` (defined length) or to its sequence
   * delimiter (undefined length), never past `limit` (the end of the enclosing value or file).
   */
  private parseSequence(
    start: number,
    definedEnd: number | undefined,
    limit: number,
    syntax: Syntax,
    depth: number,
    owner: number,
  ): { items: RawDataset[]; next: number } {
    if (depth > this.limits.maxDepth) {
      throw this.fail("LIMIT", `sequences are nested more than ${this.limits.maxDepth} levels deep (at ${tagLabel(owner)})`);
    }
    const end = definedEnd ?? limit;
    const items: RawDataset[] = [];
    let pos = start;
    for (;;) {
      if (definedEnd !== undefined && pos === definedEnd) return { items, next: pos };
      if (end - pos < 8) {
        if (definedEnd === undefined) {
          throw this.fail(
            end === this.buf.length ? "TRUNCATED" : "BAD_LENGTH",
            `sequence ${tagLabel(owner)} has no end: its sequence delimiter is missing (${this.endOf(end)} comes first)`,
          );
        }
        throw this.fail("BAD_LENGTH", `sequence ${tagLabel(owner)} declares a length that ends inside an item header`);
      }
      const tag = this.readTag(pos, syntax.littleEndian);
      const length = this.u32(pos + 4, syntax.littleEndian);
      if (tag === SEQUENCE_DELIMITER) {
        if (definedEnd === undefined || pos + 8 === definedEnd) return { items, next: pos + 8 };
        throw this.fail("MALFORMED", `sequence ${tagLabel(owner)} has a sequence delimiter before the end of its declared length`);
      }
      if (tag !== ITEM) {
        throw this.fail("MALFORMED", `sequence ${tagLabel(owner)} holds ${tagText(tag)} at byte ${pos} where an item belongs`);
      }
      this.countElement();
      const itemStart = pos + 8;
      if (length === UNDEFINED_LENGTH) {
        const { elements, next } = this.parseDataset(itemStart, end, syntax, depth, "item-delimiter", owner);
        items.push(elements);
        pos = next;
      } else {
        if (length > end - itemStart) {
          throw this.fail(
            end === this.buf.length && definedEnd === undefined ? "TRUNCATED" : "BAD_LENGTH",
            `an item of sequence ${tagLabel(owner)} declares ${length} bytes but only ${end - itemStart} remain${end === this.buf.length ? "" : " in the sequence"}`,
          );
        }
        items.push(this.parseDataset(itemStart, itemStart + length, syntax, depth, "end", owner).elements);
        pos = itemStart + length;
      }
    }
  }

  /** Encapsulated pixel data (PS3.5 A.4): items, each with a defined length, then a delimiter. */
  private parseFragments(start: number, end: number): { fragments: Uint8Array[]; next: number } {
    const fragments: Uint8Array[] = [];
    let pos = start;
    for (;;) {
      const left = end - pos;
      if (left < 8) {
        const atEof = end === this.buf.length;
        throw this.fail(
          atEof ? "TRUNCATED" : "BAD_LENGTH",
          `${atEof ? "truncated: " : ""}encapsulated Pixel Data has no sequence delimiter: ${this.endOf(end)} comes after ${fragmentCount(fragments.length)}`,
        );
      }
      // Encapsulated transfer syntaxes are all little endian.
      const tag = this.readTag(pos, true);
      const length = this.u32(pos + 4, true);
      if (tag === SEQUENCE_DELIMITER) return { fragments, next: pos + 8 };
      if (tag !== ITEM) throw this.fail("MALFORMED", `encapsulated Pixel Data holds ${tagText(tag)} at byte ${pos} where a fragment belongs`);
      if (length === UNDEFINED_LENGTH) throw this.fail("MALFORMED", "an encapsulated Pixel Data fragment has undefined length");
      this.countElement();
      if (length > left - 8) {
        const what = fragments.length === 0 ? "its Basic Offset Table" : `fragment ${fragments.length}`;
        throw this.fail(
          end === this.buf.length ? "TRUNCATED" : "BAD_LENGTH",
          `${end === this.buf.length ? "truncated: " : ""}Pixel Data ${what} declares ${length} bytes but only ${left - 8} remain`,
        );
      }
      fragments.push(this.buf.subarray(pos + 8, pos + 8 + length));
      pos += 8 + length;
    }
  }

  private lengthError(tag: number, length: number, available: number, end: number): DicomReadError {
    const atEof = end === this.buf.length;
    if (this.where === "file meta information" && atEof) {
      return this.fail("TRUNCATED", `truncated: the file ends inside its file meta information (element ${tagLabel(tag)} declares ${length} bytes but only ${available} remain)`);
    }
    if (tag === PIXEL_DATA && atEof) {
      return this.fail("TRUNCATED", `truncated: Pixel Data declares ${length} bytes but only ${available} remain`);
    }
    return this.fail("BAD_LENGTH", `element ${tagLabel(tag)} declares ${length} bytes but only ${available} remain${atEof ? "" : " in its sequence item"}`);
  }

  /** The bytes left at `pos` are fewer than an element header needs. */
  private headerCut(pos: number, left: number, end: number, needed = 8): DicomReadError {
    const header = `an element header at byte ${pos} has ${left} of its ${needed} bytes`;
    if (end !== this.buf.length) return this.fail("BAD_LENGTH", `a sequence item ends inside an element: ${header}`);
    return this.fail("TRUNCATED", `truncated: the file ends inside its ${this.where} (${header})`);
  }

  private countElement(): void {
    this.elementCount += 1;
    if (this.elementCount > this.limits.maxElements) {
      throw this.fail("LIMIT", `more than ${this.limits.maxElements} elements and items; refused to protect the server`);
    }
  }

  private endOf(end: number): string {
    return end === this.buf.length ? "the end of the file" : "the end of the enclosing item";
  }

  private allZero(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (this.buf[i] !== 0) return false;
    return true;
  }

  private fail(code: DicomReadErrorCode, reason: string): DicomReadError {
    return new DicomReadError(this.fileName, code, reason);
  }

  private readTag(pos: number, littleEndian: boolean): number {
    return ((this.u16(pos, littleEndian) << 16) | this.u16(pos + 2, littleEndian)) >>> 0;
  }

  private u16(pos: number, littleEndian: boolean): number {
    return this.view.getUint16(pos, littleEndian);
  }

  private u32(pos: number, littleEndian: boolean): number {
    return this.view.getUint32(pos, littleEndian);
  }
}

/**
 * For files without preamble and file meta: which encoding makes the first elements look like
 * a data set? Reads up to ten top-level elements under each candidate and takes the first
 * candidate under which they have valid VRs (explicit), lengths that fit, a plausible first group
 * and ascending tags. Null when none does, i.e. this is not a data set we recognise.
 */
export function detectRawSyntax(buf: Uint8Array): Syntax | null {
  const candidates: Syntax[] = [
    { explicit: true, littleEndian: true },
    { explicit: true, littleEndian: false },
    { explicit: false, littleEndian: true },
  ];
  return candidates.find((syntax) => looksLikeDataset(buf, syntax)) ?? null;
}

/** Why an element of this group has no place in a data set, or null when it has one. */
function misplacedGroup(group: number): string | null {
  if (group === 0x0000) return "command elements (group 0000) do not belong in a data set";
  if (group === 0x0002) return "file meta elements (group 0002) belong in the file meta information only";
  // The reserved odd groups (0001, 0003, 0005, 0007, FFFF) are read like private ones, which
  // de-identification removes; some test files use them for private sequences.
  return null;
}

/**
 * Whether up to ten top-level elements read consistently under `syntax`. `fromStart`: the bytes
 * are a whole data set, so its first group must be a low even one.
 */
export function looksLikeDataset(buf: Uint8Array, syntax: Syntax, fromStart = true): boolean {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  let previous = -1;
  for (let n = 0; n < 10; n++) {
    if (pos === buf.length) return n > 0;
    if (buf.length - pos < 8) return false;
    const group = view.getUint16(pos, syntax.littleEndian);
    const tag = ((group << 16) | view.getUint16(pos + 2, syntax.littleEndian)) >>> 0;
    // A data set starts with a low even group (0002 meta, 0008 identification, ...).
    if (fromStart && n === 0 && (group % 2 !== 0 || group < 0x0002 || group > 0x0028)) return false;
    if (tag <= previous) return false;
    previous = tag;
    let length: number;
    let header = 8;
    if (syntax.explicit) {
      const vr = String.fromCharCode(buf[pos + 4]!, buf[pos + 5]!);
      if (!VALID_VRS.has(vr)) return false;
      if (LONG_VRS.has(vr)) {
        if (buf.length - pos < 12) return false;
        header = 12;
        length = view.getUint32(pos + 8, syntax.littleEndian);
      } else {
        length = view.getUint16(pos + 6, syntax.littleEndian);
      }
    } else {
      length = view.getUint32(pos + 4, true);
    }
    // An undefined length (a sequence) ends the probe: what came before was consistent.
    if (length === UNDEFINED_LENGTH) return true;
    if (length > buf.length - pos - header) return false;
    pos += header + length;
  }
  return true;
}

function delimiterName(tag: number): string {
  if (tag === ITEM_DELIMITER) return "item delimiter (FFFE,E00D)";
  if (tag === SEQUENCE_DELIMITER) return "sequence delimiter (FFFE,E0DD)";
  if (tag === ITEM) return "item (FFFE,E000) outside any sequence";
  return tagText(tag);
}

function fragmentCount(n: number): string {
  if (n === 0) return "no items at all";
  return n === 1 ? "the Basic Offset Table alone" : `the Basic Offset Table and ${n - 1} fragment${n === 2 ? "" : "s"}`;
}

/** Text for a message: what is not printable ASCII shown as \xNN. */
export function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
