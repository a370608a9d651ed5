/**
 * The practice's messaging settings as the practice record carries them (SPEC): `contacts`, `onCall`,
 * `escalation`, `urgentAckMinutes`, and the daily digest's time. Validated here, saved with the practice.
 */
import * as z from 'zod/mini';
import { parsePhone } from '../../shared/phone.js';
import { singleLineText } from '../../shared/text.js';
import { instantSchema } from '../../shared/schemas.js';
import type { Messaging } from '../../shared/on-call.js';

export const DEFAULT_URGENT_ACK_MINUTES = 10;
const KEY = /^[a-z0-9][a-z0-9_-]{0,39}$/;

const contactSchema = z.strictObject({
  key: z.string().check(z.refine((v) => KEY.test(v), 'invalid')),
  name: singleLineText(120),
  /** Any way of writing a number; stored in E.164. */
  phone: z.optional(z.pipe(singleLineText(30, 0), z.transform((v) => (v === '' ? '' : (parsePhone(v)?.e164 ?? '!')))).check(z.refine((v) => v !== '!', 'invalid_phone'))),
  email: z.optional(z.union([z.literal(''), z.email().check(z.maxLength(254))])),
  notifyBy: z.optional(z.enum(['email', 'sms'])),
});

const slotSchema = z.strictObject({ from: instantSchema, to: instantSchema, contact: z.string() });

/** The fields a practice save may carry; each absent one keeps what the practice had. */
export const messagingFields = {
  contacts: z.optional(z.array(contactSchema).check(z.maxLength(50))),
  onCall: z.optional(z.strictObject({ default: z.nullable(z.string()), slots: z.array(slotSchema).check(z.maxLength(1000)) })),
  escalation: z.optional(z.array(z.string()).check(z.maxLength(20))),
  urgentAckMinutes: z.optional(z.int().check(z.gte(1), z.lte(120))),
  /** `HH:MM` on the practice's clock; null or absent: no digest. */
  digestAt: z.optional(z.nullable(z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'invalid_time')))),
};

/** The same fields in an answer. */
export const messagingRecordFields = {
  contacts: z.optional(
    z.array(z.object({ key: z.string(), name: z.string(), phone: z.optional(z.string()), email: z.optional(z.string()), notifyBy: z.optional(z.enum(['email', 'sms'])) })),
  ),
  onCall: z.optional(z.object({ default: z.nullable(z.string()), slots: z.array(z.object({ from: instantSchema, to: instantSchema, contact: z.string() })) })),
  escalation: z.optional(z.array(z.string())),
  urgentAckMinutes: z.optional(z.int()),
  digestAt: z.optional(z.nullable(z.string())),
};


/**
 * The checks that span fields: keys unique, every key named (default, slots, escalation) one of the contacts, each
 * contact reachable somehow, slots that end after they start. Field errors by path, as the console shows them.
 */
export function messagingErrors(m: Messaging): Record<string, 'invalid' | 'duplicate' | 'unknown_contact' | 'unreachable' | 'invalid_range'> {
  const errors: ReturnType<typeof messagingErrors> = {};
  const keys = new Set<string>();
  (m.contacts ?? []).forEach((c, i) => {
    if (keys.has(c.key)) errors[`contacts.${i}.key`] = 'duplicate';
    keys.add(c.key);
    if (!c.phone && !c.email) errors[`contacts.${i}`] = 'unreachable';
    if (c.notifyBy === 'sms' && !c.phone) errors[`contacts.${i}.notifyBy`] = 'invalid';
    if (c.notifyBy === 'email' && !c.email) errors[`contacts.${i}.notifyBy`] = 'invalid';
  });
  if (m.onCall?.default && !keys.has(m.onCall.default)) errors['onCall.default'] = 'unknown_contact';
  (m.onCall?.slots ?? []).forEach((s, i) => {
    if (!keys.has(s.contact)) errors[`onCall.slots.${i}.contact`] = 'unknown_contact';
    if (Date.parse(s.from) >= Date.parse(s.to)) errors[`onCall.slots.${i}`] = 'invalid_range';
  });
  (m.escalation ?? []).forEach((key, i) => {
    if (!keys.has(key)) errors[`escalation.${i}`] = 'unknown_contact';
  });
  return errors;
}

/** The contacts as saved: blank phone and email dropped, slots in time order, in UTC. */
export function tidyMessaging(m: Messaging): Messaging {
  return {
    ...(m.contacts ? { contacts: m.contacts.map(({ phone, email, ...c }) => ({ ...c, ...(phone ? { phone } : {}), ...(email ? { email: email.toLowerCase() } : {}) })) } : {}),
    ...(m.onCall
      ? {
          onCall: {
            default: m.onCall.default,
            slots: m.onCall.slots
              .map((s) => ({ ...s, from: new Date(s.from).toISOString(), to: new Date(s.to).toISOString() }))
              .sort((a, b) => a.from.localeCompare(b.from)),
          },
        }
      : {}),
    ...(m.escalation ? { escalation: m.escalation } : {}),
    ...(m.urgentAckMinutes !== undefined ? { urgentAckMinutes: m.urgentAckMinutes } : {}),
    ...(m.digestAt !== undefined ? { digestAt: m.digestAt } : {}),
  };
}
