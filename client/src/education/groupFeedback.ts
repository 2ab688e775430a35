// How a trainee's feedback says their answer to a label group against the gold's.

/** "yours B2, gold B4: 2 steps below" (steps: the trainee's answer minus the gold's, on an ordinal scale). */
export function groupAnswer(g: { mineName?: string | null; goldName?: string | null; steps?: number | null }): string {
  const name = (n: string | null | undefined) => n ?? "none of them";
  const off = g.steps == null || g.steps === 0 ? "" : `: ${Math.abs(g.steps)} step${Math.abs(g.steps) === 1 ? "" : "s"} ${g.steps > 0 ? "above" : "below"}`;
  return `yours ${name(g.mineName)}, gold ${name(g.goldName)}${off}`;
}
