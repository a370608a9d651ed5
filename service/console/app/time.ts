/** Durations and instants as an operator reads them: "12 min", "1 h 05", "14:30", "jeu. 27/11 08:30". */
import { LOCALES, type Lang } from '../../../shared/i18n.js';
import { consoleText } from '../../../shared/messages/console.js';

const MINUTE = 60_000;

/** A span rounded down to the minute: under an hour in minutes, then hours and minutes, then days. */
export function durationText(ms: number, lang: Lang): string {
  const minutes = Math.max(0, Math.floor(ms / MINUTE));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')}`;
  return consoleText(lang, 'days', { n: Math.floor(hours / 24) });
}

/** The time alone when it is today for the viewer, else weekday, date and time. */
export function instantText(iso: string, now: Date, lang: Lang): string {
  const at = new Date(iso);
  const sameDay = at.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(LOCALES[lang], {
    ...(sameDay ? {} : { weekday: 'short', day: '2-digit', month: '2-digit' }),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** A `datetime-local` value (viewer's clock) for an instant. */
export function toLocalInput(at: Date): string {
  const local = new Date(at.getTime() - at.getTimezoneOffset() * MINUTE);
  return local.toISOString().slice(0, 16);
}

/** The instant a `datetime-local` value means on the viewer's clock, as ISO UTC; undefined when empty or unreadable. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}
