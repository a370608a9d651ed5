/** Dates as the patient reads them: in the practice's time zone, whatever the zone of the patient's phone. */
import type { Lang } from '../shared/i18n.js';
import { widgetText } from '../shared/messages/widget.js';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

const locales: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

/** `2026-03-02T14:00:00+01:00`: the instant written in `timeZone`'s wall clock with its offset, as the API asks. */
export function isoInZone(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    formatter('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  // "GMT+01:00", or bare "GMT" at offset zero.
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).slice(3);
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** `YYYY-MM-DD` of `at` in `timeZone`. */
export function dateInZone(at: Date, timeZone: string): string {
  return formatter('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** `14:00` in `timeZone`. */
export function timeInZone(at: Date, timeZone: string, lang: Lang): string {
  return formatter(locales[lang], { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** `lundi 3 mars à 08:30` / `Monday 3 March at 08:30`, in `timeZone`. */
export function dayAndTime(at: Date, timeZone: string, lang: Lang): string {
  const day = formatter(locales[lang], { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(at);
  return widgetText(lang, 'dayAt', { day, time: timeInZone(at, timeZone, lang) });
}

/** The calendar day after `YYYY-MM-DD`; done in UTC so no daylight-saving change moves it. */
export function nextDate(date: string): string {
  const next = new Date(`${date}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** `aujourd'hui`, `demain`, or the weekday, for a date near `now`. */
export function relativeDay(at: Date, now: Date, timeZone: string, lang: Lang): string {
  const day = dateInZone(at, timeZone);
  if (day === dateInZone(now, timeZone)) return widgetText(lang, 'today');
  if (day === nextDate(dateInZone(now, timeZone))) return widgetText(lang, 'tomorrow');
  return formatter(locales[lang], { timeZone, weekday: 'long' }).format(at);
}
