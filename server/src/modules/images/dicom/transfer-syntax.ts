/** The transfer syntaxes whose byte layout the reader must know; every other one is explicit VR
 * little endian with encapsulated (compressed) pixel data (PS3.5 §10 and Annex A.4). */
export const IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
export const EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";

/** Pixel data is native (one plain value) only under these; under every other syntax, including
 * Encapsulated Uncompressed (1.2.840.10008.1.2.1.98), frames live in encapsulated fragments. */
const NATIVE_PIXEL_SYNTAXES = new Set([
  IMPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
]);

export interface Syntax {
  explicit: boolean;
  littleEndian: boolean;
}

export const IMPLICIT_LE: Syntax = { explicit: false, littleEndian: true };
export const EXPLICIT_LE: Syntax = { explicit: true, littleEndian: true };
export const EXPLICIT_BE: Syntax = { explicit: true, littleEndian: false };

export function syntaxOf(transferSyntaxUID: string): Syntax {
  if (transferSyntaxUID === IMPLICIT_VR_LITTLE_ENDIAN) return IMPLICIT_LE;
  if (transferSyntaxUID === EXPLICIT_VR_BIG_ENDIAN) return EXPLICIT_BE;
  return EXPLICIT_LE;
}

export function uidOfSyntax(syntax: Syntax): string {
  if (!syntax.explicit) return IMPLICIT_VR_LITTLE_ENDIAN;
  return syntax.littleEndian ? EXPLICIT_VR_LITTLE_ENDIAN : EXPLICIT_VR_BIG_ENDIAN;
}

export function hasNativePixels(transferSyntaxUID: string): boolean {
  return NATIVE_PIXEL_SYNTAXES.has(transferSyntaxUID);
}
