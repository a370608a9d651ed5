/**
 * Builds the confirmation messages from the catalogue, in the patient's language.
 * Inputs are identifiers and times only: the reason for the call is not a parameter,
 * so it cannot reach an SMS or an email by mistake.
 */
import { format, type Lang } from '../../shared/i18n.js';
import { notifyMessages } from '../../shared/messages/notify.js';
import { smsSegments, toGsm7 } from '../../shared/gsm7.js';
import type { EmailPayload, SmsPayload } from '../store/store.js';

export interface ConfirmationFacts {
  lang: Lang;
  ref: string;
  name: string;
  phone: string;
  practice: { name: string; phone: string; timezone: string };
  dueAt: Date;
  now: Date;
  cancelUrl: string;
  duplicate?: boolean;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** "dès que possible" when due within the next minutes, else the date in the practice's zone. */
export function describeDue(lang: Lang, dueAt: Date, now: Date, timeZone: string, short = false): string {
  const m = notifyMessages[lang];
  if (dueAt.getTime() - now.getTime() < 5 * 60_000) return m.whenNow;
  const date = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone,
    weekday: short ? undefined : 'long',
    day: 'numeric',
    month: short ? '2-digit' : 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(dueAt);
  return format(m.whenAt, { date });
}

export function confirmationEmail(f: ConfirmationFacts): EmailPayload {
  const m = notifyMessages[f.lang];
  const vars = {
    ref: f.ref,
    name: f.name,
    phone: f.phone,
    practice: f.practice.name,
    practicePhone: f.practice.phone,
    when: describeDue(f.lang, f.dueAt, f.now, f.practice.timezone),
    url: f.cancelUrl,
  };
  const paragraphs = [
    format(m.confirmGreeting, vars),
    format(m.confirmBody, vars),
    ...(f.duplicate ? [m.duplicateNote] : []),
    format(m.confirmCancel, vars),
    m.confirmEmergency,
    format(m.confirmSignature, vars),
  ];
  const html = paragraphs
    .map((p) => {
      const escaped = escapeHtml(p);
      const linked = escaped.replace(escapeHtml(f.cancelUrl), `<a href="${escapeHtml(f.cancelUrl)}">${escapeHtml(f.cancelUrl)}</a>`);
      return `<p>${linked}</p>`;
    })
    .join('\n');
  return {
    subject: format(m.confirmSubject, vars),
    text: paragraphs.join('\n\n') + '\n',
    html: `<!doctype html><html lang="${f.lang}"><body>\n${html}\n</body></html>`,
  };
}

/** One GSM-7 segment: French accents outside the GSM alphabet are folded, the practice name shortened if needed. */
export function confirmationSms(f: ConfirmationFacts): SmsPayload {
  const m = notifyMessages[f.lang];
  const when = describeDue(f.lang, f.dueAt, f.now, f.practice.timezone, true);
  const template = f.duplicate ? m.confirmSmsDuplicate : m.confirmSms;
  const build = (practice: string) => toGsm7(format(template, { practice, ref: f.ref, when, url: f.cancelUrl }));
  let body = build(f.practice.name);
  for (let keep = f.practice.name.length - 1; smsSegments(body).segments > 1 && keep > 8; keep--) {
    body = build(f.practice.name.slice(0, keep).trimEnd() + '.');
  }
  return { body };
}
