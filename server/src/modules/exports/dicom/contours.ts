import type { Point } from "./types.js";

// Directions of travel, clockwise on screen (y down): a right turn is +1, a left turn +3 (mod 4).
const EAST = 0;
const SOUTH = 1;
const WEST = 2;
const NORTH = 3;

// Per-pixel flags, one byte for all three passes.
/** Background pixel reached by a flood fill (outside or a hole). */
const SEEN = 1;
/** Foreground pixel whose top edge a traced ring has walked: a ring is traced once. */
const TOP = 2;
/** Foreground pixel whose top-left corner is the outline's end of a bridge: the tracer puts a node there. */
const BRIDGE = 4;

/**
 * The outlines of a mask's regions, the reverse of fillPolygon (raster.ts): what a Segmentation's
 * frame becomes as freehand ROIs. `mask` is row-major, one byte per pixel, nonzero inside.
 *
 * One closed outline (first point not repeated) per 4-connected component of nonzero pixels, in
 * the raster order of each component's first pixel; pixels touching only at a corner are separate
 * components. OR-ing fillPolygon over the outlines gives back the mask pixel for pixel.
 *
 * Points are pixel corners, integers in [0, columns] x [0, rows], and the outline follows pixel
 * edges with a point only where it turns. It starts at the top-left corner of the component's first
 * pixel and runs clockwise on screen (y down: its shoelace area is positive, and equals the
 * component's pixel count). Where background reaches the outside only through a corner, that is no
 * hole (background is 8-connected): the outline passes the corner twice.
 *
 * Holes are joined in, since a freehand ROI is one outline: each by a zero-width horizontal bridge
 * from V, the top end of the hole's leftmost edge, leftward to the nearest point P of the outline,
 * walked there and back (… P, V, the hole's ring counter-clockwise back to V, P …). fillPolygon
 * skips horizontal edges and is even-odd, so the bridge fills nothing and the hole stays empty.
 * Holes are joined from left to right (earcut's hole elimination), so P is on the outer ring or on
 * a hole already joined, and no bridge crosses anything. Bridge ends are the only repeated points
 * besides such corners, and the only places where three consecutive points are collinear (on the
 * bridge's line). Islands in a hole are components of their own.
 *
 * Nothing is simplified: a ragged component can have more points than a ROI may hold
 * (MAX_POINTS_PER_ROI, annotations/geometry.ts). Linear in pixels plus outline length.
 */
export function maskOutlines(mask: Uint8Array, rows: number, columns: number): Point[][] {
  const n = rows * columns;
  if (mask.length !== n) throw new RangeError(`a ${columns}x${rows} mask needs ${n} bytes, not ${mask.length}`);
  // Traced within the box around what is set: the work follows the regions' extent, not the image's
  // (a 512 x 512 slice costs ~9 ms to walk whole, the box around an organ a fraction of it). Outside
  // the box is background connected around it, as outside the image is, so the outlines are the same.
  let [x0, y0, x1, y1] = [columns, rows, -1, -1];
  for (let y = 0, i = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++, i++) {
      if (mask[i] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0) return [];
  if (x0 === 0 && y0 === 0 && x1 === columns - 1 && y1 === rows - 1) return traceOutlines(mask, rows, columns);
  const [w, h] = [x1 - x0 + 1, y1 - y0 + 1];
  const box = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) box.set(mask.subarray((y0 + y) * columns + x0, (y0 + y) * columns + x0 + w), y * w);
  return traceOutlines(box, h, w).map((outline) => outline.map(([x, y]): Point => [x + x0, y + y0]));
}

function traceOutlines(mask: Uint8Array, rows: number, columns: number): Point[][] {
  const n = rows * columns;
  if (n === 0) return [];
  const flags = new Uint8Array(n);
  const stack = new Int32Array(n); // a pixel is pushed once at most: marked when pushed
  let depth = 0;
  const inside = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < columns && y < rows && mask[y * columns + x] !== 0;

  // 1. Background, 8-connected: first everything reachable from the image border (the outside),
  // then what is left, region by region. A region is a hole of the component around it.
  const pushBackground = (i: number): void => {
    if (mask[i] === 0 && (flags[i]! & SEEN) === 0) {
      flags[i]! |= SEEN;
      stack[depth++] = i;
    }
  };
  const fillBackground = (): void => {
    while (depth > 0) {
      const i = stack[--depth]!;
      const x = i % columns;
      const y = (i - x) / columns;
      const x0 = x > 0 ? x - 1 : x;
      const x1 = x < columns - 1 ? x + 1 : x;
      const y0 = y > 0 ? y - 1 : y;
      const y1 = y < rows - 1 ? y + 1 : y;
      for (let yy = y0; yy <= y1; yy++) for (let xx = x0; xx <= x1; xx++) pushBackground(yy * columns + xx);
    }
  };
  for (let x = 0; x < columns; x++) {
    pushBackground(x);
    pushBackground((rows - 1) * columns + x);
  }
  for (let y = 0; y < rows; y++) {
    pushBackground(y * columns);
    pushBackground(y * columns + columns - 1);
  }
  fillBackground();
  // Column by column, so each hole is met at its leftmost column's top pixel, whose top-left corner
  // is V, and the holes come in the order they are joined in. The pixels left of V and above it are
  // the component's.
  const holeX: number[] = [];
  const holeY: number[] = [];
  for (let x = 0; x < columns; x++) {
    for (let y = 0; y < rows; y++) {
      const i = y * columns + x;
      if (mask[i] !== 0 || (flags[i]! & SEEN) !== 0) continue;
      holeX.push(x);
      holeY.push(y);
      pushBackground(i);
      fillBackground();
    }
  }
  const holes = holeX.length;

  // 2. Bridges, from the mask alone: leftward from V = (xh, y) while both pixels along the line
  // (rows y - 1 and y) are foreground, so in the component. The first point where one is not lies on
  // the outer ring or on a hole further left (joined earlier). Bridges on one line never overlap,
  // so the walks add up to one pass over the image at most.
  const bridgeAt = new Map<number, number>(); // pixel whose top-left corner is P -> hole
  for (let h = 0; h < holes; h++) {
    const y = holeY[h]!;
    let x = holeX[h]!;
    while (x > 0 && mask[(y - 1) * columns + x - 1] !== 0 && mask[y * columns + x - 1] !== 0) x--;
    flags[y * columns + x]! |= BRIDGE;
    bridgeAt.set(y * columns + x, h);
  }

  // 3. Rings, as linked lists of nodes in typed arrays (the splicing below rewires `next`).
  let xs = new Int32Array(1024);
  let ys = new Int32Array(1024);
  let next = new Int32Array(1024);
  let count = 0;
  const node = (x: number, y: number): number => {
    if (count === xs.length) {
      xs = doubled(xs);
      ys = doubled(ys);
      next = doubled(next);
    }
    xs[count] = x;
    ys[count] = y;
    next[count] = count + 1;
    return count++;
  };
  const bridgeNode = new Int32Array(holes);
  /**
   * The ring through corner (x0, y0) leaving it in `direction`, walked with the foreground on the
   * right, closed on itself; returns its first node (its last is count - 1). The start must be a
   * corner the ring passes once and turns at.
   */
  const trace = (x0: number, y0: number, direction: number): number => {
    const first = node(x0, y0);
    let x = x0;
    let y = y0;
    let dir = direction;
    for (;;) {
      if (dir === EAST) flags[y * columns + x]! |= TOP; // the edge walked is this pixel's top edge
      x += dir === EAST ? 1 : dir === WEST ? -1 : 0;
      y += dir === SOUTH ? 1 : dir === NORTH ? -1 : 0;
      if (x === x0 && y === y0) break;
      // The two pixels ahead, right and left of the way. Background on the right: turn right. Both
      // foreground: turn left. At a diagonal pair (right background, left foreground) the right turn
      // keeps the two pixels apart, as 4-connectivity wants.
      let right: boolean;
      let left: boolean;
      if (dir === EAST) {
        right = inside(x, y);
        left = inside(x, y - 1);
      } else if (dir === SOUTH) {
        right = inside(x - 1, y);
        left = inside(x, y);
      } else if (dir === WEST) {
        right = inside(x - 1, y - 1);
        left = inside(x - 1, y);
      } else {
        right = inside(x, y - 1);
        left = inside(x - 1, y - 1);
      }
      const turn = !right ? (dir + 1) & 3 : left ? (dir + 3) & 3 : dir;
      // A bridge end needs a node to splice at, even inside a straight edge. The ring passes it once:
      // the two pixels right of it are foreground, so it is no diagonal corner.
      const bridge = x < columns && y < rows && (flags[y * columns + x]! & BRIDGE) !== 0;
      if (turn !== dir || bridge) {
        const k = node(x, y);
        if (bridge) bridgeNode[bridgeAt.get(y * columns + x)!] = k;
      }
      dir = turn;
    }
    next[count - 1] = first;
    return first;
  };
  // A hole's ring from V: it arrives there heading west and leaves south.
  const holeFirst = new Int32Array(holes);
  const holeLast = new Int32Array(holes);
  for (let h = 0; h < holes; h++) {
    holeFirst[h] = trace(holeX[h]!, holeY[h]!, SOUTH);
    holeLast[h] = count - 1;
  }
  // Outer rings: a top edge no ring has walked yet, met in raster order, is its component's first
  // pixel's (the component's other top edges are on its outer ring or on its holes, traced above).
  const starts: number[] = [];
  for (let y = 0, i = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++, i++) {
      if (mask[i] !== 0 && (flags[i]! & TOP) === 0 && (y === 0 || mask[i - columns] === 0)) starts.push(trace(x, y, EAST));
    }
  }

  // 4. Splice each hole in at its bridge: P, V, ring..., V, P. Left to right, because P can be the
  // corner just before an earlier hole's V (that ring's last node), which the earlier splice must
  // rewire first.
  for (let h = 0; h < holes; h++) {
    const p = bridgeNode[h]!;
    const v = holeFirst[h]!;
    const px = xs[p]!;
    const py = ys[p]!;
    const v2 = node(xs[v]!, ys[v]!);
    const p2 = node(px, py);
    next[p2] = next[p]!;
    next[p] = v;
    next[holeLast[h]!] = v2;
    next[v2] = p2;
  }

  return starts.map((start) => {
    const outline: Point[] = [];
    let k = start;
    do {
      outline.push([xs[k]!, ys[k]!]);
      k = next[k]!;
    } while (k !== start);
    return outline;
  });
}

function doubled(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * A closed outline (first point not repeated) with fewer points, each left out only where the
 * outline stays within `tolerance` pixels of the chord that replaces it (Douglas–Peucker, run on
 * the two halves between the first point and the one farthest from it). A traced outline's
 * staircase becomes a few straight runs; a pixel's centre on the wrong side of the new edges can
 * then change, so the regions are no longer exact. Never fewer than 3 points.
 */
export function simplifyOutline(points: Point[], tolerance: number): Point[] {
  const n = points.length;
  if (n <= 3 || !(tolerance > 0)) return points;
  const d2 = (a: Point, b: Point) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
  let far = 0;
  for (let i = 1; i < n; i++) if (d2(points[i]!, points[0]!) > d2(points[far]!, points[0]!)) far = i;
  if (far === 0) return points.slice(0, 3);
  const keep = new Uint8Array(n + 1);
  keep[0] = keep[far] = keep[n] = 1;
  const at = (i: number) => points[i === n ? 0 : i]!;
  const limit = tolerance * tolerance;
  // An explicit stack: a ragged outline of 10,000 points would nest deeply.
  const stack: Array<[number, number]> = [[0, far], [far, n]];
  while (stack.length) {
    const [from, to] = stack.pop()!;
    if (to - from < 2) continue;
    const a = at(from);
    const b = at(to);
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const length2 = dx * dx + dy * dy;
    let worst = -1;
    let worstAt = -1;
    for (let i = from + 1; i < to; i++) {
      const p = at(i);
      // Distance to the segment (not the line): a run that doubles back must keep its far end.
      const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2));
      const e = (p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2;
      if (e > worst) {
        worst = e;
        worstAt = i;
      }
    }
    if (worst > limit) {
      keep[worstAt] = 1;
      stack.push([from, worstAt], [worstAt, to]);
    }
  }
  const out: Point[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(points[i]!);
  if (out.length >= 3) return out;
  // A sliver within the tolerance everywhere: its first point, the farthest, and the farthest from both.
  let third = -1;
  let best = -1;
  for (let i = 0; i < n; i++) {
    if (i === 0 || i === far) continue;
    const e = Math.min(d2(points[i]!, points[0]!), d2(points[i]!, points[far]!));
    if (e > best) {
      best = e;
      third = i;
    }
  }
  return [0, far, third].sort((x, y) => x - y).map((i) => points[i]!);
}

/** Tolerances tried, in pixels, finest first: half a pixel already straightens a staircase. */
const SIMPLIFY_TOLERANCES = [0.5, 0.75, 1, 1.5, 2, 3];

export type FittedOutlines = { outlines: Point[][]; tolerance: number } | null;

/** Outlines simplified at the finest tolerance whose points fit `limit` in all; null when even the coarsest does not. */
export function fitOutlines(outlines: Point[][], limit: number): FittedOutlines {
  for (const tolerance of SIMPLIFY_TOLERANCES) {
    const simplified = outlines.map((o) => simplifyOutline(o, tolerance));
    if (simplified.reduce((n, o) => n + o.length, 0) <= limit) return { outlines: simplified, tolerance };
  }
  return null;
}
