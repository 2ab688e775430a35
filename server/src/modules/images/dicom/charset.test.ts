import { describe, expect, it } from "vitest";
import { normalizeCharacterSetTerm, textDecoderFor } from "./charset.js";
import { readDicomFile } from "./read.js";
import { ascii, concat, element } from "./synthetic.js";

// Byte strings are the worked examples of PS3.5 Annexes H (Japanese), I (Korean) and J (Chinese)
// and the single-byte code extension names pydicom tests with; expected text as documented there.
const bytes = (s: string) => ascii(s);

describe("Specific Character Set decoding", () => {
  it("accepts the common misspellings of Defined Terms", () => {
    expect(normalizeCharacterSetTerm("ISO-IR 100")).toBe("ISO_IR 100");
    expect(normalizeCharacterSetTerm("ISO IR 192")).toBe("ISO_IR 192");
    expect(normalizeCharacterSetTerm("ISO_2022-IR 100")).toBe("ISO 2022 IR 100");
    expect(normalizeCharacterSetTerm("ISO_2022_IR+126")).toBe("ISO 2022 IR 126");
    expect(normalizeCharacterSetTerm(" gb18030 ")).toBe("GB18030");
    expect(normalizeCharacterSetTerm("UTF-8")).toBeNull();
  });

  it.each([
    ["ISO_IR 100", "Buc^J\xe9r\xf4me", "Buc^Jérôme"],
    ["ISO_IR 101", "Wa\xb3\xeasa", "Wałęsa"],
    ["ISO_IR 144", "\xbb\xee\xdace\xdc\xd1yp\xd3", "Люкceмбypг"],
    ["ISO_IR 127", "\xe2\xc8\xc7\xe6\xea^\xe4\xe6\xd2\xc7\xd1", "قباني^لنزار"],
    ["ISO_IR 126", "\xc4\xe9\xef\xed\xf5\xf3\xe9\xef\xf2", "Διονυσιος"],
    ["ISO_IR 138", "\xf9\xf8\xe5\xef^\xe3\xe1\xe5\xf8\xe4", "שרון^דבורה"],
    ["ISO_IR 148", "\xc7avu\xfeo\xf0lu", "Çavuşoğlu"],
    ["ISO_IR 166", "\xb9\xd2\xc1\xca\xa1\xd8\xc5", "นามสกุล"],
    ["ISO_IR 13", "\xd4\xcf\xc0\xde^\xc0\xdb\xb3", "ﾔﾏﾀﾞ^ﾀﾛｳ"],
    ["ISO_IR 192", "Wang^XiaoDong=\xe7\x8e\x8b^\xe5\xb0\x8f\xe6\x9d\xb1=", "Wang^XiaoDong=王^小東="],
    ["GB18030", "Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=", "Wang^XiaoDong=王^小东="],
  ])("%s without code extensions", (term, encoded, text) => {
    expect(textDecoderFor([term]).decode(bytes(encoded), "person-name")).toBe(text);
  });

  it.each([
    ["ISO 2022 IR 13", "\x1b)I\xd4\xcf\xc0\xde^\x1b)I\xc0\xdb\xb3", "ﾔﾏﾀﾞ^ﾀﾛｳ"],
    ["ISO 2022 IR 100", "\x1b-ABuc^\x1b-AJ\xe9r\xf4me", "Buc^Jérôme"],
    ["ISO 2022 IR 109", "\x1b-Canta\xfdnomo", "antaŭnomo"],
    ["ISO 2022 IR 110", "\x1b-Dv\xe0rds", "vārds"],
    ["ISO 2022 IR 126", "\x1b-F\xc4\xe9\xef\xed\xf5\xf3\xe9\xef\xf2", "Διονυσιος"],
    ["ISO 2022 IR 144", "\x1b-L\xbb\xee\xdace\xdc\xd1yp\xd3", "Люкceмбypг"],
  ])("%s with its escape sequence", (term, encoded, text) => {
    expect(textDecoderFor([term]).decode(bytes(encoded), "person-name")).toBe(text);
  });

  it("Japanese, PS3.5 H.3.1: JIS X 0208 switched in and out per component group", () => {
    const name = "Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B";
    expect(textDecoderFor(["", "ISO 2022 IR 87"]).decode(bytes(name), "person-name")).toBe("Yamada^Tarou=山田^太郎=やまだ^たろう");
  });

  it("Japanese, PS3.5 H.3.2: half-width katakana (IR 13) as the first character set", () => {
    const name = "\xd4\xcf\xc0\xde^\xc0\xdb\xb3=\x1b$B;3ED\x1b(J^\x1b$BB@O:\x1b(J=\x1b$B$d$^$@\x1b(J^\x1b$B$?$m$&\x1b(J";
    expect(textDecoderFor(["ISO 2022 IR 13", "ISO 2022 IR 87"]).decode(bytes(name), "person-name")).toBe("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう");
  });

  it("JIS X 0212 (IR 159) through EUC-JP's third code set", () => {
    expect(textDecoderFor(["", "ISO 2022 IR 159"]).decode(bytes("\x1b$(D\x30\x21\x1b(B"), "multi-valued")).toBe("丂");
  });

  it("Korean, PS3.5 I.2: KS X 1001 designated into G1 before each component", () => {
    const name = "Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf";
    expect(textDecoderFor(["", "ISO 2022 IR 149"]).decode(bytes(name), "person-name")).toBe("Hong^Gildong=洪^吉洞=홍^길동");
  });

  it("Chinese GB2312 (ISO 2022 IR 58), PS3.5 J.2 style", () => {
    expect(textDecoderFor(["", "ISO 2022 IR 58"]).decode(bytes("Zhang^XiaoDong=\x1b$)A\xd5\xc5^\x1b$)A\xd0\xa1\xb6\xab="), "person-name")).toBe(
      "Zhang^XiaoDong=张^小东=",
    );
  });

  it("brings back the first value's character set after each delimiter (PS3.5 6.1.2.5.3)", () => {
    const decoder = textDecoderFor(["ISO 2022 IR 100", "ISO 2022 IR 126"]);
    // Greek switched in for one component; after "=" Latin-1 is active again, so 0xC4 is Ä.
    expect(decoder.decode(bytes("\x1b-F\xc4=\xc4"), "person-name")).toBe("Δ=Ä");
    // Values of a multi-valued element each start again from Latin-1.
    expect(decoder.decode(bytes("J\xe9r\xf4me\\\x1b-F\xc4\xe9\xef\\\xc4"), "multi-valued")).toBe("Jérôme\\Διο\\Ä");
    // In a single-valued text, a backslash is a character, not a delimiter; a line break is.
    expect(decoder.decode(bytes("\x1b-F\xc4\\\xc4\r\n\xc4"), "text")).toBe("Δ\\Δ\r\nÄ");
  });

  it("decodes before splitting values, so a GB18030 byte 0x5C inside a character is not a delimiter", () => {
    // 乗 is 0x81 0x5C in GB18030; its second byte is a backslash.
    const lo = concat(Uint8Array.of(0x81, 0x5c), ascii("\\B "));
    const file = readDicomFile(concat(element(0x00080005, "CS", "GB18030"), element(0x00080016, "UI", "1.2"), element(0x00081030, "LO", lo)), "gb.dcm");
    expect(file.dict["00081030"]!.Value).toEqual(["乗", "B"]);
  });

  it("reads an unknown character set as Latin-1 and says so", () => {
    const decoder = textDecoderFor(["ISO_IR 999"]);
    expect(decoder.decode(bytes("J\xe9r\xf4me"), "person-name")).toBe("Jérôme");
    expect(decoder.warnings).toEqual(['unsupported Specific Character Set "ISO_IR 999"; its text was read as Latin-1']);
    expect(textDecoderFor(["KLINGON"]).warnings[0]).toContain('unknown Specific Character Set "KLINGON"');
  });

  it("ignores code extensions after ISO_IR 192, which has none", () => {
    expect(textDecoderFor(["ISO_IR 192", "ISO 2022 IR 100"]).decode(bytes("Buc^J\xc3\xa9r\xc3\xb4me"), "person-name")).toBe("Buc^Jérôme");
  });
});
