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

export function createEmailSender(smtpUrl: string | undefined, from: string, log: Logger): EmailSender {
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
  const transport = nodemailer.createTransport(smtpUrl, { from });
  return {
    async send(to, message) {
      try {
        const info = await transport.sendMail({ to, subject: message.subject, text: message.text, html: message.html });
        return { providerId: info.messageId };
      } catch (err) {
        const e = err as Error & { responseCode?: number; code?: string };
        throw new DeliveryError(`smtp: ${e.code ?? ''} ${e.responseCode ?? ''}`.trim(), isPermanent(e), e.responseCode ? String(e.responseCode) : e.code);
      }
    },
  };
}
