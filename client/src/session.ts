import { useQuery } from "@vue/apollo-composable";
import { computed } from "vue";
import { apollo, reconnectRealtime } from "./graphql/apollo";
import { InstanceDocument, LogOutDocument, MeDocument, type SessionUserFragment } from "./generated/graphql";

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
 * After a request that logged this browser in without answering the user (accepting an invitation
 * makes the account and sets the cookie): asks the server who is logged in now, then as startSession.
 */
export async function refreshSession(): Promise<SessionUserFragment | null> {
  const { data } = await apollo.query({ query: MeDocument, fetchPolicy: "network-only" });
  if (data.me) await startSession(data.me);
  return data.me;
}

/** How this server is set up: whether anyone may sign up; null until known. */
export function useInstance() {
  const { result } = useQuery(InstanceDocument, null, { fetchPolicy: "cache-first" });
  return {
    signupOpen: computed(() => result.value?.instance.signupOpen ?? null),
    /** The server e-mails links (SMTP_URL), so "Forgot your password?" works. */
    mailEnabled: computed(() => result.value?.instance.mailEnabled ?? null),
    /** Single sign-on's name when the server has it (OIDC_ISSUER), else null. */
    ssoName: computed(() => result.value?.instance.ssoName ?? null),
  };
}

/**
 * Where single sign-on starts: the server sends the browser to the provider, which comes back
 * logged in at `next` (a path of this app), or to the log-in page with `sso_error`.
 */
export function ssoLoginHref(next: string): string {
  return `/auth/sso/login?returnTo=${encodeURIComponent(next)}`;
}

/**
 * Leaving a session reloads the app: no cached project, open socket or component state of the
 * previous user can survive into the next one.
 */
export function leaveSession(next = "/login"): void {
  window.location.assign(next);
}

/** Logs out, then reloads the app at `next` (the log-in page unless said otherwise). */
export async function endSession(next?: string): Promise<void> {
  try {
    await apollo.mutate({ mutation: LogOutDocument });
  } finally {
    leaveSession(next);
  }
}
