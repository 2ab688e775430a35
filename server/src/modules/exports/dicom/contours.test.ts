import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { normaliseRoi } from "../../annotations/geometry.js";
import { maskOutlines, simplifyOutline } from "./contours.js";
import { fillPolygon } from "./raster.js";
import type { Point } from "./types.js";

interface Grid {
  mask: Uint8Array;
  rows: number;
  columns: number;
}

/** A mask drawn as text, one string a row: "#" inside, anything else outside. */
function grid(...lines: string[]): Grid {
  const rows = lines.length;
  const columns = lines[0]?.length ?? 0;
  const mask = new Uint8Array(rows * columns);
  lines.forEach((line, r) => {
    expect(line.length).toBe(columns);
    for (let c = 0; c < columns; c++) mask[r * columns + c] = line[c] === "#" ? 1 : 0;
  });
  return { mask, rows, columns };
}

function filled({ rows, columns }: Grid, outlines: Point[][]): Uint8Array {
  const mask = new Uint8Array(rows * columns);
  for (const outline of outlines) fillPolygon(mask, rows, columns, outline);
  return mask;
}

/** Components of the mask, 4-connected, numbered from 1 in the raster order of their first pixel, by flood fill. */
function components({ mask, rows, columns }: Grid): { labels: Int32Array; sizes: number[]; first: number[] } {
  const labels = new Int32Array(rows * columns);
  const sizes: number[] = [0];
  const first: number[] = [-1];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = sizes.length;
    sizes.push(0);
    first.push(start);
    const todo = [start];
    labels[start] = label;
    while (todo.length > 0) {
      const i = todo.pop()!;
      sizes[label]!++;
      const r = Math.floor(i / columns);
      const c = i % columns;
      for (const [rr, cc] of [[r - 1, c], [r + 1, c], [r, c - 1], [r, c + 1]] as const) {
        if (rr < 0 || cc < 0 || rr >= rows || cc >= columns) continue;
        const j = rr * columns + cc;
        if (mask[j] && !labels[j]) {
          labels[j] = label;
          todo.push(j);
        }
      }
    }
  }
  return { labels, sizes, first };
}

/** Background regions, 8-connected, that do not reach the image border: the holes of all components. */
function holeCount({ mask, rows, columns }: Grid): number {
  const seen = new Uint8Array(rows * columns);
  let holes = 0;
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] || seen[start]) continue;
    let border = false;
    const todo = [start];
    seen[start] = 1;
    while (todo.length > 0) {
      const i = todo.pop()!;
      const r = Math.floor(i / columns);
      const c = i % columns;
      if (r === 0 || c === 0 || r === rows - 1 || c === columns - 1) border = true;
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr;
          const cc = c + dc;
          if (rr < 0 || cc < 0 || rr >= rows || cc >= columns) continue;
          const j = rr * columns + cc;
          if (!mask[j] && !seen[j]) {
            seen[j] = 1;
            todo.push(j);
          }
        }
      }
    }
    if (!border) holes++;
  }
  return holes;
}

/** Twice the signed area, y down: positive for a clockwise outline on screen. */
function shoelace(outline: Point[]): number {
  let sum = 0;
  outline.forEach(([x1, y1], i) => {
    const [x2, y2] = outline[(i + 1) % outline.length]!;
    sum += x1 * y2 - x2 * y1;
  });
  return sum;
}

/** Indices i where outline[i - 1], outline[i], outline[i + 1] (cyclically) lie on one line. */
function collinear(outline: Point[]): number[] {
  const at: number[] = [];
  const n = outline.length;
  outline.forEach(([x, y], i) => {
    const [px, py] = outline[(i + n - 1) % n]!;
    const [nx, ny] = outline[(i + 1) % n]!;
    if ((x - px) * (ny - y) - (y - py) * (nx - x) === 0) at.push(i);
  });
  return at;
}

/** Everything maskOutlines promises about one mask, asserted; returns the outlines. */
function check(g: Grid, label = ""): Point[][] {
  return checked(g, label).outlines;
}

/** check(), also counting the mask's holes and the outlines' collinear triples (bridge ends). */
function checked(g: Grid, label: string): { outlines: Point[][]; holes: number; collinearTriples: number } {
  const { rows, columns } = g;
  const outlines = maskOutlines(g.mask, rows, columns);
  // The essential property: the outlines fill the mask back, pixel for pixel.
  expect(Buffer.from(filled(g, outlines)).equals(Buffer.from(g.mask)), `${label}: fill`).toBe(true);

  const problems: string[] = [];
  // One outline per component, in raster order, starting at the top-left corner of its first pixel,
  // clockwise, enclosing exactly the component's pixels (holes wound the other way).
  const { sizes, first } = components(g);
  expect(outlines.length, `${label}: outlines`).toBe(sizes.length - 1);
  outlines.forEach((outline, k) => {
    const start = first[k + 1]!;
    const corner = [start % columns, Math.floor(start / columns)];
    if (`${outline[0]}` !== `${corner}`) problems.push(`outline ${k} starts at ${outline[0]}, not ${corner}`);
    if (shoelace(outline) !== 2 * sizes[k + 1]!) problems.push(`outline ${k} has twice the area ${shoelace(outline)}, not ${2 * sizes[k + 1]!}`);
    if (outline.length < 4) problems.push(`outline ${k} has ${outline.length} vertices`);
  });

  const lattice = (columns + 1) * (rows + 1);
  const vertexVisits = new Int32Array(lattice);
  const edgeVisits = new Int32Array(lattice); // lattice points strictly inside an edge
  let collinearTriples = 0;
  for (const outline of outlines) {
    const counts = new Map<string, number>();
    for (const [x, y] of outline) {
      if (!(Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x <= columns && y <= rows)) {
        problems.push(`vertex ${x},${y} is not a pixel corner of the image`);
        continue;
      }
      vertexVisits[y * (columns + 1) + x]!++;
      counts.set(`${x},${y}`, (counts.get(`${x},${y}`) ?? 0) + 1);
    }
    // Collinear middle vertices only where a bridge meets a ring: on the bridge's (horizontal) line, at a repeated vertex.
    for (const i of collinear(outline)) {
      const n = outline.length;
      const [px, py] = outline[(i + n - 1) % n]!;
      const [x, y] = outline[i]!;
      const [nx, ny] = outline[(i + 1) % n]!;
      if (!(py === y && ny === y && px !== x && nx !== x) || counts.get(`${x},${y}`) !== 2) problems.push(`collinear at ${x},${y}`);
      collinearTriples++;
    }
    outline.forEach(([x1, y1], i) => {
      const [x2, y2] = outline[(i + 1) % outline.length]!;
      if ((x1 === x2) === (y1 === y2)) {
        problems.push(`edge ${x1},${y1} -> ${x2},${y2} is not axis-parallel of nonzero length`);
        return;
      }
      const dx = Math.sign(x2 - x1);
      const dy = Math.sign(y2 - y1);
      for (let x = x1 + dx, y = y1 + dy; x !== x2 || y !== y2; x += dx, y += dy) edgeVisits[y * (columns + 1) + x]!++;
    });
  }
  expect(problems, label).toEqual([]);
  // Outlines meet only at vertices: no vertex inside an edge, and an edge's inside is walked once,
  // or twice for a bridge (there and back). A point is a vertex twice at most (a bridge end, or a
  // corner where two pixels touch diagonally).
  for (const outline of outlines) {
    const key = (a: Point, b: Point) => (a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? `${a}|${b}` : `${b}|${a}`);
    const walks = new Map<string, number>();
    outline.forEach((p, i) => {
      const k = key(p, outline[(i + 1) % outline.length]!);
      walks.set(k, (walks.get(k) ?? 0) + 1);
    });
    outline.forEach(([x1, y1], i) => {
      const [x2, y2] = outline[(i + 1) % outline.length]!;
      const dx = Math.sign(x2 - x1);
      const dy = Math.sign(y2 - y1);
      const times = walks.get(key([x1, y1], [x2, y2]))!;
      for (let x = x1 + dx, y = y1 + dy; x !== x2 || y !== y2; x += dx, y += dy) {
        if (vertexVisits[y * (columns + 1) + x] !== 0) problems.push(`a vertex lies inside the edge ${x1},${y1} -> ${x2},${y2}`);
        if (edgeVisits[y * (columns + 1) + x] !== times) problems.push(`edges overlap or cross at ${x},${y}`);
      }
    });
  }
  vertexVisits.forEach((visits, i) => {
    if (visits > 2) problems.push(`${visits} vertices at ${i % (columns + 1)},${Math.floor(i / (columns + 1))}`);
  });
  expect(problems, label).toEqual([]);
  // Each hole adds one collinear triple at its own end of the bridge, and one more when the bridge
  // ends at a ring's corner rather than inside an edge.
  const holes = holeCount(g);
  expect(collinearTriples, `${label}: collinear triples`).toBeGreaterThanOrEqual(holes);
  expect(collinearTriples, `${label}: collinear triples`).toBeLessThanOrEqual(2 * holes);
  return { outlines, holes, collinearTriples };
}

// Random masks of the kinds a Segmentation holds, and worse.
type Maker = (random: () => number, rows: number, columns: number) => Uint8Array;

const noise =
  (density: number): Maker =>
  (random, rows, columns) =>
    Uint8Array.from({ length: rows * columns }, () => (random() < density ? 1 : 0));

/** Noise smoothed by a few box blurs and thresholded: blobs with ragged edges, holes and islands. */
const smoothed: Maker = (random, rows, columns) => {
  let field = Float64Array.from({ length: rows * columns }, () => random());
  for (let pass = 0; pass < 3; pass++) {
    const out = new Float64Array(rows * columns);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        let sum = 0;
        let n = 0;
        for (let rr = Math.max(0, r - 1); rr <= Math.min(rows - 1, r + 1); rr++) {
          for (let cc = Math.max(0, c - 1); cc <= Math.min(columns - 1, c + 1); cc++, n++) sum += field[rr * columns + cc]!;
        }
        out[r * columns + c] = sum / n;
      }
    }
    field = out;
  }
  const threshold = 0.42 + random() * 0.16;
  return Uint8Array.from(field, (v) => (v > threshold ? 1 : 0));
};

/** Random rectangles and discs drawn in and cut out in turn: nested rings, holes with islands, shapes on the border. */
const shapes: Maker = (random, rows, columns) => {
  const mask = new Uint8Array(rows * columns);
  const count = 1 + Math.floor(random() * 8);
  for (let k = 0; k < count; k++) {
    const value = k % 2 === 0 || random() < 0.3 ? 1 : 0;
    const cx = random() * columns;
    const cy = random() * rows;
    const disc = random() < 0.5;
    const rx = 0.5 + random() * (k === 0 ? columns : columns / 3);
    const ry = disc ? rx : 0.5 + random() * (k === 0 ? rows : rows / 3);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const dx = c + 0.5 - cx;
        const dy = r + 0.5 - cy;
        if (disc ? dx * dx + dy * dy <= rx * rx : Math.abs(dx) <= rx / 2 && Math.abs(dy) <= ry / 2) mask[r * columns + c] = value;
      }
    }
  }
  return mask;
};

/** Concentric square rings of random widths around a random centre: holes in holes in holes. */
const rings: Maker = (random, rows, columns) => {
  const mask = new Uint8Array(rows * columns);
  const cx = Math.floor(random() * columns);
  const cy = Math.floor(random() * rows);
  const bands: number[] = [];
  for (let d = 0; d < Math.max(rows, columns); ) {
    bands.push(d);
    d += 1 + Math.floor(random() * 3);
  }
  const odd = random() < 0.5 ? 0 : 1;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const d = Math.max(Math.abs(c - cx), Math.abs(r - cy));
      let band = 0;
      while (band + 1 < bands.length && bands[band + 1]! <= d) band++;
      mask[r * columns + c] = (band + odd) % 2;
    }
  }
  return mask;
};

const makers: Array<[string, Maker]> = [
  ["sparse noise", noise(0.15)],
  ["even noise", noise(0.5)],
  ["dense noise", noise(0.8)],
  ["smoothed noise", smoothed],
  ["shapes", shapes],
  ["rings", rings],
];

describe("maskOutlines", () => {
  it("outlines random masks so that they fill back exactly, one outline per component", () => {
    const random = seededRandom(20240611);
    let masks = 0;
    let holes = 0;
    let cornerBridges = 0;
    for (let k = 0; k < 420; k++) {
      const [kind, make] = makers[k % makers.length]!;
      // Any size from 1 to 60 each way, so mostly odd and non-square; about one side in seven is 1 to 3 (thin masks).
      const size = () => (random() < 0.15 ? 1 + Math.floor(random() * 3) : 1 + Math.floor(random() * 60));
      const rows = size();
      const columns = size();
      const mask = make(random, rows, columns);
      const result = checked({ mask, rows, columns }, `mask ${k} (${kind}, ${columns}x${rows})`);
      masks++;
      holes += result.holes;
      cornerBridges += result.collinearTriples - result.holes;
    }
    expect(masks).toBe(420);
    // The masks did exercise the bridges, ending both inside edges and at corners.
    expect(holes).toBeGreaterThan(200);
    expect(cornerBridges).toBeGreaterThan(50);
    expect(holes - cornerBridges).toBeGreaterThan(50);
  });

  it("outlines nothing in an empty mask", () => {
    expect(maskOutlines(new Uint8Array(0), 0, 0)).toEqual([]);
    expect(maskOutlines(new Uint8Array(12), 3, 4)).toEqual([]);
    expect(maskOutlines(new Uint8Array(1), 1, 1)).toEqual([]);
  });

  it("rejects a mask of the wrong size", () => {
    expect(() => maskOutlines(new Uint8Array(11), 3, 4)).toThrow(RangeError);
  });

  it("outlines a single pixel by its four corners, clockwise on screen", () => {
    const g = grid("....", "..#.", "....");
    expect(check(g)).toEqual([[[2, 1], [3, 1], [3, 2], [2, 2]]]);
    expect(check(grid("#"))).toEqual([[[0, 0], [1, 0], [1, 1], [0, 1]]]);
  });

  it("outlines a rectangle by four corners and an L by six", () => {
    expect(check(grid(".....", ".###.", ".###.", "....."))).toEqual([[[1, 1], [4, 1], [4, 3], [1, 3]]]);
    expect(check(grid("#...", "#...", "###."))).toEqual([[[0, 0], [1, 0], [1, 2], [3, 2], [3, 3], [0, 3]]]);
  });

  it("joins a hole with a bridge there and back, splitting the edge it reaches", () => {
    const outlines = check(grid("###", "#.#", "###"));
    expect(outlines).toEqual([[[0, 0], [3, 0], [3, 3], [0, 3], [0, 1], [1, 1], [1, 2], [2, 2], [2, 1], [1, 1], [0, 1]]]);
    // From the hole's leftmost edge (its top end), not from its top row.
    expect(check(grid("#######", "###..##", "#...###", "#######"))).toEqual([
      [[0, 0], [7, 0], [7, 4], [0, 4], [0, 2], [1, 2], [1, 3], [4, 3], [4, 2], [5, 2], [5, 1], [3, 1], [3, 2], [1, 2], [0, 2]],
    ]);
  });

  it("joins a hole to a hole on its left, at that hole's corner", () => {
    expect(check(grid("#######", "#.#.###", "#######"))).toEqual([
      [[0, 0], [7, 0], [7, 3], [0, 3], [0, 1], [1, 1], [1, 2], [2, 2], [2, 1], [3, 1], [3, 2], [4, 2], [4, 1], [3, 1], [2, 1], [1, 1], [0, 1]],
    ]);
  });

  it("outlines an island in a hole on its own", () => {
    const outlines = check(grid(".......", ".#####.", ".#...#.", ".#.#.#.", ".#...#.", ".#####.", "......."));
    expect(outlines).toHaveLength(2);
    expect(outlines[1]).toEqual([[3, 3], [4, 3], [4, 4], [3, 4]]);
    // Nested twice: ring, hole, ring, hole, pixel.
    expect(check(grid("#########", "#.......#", "#.#####.#", "#.#...#.#", "#.#.#.#.#", "#.#...#.#", "#.#####.#", "#.......#", "#########"))).toHaveLength(3);
  });

  it("treats background that reaches the outside through a corner as no hole", () => {
    const outlines = check(grid(".##", "#.#", "###"));
    // One outline passing the corner (1, 1) twice, with no bridge.
    expect(outlines).toEqual([[[1, 0], [3, 0], [3, 3], [0, 3], [0, 1], [1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]]);
    check(grid("#####", "#...#", "#...#", "#...#", "####."));
    // The same with an island in it.
    expect(check(grid("#####.", "#...#.", "#.#.#.", "#...#.", "####.."))).toHaveLength(2);
  });

  it("outlines every pixel of a checkerboard on its own", () => {
    const g = grid("#.#.#.#", ".#.#.#.", "#.#.#.#", ".#.#.#.", "#.#.#.#", ".#.#.#.");
    const outlines = check(g);
    expect(outlines).toHaveLength(21);
    for (const outline of outlines) expect(outline).toHaveLength(4);
  });

  it("runs along the image border", () => {
    expect(check(grid("#######", "#######", "#######", "#######", "#######"))).toEqual([[[0, 0], [7, 0], [7, 5], [0, 5]]]);
    const frame = check(grid("######", "#....#", "#....#", "######"));
    expect(frame).toEqual([[[0, 0], [6, 0], [6, 4], [0, 4], [0, 1], [1, 1], [1, 3], [5, 3], [5, 1], [1, 1], [0, 1]]]);
    check(grid("##..#", "#...#", "...##"));
  });

  it("outlines one-row and one-column masks", () => {
    expect(check(grid("##.###.#"))).toEqual([
      [[0, 0], [2, 0], [2, 1], [0, 1]],
      [[3, 0], [6, 0], [6, 1], [3, 1]],
      [[7, 0], [8, 0], [8, 1], [7, 1]],
    ]);
    expect(check(grid("#", "#", ".", "#"))).toEqual([
      [[0, 0], [1, 0], [1, 2], [0, 2]],
      [[0, 3], [1, 3], [1, 4], [0, 4]],
    ]);
    expect(check(grid("########"))).toEqual([[[0, 0], [8, 0], [8, 1], [0, 1]]]);
  });

  it("gives outlines that pass as freehand ROIs", () => {
    const random = seededRandom(7);
    const masks: Grid[] = [
      grid("#"),
      grid("#...", "#...", "###."),
      grid("###", "#.#", "###"),
      grid(".##", "#.#", "###"),
      grid("######", "#....#", "#....#", "######"),
      { mask: shapes(random, 40, 33), rows: 40, columns: 33 },
      { mask: smoothed(random, 31, 45), rows: 31, columns: 45 },
    ];
    let outlines = 0;
    for (const g of masks) {
      for (const outline of check(g)) {
        expect(normaliseRoi("FREEHAND", outline, { rows: g.rows, columns: g.columns }, "points")).toEqual({ points: outline });
        outlines++;
      }
    }
    expect(outlines).toBeGreaterThanOrEqual(masks.length);
  });

  it("outlines a large disc with holes as one outline that fills back exactly", () => {
    const rows = 512;
    const columns = 512;
    const mask = new Uint8Array(rows * columns);
    const holes: Array<[number, number, number]> = [
      [256, 256, 40],
      [150, 200, 25],
      [360, 180, 30],
      [200, 370, 18],
      [330, 350, 35],
      [120, 300, 9],
    ];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const at = (x: number, y: number, radius: number) => (c + 0.5 - x) ** 2 + (r + 0.5 - y) ** 2 <= radius * radius;
        if (at(256, 256, 240) && !holes.some(([x, y, radius]) => at(x, y, radius))) mask[r * columns + c] = 1;
      }
    }
    const g = { mask, rows, columns };
    expect(holeCount(g)).toBe(holes.length);
    const outlines = check(g, "large disc");
    expect(outlines).toHaveLength(1);
    expect(normaliseRoi("FREEHAND", outlines[0], { rows, columns }, "points")).toEqual({ points: outlines[0] });
  });
});

/** The distance from p to the closed polygon's nearest edge. */
function distanceToOutline(p: Point, outline: Point[]): number {
  let best = Infinity;
  for (let i = 0; i < outline.length; i++) {
    const a = outline[i]!;
    const b = outline[(i + 1) % outline.length]!;
    const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    const l2 = dx * dx + dy * dy;
    const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2));
    best = Math.min(best, Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy));
  }
  return best;
}

describe("simplifyOutline", () => {
  it("keeps a subset of the points, in order, with every point left out within the tolerance of the new outline", () => {
    const random = seededRandom(77);
    let before = 0;
    let after = 0;
    for (let k = 0; k < 120; k++) {
      const [, make] = makers[k % makers.length]!;
      const [rows, columns] = [20 + Math.floor(random() * 60), 20 + Math.floor(random() * 60)];
      for (const outline of maskOutlines(make(random, rows, columns), rows, columns)) {
        for (const tolerance of [0.5, 1.5]) {
          const simple = simplifyOutline(outline, tolerance);
          expect(simple.length).toBeGreaterThanOrEqual(Math.min(3, outline.length));
          // A subsequence of the original, from its first point.
          let j = 0;
          for (const p of simple) {
            while (j < outline.length && outline[j] !== p) j++;
            expect(j, "points in the original order").toBeLessThan(outline.length);
          }
          expect(simple[0]).toBe(outline[0]);
          for (const p of outline) expect(distanceToOutline(p, simple)).toBeLessThanOrEqual(tolerance + 1e-9);
          if (tolerance === 0.5) {
            before += outline.length;
            after += simple.length;
          }
        }
      }
    }
    expect(after).toBeLessThan(before);
  });

  it("straightens a traced disc's staircase to a fraction of its points, and changes only pixels along its edge", () => {
    const [rows, columns] = [200, 200];
    const mask = new Uint8Array(rows * columns);
    for (let y = 0; y < rows; y++) for (let x = 0; x < columns; x++) if ((x + 0.5 - 100) ** 2 + (y + 0.5 - 100) ** 2 < 80 ** 2) mask[y * columns + x] = 1;
    const [outline] = maskOutlines(mask, rows, columns);
    const simple = simplifyOutline(outline!, 0.75);
    expect(simple.length * 3).toBeLessThan(outline!.length);
    const back = new Uint8Array(rows * columns);
    fillPolygon(back, rows, columns, simple);
    let changed = 0;
    for (let i = 0; i < mask.length; i++) {
      if (back[i] === mask[i]) continue;
      changed++;
      // Only pixels whose centre lies within a pixel of the circle's edge.
      const [x, y] = [(i % columns) + 0.5, Math.floor(i / columns) + 0.5];
      expect(Math.abs(Math.hypot(x - 100, y - 100) - 80)).toBeLessThan(1.5);
    }
    expect(changed).toBeLessThan(outline!.length);
  });

  it("leaves short outlines and a zero tolerance alone, and never gives fewer than three points", () => {
    const square: Point[] = [[0, 0], [4, 0], [4, 4], [0, 4]];
    expect(simplifyOutline(square, 10)).toHaveLength(3);
    expect(simplifyOutline(square.slice(0, 3), 10)).toEqual(square.slice(0, 3));
    const staircase: Point[] = [[0, 0], [1, 0], [1, 1], [2, 1], [2, 2], [0, 2]];
    expect(simplifyOutline(staircase, 0)).toBe(staircase);
    expect(simplifyOutline(staircase, 0.5).length).toBeLessThan(staircase.length);
  });
});
