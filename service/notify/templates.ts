/**
 * Every email and SMS the service sends, built from the catalogue. Inputs are identifiers,
 * names and times only: the reason for the call and the operator's message are not parameters,
 * so they cannot reach an SMS, an email or its subject by mistake.
 */
import { format, type Lang } from '../../shared/i18n.js';
import { dueText, type Window } from '../../shared/due-text.js';
import { escapeHtml } from '../../shared/html.js';
import { notifyMessages } from '../../shared/messages/notify.js';
import { smsSegments, toGsm7 } from '../../shared/gsm7.js';
import type { EmailPayload, Practice, SmsPayload } from '../store/store.js';

/** A paragraph of an email; one written in another language than the email's says so, for screen readers. */
export type Paragraph = string | { lang: Lang; text: string };

/**
 * Wraps a word too long for the reader's screen (a practice name without spaces, the cancel link) instead of
 * widening the email. On a div, not on `<body>`, whose styles webmails such as Gmail drop; `word-break` for
 * the mail apps that predate `overflow-wrap: anywhere`.
 */
const WRAPPING = 'overflow-wrap:anywhere;word-break:break-word';

/**
 * The text and HTML bodies of an email made of `paragraphs`, in `lang`. Every occurrence of
 * `linkUrl` becomes a link in the HTML; everything else is escaped text. In the HTML, the spaces of
 * each of `keepWhole` (phone numbers) become non-breaking, so a number is never split across lines.
 */
export function emailOf(paragraphs: readonly Paragraph[], lang: Lang, linkUrl?: string, keepWhole: readonly string[] = []): Omit<EmailPayload, 'subject'> {
  const texts = paragraphs.map((p) => (typeof p === 'string' ? p : p.text));
  const url = linkUrl ? escapeHtml(linkUrl) : undefined;
  // Only a value with a space can be broken; a URL never holds one, so the link below still finds itself.
  const whole = keepWhole.filter((value) => / /.test(value)).map(escapeHtml);
  const html = paragraphs
    .map((p) => {
      let escaped = escapeHtml(typeof p === 'string' ? p : p.text);
      for (const value of whole) escaped = escaped.split(value).join(value.replace(/ /g, '&nbsp;'));
      // split/join rather than replace: a URL holding `$&` or `$'` would be read as a replacement pattern.
      const linked = url ? escaped.split(url).join(`<a href="${url}">${url}</a>`) : escaped;
      return typeof p === 'string' || p.lang === lang ? `<p>${linked}</p>` : `<p lang="${p.lang}">${linked}</p>`;
    })
    .join('\n');
  return { text: texts.join('\n\n') + '\n', html: `<!doctype html><html lang="${lang}"><body>\n<div style="${WRAPPING}">\n${html}\n</div>\n</body></html>` };
}

/** Shortest the practice name gets: below this a patient would no longer recognise it, two segments are better. */
const MIN_PRACTICE_NAME = 8;

/**
 * `build(practiceName)` folded to GSM-7 and fitted to one SMS segment by shortening the practice
 * name ("Cabinet de kinésithérapie du Parc" → "Cabinet de kinésithérapie d."); the only
 * free-length part of our SMS is that name, so it is the one to give way.
 */
export function fitOneSegment(build: (practice: string) => string, practiceName: string): string {
  const chars = Array.from(practiceName);
  let body = toGsm7(build(practiceName));
  for (let keep = chars.length - 1; smsSegments(body).segments > 1 && keep >= MIN_PRACTICE_NAME; keep--) {
    body = toGsm7(build(chars.slice(0, keep).join('').trimEnd() + '.'));
  }
  return body;
}

export interface ConfirmationFacts {
  lang: Lang;
  ref: string;
  name: string;
  phone: string;
  practice: { name: string; phone: string; timezone: string };
  dueAt: Date;
  /** The window the patient chose, when the request is due within it: the messages name the window ("demain entre 14:00 et 19:00"). */
  window?: Window | undefined;
  now: Date;
  cancelUrl: string;
  duplicate?: boolean;
}

/** The patient's confirmation email, with the link to see or cancel the request. */
export function confirmationEmail(f: ConfirmationFacts): EmailPayload {
  const m = notifyMessages[f.lang];
  const vars = {
    ref: f.ref,
    name: f.name,
    phone: f.phone,
    practice: f.practice.name,
    practicePhone: f.practice.phone,
    when: dueText(f.dueAt, f.window, f.now, f.practice.timezone, f.lang),
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
  return { subject: format(m.confirmSubject, vars), ...emailOf(paragraphs, f.lang, f.cancelUrl, [f.phone, f.practice.phone]) };
}

/** The patient's confirmation SMS, one GSM-7 segment. */
export function confirmationSms(f: ConfirmationFacts): SmsPayload {
  const m = notifyMessages[f.lang];
  const when = dueText(f.dueAt, f.window, f.now, f.practice.timezone, f.lang, true);
  const template = f.duplicate ? m.confirmSmsDuplicate : m.confirmSms;
  return { body: fitOneSegment((practice) => format(template, { practice, ref: f.ref, when, url: f.cancelUrl }), f.practice.name) };
}

/**
 * "A message awaits" for the practitioner: the practice's name and a link to the console, nothing
 * about the patient or the call. The practice record has no language, so it is written in both,
 * French first, in one email.
 */
export function practitionerNotice(practice: Pick<Practice, 'name'>, publicUrl: string): EmailPayload {
  const url = `${publicUrl}/console/#/messages`;
  const vars = { practice: practice.name, url };
  const { fr, en } = notifyMessages;
  const subject = `${fr.practitionerSubject} / ${en.practitionerSubject} – ${practice.name}`;
  const paragraphs: Paragraph[] = [
    format(fr.practitionerBody, vars),
    fr.practitionerSignature,
    { lang: 'en', text: format(en.practitionerBody, vars) },
    { lang: 'en', text: en.practitionerSignature },
  ];
  return { subject, ...emailOf(paragraphs, 'fr', url) };
}

/** To an account's owner, once an hour at most, when strangers' failed sign-ins brake the account (French, then English). */
export function signinAlert(email: string, publicUrl: string): EmailPayload {
  const url = `${publicUrl}/console/`;
  const vars = { email, url };
  const { fr, en } = notifyMessages;
  const paragraphs: Paragraph[] = [
    format(fr.signinAlertBody, vars),
    fr.practitionerSignature,
    { lang: 'en', text: format(en.signinAlertBody, vars) },
    { lang: 'en', text: en.practitionerSignature },
  ];
  return { subject: `${fr.signinAlertSubject} / ${en.signinAlertSubject}`, ...emailOf(paragraphs, 'fr', url) };
}

/** What the patient's "we tried to reach you" may say. */
export interface TriedFacts {
  lang: Lang;
  ref: string;
  name: string;
  practice: Pick<Practice, 'name' | 'phone'>;
}

/** The patient's "we tried to reach you" email, after the third call without a conversation. */
export function triedEmail(f: TriedFacts): EmailPayload {
  const m = notifyMessages[f.lang];
  const vars = { name: f.name, ref: f.ref, practice: f.practice.name, practicePhone: f.practice.phone };
  const paragraphs = [format(m.triedGreeting, vars), format(m.triedBody, vars), m.triedEmergency, format(m.triedSignature, vars)];
  return { subject: format(m.triedSubject, vars), ...emailOf(paragraphs, f.lang, undefined, [f.practice.phone]) };
}

/** The same as `triedEmail`, one GSM-7 segment. */
export function triedSms(f: TriedFacts): SmsPayload {
  const m = notifyMessages[f.lang];
  return { body: fitOneSegment((practice) => format(m.triedSms, { practice, ref: f.ref, practicePhone: f.practice.phone }), f.practice.name) };
}
