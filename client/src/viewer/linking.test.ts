import { describe, expect, it } from "vitest";
import { linkedImage, linkSeries, nearestImage, normalOf, type SlicePlane, type Vec3 } from "./linking";

const AXIAL = { rowCosines: [1, 0, 0] as Vec3, columnCosines: [0, 1, 0] as Vec3 };
const CORONAL = { rowCosines: [1, 0, 0] as Vec3, columnCosines: [0, 0, -1] as Vec3 };
// Rows to the patient's back, columns to the feet: normal row × column = (-1, 0, 0), towards the right.
const SAGITTAL = { rowCosines: [0, 1, 0] as Vec3, columnCosines: [0, 0, -1] as Vec3 };

const axial = (z: number, frameOfReferenceUid = "1.2.3"): SlicePlane => ({ frameOfReferenceUid, position: [-120, -80, z], ...AXIAL });
/** An axial plane tilted by `degrees` about the x axis: its normal (0, -sin, cos). */
const tilted = (z: number, degrees: number): SlicePlane => {
  const t = (degrees * Math.PI) / 180;
  return { frameOfReferenceUid: "1.2.3", position: [0, 0, z], rowCosines: [1, 0, 0], columnCosines: [0, Math.cos(t), Math.sin(t)] };
};

describe("normalOf", () => {
  it("is row × column", () => {
    const plus0 = (v: Vec3 | null) => v?.map((x) => x + 0); // -0 is 0
    expect(plus0(normalOf(AXIAL))).toEqual([0, 0, 1]);
    expect(plus0(normalOf(CORONAL))).toEqual([0, 1, 0]);
    expect(plus0(normalOf(SAGITTAL))).toEqual([-1, 0, 0]);
    expect(plus0(normalOf({ rowCosines: [2, 0, 0], columnCosines: [0, 2, 0] }))).toEqual([0, 0, 1]); // unit length
  });

  it("is null for cosines that make no plane", () => {
    expect(normalOf({ rowCosines: [1, 0, 0], columnCosines: [1, 0, 0] })).toBeNull();
    expect(normalOf({ rowCosines: [0, 0, 0], columnCosines: [0, 1, 0] })).toBeNull();
  });
});

describe("linkSeries", () => {
  it("links parallel series of one frame of reference: each image's position along the main series' normal", () => {
    const main = [5, 10, 15, 20, 25].map((z) => axial(z));
    // In-plane offsets do not count: only the position along the normal.
    const reference = [5, 15, 25].map((z) => ({ ...axial(z), position: [30, 200, z] as Vec3 }));
    expect(linkSeries(main, reference)).toEqual({ main: [5, 10, 15, 20, 25], reference: [5, 15, 25] });
  });

  it("links an antiparallel series (the same slices seen from the other side), in its own order", () => {
    // Row (-1, 0, 0), column (0, 1, 0): normal (0, 0, -1), the images stored head to feet.
    const flipped = (z: number): SlicePlane => ({ frameOfReferenceUid: "1.2.3", position: [0, 0, z], rowCosines: [-1, 0, 0], columnCosines: [0, 1, 0] });
    const link = linkSeries([5, 10, 15].map((z) => axial(z)), [25, 15, 5].map(flipped));
    expect(link).toEqual({ main: [5, 10, 15], reference: [25, 15, 5] });
    expect(linkedImage(link!, 0)).toBe(2);
  });

  it("measures along the main series' normal, whatever its sign", () => {
    // Sagittal: normal (-1, 0, 0), so x = 10 lies at -10.
    const sagittal = (x: number): SlicePlane => ({ frameOfReferenceUid: "1.2.3", position: [x, 0, 0], ...SAGITTAL });
    const link = linkSeries([7, 12].map(sagittal), [0, 2, 10, 30].map(sagittal));
    expect(link).toEqual({ main: [-7, -12], reference: [0, -2, -10, -30] });
    expect(linkedImage(link!, 0)).toBe(2); // -7: 3 from -10, 5 from -2
    expect(linkedImage(link!, 1)).toBe(2); // -12: 2 from -10
  });

  it("allows a slight tilt (cos 5° = 0.996) but not 10° (cos = 0.985)", () => {
    const main = [0, 10].map((z) => axial(z));
    expect(linkSeries(main, [tilted(0, 5), tilted(10, 5)])).not.toBeNull();
    expect(linkSeries(main, [tilted(0, 10), tilted(10, 10)])).toBeNull();
  });

  it("does not link another frame of reference, another orientation, or an image without a plane", () => {
    const main = [5, 10, 15].map((z) => axial(z));
    expect(linkSeries(main, [5, 10].map((z) => axial(z, "9.9.9")))).toBeNull();
    expect(linkSeries(main, [5, 10].map((y): SlicePlane => ({ frameOfReferenceUid: "1.2.3", position: [0, y, 0], ...CORONAL })))).toBeNull();
    expect(linkSeries(main, [axial(5), null])).toBeNull();
    expect(linkSeries([null, axial(10)], [axial(5)])).toBeNull();
    expect(linkSeries(main, [])).toBeNull();
    // Nor when the main series itself mixes orientations.
    expect(linkSeries([axial(5), { frameOfReferenceUid: "1.2.3", position: [0, 5, 0], ...CORONAL }], [axial(5)])).toBeNull();
  });
});

describe("nearestImage", () => {
  it("picks the nearest position with uneven spacing", () => {
    const positions = [0, 2, 10, 30];
    expect(nearestImage(positions, -4)).toBe(0);
    expect(nearestImage(positions, 1.2)).toBe(1); // 0.8 from 2, 1.2 from 0
    expect(nearestImage(positions, 7)).toBe(2); // 3 from 10, 5 from 2
    expect(nearestImage(positions, 19)).toBe(2); // 9 from 10, 11 from 30
    expect(nearestImage(positions, 21)).toBe(3); // 9 from 30, 11 from 10
    expect(nearestImage(positions, 100)).toBe(3);
  });

  it("takes the lower index on a tie, also when the positions are reversed", () => {
    expect(nearestImage([5, 15, 25], 10)).toBe(0);
    expect(nearestImage([25, 15, 5], 20)).toBe(0);
    expect(nearestImage([25, 15, 5], 10)).toBe(1);
    // Positions from cosines are off in their last digits: still a tie.
    expect(nearestImage([0, 0.3], 0.1 + 0.05)).toBe(0); // 0.15000000000000002: a hair nearer 0.3
  });

  it("is -1 for no positions", () => {
    expect(nearestImage([], 3)).toBe(-1);
  });
});

describe("linkedImage", () => {
  it("shows, for each main image, the reference's nearest", () => {
    // Series A: 5 slices at z = 5..25; series B: 3 slices at z = 5, 15, 25.
    const link = linkSeries([5, 10, 15, 20, 25].map((z) => axial(z)), [5, 15, 25].map((z) => axial(z)))!;
    expect([0, 1, 2, 3, 4].map((i) => linkedImage(link, i))).toEqual([0, 0, 1, 1, 2]);
    expect(linkedImage(link, 5)).toBe(-1);
  });
});
