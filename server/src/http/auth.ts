import { parse as parseCookies, serialize } from "cookie";
import type { IncomingHttpHeaders } from "node:http";
import type { Config } from "../config.js";
import type { CookieJar } from "../context.js";

export const SESSION_COOKIE = "concord_session";

/** The credentials a request carries: a session cookie (browsers) and/or a bearer token (tools). */
export function credentialsOf(headers: IncomingHttpHeaders, connectionParams?: Record<string, unknown>) {
  const cookies = parseCookies(headers.cookie ?? "");
  const header =
    (typeof connectionParams?.authorization === "string" ? connectionParams.authorization : undefined) ??
    (typeof connectionParams?.Authorization === "string" ? connectionParams.Authorization : undefined) ??
    headers.authorization;
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return { sessionToken: cookies[SESSION_COOKIE], bearer, presented: !!(cookies[SESSION_COOKIE] || header) };
}

export function cookieJar(config: Config, setHeader: (value: string) => void): CookieJar {
  const base = { httpOnly: true, sameSite: "lax" as const, secure: config.cookieSecure, path: "/" };
  return {
    setSession(token, expires) {
      setHeader(serialize(SESSION_COOKIE, token, { ...base, expires }));
    },
    clearSession() {
      setHeader(serialize(SESSION_COOKIE, "", { ...base, expires: new Date(0) }));
    },
  };
}

/**
 * Browsers send cookies on cross-site WebSocket handshakes, so a handshake from a page of another
 * origin is refused. Tools without an Origin header authenticate with a bearer token.
 */
export function originAllowed(config: Config, origin: string | undefined): boolean {
  return !origin || config.allowedOrigins.includes(origin);
}
