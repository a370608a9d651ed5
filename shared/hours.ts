/** Opening hours of a practice: weekly ranges, holidays and dated exceptions, evaluated in the practice's time zone. */
import { hoursMessages, type HolidayKey } from './messages/hours.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** `["08:30", "12:30"]`: wall-clock, half-open; `end < start` runs past midnight. */
export type TimeRange = [start: string, end: string];

export interface Hours {
  timezone: string;
  weekly: Partial<Record<Weekday, TimeRange[]>>;
  /** `region` typed as shared/hours-schema.ts accepts it, so a stored schedule types as the answers' schema. */
  holidays?: { country: 'FR'; region?: HolidayRegion | null; closed: boolean };
  exceptions?: { from: string; to: string; hours: TimeRange[]; label?: { fr?: string; en?: string } }[];
}

/**
 * The regions whose public holidays differ from the national list: Alsace-Moselle's two extra days, and the overseas
 * departments and collectivities, each with its abolition-of-slavery day (law 83-550 of 30 June 1983, dates set by decree).
 */
export const HOLIDAY_REGIONS = ['alsace-moselle', 'guadeloupe', 'guyane', 'la-reunion', 'martinique', 'mayotte', 'saint-barthelemy', 'saint-martin'] as const;
export type HolidayRegion = (typeof HOLIDAY_REGIONS)[number];

/** Month and day of each overseas region's abolition-of-slavery day. */
const ABOLITION_DAY = new Map<string, [month: number, day: number]>([
  ['mayotte', [4, 27]],
  ['martinique', [5, 22]],
  ['guadeloupe', [5, 27]],
  ['saint-martin', [5, 28]],
  ['guyane', [6, 10]],
  ['saint-barthelemy', [10, 9]],
  ['la-reunion', [12, 20]],
] satisfies [HolidayRegion, [number, number]][]);

/** Monday first, as French calendars print it. */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface Label {
  fr: string;
  en: string;
}

/** A public holiday: `name` in French (as SPEC lists it), `label` in both languages. */
export interface Holiday {
  date: string;
  name: string;
  label: Label;
}

/** What applies on one calendar day after precedence. `closedReason` is set when an exception or a holiday decides the day (a short day keeps its ranges). */
export interface DayInfo {
  ranges: TimeRange[];
  closedReason?: { kind: 'holiday' | 'exception'; label: Label };
}

const DAY = 86_400_000;
const MINUTE = 60_000;
/** The state-change searches look this many days ahead of `at` (SPEC: at most 366). */
const HORIZON = 366;

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** Wall clock of instant `t` in `timeZone`, expressed as UTC milliseconds (so calendar maths is plain arithmetic). */
function wall(t: number, timeZone: string): number {
  let f = wallFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallFormats.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const { type, value } of f.formatToParts(t)) p[type] = +value;
  const ms = t - Math.floor(t / 1000) * 1000;
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) + ms;
}

const offsets = new Map<string, number>();

/** UTC offset of a zone at midnight UTC of a day; these probe points are shared by neighbouring days, hence the cache. */
function offsetAtMidnight(t: number, timeZone: string): number {
  const key = timeZone + t;
  let o = offsets.get(key);
  if (o === undefined) {
    if (offsets.size > 5000) offsets.clear();
    offsets.set(key, (o = wall(t, timeZone) - t));
  }
  return o;
}

/**
 * The instant a wall-clock time `w` (UTC-style milliseconds) names in `timeZone`.
 * A time skipped by a spring-forward maps to the instant the clock jumps over it; a time the autumn
 * fall-back repeats maps to its first occurrence for a start (`late` false) and its second for an end,
 * so a range stays one continuous interval and never loses part of the hour it names (docs/hours.md).
 */
function instantOf(w: number, timeZone: string, late: boolean): number {
  const day = Math.floor(w / DAY) * DAY;
  // Offsets are at most ±14 h, so every transition that matters lies between these two probes.
  const before = offsetAtMidnight(day - DAY, timeZone);
  const after = offsetAtMidnight(day + 2 * DAY, timeZone);
  if (before === after) return w - before;
  const valid = [w - before, w - after].filter((c) => wall(c, timeZone) === w);
  if (valid.length) return late ? Math.max(...valid) : Math.min(...valid);
  let lo = w - after;
  let hi = w - before;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (wall(mid, timeZone) - mid === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The wall clock at instant `at` in `timeZone`, as `YYYY-MM-DDTHH:MM`. */
export const zonedDateTime = (at: Date, timeZone: string): string => new Date(wall(at.getTime(), timeZone)).toISOString().slice(0, 16);

/**
 * The instants at which `timeZone`'s clock reads `local` (`YYYY-MM-DDTHH:MM`), earliest first: one as a rule,
 * two in the hour an autumn night repeats, none in the hour a spring night skips or for an unreadable value.
 */
export function zonedInstants(local: string, timeZone: string): Date[] {
  const w = Date.parse(`${local}Z`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) || Number.isNaN(w)) return [];
  const day = Math.floor(w / DAY) * DAY;
  // As in instantOf: every transition that matters lies between these two probes.
  const candidates = new Set([w - offsetAtMidnight(day - DAY, timeZone), w - offsetAtMidnight(day + 2 * DAY, timeZone)]);
  return [...candidates]
    .filter((t) => wall(t, timeZone) === w)
    .sort((a, b) => a - b)
    .map((t) => new Date(t));
}

/** The calendar date (YYYY-MM-DD) instant `at` falls on in `timeZone`. */
export const zonedDate = (at: Date, timeZone: string): string => zonedDateTime(at, timeZone).slice(0, 10);

const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);
const addDays = (date: string, n: number) => isoDate(Date.parse(date) + n * DAY);
/** Weekday of a YYYY-MM-DD date, computed on the calendar alone. */
export const weekdayOf = (date: string): Weekday => WEEKDAYS[(new Date(date).getUTCDay() + 6) % 7]!;
/** Minutes since midnight of `HH:MM`; `24:00` is 1440. */
export const minutesOf = (time: string) => +time.slice(0, 2) * 60 + +time.slice(3, 5);

/** Easter Sunday (Gregorian, Meeus/Jones/Butcher) as UTC milliseconds. */
function easter(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - Math.floor(b / 4) - g + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

const label = (key: HolidayKey | 'exceptionClosed' | 'exceptionSpecial'): Label => ({ fr: hoursMessages.fr[key], en: hoursMessages.en[key] });

/**
 * French public holidays of `year` in date order (Code du travail L3133-1, as in force now);
 * `region: "alsace-moselle"` adds Good Friday and 26 December, an overseas region its abolition-of-slavery
 * day (`HOLIDAY_REGIONS`). An unknown region adds nothing: the schema refuses it before it is stored.
 */
export function frenchHolidays(year: number, region?: string | null): Holiday[] {
  const e = easter(year);
  const on = (month: number, day: number) => Date.UTC(year, month - 1, day);
  const list: [number, HolidayKey][] = [
    [on(1, 1), 'newYear'],
    [e + DAY, 'easterMonday'],
    [on(5, 1), 'labour'],
    [on(5, 8), 'victory'],
    [e + 39 * DAY, 'ascension'],
    [e + 50 * DAY, 'whitMonday'],
    [on(7, 14), 'bastille'],
    [on(8, 15), 'assumption'],
    [on(11, 1), 'allSaints'],
    [on(11, 11), 'armistice'],
    [on(12, 25), 'christmas'],
  ];
  if (region === 'alsace-moselle') list.push([e - 2 * DAY, 'goodFriday'], [on(12, 26), 'stStephen']);
  const abolition = region ? ABOLITION_DAY.get(region) : undefined;
  if (abolition) list.push([on(...abolition), 'slaveryAbolition']);
  return list.sort((x, y) => x[0] - y[0]).map(([t, key]) => ({ date: isoDate(t), name: hoursMessages.fr[key], label: label(key) }));
}

const holidayYears = new Map<string, Map<string, Label>>();

function holidayOn(date: string, region?: string | null): Label | undefined {
  const key = date.slice(0, 4) + region;
  let byDate = holidayYears.get(key);
  if (!byDate) {
    byDate = new Map(frenchHolidays(+date.slice(0, 4), region).map((h) => [h.date, h.label]));
    holidayYears.set(key, byDate);
  }
  return byDate.get(date);
}

/** The ranges that apply on a calendar day (YYYY-MM-DD in the practice's zone): exception > holiday > weekly. */
export function dayInfo(hours: Hours, date: string): DayInfo {
  for (const x of hours.exceptions ?? []) {
    if (x.from <= date && date <= x.to) {
      const fallback = label(x.hours.length ? 'exceptionSpecial' : 'exceptionClosed');
      const fr = x.label?.fr || x.label?.en || fallback.fr;
      const en = x.label?.en || x.label?.fr || fallback.en;
      return { ranges: x.hours, closedReason: { kind: 'exception', label: { fr, en } } };
    }
  }
  const holiday = hours.holidays?.closed ? holidayOn(date, hours.holidays.region) : undefined;
  if (holiday) return { ranges: [], closedReason: { kind: 'holiday', label: holiday } };
  return { ranges: hours.weekly[weekdayOf(date)] ?? [] };
}

/** The open intervals (instants) of the ranges starting on `date`, sorted by start. */
function intervalsOn(hours: Hours, date: string): [number, number][] {
  const { ranges } = dayInfo(hours, date);
  if (!ranges.length) return [];
  const midnight = Date.parse(date);
  return ranges
    .map(([from, to]): [number, number] => {
      const start = minutesOf(from);
      let end = minutesOf(to);
      if (end <= start) end += 1440;
      return [instantOf(midnight + start * MINUTE, hours.timezone, false), instantOf(midnight + end * MINUTE, hours.timezone, true)];
    })
    // A range wholly inside the hour a spring night skips has no instant at all.
    .filter(([s, e]) => s < e)
    .sort((x, y) => x[0] - y[0]);
}

/** True when the practice is open at `at`. */
export function isOpen(hours: Hours, at: Date): boolean {
  const t = at.getTime();
  const today = zonedDate(at, hours.timezone);
  // A range past midnight belongs to the day before.
  return [addDays(today, -1), today].some((date) => intervalsOn(hours, date).some(([s, e]) => s <= t && t < e));
}

/**
 * Walks the open intervals from the day before `at`, merging those that touch or overlap, and returns the
 * first opening (`want` "open") or closing strictly after `at`; `null` when none within the horizon.
 */
function nextChange(hours: Hours, at: Date, want: 'open' | 'close'): Date | null {
  const t = at.getTime();
  let date = addDays(zonedDate(at, hours.timezone), -1);
  let runEnd = -Infinity;
  for (let i = 0; i <= HORIZON + 1; i++, date = addDays(date, 1)) {
    const intervals = intervalsOn(hours, date);
    for (const [s, e] of intervals) {
      if (s > runEnd) {
        // A closed gap lies before s: the run so far has really ended, and s really opens.
        if (want === 'close' && runEnd > t) return new Date(runEnd);
        if (want === 'open' && s > t) return new Date(s);
      }
      runEnd = Math.max(runEnd, e);
    }
    // Ranges of earlier days end before this empty day is over, and nothing of the next day starts before it is.
    if (!intervals.length && want === 'close' && runEnd > t) return new Date(runEnd);
  }
  return null;
}

/** The next instant strictly after `at` at which the practice opens, or `null` if it never does within 366 days. */
export const nextOpening = (hours: Hours, at: Date): Date | null => nextChange(hours, at, 'open');

/** The next instant strictly after `at` at which the practice closes, or `null` if it never does within 366 days. */
export const nextClosing = (hours: Hours, at: Date): Date | null => nextChange(hours, at, 'close');
