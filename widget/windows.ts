/** The callback windows a patient may pick: the practice's remaining opening periods today and tomorrow. */
import { isOpen, nextClosing, nextOpening, zonedDate, type Hours } from '../shared/hours.js';
import type { Lang } from '../shared/i18n.js';
import { widgetText } from '../shared/messages/widget.js';
import { nextDate, relativeDay, timeInZone } from './time.js';

export interface CallbackWindow {
  from: Date;
  to: Date;
  label: string;
}

const QUARTER = 15 * 60_000;
/** No more than this many choices: a long list on a phone helps nobody. */
const MAX_WINDOWS = 4;

/**
 * Opening periods from `now` to the end of tomorrow (practice's calendar), the one under way starting at the next quarter hour.
 * Periods shorter than a quarter hour are left out: nobody can be promised a call in them.
 */
export function callbackWindows(hours: Hours, now: Date, lang: Lang): CallbackWindow[] {
  const zone = hours.timezone;
  const lastDay = nextDate(zonedDate(now, zone));
  const windows: CallbackWindow[] = [];
  let at = new Date(Math.ceil(now.getTime() / QUARTER) * QUARTER);
  while (windows.length < MAX_WINDOWS) {
    const from = isOpen(hours, at) ? at : nextOpening(hours, at);
    if (!from || zonedDate(from, zone) > lastDay) break;
    const to = nextClosing(hours, from);
    if (!to) break;
    if (to.getTime() - from.getTime() >= QUARTER) {
      windows.push({
        from,
        to,
        label: capitalize(
          widgetText(lang, 'windowSlot', { day: relativeDay(from, now, zone, lang), from: timeInZone(from, zone), to: timeInZone(to, zone) }),
        ),
      });
    }
    at = to;
  }
  return windows;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
