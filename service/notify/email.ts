/** Email delivery with nodemailer over SMTP_URL; without it, messages are written to the log for local use. */
import nodemailer from 'nodemailer';
import type { Logger } from '../log.js';
import type { EmailPayload } from '../store/store.js';
import { DeliveryError } from './delivery-error.js';

export interface EmailSender {
  send(to: string, message: EmailPayload): Promise<{ providerId?: string }>;
}

/** SMTP reply codes 5xx (except 552-style size issues being rare here) mean the server refused for good. */
const isPermanent = (err: { responseCode?: number; code?: string }) => typeof err.responseCode === 'number' && err.responseCode >= 500;

export function createEmailSender(smtpUrl: string | undefined, from: string, log: Logger): EmailSender {
  if (!smtpUrl) {
    return {
      async send(to, message) {
        // No SMTP configured (local use): the text is logged so the developer can follow links. It holds no health detail.
        log.info('email_logged', { to, subject: message.subject, text: message.text });
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
