/** Email delivery with nodemailer over SMTP_URL; without it, messages are written to the log for local use. */
import nodemailer from 'nodemailer';
import type { Logger } from '../log.js';
import type { EmailPayload } from '../store/store.js';
import { DeliveryError } from './delivery-error.js';

export interface EmailSender {
  /** `purpose` (the outbox's, e.g. `confirmation`) only labels the log line of the logging sender. */
  send(to: string, message: EmailPayload, purpose?: string): Promise<{ providerId?: string }>;
}

/**
 * `camille.dupont@example.org` → `c***@example.org`: the domain tells a practice's address from a
 * patient's webmail; the name stays out of the log (service/log.ts: never a name).
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${Array.from(address)[0]}***${address.slice(at)}`;
}

/** SMTP reply codes 5xx (except 552-style size issues being rare here) mean the server refused for good. */
const isPermanent = (err: { responseCode?: number; code?: string }) => typeof err.responseCode === 'number' && err.responseCode >= 500;

export interface EmailSenderOptions {
  /** Connecting, DNS lookup and TLS included, up to the server's greeting. */
  connectionTimeoutMs?: number;
  /** Waiting for the greeting once connected (nodemailer also cuts it to what is left of the connection timeout). */
  greetingTimeoutMs?: number;
  /** Silence allowed from the server at any later point of the conversation. */
  socketTimeoutMs?: number;
}

/**
 * Short, so that a hung server costs one outbox slot for seconds, not nodemailer's defaults
 * (2 min to connect, 30 s for the greeting, 10 min of silence). Parameters of SMTP_URL
 * (`?socketTimeout=60000`) still win, for a relay known to be slow.
 */
const TIMEOUTS: Required<EmailSenderOptions> = { connectionTimeoutMs: 10_000, greetingTimeoutMs: 10_000, socketTimeoutMs: 20_000 };

export function createEmailSender(smtpUrl: string | undefined, from: string, log: Logger, options: EmailSenderOptions = {}): EmailSender {
  if (!smtpUrl) {
    return {
      async send(to, message, purpose) {
        // No SMTP configured (local use): the body names the patient and holds a live cancel link, so only
        // the envelope is logged. Subjects hold no health detail (service/notify/templates.ts).
        log.info('email_logged', { to: maskEmail(to), subject: message.subject, ...(purpose ? { purpose } : {}) });
        return {};
      },
    };
  }
  const timeouts = { ...TIMEOUTS, ...options };
  const transport = nodemailer.createTransport(
    { url: smtpUrl, connectionTimeout: timeouts.connectionTimeoutMs, greetingTimeout: timeouts.greetingTimeoutMs, socketTimeout: timeouts.socketTimeoutMs },
    { from },
  );
  return {
    async send(to, message) {
      try {
        const info = await transport.sendMail({ to, subject: message.subject, text: message.text, html: message.html });
        return { providerId: info.messageId };
      } catch (err) {
        // Not e.message: a server's reply may quote the recipient. A timeout (code ETIMEDOUT) has no reply code, so it is transient.
        const e = err as Error & { responseCode?: number; code?: string; timeoutType?: string };
        throw new DeliveryError(`smtp: ${e.code ?? ''} ${e.responseCode ?? e.timeoutType ?? ''}`.trim(), isPermanent(e), e.responseCode ? String(e.responseCode) : e.code);
      }
    },
  };
}
