/**
 * When a request will be called back, in words, on the practice's clock and in the patient's language: "demain entre
 * 14:00 et 19:00", "mardi 1 décembre à partir de 08:30", "dès que possible". One wording for the widget, the
 * confirmations and the cancel page, so the patient reads the same promise everywhere.
 */
import { zonedDate, zonedDateTime } from './hours.js';
import { formatter } from './hours-summary.js';
import { format, type Lang } from './i18n.js';
import { dueMessages } from './messages/due.js';

/** A due time closer than this is "as soon as possible": the service answers `dueAt = now` while open, and clocks differ a little. */
export const ASAP_MS = 5 * 60_000;

const DAY = 86_400_000;
const LONG_DAY: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
const SHORT_DAY: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit' };

/** A window as the API writes it (ISO instants) or as the widget holds it. */
export interface Window {
  from: string | Date;
  to: string | Date;
}

/** "aujourd’hui", "demain", else the date ("mardi 1 décembre"; "01/12" when `short`, for an SMS). */
function dayText(at: Date, now: Date, timeZone: string, lang: Lang, short: boolean): string {
  const ahead = Date.parse(zonedDate(at, timeZone)) - Date.parse(zonedDate(now, timeZone));
  if (ahead === 0) return dueMessages[lang].today;
  if (ahead === DAY) return dueMessages[lang].tomorrow;
  return formatter(lang, timeZone, short ? SHORT_DAY : LONG_DAY).format(at);
}

/** "14:00"; an end at midnight after a start on the day before reads "24:00", as opening hours are written. */
function clockText(at: Date, timeZone: string, startedOn?: string): string {
  const local = zonedDateTime(at, timeZone);
  return startedOn && local.endsWith('T00:00') && local.slice(0, 10) !== startedOn ? '24:00' : local.slice(11);
}

/** "demain entre 14:00 et 19:00": the window from `from` to `to`, named by its start's day as seen from `now`. */
export function windowText(from: Date, to: Date, now: Date, timeZone: string, lang: Lang, short = false): string {
  return format(dueMessages[lang].between, {
    day: dayText(from, now, timeZone, lang, short),
    from: clockText(from, timeZone),
    to: clockText(to, timeZone, zonedDate(from, timeZone)),
  });
}

/**
 * When a request due at `dueAt` will be called back: "dès que possible" when that is now; the window when the
 * request is due within the one the patient chose ("demain entre 14:00 et 19:00"); else "{day} à partir de {time}".
 */
export function dueText(dueAt: Date, window: Window | null | undefined, now: Date, timeZone: string, lang: Lang, short = false): string {
  if (dueAt.getTime() - now.getTime() < ASAP_MS) return dueMessages[lang].asap;
  const to = window && new Date(window.to);
  if (to && new Date(window.from) <= dueAt && dueAt < to) return windowText(dueAt, to, now, timeZone, lang, short);
  return format(dueMessages[lang].from, { day: dayText(dueAt, now, timeZone, lang, short), time: clockText(dueAt, timeZone) });
}
