/**
 * What the service sends to a practice's contacts: urgent messages (and their reminders), routine notices by SMS,
 * test alerts and the daily digest. Like templates.ts, inputs are the practice, a contact's name, times, counts and
 * links: a patient's name, their reason and the operator's message are not parameters, so they cannot leak here.
 */
import { format } from '../../shared/i18n.js';
import { formatter } from '../../shared/hours-summary.js';
import { toGsm7 } from '../../shared/gsm7.js';
import { practitionerMessages } from '../../shared/messages/practitioner.js';
import type { EmailPayload, Practice, SmsPayload } from '../store/store.js';
import { emailOf, type Paragraph } from './templates.js';

const { fr, en } = practitionerMessages;
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const DAY_TIME: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' };

/** The time on the practice's clock, in each language. */
const timeIn = (practice: Pick<Practice, 'timezone'>, at: Date, options = TIME) => ({
  fr: formatter('fr', practice.timezone, options).format(at),
  en: formatter('en', practice.timezone, options).format(at),
});

/** French then English, the English paragraphs marked as such. */
function bilingual(frText: string[], enText: string[]): Paragraph[] {
  return [...frText, fr.signature, ...enText.map((text) => ({ lang: 'en' as const, text })), { lang: 'en' as const, text: en.signature }];
}

export interface UrgentFacts {
  practice: Pick<Practice, 'name' | 'timezone'>;
  /** When the message was taken. */
  takenAt: Date;
  /** 0: the first sending; 1, 2…: the reminders of the escalation. */
  step: number;
  ackUrl: string;
  consoleUrl: string;
}

export function urgentEmail(f: UrgentFacts): EmailPayload {
  const time = timeIn(f.practice, f.takenAt);
  const part = (m: typeof fr, t: string) => [
    format(m.urgentBody, { practice: f.practice.name, time: t }),
    ...(f.step > 0 ? [format(m.urgentReminder, { step: f.step })] : []),
    format(m.urgentConfirm, { url: f.ackUrl }),
    format(m.urgentConsole, { console: f.consoleUrl }),
  ];
  const subject = `${fr.urgentSubject} / ${en.urgentSubject} – ${f.practice.name}${f.step > 0 ? ` (${f.step + 1})` : ''}`;
  return { subject, ...emailOf(bilingual(part(fr, time.fr), part(en, time.en)), 'fr', f.ackUrl) };
}

export function urgentSms(f: UrgentFacts): SmsPayload {
  const time = timeIn(f.practice, f.takenAt).fr;
  return { body: toGsm7(`${format(fr.urgentSms, { practice: f.practice.name, time, url: f.ackUrl })}\n${en.urgentSms}`) };
}

export function routineSms(practice: Pick<Practice, 'name'>, consoleUrl: string): SmsPayload {
  return { body: toGsm7(`${format(fr.routineSms, { practice: practice.name, url: consoleUrl })}\n${en.routineSms}`) };
}

export function testAlertEmail(practice: Pick<Practice, 'name'>, contactName: string): EmailPayload {
  const vars = { practice: practice.name, name: contactName };
  return { subject: `${fr.testSubject} / ${en.testSubject} – ${practice.name}`, ...emailOf(bilingual([format(fr.testBody, vars)], [format(en.testBody, vars)]), 'fr') };
}

export function testAlertSms(practice: Pick<Practice, 'name'>, contactName: string): SmsPayload {
  return { body: toGsm7(`${format(fr.testSms, { practice: practice.name, name: contactName })}\n${en.testSms}`) };
}

export interface DigestFacts {
  practice: Pick<Practice, 'name'>;
  count: number;
  unread: number;
  /** Urgent messages not acknowledged yet. */
  urgent: number;
  consoleUrl: string;
}

/** Counts and a link; sent only when there is something to count. */
export function digestEmail(f: DigestFacts): EmailPayload {
  const vars = { practice: f.practice.name, count: f.count, unread: f.unread, urgent: f.urgent, url: f.consoleUrl };
  const part = (m: typeof fr) => [format(m.digestBody, vars), ...(f.urgent ? [format(m.digestUrgent, vars)] : []), format(m.urgentConsole, { console: f.consoleUrl })];
  return { subject: `${fr.digestSubject} / ${en.digestSubject} – ${f.practice.name}`, ...emailOf(bilingual(part(fr), part(en)), 'fr', f.consoleUrl) };
}

export { DAY_TIME, timeIn };
