/**
 * Durations and instants as an operator reads them ("12 min", "14:30", "jeu. 27/11 08:30"), on the practice's
 * clock: an operator abroad calls patients who live by the practice's time, so that is the time shown and typed.
 */
import { LOCALES, type Lang } from '../shared/i18n.js';
import { consoleText } from '../shared/messages/console.js';
import { whenText } from '../shared/hours-summary.js';

const MINUTE = 60_000;

/** A span rounded down to the minute: under an hour in minutes, then hours and minutes, then days. */
export function durationText(ms: number, lang: Lang): string {
  const minutes = Math.max(0, Math.floor(ms / MINUTE));
  // Non-breaking spaces: "2 h 05" is one thing to read, never split across lines.
  if (minutes < 60) return `${minutes}\u00a0min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}\u00a0h\u00a0${String(minutes % 60).padStart(2, '0')}`;
  return consoleText(lang, 'days', { n: Math.floor(hours / 24) });
}

/**
 * How people name the clocks of France's overseas practices, whose IANA names are no place anyone says ("Reunion",
 * "Cayenne", "Marigot"), as a whole label: French first, then English.
 */
const OVERSEAS_CLOCKS: Record<string, [fr: string, en: string]> = {
  'Indian/Reunion': ['heure de La Réunion', 'Réunion time'],
  'Indian/Mayotte': ['heure de Mayotte', 'Mayotte time'],
  'America/Martinique': ['heure de la Martinique', 'Martinique time'],
  'America/Guadeloupe': ['heure de la Guadeloupe', 'Guadeloupe time'],
  'America/Cayenne': ['heure de Guyane', 'French Guiana time'],
  'America/St_Barthelemy': ['heure de Saint-Barthélemy', 'Saint Barthélemy time'],
  'America/Marigot': ['heure de Saint-Martin', 'Saint Martin time'],
  'America/Miquelon': ['heure de Saint-Pierre-et-Miquelon', 'Saint Pierre and Miquelon time'],
  'Pacific/Noumea': ['heure de Nouvelle-Calédonie', 'New Caledonia time'],
  'Pacific/Tahiti': ['heure de Tahiti', 'Tahiti time'],
  'Pacific/Marquesas': ['heure des Marquises', 'Marquesas time'],
  'Pacific/Gambier': ['heure des Gambier', 'Gambier time'],
  'Pacific/Wallis': ['heure de Wallis-et-Futuna', 'Wallis and Futuna time'],
};

/** "heure de Paris" / "Paris time", "heure de La Réunion" / "Réunion time": the place a clock is named after. */
export function zoneLabel(timeZone: string, lang: Lang): string {
  const overseas = OVERSEAS_CLOCKS[timeZone];
  if (overseas) return overseas[lang === 'fr' ? 0 : 1];
  return consoleText(lang, 'zoneTime', { city: (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ') });
}

/** "14:30" or "jeu. 27/11 08:30", joined by non-breaking spaces: a time is never split across lines. */
function clockText(at: Date, lang: Lang, withDate: boolean, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    ...(withDate ? { weekday: 'short', day: '2-digit', month: '2-digit' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  })
    .format(at)
    .replace(/ /g, '\u00a0');
}

const dayOf = (at: Date, timeZone: string | undefined) => new Intl.DateTimeFormat('en-CA', { dateStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(at);

/**
 * The time alone when it is today on the practice's clock, else weekday, date and time; followed by
 * "(heure de Paris)" when the viewer's own clock would read otherwise, so nobody calls an hour early.
 * Without a zone (practice unknown) the viewer's clock is used, unlabelled.
 */
export function instantText(iso: string, now: Date, lang: Lang, timeZone?: string): string {
  const at = new Date(iso);
  const withDate = dayOf(at, timeZone) !== dayOf(now, timeZone);
  const text = clockText(at, lang, withDate, timeZone);
  return timeZone && text !== clockText(at, lang, withDate, undefined) ? `${text} (${zoneLabel(timeZone, lang)})` : text;
}

/** " (heure de Paris)" when the viewer's own clock reads `at` otherwise than `timeZone`'s, else nothing. */
function zoneSuffix(at: Date, lang: Lang, timeZone: string | undefined): string {
  return timeZone && clockText(at, lang, true, timeZone) !== clockText(at, lang, true, undefined) ? ` (${zoneLabel(timeZone, lang)})` : '';
}

/** "à 14:00", "mardi à 08:30", "lundi 24 août à 08:30" on the practice's clock, as its status line says a time ahead; labelled like `instantText`. */
export function aheadText(iso: string, now: Date, lang: Lang, timeZone: string): string {
  const at = new Date(iso);
  return whenText(at, now, timeZone, lang) + zoneSuffix(at, lang, timeZone);
}

/** "Reçu le 30/11 à 18:55" on the practice's clock ("30/11/2025" in another year than now's), labelled like `instantText`. */
export function receivedText(iso: string, now: Date, lang: Lang, timeZone?: string): string {
  const at = new Date(iso);
  const sameYear = new Intl.DateTimeFormat('en', { year: 'numeric', ...(timeZone ? { timeZone } : {}) });
  const date = new Intl.DateTimeFormat(LOCALES[lang], {
    day: '2-digit',
    month: '2-digit',
    ...(sameYear.format(at) === sameYear.format(now) ? {} : { year: 'numeric' }),
    ...(timeZone ? { timeZone } : {}),
  }).format(at);
  return consoleText(lang, 'reasonReceived', { date, time: clockText(at, lang, false, timeZone) }) + zoneSuffix(at, lang, timeZone);
}

/**
 * "jeu. 27/11 à 18:55" on the practice's clock, always with its date (a message read days later, an on-call slot a
 * week ahead), "ven. 01/01/2027 à 08:00" in another year than now's; labelled like `instantText`.
 */
export function dateTimeText(iso: string, lang: Lang, timeZone?: string, now = new Date()): string {
  const at = new Date(iso);
  const zone = timeZone ? { timeZone } : {};
  const year = new Intl.DateTimeFormat('en', { year: 'numeric', ...zone });
  const date = new Intl.DateTimeFormat(LOCALES[lang], {
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    ...(year.format(at) === year.format(now) ? {} : { year: 'numeric' }),
    ...zone,
  })
    .format(at)
    .replace(/ /g, '\u00a0');
  return consoleText(lang, 'messageAt', { date, time: clockText(at, lang, false, timeZone) }) + zoneSuffix(at, lang, timeZone);
}

/** The wall clock of `timeZone` at `at`, as fields. */
function wallClock(at: Date, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return { y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour!, mi: parts.minute! };
}

/** How far `timeZone`'s clock is ahead of UTC at `at`, to the minute. */
function offsetMs(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi) - Math.floor(at.getTime() / MINUTE) * MINUTE;
}

/** A `datetime-local` value for an instant, on `timeZone`'s clock. */
export function toZonedInput(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.y}-${two(w.mo)}-${two(w.d)}T${two(w.h)}:${two(w.mi)}`;
}

/**
 * The instant a `datetime-local` value means on `timeZone`'s clock, as ISO UTC; undefined when empty or unreadable.
 * The offset is taken twice, the second time at the instant found, so a value just past a DST change lands right.
 */
export function fromZonedInput(value: string, timeZone: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(wall)) return undefined;
  const guess = wall - offsetMs(new Date(wall), timeZone);
  return new Date(wall - offsetMs(new Date(guess), timeZone)).toISOString();
}
