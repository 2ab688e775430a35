import iconv from "iconv-lite";

/*
 * Specific Character Set (0008,0005) decoding, PS3.3 C.12.1.1.2 and PS3.5 §6.1.
 *
 * One value without "ISO 2022" (ISO_IR 100, ISO_IR 192, GB18030...) names one code page for the
 * whole value. Several values, or any "ISO 2022 IR n", switch on ISO 2022 code extensions:
 * escape sequences inside the text designate other character sets into G0 (bytes 0x21-0x7E)
 * or G1 (bytes 0xA1-0xFE), and the first value's sets come back after each delimiter
 * (PS3.5 §6.1.2.5.3). Japanese (JIS X 0201/0208/0212) and Korean (KS X 1001) person names rely
 * on this; dcmjs refuses such files and iconv-lite has no ISO-2022 codec, so it is done here,
 * with iconv-lite decoding each designated set's bytes.
 */

/** Code pages of the single-byte sets, by the IR number in the Defined Term. */
const SINGLE_BYTE_CODE_PAGES: Record<string, string> = {
  "6": "latin1", // ASCII; bytes above 0x7F are not allowed, latin1 is the usual reality
  "100": "latin1",
  "101": "iso88592",
  "109": "iso88593",
  "110": "iso88594",
  "144": "iso88595",
  "127": "iso88596",
  "126": "iso88597",
  "138": "iso88598",
  "148": "iso88599",
  "203": "iso885915",
  "166": "tis620",
};

/** Escape sequences (after ESC) of the single-byte G1 sets, PS3.3 Table C.12-3. */
const G1_SINGLE_BYTE_ESCAPES: Record<string, string> = {
  "-A": "100",
  "-B": "101",
  "-C": "109",
  "-D": "110",
  "-L": "144",
  "-G": "127",
  "-F": "126",
  "-H": "138",
  "-M": "148",
  "-b": "203",
  "-T": "166",
};

type G0 = "ascii" | "jisx0201-romaji" | "jisx0208" | "jisx0212";
type G1 =
  | { kind: "none" }
  | { kind: "code-page"; codePage: string }
  | { kind: "jisx0201-katakana" }
  | { kind: "ksx1001" }
  | { kind: "gb2312" };

interface CodeState {
  g0: G0;
  g1: G1;
}

/** Which bytes end a value or a component and so bring back the first value's sets. */
export type TextKind = "person-name" | "multi-valued" | "text";

export interface CharsetDecoder {
  /** Unicode text of a value's bytes, padding included (the caller trims). */
  decode(bytes: Uint8Array, kind: TextKind): string;
  /** Things a data owner may want to know, e.g. an unknown character set. */
  readonly warnings: string[];
}

const ESC = 0x1b;
const DELIMITERS: Record<TextKind, Set<number>> = {
  // ^ = \ separate components, groups and values; CR LF TAB FF end lines in any text.
  "person-name": new Set([0x5e, 0x3d, 0x5c, 0x0d, 0x0a, 0x09, 0x0c]),
  "multi-valued": new Set([0x5c, 0x0d, 0x0a, 0x09, 0x0c]),
  text: new Set([0x0d, 0x0a, 0x09, 0x0c]),
};

/**
 * Accepts the spellings seen in the wild ("ISO-IR 100", "ISO IR 192", "ISO_2022 IR 87") and
 * returns the Defined Term, or null when it is not one.
 */
export function normalizeCharacterSetTerm(term: string): string | null {
  const t = term.trim().toUpperCase();
  if (t === "") return "";
  if (t === "GB18030" || t === "GBK") return t;
  let m = /^ISO[ _-]?2022[ _-]?IR[ _-]?\+?(\d+)$/.exec(t);
  if (m) return `ISO 2022 IR ${m[1]}`;
  m = /^ISO[ _-]?IR[ _-]?(\d+)$/.exec(t);
  if (m) return `ISO_IR ${m[1]}`;
  return null;
}

/** Splits the element's value as read (e.g. "\ISO 2022 IR 87") into its terms. */
export function characterSetTerms(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split("\\").map((t) => t.trim());
}

/** The decoder for a data set whose Specific Character Set has these terms ([] = absent). */
export function textDecoderFor(terms: string[]): CharsetDecoder {
  const warnings: string[] = [];
  const known: string[] = [];
  for (const raw of terms) {
    const term = normalizeCharacterSetTerm(raw);
    if (term === null) warnings.push(`unknown Specific Character Set "${raw}"; its text was read as Latin-1`);
    known.push(term ?? "ISO_IR 100");
  }
  const first = known[0] ?? "";

  // These three never combine with code extensions (PS3.3 C.12.1.1.2); ignore any extra values.
  if (first === "ISO_IR 192") return codePageDecoder("utf8", warnings);
  if (first === "GB18030") return codePageDecoder("gb18030", warnings);
  if (first === "GBK") return codePageDecoder("gbk", warnings);

  const usesExtensions = known.length > 1 || known.some((t) => t.startsWith("ISO 2022"));
  if (!usesExtensions) {
    if (first === "ISO_IR 13") return iso2022Decoder({ g0: "jisx0201-romaji", g1: { kind: "jisx0201-katakana" } }, warnings);
    const ir = first.replace(/^ISO_IR /, "");
    const codePage = first === "" ? "latin1" : SINGLE_BYTE_CODE_PAGES[ir];
    if (!codePage) warnings.push(`unsupported Specific Character Set "${first}"; its text was read as Latin-1`);
    return codePageDecoder(codePage ?? "latin1", warnings);
  }
  return iso2022Decoder(initialState(first, warnings), warnings);
}

function codePageDecoder(codePage: string, warnings: string[]): CharsetDecoder {
  return { decode: (bytes) => iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), codePage), warnings };
}

/** The sets the first value of Specific Character Set makes active before any escape. */
function initialState(first: string, warnings: string[]): CodeState {
  const ir = first.replace(/^ISO(_IR| 2022 IR) /, "");
  if (first === "") return { g0: "ascii", g1: { kind: "none" } };
  if (ir === "13") return { g0: "jisx0201-romaji", g1: { kind: "jisx0201-katakana" } };
  if (ir === "149") return { g0: "ascii", g1: { kind: "ksx1001" } };
  if (ir === "58") return { g0: "ascii", g1: { kind: "gb2312" } };
  const codePage = SINGLE_BYTE_CODE_PAGES[ir];
  if (codePage && ir !== "6") return { g0: "ascii", g1: { kind: "code-page", codePage } };
  if (!codePage) warnings.push(`Specific Character Set "${first}" cannot be the first value; assumed the default repertoire`);
  return { g0: "ascii", g1: { kind: "none" } };
}

/** The multi-byte and Japanese escape sequences (after ESC), PS3.3 Tables C.12-4 and C.12-5. */
const OTHER_ESCAPES: Array<[string, (state: CodeState) => void]> = [
  ["(B", (s) => (s.g0 = "ascii")], // ISO 646 (IR 6)
  ["(J", (s) => (s.g0 = "jisx0201-romaji")], // IR 14
  [")I", (s) => (s.g1 = { kind: "jisx0201-katakana" })], // IR 13
  ["$B", (s) => (s.g0 = "jisx0208")], // IR 87
  ["$(D", (s) => (s.g0 = "jisx0212")], // IR 159
  ["$)C", (s) => (s.g1 = { kind: "ksx1001" })], // IR 149
  ["$)A", (s) => (s.g1 = { kind: "gb2312" })], // IR 58
];

/** Applies the escape sequence after ESC at `at`; returns its length, or 0 if unknown. */
function applyEscape(bytes: Uint8Array, at: number, state: CodeState): number {
  const ahead = String.fromCharCode(...bytes.subarray(at, at + 3));
  for (const [sequence, designate] of OTHER_ESCAPES) {
    if (ahead.startsWith(sequence)) {
      designate(state);
      return sequence.length;
    }
  }
  const ir = G1_SINGLE_BYTE_ESCAPES[ahead.slice(0, 2)];
  if (!ir) return 0;
  state.g1 = { kind: "code-page", codePage: SINGLE_BYTE_CODE_PAGES[ir]! };
  return 2;
}

function iso2022Decoder(initial: CodeState, warnings: string[]): CharsetDecoder {
  let warnedUnknownEscape = false;
  const decode = (bytes: Uint8Array, kind: TextKind): string => {
    const delimiters = DELIMITERS[kind];
    const state: CodeState = { ...initial };
    const out: string[] = [];
    // Bytes of one character set are collected and decoded together; `runCodec` names it.
    let run: number[] = [];
    let runCodec = "";
    const flush = () => {
      if (run.length) out.push(iconv.decode(Buffer.from(run), runCodec));
      run = [];
    };
    const emit = (codec: string, ...b: number[]) => {
      if (codec !== runCodec) flush();
      runCodec = codec;
      run.push(...b);
    };
    const text = (s: string) => {
      flush();
      runCodec = "";
      out.push(s);
    };

    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i]!;
      if (b === ESC) {
        const used = applyEscape(bytes, i + 1, state);
        if (used === 0) {
          if (!warnedUnknownEscape) warnings.push("text holds an escape sequence of no supported character set; kept as is");
          warnedUnknownEscape = true;
          text("\u001b");
        }
        i += 1 + used;
        continue;
      }
      if (b < 0x80) {
        const twoByte = state.g0 === "jisx0208" || state.g0 === "jisx0212";
        if (twoByte && b >= 0x21 && b <= 0x7e && i + 1 < bytes.length) {
          // JIS X 0208/0212 in G0 are EUC-JP's code sets 1 and 3 with the high bits cleared.
          const b2 = bytes[i + 1]! | 0x80;
          if (state.g0 === "jisx0212") emit("eucjp", 0x8f, b | 0x80, b2);
          else emit("eucjp", b | 0x80, b2);
          i += 2;
          continue;
        }
        emit("latin1", b); // ASCII, and JIS X 0201 Roman read as ASCII (yen sign = backslash)
        i += 1;
        if (delimiters.has(b)) Object.assign(state, initial);
        continue;
      }
      // b >= 0x80: a G1 byte.
      const g1 = state.g1;
      if (g1.kind === "jisx0201-katakana") {
        if (b >= 0xa1 && b <= 0xdf) text(String.fromCharCode(0xff61 + (b - 0xa1)));
        else text("\ufffd");
        i += 1;
      } else if ((g1.kind === "ksx1001" || g1.kind === "gb2312") && i + 1 < bytes.length) {
        emit(g1.kind === "ksx1001" ? "euckr" : "gbk", b, bytes[i + 1]!);
        i += 2;
      } else {
        emit(g1.kind === "code-page" ? g1.codePage : "latin1", b);
        i += 1;
      }
    }
    flush();
    return out.join("");
  };
  return { decode, warnings };
}
