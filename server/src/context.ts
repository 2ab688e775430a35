import type { Actor } from "./access/access.js";
import type { Services } from "./services.js";

/** The session cookie a mutation may set or clear; absent on WebSocket operations. */
export interface CookieJar {
  setSession(token: string, expires: Date): void;
  clearSession(): void;
}

export interface Context {
  actor: Actor | null;
  /** Client address, for rate limiting. Never logged with anything that identifies a patient. */
  ip: string;
  /** The client's User-Agent header (cut to 300 characters), kept with a session it opens; null over WebSocket. */
  userAgent: string | null;
  cookies: CookieJar | null;
  services: Services;
}
