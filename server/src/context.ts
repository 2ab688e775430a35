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
  cookies: CookieJar | null;
  services: Services;
}
