/** Dates as the patient reads them: in the practice's time zone, whatever the zone of the patient's phone. */
import { zonedDate, zonedDateTime } from '../shared/hours.js';
import { LOCALES, type Lang } from '../shared/i18n.js';
import { widgetText } from './messages.js';

const MINUTE = 60_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-03-02T14:00:00+01:00`: the instant written in `timeZone`'s wall clock with its offset, as the API asks. */
export function isoInZone(at: Date, timeZone: string): string {
  const minute = Math.floor(at.getTime() / MINUTE) * MINUTE;
  const wall = zonedDateTime(new Date(minute), timeZone);
  const offset = Math.round((Date.parse(`${wall}:00Z`) - minute) / MINUTE);
  const abs = Math.abs(offset);
  return `${wall}:${pad(at.getUTCSeconds())}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** `14:00` on the practice's clock. */
export const timeInZone = (at: Date, timeZone: string): string => zonedDateTime(at, timeZone).slice(11, 16);

/** `lundi 3 mars à 08:30` / `Monday 3 March at 08:30`, in `timeZone`. */
export function dayAndTime(at: Date, timeZone: string, lang: Lang): string {
  const day = at.toLocaleDateString(LOCALES[lang], { timeZone, weekday: 'long', day: 'numeric', month: 'long' });
  return widgetText(lang, 'dayAt', { day, time: timeInZone(at, timeZone) });
}

/** The calendar day after `YYYY-MM-DD`; done in UTC so no daylight-saving change moves it. */
export function nextDate(date: string): string {
  const next = new Date(`${date}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** `aujourd'hui`, `demain`, or the weekday, for a date near `now`. */
export function relativeDay(at: Date, now: Date, timeZone: string, lang: Lang): string {
  const day = zonedDate(at, timeZone);
  const today = zonedDate(now, timeZone);
  if (day === today) return widgetText(lang, 'today');
  if (day === nextDate(today)) return widgetText(lang, 'tomorrow');
  return at.toLocaleDateString(LOCALES[lang], { timeZone, weekday: 'long' });
}
