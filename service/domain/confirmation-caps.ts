/**
 * SMS-pumping and mail-relay protection: the public form sends a confirmation to whatever number or
 * address is typed in, so an SMS goes only to an allowed country's mobile, under caps counted from the
 * outbox table (they survive a restart), and an email only under a per-address cap. A capped request
 * is still queued; its confirmation falls back to email, or to nothing.
 */
import type { ConfirmBy } from '../../shared/schemas.js';
import { FRANCE_COUNTRIES, numberBlock } from '../../shared/phone.js';
import type { Practice, Queries } from '../store/store.js';

export interface SmsCaps {
  /** SMS to one number, across practices, within `perNumberWindowMs`. */
  perNumber: number;
  perNumberWindowMs: number;
  /** SMS to one block of numbers (`numberBlock()`: the E.164 number without its last four digits), across practices. */
  perBlock: number;
  perBlockWindowMs: number;
  /** SMS from one practice in the last 24 hours. */
  perPracticeDay: number;
}

export const SMS_CAPS: SmsCaps = {
  perNumber: 3,
  perNumberWindowMs: 10 * 60_000,
  perBlock: 10,
  perBlockWindowMs: 60 * 60_000,
  perPracticeDay: 300,
};

/**
 * Confirmation emails to one address, across practices: enough for a patient who asks a few times, too few
 * for a relay. Counted from the outbox like the SMS caps, so a restart forgets nothing.
 */
export const EMAIL_CAP = { limit: 3, windowMs: 60 * 60_000 };
export type EmailCap = typeof EMAIL_CAP;

/** Why a request asking for an SMS does not get one. */
export type SmsRefusal = 'sms_disabled' | 'country_not_allowed' | 'number_cap' | 'block_cap' | 'practice_cap';

/** Why a confirmation did not go where it was asked, for the log (never the address itself). */
export interface ConfirmationRefusal {
  smsRefused?: SmsRefusal;
  emailRefused?: 'no_address' | 'email_cap';
}

export interface SmsRecipient {
  e164: string;
  /** ISO 3166 country of the number, when known. */
  country?: string | undefined;
}


/** Undefined when an SMS to `phone` is allowed now; else the first rule that refuses it. Read inside the intake transaction. */
async function smsRefusal(tx: Queries, practice: Practice, phone: SmsRecipient, now: Date, caps: SmsCaps = SMS_CAPS): Promise<SmsRefusal | undefined> {
  if (!practice.sms) return 'sms_disabled';
  const countries: readonly string[] = practice.smsCountries?.length ? practice.smsCountries : FRANCE_COUNTRIES;
  if (!phone.country || !countries.includes(phone.country)) return 'country_not_allowed';
  const since = (ms: number) => new Date(now.getTime() - ms).toISOString();
  if ((await tx.countOutbox({ channel: 'sms', audience: 'patient', recipient: phone.e164, since: since(caps.perNumberWindowMs) })) >= caps.perNumber) return 'number_cap';
  if ((await tx.countOutbox({ channel: 'sms', audience: 'patient', block: numberBlock(phone.e164), since: since(caps.perBlockWindowMs) })) >= caps.perBlock) return 'block_cap';
  if ((await tx.countOutbox({ channel: 'sms', audience: 'patient', practice: practice.slug, since: since(24 * 60 * 60_000) })) >= caps.perPracticeDay) return 'practice_cap';
  return undefined;
}

/**
 * The channel the confirmation will really use: the one asked for when allowed, else email to `email`, else
 * none. `email` is the address the confirmation may go to (for a merge, the one on file). Read inside the
 * transaction that enqueues the confirmation, so the caps are checked and consumed in one commit.
 */
export async function confirmationChannel(
  tx: Queries,
  practice: Practice,
  requested: ConfirmBy,
  phone: SmsRecipient,
  email: string | null,
  now: Date,
  caps: SmsCaps,
  emailCap: EmailCap,
): Promise<{ channel: ConfirmBy } & ConfirmationRefusal> {
  if (requested === 'none') return { channel: 'none' };
  const smsRefused = requested === 'sms' ? await smsRefusal(tx, practice, phone, now, caps) : undefined;
  if (requested === 'sms' && !smsRefused) return { channel: 'sms' };
  const refused = smsRefused ? { smsRefused } : {};
  if (!email) return { channel: 'none', ...refused, ...(requested === 'email' ? { emailRefused: 'no_address' as const } : {}) };
  const sent = await tx.countOutbox({ channel: 'email', purpose: 'confirmation', recipient: email, since: new Date(now.getTime() - emailCap.windowMs).toISOString() });
  if (sent >= emailCap.limit) return { channel: 'none', ...refused, emailRefused: 'email_cap' };
  return { channel: 'email', ...refused };
}
