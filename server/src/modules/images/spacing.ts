// An image's pixel spacing: where Concord reads it from (the stored DICOM JSON), and distances in
// millimetres by it. Used wherever a distance or a length is reported in mm (the review's points and
// lines, education's feedback, the SR export's lengths), so all of them agree. No imports: the
// review's statistics load it on the compute threads.

/**
 * An image's spacing from its DICOM JSON (the instance's metadata), as PS3.3 orders the sources:
 * Pixel Spacing (a multi-frame image's in its shared Pixel Measures), else a projection
 * radiograph's Imager Pixel Spacing, corrected by the Estimated Radiographic Magnification Factor
 * where the file gives one (else at the detector, as the viewer's ruler measures it). Over the
 * instance `i`; spacingOf reads what it selects.
 */
export const IMAGE_SPACING_SQL = `jsonb_build_array(
           coalesce(i.metadata #> '{00280030,Value}', i.metadata #> '{52009229,Value,0,00289110,Value,0,00280030,Value}'),
           i.metadata #> '{00181164,Value}',
           i.metadata #> '{00181114,Value,0}')`;

export function spacingOf(found: unknown): readonly [number, number] | null {
  if (!Array.isArray(found)) return null;
  const pair = (v: unknown): [number, number] | null => {
    if (!Array.isArray(v) || v.length !== 2) return null;
    const [r, c] = v.map(Number) as [number, number];
    return r > 0 && c > 0 && Number.isFinite(r) && Number.isFinite(c) ? [r, c] : null;
  };
  const pixel = pair(found[0]);
  if (pixel) return pixel;
  const imager = pair(found[1]);
  const factor = Number(found[2]);
  return imager && (factor > 0 && Number.isFinite(factor) ? [imager[0] / factor, imager[1] / factor] : imager);
}

/**
 * The distance in millimetres between two places on an image with a pixel spacing, given as DICOM's
 * Pixel Spacing is: [between rows, between columns], so a step along x (a column) is its second.
 */
export function distanceMm(p: readonly [number, number], q: readonly [number, number], spacing: readonly [number, number]): number {
  return Math.hypot((p[0] - q[0]) * spacing[1], (p[1] - q[1]) * spacing[0]);
}
