import type { LinkState } from "../generated/graphql";

export type LinkKind = "invitation" | "password link";

const WHY: Record<Exclude<LinkState, "VALID">, string> = {
  EXPIRED: "has expired",
  USED: "has already been used",
  WITHDRAWN: "was withdrawn",
};

const ASK: Record<LinkKind, string> = {
  invitation: "Ask whoever invited you for a new invitation.",
  "password link": "Ask an administrator of this server for a new link.",
};

/** Why a one-time link cannot be used, and what to do; null while it can. */
export function linkRefusal(kind: LinkKind, state: LinkState): string | null {
  return state === "VALID" ? null : `This ${kind} ${WHY[state]}. ${ASK[kind]}`;
}

/** What ending other sessions did, as a sentence. */
export function sessionsEndedText(count: number): string {
  if (count <= 0) return "No other session was open.";
  return count === 1 ? "1 other session was logged out." : `${count} other sessions were logged out.`;
}
