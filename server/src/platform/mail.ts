import { createTransport, type Transporter } from "nodemailer";
import type { Config } from "../config.js";

/** One plain-text message to one address. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Outgoing e-mail for invitations and password links, through the operator's SMTP server
 * (SMTP_URL). Without one, `enabled` is false and the links are shown to whoever made them, to pass
 * on themselves.
 */
export interface Mailer {
  readonly enabled: boolean;
  /** Resolves when the SMTP server has accepted the message; rejects with its reason otherwise. */
  send(message: MailMessage): Promise<void>;
}

// An SMTP server that does not answer must not hold a mutation for minutes.
const TIMEOUT_MS = 15_000;

export function createMailer(mail: Config["mail"]): Mailer {
  if (!mail) {
    return {
      enabled: false,
      send: () => Promise.reject(new Error("no mail server is configured (SMTP_URL)")),
    };
  }
  // Not pooled: a connection per message, closed after it (invitations are rare).
  let transport: Transporter | null = null;
  return {
    enabled: true,
    async send(message) {
      transport ??= createTransport({
        url: mail.smtpUrl.reveal(),
        connectionTimeout: TIMEOUT_MS,
        greetingTimeout: TIMEOUT_MS,
        socketTimeout: TIMEOUT_MS,
      });
      await transport.sendMail({ from: mail.from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}
