// Agreement of two sets of points (landmarks of one class on one image and frame): a one-to-one
// matching within a distance tolerance, and the F1 and distances it gives. Pure, no I/O.

/** A point in image pixels, as stored (see annotations/geometry.ts). */
export type PointXY = readonly [number, number];

/** How far apart (image pixels) two readers' points may be and still mark the same landmark, unless the caller says otherwise. */
export const DEFAULT_POINT_TOLERANCE = 10;

export interface PointPair {
  /** Indices into the two sets. */
  a: number;
  b: number;
  /** Euclidean, in image pixels; at most the tolerance. */
  distance: number;
}

export interface PointMatching {
  /** In the order of `a`. */
  pairs: PointPair[];
  unmatchedA: number;
  unmatchedB: number;
}

/**
 * The best one-to-one matching of points a and b: as many pairs as possible with their points at
 * most `tolerance` apart, and among those the least total distance. A pair further apart is no
 * match, and a point of either set is in at most one pair.
 *
 * Exact (the assignment problem, Hungarian algorithm, O(n³)), but only points that could pair up
 * are solved together: each connected group of "within tolerance" links is solved on its own,
 * which gives the same matching (no pair joins two groups) and keeps a thousand sparse landmarks fast.
 */
export function matchPoints(a: ReadonlyArray<PointXY>, b: ReadonlyArray<PointXY>, tolerance: number): PointMatching {
  if (!Number.isFinite(tolerance) || tolerance < 0) throw new RangeError(`the tolerance must be a finite distance of 0 or more, got ${tolerance}`);
  // Links between points close enough to pair, and the groups they join (union-find over a then b).
  const links: Array<{ i: number; j: number; d: number }> = [];
  const parent = Array.from({ length: a.length + b.length }, (_, k) => k);
  const root = (k: number): number => {
    while (parent[k] !== k) k = parent[k] = parent[parent[k]!]!;
    return k;
  };
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < b.length; j++) {
      const d = Math.hypot(a[i]![0] - b[j]![0], a[i]![1] - b[j]![1]);
      if (!(d <= tolerance)) continue;
      links.push({ i, j, d });
      parent[root(i)] = root(a.length + j);
    }
  const groups = new Map<number, { as: number[]; bs: number[]; links: typeof links }>();
  for (const link of links) {
    const r = root(link.i);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = { as: [], bs: [], links: [] }));
    g.links.push(link);
  }
  for (let i = 0; i < a.length; i++) groups.get(root(i))?.as.push(i);
  for (let j = 0; j < b.length; j++) groups.get(root(a.length + j))?.bs.push(j);

  const pairs: PointPair[] = [];
  for (const g of groups.values()) {
    // Rows are the smaller side, so every row is assigned a column.
    const flip = g.as.length > g.bs.length;
    const rows = flip ? g.bs : g.as;
    const cols = flip ? g.as : g.bs;
    const rowAt = new Map(rows.map((x, k) => [x, k]));
    const colAt = new Map(cols.map((x, k) => [x, k]));
    // A row left without a close point takes a column at NO_PAIR: dearer than the whole distance
    // of any matching, so a matching with one pair more always costs less.
    const NO_PAIR = rows.length * tolerance + 1;
    const cost = new Float64Array(rows.length * cols.length).fill(NO_PAIR);
    const close = new Uint8Array(rows.length * cols.length);
    for (const { i, j, d } of g.links) {
      const at = flip ? rowAt.get(j)! * cols.length + colAt.get(i)! : rowAt.get(i)! * cols.length + colAt.get(j)!;
      cost[at] = d;
      close[at] = 1;
    }
    const assigned = assignment(cost, rows.length, cols.length);
    for (let r = 0; r < rows.length; r++) {
      const c = assigned[r]!;
      if (!close[r * cols.length + c]) continue;
      pairs.push({ a: flip ? cols[c]! : rows[r]!, b: flip ? rows[r]! : cols[c]!, distance: cost[r * cols.length + c]! });
    }
  }
  pairs.sort((x, y) => x.a - y.a);
  return { pairs, unmatchedA: a.length - pairs.length, unmatchedB: b.length - pairs.length };
}

/**
 * The minimum-cost assignment of each of n rows to its own one of m ≥ n columns (cost row-major,
 * n × m): the column of each row. Kuhn–Munkres with potentials (the shortest augmenting path form), O(n²m).
 */
function assignment(cost: Float64Array, n: number, m: number): Int32Array {
  // 1-based inside, as the algorithm is usually written: row 0 and column 0 are the virtual start.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const rowOf = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    rowOf[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = rowOf[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = cost[(i0 - 1) * m + (j - 1)]! - u[i0]! - v[j]!;
        if (reduced < minv[j]!) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[rowOf[j]!] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (rowOf[j0] !== 0);
    // Flip the augmenting path back to the start.
    do {
      const j1 = way[j0]!;
      rowOf[j0] = rowOf[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const colOf = new Int32Array(n);
  for (let j = 1; j <= m; j++) if (rowOf[j]) colOf[rowOf[j]! - 1] = j - 1;
  return colOf;
}

/**
 * F1 = 2·matched / (|A| + |B|) of a one-to-one matching (of points, or of lines by their midpoints),
 * the analogue of Dice: 0 when only one side has any, null when neither has.
 */
export function matchingF1(m: Pick<PointMatching, "pairs" | "unmatchedA" | "unmatchedB">): number | null {
  const total = 2 * m.pairs.length + m.unmatchedA + m.unmatchedB;
  return total === 0 ? null : (2 * m.pairs.length) / total;
}

/** Mean distance (image pixels) of matched pairs; null without a pair. */
export function meanDistance(pairs: ReadonlyArray<{ distance: number }>): number | null {
  return mean(pairs.map((p) => p.distance));
}

/** Median distance (image pixels) of matched pairs (the mean of the middle two for an even count); null without a pair. */
export function medianDistance(pairs: ReadonlyArray<{ distance: number }>): number | null {
  return median(pairs.map((p) => p.distance));
}

/** The radii of landmark studies' success detection rate, in millimetres (the ISBI cephalometric challenges' 2, 2.5, 3 and 4 mm). */
export const SUCCESS_RADII_MM: readonly number[] = [2, 2.5, 3, 4];

export interface WithinRadius {
  radiusMm: number;
  /** Distances at most the radius. */
  pairs: number;
  /** Their share of all the distances; null when there are none. */
  share: number | null;
}

/** For each radius, how many of the distances (mm) are at most it, and their share: the success detection rate. */
export function withinRadii(distancesMm: readonly number[], radii: readonly number[] = SUCCESS_RADII_MM): WithinRadius[] {
  return radii.map((radiusMm) => {
    const pairs = distancesMm.filter((d) => d <= radiusMm).length;
    return { radiusMm, pairs, share: distancesMm.length ? pairs / distancesMm.length : null };
  });
}

/** The mean of the values; null when there are none. */
export function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((s, x) => s + x, 0) / values.length : null;
}

/** The median of the values (the mean of the middle two for an even count); null when there are none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
