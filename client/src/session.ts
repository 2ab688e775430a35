import { useQuery } from "@vue/apollo-composable";
import { computed } from "vue";
import { apollo, reconnectRealtime } from "./graphql/apollo";
import { LogOutDocument, MeDocument, type SessionUserFragment } from "./generated/graphql";

/** The logged-in user. The router guard loads it before every page; this only reads the cache. */
export function useSession() {
  const { result, loading } = useQuery(MeDocument, null, { fetchPolicy: "cache-only" });
  return { user: computed(() => result.value?.me ?? null), loading };
}

export async function currentUser(): Promise<SessionUserFragment | null> {
  const { data } = await apollo.query({ query: MeDocument, fetchPolicy: "cache-first" });
  return data.me;
}

/**
 * After signing up or logging in. A visitor's cache holds nothing but `me: null` (every way out of
 * a session reloads the page), so recording the user is enough.
 */
export async function startSession(user: SessionUserFragment): Promise<void> {
  await reconnectRealtime();
  apollo.writeQuery({ query: MeDocument, data: { me: user } });
}

/**
 * Leaving a session reloads the app: no cached project, open socket or component state of the
 * previous user can survive into the next one.
 */
export function leaveSession(next = "/login"): void {
  window.location.assign(next);
}

export async function endSession(): Promise<void> {
  try {
    await apollo.mutate({ mutation: LogOutDocument });
  } finally {
    leaveSession();
  }
}
