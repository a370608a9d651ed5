/**
 * The check a schedule passes before a practice is saved: every problem is named by its path
 * (`weekly.mon.1`, `exceptions.0.to`) so the service can answer 400 with the field to fix.
 */
import * as z from 'zod/mini';
import { HOLIDAY_REGIONS, WEEKDAYS, minutesOf, type Hours, type Weekday } from './hours.js';
import type { HoursErrorCode } from './messages/hours.js';
import { fieldErrors } from './field-errors.js';
import { singleLineText } from './text.js';

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a time zone this runtime knows (an IANA name such as `Europe/Paris`). */
export const validTimeZone = (timeZone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
};
const validDate = (v: string) => DATE.test(v) && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString().startsWith(v);

/** A range's span in minutes from its day's midnight; past midnight runs into the next day. */
const span = ([from, to]: readonly [string, string]): [number, number] => {
  const start = minutesOf(from);
  const end = minutesOf(to);
  return [start, end <= start ? end + 1440 : end];
};

const range = z.tuple([z.string(), z.string()]).check(
  z.superRefine(([from, to], ctx) => {
    if (!TIME.test(from) || !TIME.test(to) || from === '24:00') ctx.addIssue({ code: 'custom', message: 'invalid_time', input: [from, to] });
    else if (minutesOf(from) === minutesOf(to))
      ctx.addIssue({ code: 'custom', message: 'empty_range', input: [from, to] });
  }),
);

/** Reports, for each pair of intervals that overlap, the one that starts later (`where` gives its path). */
function overlaps(intervals: { at: [number, number]; where: PropertyKey[] }[], ctx: z.core.$RefinementCtx<unknown>) {
  intervals.sort((x, y) => x.at[0] - y.at[0]);
  let reach = -Infinity;
  const reported = new Set<string>();
  for (const { at, where } of intervals) {
    const key = where.join('.');
    if (at[0] < reach && !reported.has(key)) {
      reported.add(key);
      ctx.addIssue({ code: 'custom', message: 'overlap', path: where, input: at });
    }
    reach = Math.max(reach, at[1]);
  }
}

const dayRanges = z.array(range).check(
  z.maxLength(12),
  z.superRefine((ranges, ctx) => overlaps(ranges.map((r, i) => ({ at: span(r), where: [i] })), ctx)),
);

const weekly = z
  .strictObject(Object.fromEntries(WEEKDAYS.map((day) => [day, z.optional(z.array(range).check(z.maxLength(12)))])) as Record<Weekday, z.ZodMiniOptional<z.ZodMiniArray<typeof range>>>)
  .check(
    z.superRefine((week, ctx) => {
      // One timeline for the week, plus next Monday, so a Friday night range that runs into Saturday's hours is caught too.
      const intervals: { at: [number, number]; where: PropertyKey[] }[] = [];
      WEEKDAYS.forEach((day, d) =>
        (week[day] ?? []).forEach((r, i) => {
          const [start, end] = span(r);
          intervals.push({ at: [d * 1440 + start, d * 1440 + end], where: [day, i] });
          if (d === 0) intervals.push({ at: [7 * 1440 + start, 7 * 1440 + end], where: [day, i] });
        }),
      );
      overlaps(intervals, ctx);
    }),
  );

const date = z.string().check(z.refine(validDate, 'invalid_date'));
const labelText = z.optional(singleLineText(100, 0));

const exception = z
  .strictObject({ from: date, to: date, hours: dayRanges, label: z.optional(z.strictObject({ fr: labelText, en: labelText })) })
  .check(z.refine((x) => x.from <= x.to, { path: ['to'], message: 'before_from' }));

/** The opening hours JSON of SPEC ("Opening hours"), checked as a practice is saved. */
export const hoursSchema = z.strictObject({
  timezone: z.string().check(z.maxLength(64), z.refine(validTimeZone, 'invalid_timezone')),
  weekly,
  holidays: z.optional(
    z.strictObject({ country: z.literal('FR'), region: z.optional(z.nullable(z.enum(HOLIDAY_REGIONS))), closed: z.boolean() }),
  ),
  exceptions: z.optional(
    z.array(exception).check(
      z.maxLength(200),
      z.superRefine((list, ctx) => {
        // An exception replaces whole days, so two on the same day would leave the day undecided.
        const days = (v: string) => Date.parse(v) / 86_400_000;
        overlaps(
          list.filter((x) => x.from <= x.to).map((x) => ({ at: [days(x.from), days(x.to) + 1], where: [list.indexOf(x), 'from'] })),
          ctx,
        );
      }),
    ),
  ),
});

/** Checks a schedule; on failure, one code per dotted path (`weekly.mon.1`: "overlap"), the first problem of each winning. */
export function validateHours(input: unknown): { ok: true; hours: Hours } | { ok: false; fields: Record<string, HoursErrorCode> } {
  const result = hoursSchema.safeParse(input);
  if (result.success) return { ok: true, hours: result.data };
  // Every code the hours schema raises is an hours code (its refinements name them), so the cast only narrows.
  return { ok: false, fields: fieldErrors(result.error.issues, input, Infinity) as Record<string, HoursErrorCode> };
}
