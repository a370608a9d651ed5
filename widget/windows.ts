/** The callback windows a patient may pick: the practice's opening periods of today and tomorrow, or of its reopening day and the next. */
import { isOpen, nextClosing, nextOpening, zonedDate, type Hours } from '../shared/hours.js';
import type { Lang } from '../shared/i18n.js';
import { windowText } from '../shared/due-text.js';
import { nextDate } from './time.js';

export interface CallbackWindow {
  from: Date;
  to: Date;
  /** "Demain entre 14:00 et 19:00": the very words the receipt and the confirmation will use. */
  label: string;
}

const QUARTER = 15 * 60_000;
/** No more than this many choices: a long list on a phone helps nobody. */
const MAX_WINDOWS = 4;

/**
 * Opening periods from the first moment the practice can call (the next quarter hour while open, its reopening while
 * closed) to the end of the day after that one, on the practice's calendar; the period under way starts at the next
 * quarter hour. Periods shorter than a quarter hour are left out: nobody can be promised a call in them.
 */
export function callbackWindows(hours: Hours, now: Date, lang: Lang): CallbackWindow[] {
  const zone = hours.timezone;
  const windows: CallbackWindow[] = [];
  let at = new Date(Math.ceil(now.getTime() / QUARTER) * QUARTER);
  const first = isOpen(hours, at) ? at : nextOpening(hours, at);
  if (!first) return windows;
  const lastDay = nextDate(zonedDate(first, zone));
  while (windows.length < MAX_WINDOWS) {
    const from = isOpen(hours, at) ? at : nextOpening(hours, at);
    if (!from || zonedDate(from, zone) > lastDay) break;
    const to = nextClosing(hours, from);
    if (!to) break;
    if (to.getTime() - from.getTime() >= QUARTER) {
      const label = windowText(from, to, now, zone, lang);
      windows.push({ from, to, label: label.charAt(0).toUpperCase() + label.slice(1) });
    }
    at = to;
  }
  return windows;
}
