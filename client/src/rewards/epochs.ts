// Pure helpers of the rewards page: the epochs list as queries and live updates leave it, and how
// a reader is named.
import type { RewardEpochFieldsFragment, RewardEpochStatus } from "../generated/graphql";

export const POLICIES = [
  { name: "concord", text: "concord: Dawid–Skene truth, difficulty and labour; budget conserved (default)" },
  { name: "markit-eq1-safe", text: "markit-eq1-safe: MarkIt Eq. 1 with sane edges, whole tokens" },
  { name: "markit-eq1", text: "markit-eq1: MarkIt Eq. 1 as its authors compute it (raw shares)" },
] as const;

const FINISHED: readonly RewardEpochStatus[] = ["DONE", "FAILED"];
export const isActive = (e: Pick<RewardEpochFieldsFragment, "status">) => !FINISHED.includes(e.status);

/**
 * The epochs to list, newest first: the query's answer with the live updates seen since. An update
 * replaces the listed epoch unless it would take a finished epoch back (events can arrive after
 * the answer that already shows the end), or lower a running epoch's progress.
 */
export function mergeEpochs(listed: readonly RewardEpochFieldsFragment[], live: readonly RewardEpochFieldsFragment[]): RewardEpochFieldsFragment[] {
  const byId = new Map(listed.map((e) => [e.id, e]));
  for (const e of live) {
    const known = byId.get(e.id);
    if (known && FINISHED.includes(known.status) && !FINISHED.includes(e.status)) continue;
    if (known && known.status === "RUNNING" && e.status === "RUNNING" && e.progress < known.progress) continue;
    byId.set(e.id, e);
  }
  return [...byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
}

/** A reader as the page names them: a member's name when known, else the share's reader (a user id or an imported annotator name). */
export function readerName(share: { reader: string; readerUserId?: string | null }, names: ReadonlyMap<string, string>): string {
  return (share.readerUserId && names.get(share.readerUserId)) || share.reader;
}

/** Tokens as the page writes them: whole numbers with thousands separators, "—" when undefined. */
export function formatTokens(v: number | null | undefined): string {
  return v == null || !Number.isFinite(v) ? "—" : Math.round(v).toLocaleString("en-US");
}

/** A number of a policy's terms: four significant decimals, "—" when undefined. */
export function formatTerm(v: number | null | undefined, digits = 4): string {
  return v == null || !Number.isFinite(v) ? "—" : String(Number(v.toFixed(digits)));
}

/** "1 reader", "3 readers". */
export const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
