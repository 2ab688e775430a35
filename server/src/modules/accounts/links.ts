import type { Config } from "../../config.js";
import type { Logger } from "../../logger.js";
import type { Mailer, MailMessage } from "../../platform/mail.js";
import { newSessionToken, sha256 } from "./secrets.js";

/** A one-time link just made: shown once to whoever made it, and e-mailed when a mail server is set. */
export interface IssuedLink {
  url: string;
  expiresAt: Date;
  /** The mail server accepted the message. */
  emailed: boolean;
  /** Why it was not e-mailed, when a mail server is set and refused or failed. */
  emailError: string | null;
}

export type LinkKind = "invite" | "reset-password";

/** A new secret for a link: the token goes in the URL, only its hash into the database. */
export function newLinkSecret(config: Config, kind: LinkKind, ttlMs: number) {
  const token = newSessionToken();
  return { token, tokenHash: sha256(token), url: `${config.publicUrl}/${kind}/${token}`, expiresAt: new Date(Date.now() + ttlMs) };
}

/**
 * E-mails a link once the transaction that made it has committed. A failure is reported to the
 * caller (who still has the link to pass on) and logged without the address.
 */
export async function mailLink(
  mailer: Mailer,
  log: Logger,
  link: { url: string; expiresAt: Date },
  message: MailMessage,
  what: Record<string, string>,
): Promise<IssuedLink> {
  if (!mailer.enabled) return { ...link, emailed: false, emailError: null };
  try {
    await mailer.send(message);
    return { ...link, emailed: true, emailError: null };
  } catch (err) {
    const reason = (err as Error).message.slice(0, 300);
    log.warn({ ...what, err: reason }, "mail: the link could not be sent");
    return { ...link, emailed: false, emailError: reason };
  }
}

export const formatExpiry = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";
