/** What the hours say to a person, in French or English: the status line, the week's table, the closures ahead. */
import { format, LOCALES, type Lang } from './i18n.js';
import { dayInfo, nextClosing, nextOpening, isOpen, weekdayOf, zonedDate, zonedDateTime, type Hours, type TimeRange, type Weekday } from './hours.js';
import { hoursMessages } from './messages/hours.js';

const DAY = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();
/** A date format made once and kept: building an `Intl.DateTimeFormat` costs a hundred times more than using one. */
export function formatter(lang: Lang, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = lang + timeZone + JSON.stringify(options);
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(LOCALES[lang], { timeZone, ...options })));
  return f;
}

const WEEKDAY: Intl.DateTimeFormatOptions = { weekday: 'long' };
const LONG_DATE: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };

const text = (lang: Lang, key: keyof (typeof hoursMessages)['fr'], vars?: Record<string, string>) => format(hoursMessages[lang][key], vars);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);
/** A calendar date shown by Intl: noon UTC of that date, read in UTC, is that date whatever the zones. */
const dateText = (date: string, lang: Lang, options: Intl.DateTimeFormatOptions) => formatter(lang, 'UTC', options).format(Date.parse(date) + DAY / 2);

/** "à 14:00", "mardi à 08:30" within the week, "lundi 24 août à 08:30" beyond; `24:00` rather than "tomorrow at 00:00". */
function when(instant: Date, today: string, timeZone: string, lang: Lang): string {
  const local = zonedDateTime(instant, timeZone);
  const date = local.slice(0, 10);
  const time = local.slice(11);
  const ahead = daysBetween(today, date);
  if (ahead === 0) return text(lang, 'atTime', { time });
  if (ahead === 1 && time === '00:00') return text(lang, 'atTime', { time: '24:00' });
  return text(lang, 'dayAtTime', { day: dateText(date, lang, ahead < 7 ? WEEKDAY : LONG_DATE), time });
}

/** When `instant` falls as the status line says it, seen from `now` on `timeZone`'s clock: "à 14:00", "mardi à 08:30". */
export const whenText = (instant: Date, now: Date, timeZone: string, lang: Lang): string => when(instant, zonedDate(now, timeZone), timeZone, lang);

/**
 * One line saying whether the practice is open at `at` and until or from when, times in the practice's zone:
 * "Ouvert · ferme à 12:30", "Closed today (Easter Monday) · opens Tuesday at 08:30". When `viewerTimeZone`
 * keeps another clock than the practice's, the line ends with the practice zone's name.
 */
export function statusLine(hours: Hours, at: Date, lang: Lang, viewerTimeZone?: string): string {
  const today = zonedDate(at, hours.timezone);
  let line: string;
  let next: Date | null;
  if (isOpen(hours, at)) {
    next = nextClosing(hours, at);
    line = next ? text(lang, 'open', { when: when(next, today, hours.timezone, lang) }) : text(lang, 'openAlways');
  } else {
    next = nextOpening(hours, at);
    const info = dayInfo(hours, today);
    // "Closed" alone or "Closed today (Easter Monday)", then " · opens …" unless it never does.
    line =
      (info.closedReason && !info.ranges.length ? text(lang, 'closedToday', { reason: info.closedReason.label[lang] }) : text(lang, 'closedDay')) +
      (next ? text(lang, 'opens', { when: when(next, today, hours.timezone, lang) }) : '');
  }
  // Brussels keeps Paris's clock: only a viewer whose clock reads otherwise, now or at the time given, needs the zone.
  if (next && viewerTimeZone && [at, next].some((t) => zonedDateTime(t, viewerTimeZone) !== zonedDateTime(t, hours.timezone))) {
    line += ` (${formatter(lang, hours.timezone, { timeZoneName: 'longGeneric' }).formatToParts(next).find((p) => p.type === 'timeZoneName')!.value})`;
  }
  return line;
}

const rangesText = (ranges: TimeRange[], lang: Lang) =>
  ranges.length
    ? [...ranges]
        .sort((x, y) => (x[0] < y[0] ? -1 : 1))
        .map(([from, to]) => `${from}–${to}`)
        .join(', ')
    : text(lang, 'closedDay');

/**
 * The next seven days, today first, each as it will really be: "Vendredi: Closed (Christmas Day)". Rows are
 * dates, not the usual week, so a patient planning for Friday sees that this Friday is a holiday.
 */
export function weekTable(hours: Hours, at: Date, lang: Lang): { day: Weekday; label: string; ranges: string; today: boolean }[] {
  const start = zonedDate(at, hours.timezone);
  return [0, 1, 2, 3, 4, 5, 6].map((i) => {
    const date = new Date(Date.parse(start) + i * DAY).toISOString().slice(0, 10);
    const { ranges, closedReason } = dayInfo(hours, date);
    const name = dateText(date, lang, WEEKDAY);
    return {
      day: weekdayOf(date),
      label: name[0]!.toUpperCase() + name.slice(1),
      ranges: rangesText(ranges, lang) + (closedReason ? ` (${closedReason.label[lang]})` : ''),
      today: !i,
    };
  });
}

/**
 * Holidays and exceptions of the next `days` days (today included) that change the usual hours, one entry per
 * span: "lundi 6 avril : Lundi de Pâques", "lundi 3 – vendredi 21 août : Congés annuels". A span that started
 * before today is shown from today; one that runs past the window is shown to its end.
 */
export function upcomingClosures(hours: Hours, at: Date, lang: Lang, days = 14): { date: string; label: string }[] {
  const out: { date: string; label: string }[] = [];
  const start = zonedDate(at, hours.timezone);
  const dateAt = (i: number) => new Date(Date.parse(start) + i * DAY).toISOString().slice(0, 10);
  for (let i = 0; i < days; i++) {
    const first = dateAt(i);
    const { closedReason: reason, ranges } = dayInfo(hours, first);
    if (!reason) continue;
    const same = (date: string) => JSON.stringify(dayInfo(hours, date)) === JSON.stringify({ ranges, closedReason: reason });
    let changes = false;
    let last = i;
    for (; last === i || (last - i <= 366 && same(dateAt(last))); last++) {
      if (JSON.stringify(dayInfo(hours, dateAt(last)).ranges) !== JSON.stringify(hours.weekly[weekdayOf(dateAt(last))] ?? [])) changes = true;
    }
    const end = dateAt(last - 1);
    i = last - 1;
    if (!changes) continue;
    const span = end === first ? dateText(first, lang, LONG_DATE) : formatter(lang, 'UTC', LONG_DATE).formatRange(Date.parse(first) + DAY / 2, Date.parse(end) + DAY / 2);
    const what = ranges.length ? `${reason.label[lang]} (${rangesText(ranges, lang)})` : reason.label[lang];
    out.push({ date: first, label: text(lang, 'closure', { date: span, label: what }) });
  }
  return out;
}
