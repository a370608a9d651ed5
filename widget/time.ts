/** Dates as the patient reads them: in the practice's time zone, whatever the zone of the patient's phone. */
import { zonedDateTime } from '../shared/hours.js';

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

/** The calendar day after `YYYY-MM-DD`; done in UTC so no daylight-saving change moves it. */
export function nextDate(date: string): string {
  const next = new Date(`${date}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
