// Saving a practice's hours: a bad schedule is refused with the field to fix named by its path.
import { describe, expect, it } from 'vitest';
import { validateHours } from '../../shared/hours-schema.js';
import { HOLIDAY_REGIONS } from '../../shared/hours.js';

const good = {
  timezone: 'Europe/Paris',
  weekly: { mon: [['08:30', '12:30'], ['14:00', '19:00']], fri: [['20:00', '08:00']], sat: [['08:00', '12:00']], sun: [] },
  holidays: { country: 'FR', region: 'alsace-moselle', closed: true },
  exceptions: [{ from: '2026-08-03', to: '2026-08-21', hours: [], label: { fr: 'Congés annuels', en: 'Annual leave' } }],
};
const withWeekly = (weekly: object) => ({ ...good, weekly });
const withException = (exception: object) => ({ ...good, exceptions: [...good.exceptions, { from: '2026-12-24', to: '2026-12-24', hours: [], ...exception }] });

describe('validateHours', () => {
  it('accepts the SPEC schedule, touching ranges, 24:00 and a night into the next day', () => {
    expect(validateHours(good)).toEqual({ ok: true, hours: good });
    expect(validateHours(withWeekly({ tue: [['00:00', '12:00'], ['12:00', '24:00']], wed: [['22:00', '06:00']], thu: [['06:00', '10:00']] })).ok).toBe(true);
  });

  it.each([null, ...HOLIDAY_REGIONS])('accepts the holiday region %s', (region) => {
    const hours = { ...good, timezone: 'Indian/Reunion', holidays: { country: 'FR', region, closed: true } };
    expect(validateHours(hours)).toEqual({ ok: true, hours });
  });

  it.each<[string, unknown, Record<string, string>]>([
    ['an unknown time zone', { ...good, timezone: 'Europe/Pariss' }, { timezone: 'invalid_timezone' }],
    ['a missing time zone and week', { holidays: good.holidays }, { timezone: 'required', weekly: 'required' }],
    ['a malformed time', withWeekly({ mon: [['8:30', '12:30']] }), { 'weekly.mon.0': 'invalid_time' }],
    ['minutes past 59', withWeekly({ tue: [['08:60', '12:00']] }), { 'weekly.tue.0': 'invalid_time' }],
    ['a range starting at 24:00', withWeekly({ tue: [['24:00', '02:00']] }), { 'weekly.tue.0': 'invalid_time' }],
    ['a time past 24:00', withWeekly({ tue: [['08:00', '24:30']] }), { 'weekly.tue.0': 'invalid_time' }],
    ['a range ending where it starts', withWeekly({ wed: [['10:00', '10:00']] }), { 'weekly.wed.0': 'empty_range' }],
    ['overlapping ranges of a day, naming the later one', withWeekly({ mon: [['14:00', '19:00'], ['08:30', '14:30']] }), { 'weekly.mon.0': 'overlap' }],
    ['a night running into the next day’s hours', withWeekly({ fri: [['20:00', '08:00']], sat: [['07:30', '12:00']] }), { 'weekly.sat.0': 'overlap' }],
    ['a Sunday night running into Monday', withWeekly({ sun: [['22:00', '09:00']], mon: [['08:30', '12:30']] }), { 'weekly.mon.0': 'overlap' }],
    ['an unknown weekday', withWeekly({ lun: [] }), { 'weekly.lun': 'unknown_field' }],
    ['an unknown region', { ...good, holidays: { country: 'FR', region: 'bretagne', closed: true } }, { 'holidays.region': 'unknown_region' }],
    ['an exception whose to is before its from', withException({ from: '2026-12-24', to: '2026-12-20' }), { 'exceptions.1.to': 'before_from' }],
    ['an impossible date', withException({ from: '2026-02-30', to: '2026-03-01' }), { 'exceptions.1.from': 'invalid_date' }],
    ['exceptions on the same day', withException({ from: '2026-08-21', to: '2026-08-22' }), { 'exceptions.1.from': 'overlap' }],
    ['overlapping ranges on an exception day', withException({ hours: [['08:00', '12:00'], ['11:00', '13:00']] }), { 'exceptions.1.hours.1': 'overlap' }],
    ['a label too long', withException({ label: { fr: 'x'.repeat(101) } }), { 'exceptions.1.label.fr': 'too_long' }],
    ['an unknown top-level field', { ...good, open: true }, { open: 'unknown_field' }],
  ])('refuses %s', (_, input, fields) => {
    expect(validateHours(input)).toEqual({ ok: false, fields });
  });
});
