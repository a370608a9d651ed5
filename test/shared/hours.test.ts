// Opening hours: open or closed at an instant, the next change, holidays and precedence — the same answers under every machine TZ.
import { describe, expect, it } from 'vitest';
import { dayInfo, frenchHolidays, isOpen, nextClosing, nextOpening, zonedDate, zonedInstants, type Hours, type TimeRange } from '../../shared/hours.js';

const day = (...ranges: TimeRange[]) => ranges;
const WORKDAY = day(['08:30', '12:30'], ['14:00', '19:00']);

/** The SPEC example: lunch break, Saturday morning, holidays closed, three weeks of summer leave. */
const cabinet: Hours = {
  timezone: 'Europe/Paris',
  weekly: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY, sat: day(['08:30', '12:00']), sun: [] },
  holidays: { country: 'FR', region: null, closed: true },
  exceptions: [{ from: '2026-08-03', to: '2026-08-21', hours: [], label: { fr: 'Congés annuels', en: 'Annual leave' } }],
};
const alsace: Hours = { ...cabinet, holidays: { country: 'FR', region: 'alsace-moselle', closed: true } };
/** On call from Friday evening to Saturday morning. */
const fridayNight: Hours = { timezone: 'Europe/Paris', weekly: { fri: day(['20:00', '08:00']) }, holidays: { country: 'FR', closed: true } };
const saturdayNight: Hours = { timezone: 'Europe/Paris', weekly: { sat: day(['20:00', '08:00']) } };
const daily: Hours = { timezone: 'Europe/Paris', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, day(['08:00', '20:00'])])) };
/** Two ranges meeting inside the hour a DST night skips or repeats. */
const dstNight: Hours = { timezone: 'Europe/Paris', weekly: { sun: day(['01:00', '02:30'], ['02:30', '04:00']) } };
/** A range lying wholly in the skipped/repeated hour. */
const inTheGap: Hours = { timezone: 'Europe/Paris', weekly: { sun: day(['02:15', '02:45']) } };
const allDay = day(['00:00', '24:00']);
const always: Hours = { timezone: 'Europe/Paris', weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, holidays: { country: 'FR', closed: false } };
const alwaysButSummer: Hours = { ...always, exceptions: cabinet.exceptions! };
const never: Hours = { timezone: 'Europe/Paris', weekly: {} };
const oneDayOnly: Hours = { timezone: 'Europe/Paris', weekly: {}, exceptions: [{ from: '2026-06-01', to: '2026-06-01', hours: day(['09:00', '12:00']) }] };
const tooFar: Hours = { timezone: 'Europe/Paris', weekly: {}, exceptions: [{ from: '2028-01-03', to: '2028-01-03', hours: day(['09:00', '12:00']) }] };
const newYork: Hours = { timezone: 'America/New_York', weekly: daily.weekly };
/** Overseas practices: their own clock, and their abolition-of-slavery day added to the national list. */
const reunion: Hours = { ...cabinet, timezone: 'Indian/Reunion', holidays: { country: 'FR', region: 'la-reunion', closed: true } };
const martinique: Hours = { ...cabinet, timezone: 'America/Martinique', holidays: { country: 'FR', region: 'martinique', closed: true } };
const nationalOnly = (hours: Hours): Hours => ({ ...hours, holidays: { country: 'FR', region: null, closed: true } });

describe('isOpen', () => {
  it.each<[string, Hours, string, boolean]>([
    ['opens at 08:30 sharp', cabinet, '2026-04-07T06:30:00Z', true],
    ['is closed a second before 08:30', cabinet, '2026-04-07T06:29:59Z', false],
    ['is open a second before the lunch break', cabinet, '2026-04-07T10:29:59Z', true],
    ['is closed at 12:30, the end being exclusive', cabinet, '2026-04-07T10:30:00Z', false],
    ['is closed a second before 14:00', cabinet, '2026-04-07T11:59:59Z', false],
    ['reopens at 14:00', cabinet, '2026-04-07T12:00:00Z', true],
    ['is closed on Sunday', cabinet, '2026-04-05T09:00:00Z', false],
    ['is closed on Easter Monday', cabinet, '2026-04-06T08:00:00Z', false],
    ['is closed on Ascension Thursday', cabinet, '2026-05-14T08:00:00Z', false],
    ['is closed on Whit Monday', cabinet, '2026-05-25T08:00:00Z', false],
    ['is closed on Christmas, a Friday', cabinet, '2026-12-25T10:00:00Z', false],
    ['opens on Good Friday outside Alsace-Moselle', cabinet, '2026-04-03T08:00:00Z', true],
    ['closes on Good Friday in Alsace-Moselle', alsace, '2026-04-03T08:00:00Z', false],
    ['opens on 26 December outside Alsace-Moselle', cabinet, '2026-12-26T08:00:00Z', true],
    ['closes on 26 December in Alsace-Moselle', alsace, '2026-12-26T08:00:00Z', false],
    ['closes on 20 December in La Réunion (Monday 10:00, Indian/Reunion)', reunion, '2027-12-20T06:00:00Z', false],
    ['opens on 20 December in Réunion’s zone with the national list', nationalOnly(reunion), '2027-12-20T06:00:00Z', true],
    ['closes on 22 May in Martinique (Friday 10:00, America/Martinique)', martinique, '2026-05-22T14:00:00Z', false],
    ['opens on 22 May in Martinique’s zone with the national list', nationalOnly(martinique), '2026-05-22T14:00:00Z', true],
    ['is open in Martinique at 18:30 on 21 May, already 22 May in UTC and Paris', martinique, '2026-05-21T22:30:00Z', true],
    ['is closed in the middle of the summer closure', cabinet, '2026-08-12T08:00:00Z', false],
    ['is open the Saturday after the summer closure', cabinet, '2026-08-22T07:00:00Z', true],
    ['is closed a second before Friday 20:00', fridayNight, '2026-04-10T17:59:59Z', false],
    ['is open Friday at 20:00', fridayNight, '2026-04-10T18:00:00Z', true],
    ['is still open Saturday at 07:59 (range of Friday)', fridayNight, '2026-04-11T05:59:00Z', true],
    ['closes Saturday at 08:00', fridayNight, '2026-04-11T06:00:00Z', false],
    ['keeps Friday night open into a Saturday holiday (15 August)', fridayNight, '2026-08-15T03:00:00Z', true],
    ['drops the night that starts on a Friday holiday (Christmas)', fridayNight, '2026-12-25T20:00:00Z', false],
    ['is open at 01:59 CET before the spring jump', dstNight, '2026-03-29T00:59:59Z', true],
    ['is open at 03:00 CEST right after the spring jump', dstNight, '2026-03-29T01:00:00Z', true],
    ['is open through the repeated autumn hour', dstNight, '2026-10-25T01:15:00Z', true],
    ['never opens a range lying in the skipped hour', inTheGap, '2026-03-29T01:00:00Z', false],
    ['opens a range lying in the repeated hour from its first 02:15 (CEST)', inTheGap, '2026-10-25T00:15:00Z', true],
    ['keeps it open until its second 02:45 (CET)', inTheGap, '2026-10-25T01:44:59Z', true],
    ['closes at the second 02:45 (CET)', inTheGap, '2026-10-25T01:45:00Z', false],
    ['is open 24/7 at any instant', always, '2026-03-29T01:30:00Z', true],
    ['is open 24/7 on a holiday when holidays are not closed', always, '2026-12-25T12:00:00Z', true],
    ['is never open when no day has hours', never, '2026-04-07T10:00:00Z', false],
    ['reads New York hours in New York time (08:00 EDT)', newYork, '2026-03-08T12:00:00Z', true],
    ['is closed at 07:59 EDT in New York', newYork, '2026-03-08T11:59:00Z', false],
  ])('%s', (_, hours, at, expected) => {
    expect(isOpen(hours, new Date(at))).toBe(expected);
  });
});

describe('nextOpening and nextClosing', () => {
  it.each<[string, Hours, string, string | null, string | null]>([
    ['from lunch: reopens at 14:00, closes at 19:00', cabinet, '2026-04-07T10:30:00Z', '2026-04-07T12:00:00Z', '2026-04-07T17:00:00Z'],
    ['from the morning: closes for lunch at 12:30', cabinet, '2026-04-07T10:00:00Z', '2026-04-07T12:00:00Z', '2026-04-07T10:30:00Z'],
    ['at the very opening instant: the next opening is the afternoon', cabinet, '2026-04-07T06:30:00Z', '2026-04-07T12:00:00Z', '2026-04-07T10:30:00Z'],
    ['on Easter Saturday afternoon: skips Sunday and Easter Monday', cabinet, '2026-04-04T12:00:00Z', '2026-04-07T06:30:00Z', '2026-04-07T10:30:00Z'],
    ['on Easter Monday: opens Tuesday', cabinet, '2026-04-06T08:00:00Z', '2026-04-07T06:30:00Z', '2026-04-07T10:30:00Z'],
    ['the evening before Ascension: opens Friday', cabinet, '2026-05-13T17:30:00Z', '2026-05-15T06:30:00Z', '2026-05-15T10:30:00Z'],
    ['on Whit Monday: opens Tuesday', cabinet, '2026-05-25T08:00:00Z', '2026-05-26T06:30:00Z', '2026-05-26T10:30:00Z'],
    ['on Christmas Eve evening (winter time): closes at 19:00 CET', cabinet, '2026-12-24T17:00:00Z', '2026-12-26T07:30:00Z', '2026-12-24T18:00:00Z'],
    ['on Christmas, a Friday: opens Saturday', cabinet, '2026-12-25T10:00:00Z', '2026-12-26T07:30:00Z', '2026-12-26T11:00:00Z'],
    ['on Christmas in Alsace-Moselle: skips 26 December too', alsace, '2026-12-25T10:00:00Z', '2026-12-28T07:30:00Z', '2026-12-28T11:30:00Z'],
    ['on 20 December in La Réunion: opens Tuesday 08:30 (UTC+4)', reunion, '2027-12-20T06:00:00Z', '2027-12-21T04:30:00Z', '2027-12-21T08:30:00Z'],
    ['the evening before 22 May in Martinique: closes at 19:00, opens Saturday 08:30 (UTC−4)', martinique, '2026-05-21T22:30:00Z', '2026-05-23T12:30:00Z', '2026-05-21T23:00:00Z'],
    ['before the three-week closure: opens after it', cabinet, '2026-08-01T10:00:00Z', '2026-08-22T06:30:00Z', '2026-08-22T10:00:00Z'],
    ['inside the closure: opens after it', cabinet, '2026-08-12T08:00:00Z', '2026-08-22T06:30:00Z', '2026-08-22T10:00:00Z'],
    ['Saturday before the spring DST Sunday 2026: Monday 08:30 CEST', cabinet, '2026-03-28T12:00:00Z', '2026-03-30T06:30:00Z', '2026-03-30T10:30:00Z'],
    ['Saturday before the autumn DST Sunday 2026: Monday 08:30 CET', cabinet, '2026-10-24T12:00:00Z', '2026-10-26T07:30:00Z', '2026-10-26T11:30:00Z'],
    ['spring DST Sunday 2027 is Easter: opens Tuesday', cabinet, '2027-03-27T12:00:00Z', '2027-03-30T06:30:00Z', '2027-03-30T10:30:00Z'],
    ['autumn DST Sunday 2027, then All Saints on Monday: opens Tuesday', cabinet, '2027-10-30T12:00:00Z', '2027-11-02T07:30:00Z', '2027-11-02T11:30:00Z'],
    ['daily: Sunday of the spring change 2027 opens 08:00 CEST', daily, '2027-03-27T19:30:00Z', '2027-03-28T06:00:00Z', '2027-03-28T18:00:00Z'],
    ['daily: Sunday of the autumn change 2027 opens 08:00 CET', daily, '2027-10-30T18:30:00Z', '2027-10-31T07:00:00Z', '2027-10-31T19:00:00Z'],
    ['Friday night: closes Saturday 08:00, reopens next Friday 20:00', fridayNight, '2026-04-10T20:00:00Z', '2026-04-17T18:00:00Z', '2026-04-11T06:00:00Z'],
    ['Saturday night over the spring change: 11 real hours', saturdayNight, '2026-03-28T19:00:00Z', '2026-04-04T18:00:00Z', '2026-03-29T06:00:00Z'],
    ['Saturday night over the autumn change: 13 real hours', saturdayNight, '2026-10-24T18:00:00Z', '2026-10-31T19:00:00Z', '2026-10-25T07:00:00Z'],
    ['spring DST night 2026: two ranges meet at the jump and stay one', dstNight, '2026-03-28T12:00:00Z', '2026-03-29T00:00:00Z', '2026-03-29T02:00:00Z'],
    ['autumn DST night 2026: open 01:00 CEST to 04:00 CET in one piece', dstNight, '2026-10-24T12:00:00Z', '2026-10-24T23:00:00Z', '2026-10-25T03:00:00Z'],
    ['spring DST night 2027', dstNight, '2027-03-27T12:00:00Z', '2027-03-28T00:00:00Z', '2027-03-28T02:00:00Z'],
    ['autumn DST night 2027', dstNight, '2027-10-30T12:00:00Z', '2027-10-30T23:00:00Z', '2027-10-31T03:00:00Z'],
    ['a range wholly in the skipped hour: next Sunday instead', inTheGap, '2026-03-28T12:00:00Z', '2026-04-05T00:15:00Z', '2026-04-05T00:45:00Z'],
    ['24/7: the state never changes', always, '2026-03-29T01:30:00Z', null, null],
    ['never open: the state never changes', never, '2026-04-07T10:00:00Z', null, null],
    ['24/7 but for the summer: closes at its first midnight (CEST)', alwaysButSummer, '2026-07-01T10:00:00Z', '2026-08-21T22:00:00Z', '2026-08-02T22:00:00Z'],
    ['open on one day only: closes at its end', oneDayOnly, '2026-05-01T10:00:00Z', '2026-06-01T07:00:00Z', '2026-06-01T10:00:00Z'],
    ['after the only day: nothing within a year', oneDayOnly, '2026-06-01T10:00:00Z', null, null],
    ['an opening more than 366 days ahead is not found', tooFar, '2026-05-01T10:00:00Z', null, null],
    ['New York: the spring change is read in New York', newYork, '2026-03-08T01:00:00Z', '2026-03-08T12:00:00Z', '2026-03-09T00:00:00Z'],
  ])('%s', (_, hours, at, opening, closing) => {
    expect(nextOpening(hours, new Date(at))?.toISOString() ?? null).toBe(opening === null ? null : new Date(opening).toISOString());
    expect(nextClosing(hours, new Date(at))?.toISOString() ?? null).toBe(closing === null ? null : new Date(closing).toISOString());
  });

  // 30 s: the machine may be busy with the other suites; alone it takes about a second.
  it('answers in the next state: isOpen is false at nextClosing and true at nextOpening, every 2 h 07 of 2026', { timeout: 30_000 }, () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 2 * 3_600_000 + 7 * 60_000) {
      const at = new Date(t);
      const opening = nextOpening(cabinet, at)!;
      const closing = nextClosing(cabinet, at)!;
      expect(isOpen(cabinet, opening)).toBe(true);
      expect(isOpen(cabinet, new Date(opening.getTime() - 1))).toBe(false);
      expect(isOpen(cabinet, closing)).toBe(false);
      expect(isOpen(cabinet, new Date(closing.getTime() - 1))).toBe(true);
      // The first change after `at` is the opening when closed, the closing when open.
      expect(isOpen(cabinet, at) ? closing < opening : opening < closing).toBe(true);
    }
  });
});

describe('frenchHolidays', () => {
  it('lists the eleven holidays of 2026 in date order, named in French', () => {
    expect(frenchHolidays(2026).map((h) => `${h.date} ${h.name}`)).toEqual([
      '2026-01-01 Jour de l’an',
      '2026-04-06 Lundi de Pâques',
      '2026-05-01 Fête du Travail',
      '2026-05-08 Victoire 1945',
      '2026-05-14 Ascension',
      '2026-05-25 Lundi de Pentecôte',
      '2026-07-14 Fête nationale',
      '2026-08-15 Assomption',
      '2026-11-01 Toussaint',
      '2026-11-11 Armistice 1918',
      '2026-12-25 Noël',
    ]);
  });

  it('adds Good Friday and 26 December in Alsace-Moselle, with English labels', () => {
    const extra = frenchHolidays(2027, 'alsace-moselle').filter((h) => !frenchHolidays(2027).some((o) => o.date === h.date));
    expect(extra).toEqual([
      { date: '2027-03-26', name: 'Vendredi saint', label: { fr: 'Vendredi saint', en: 'Good Friday' } },
      { date: '2027-12-26', name: 'Saint-Étienne', label: { fr: 'Saint-Étienne', en: 'St Stephen’s Day' } },
    ]);
  });

  it.each([
    ['mayotte', '2026-04-27'],
    ['martinique', '2026-05-22'],
    ['guadeloupe', '2026-05-27'],
    ['saint-martin', '2026-05-28'],
    ['guyane', '2026-06-10'],
    ['saint-barthelemy', '2026-10-09'],
    ['la-reunion', '2026-12-20'],
  ])('adds the abolition-of-slavery day in %s (%s), with its English label', (region, date) => {
    const extra = frenchHolidays(2026, region).filter((h) => !frenchHolidays(2026).some((o) => o.date === h.date));
    expect(extra).toEqual([{ date, name: 'Abolition de l’esclavage', label: { fr: 'Abolition de l’esclavage', en: 'Abolition of Slavery Day' } }]);
  });

  it('adds nothing for a region it does not know', () => {
    expect(frenchHolidays(2026, 'bretagne')).toEqual(frenchHolidays(2026));
    expect(frenchHolidays(2026, 'toString')).toEqual(frenchHolidays(2026));
  });

  it.each([
    [2019, '2019-04-22', '2019-05-30', '2019-06-10'],
    [2024, '2024-04-01', '2024-05-09', '2024-05-20'],
    [2027, '2027-03-29', '2027-05-06', '2027-05-17'],
    [2038, '2038-04-26', '2038-06-03', '2038-06-14'],
    [2285, '2285-03-23', '2285-04-30', '2285-05-11'],
  ])('computes Easter Monday, Ascension and Whit Monday of %i from Easter', (year, easterMonday, ascension, whitMonday) => {
    const byName = Object.fromEntries(frenchHolidays(year).map((h) => [h.name, h.date]));
    expect([byName['Lundi de Pâques'], byName['Ascension'], byName['Lundi de Pentecôte']]).toEqual([easterMonday, ascension, whitMonday]);
  });
});

describe('dayInfo', () => {
  const christmasDuty: Hours = {
    ...cabinet,
    exceptions: [{ from: '2026-12-25', to: '2026-12-25', hours: day(['09:00', '12:00']), label: { fr: 'Permanence de Noël' } }],
  };

  it.each<[string, Hours, string, ReturnType<typeof dayInfo>]>([
    ['gives the weekly ranges on an ordinary day', cabinet, '2026-04-07', { ranges: WORKDAY }],
    ['closes a holiday and names it', cabinet, '2026-04-06', { ranges: [], closedReason: { kind: 'holiday', label: { fr: 'Lundi de Pâques', en: 'Easter Monday' } } }],
    ['lets an exception win over a holiday, its label filling the missing language', christmasDuty, '2026-12-25', { ranges: [['09:00', '12:00']], closedReason: { kind: 'exception', label: { fr: 'Permanence de Noël', en: 'Permanence de Noël' } } }],
    ['covers every day of a closure, ends included', cabinet, '2026-08-21', { ranges: [], closedReason: { kind: 'exception', label: { fr: 'Congés annuels', en: 'Annual leave' } } }],
    ['keeps weekly hours on a holiday when holidays are not closed', always, '2026-12-25', { ranges: allDay }],
    ['names an unlabelled closure', { ...never, exceptions: [{ from: '2026-06-01', to: '2026-06-02', hours: [] }] }, '2026-06-02', { ranges: [], closedReason: { kind: 'exception', label: { fr: 'Fermeture exceptionnelle', en: 'Exceptional closure' } } }],
  ])('%s', (_, hours, date, expected) => {
    expect(dayInfo(hours, date)).toEqual(expected);
  });
});

describe('zonedDate', () => {
  it.each([
    ['Europe/Paris', '2026-04-07'],
    ['America/New_York', '2026-04-06'],
    ['Pacific/Auckland', '2026-04-07'],
    ['UTC', '2026-04-06'],
  ])('gives the calendar date in %s', (zone, expected) => {
    expect(zonedDate(new Date('2026-04-06T22:30:00Z'), zone)).toBe(expected);
  });
});

describe('zonedInstants', () => {
  const iso = (local: string, zone: string) => zonedInstants(local, zone).map((d) => d.toISOString());

  it('gives the one instant a wall clock names on an ordinary day', () => {
    expect(iso('2026-11-30T18:55', 'Europe/Paris')).toEqual(['2026-11-30T17:55:00.000Z']);
    expect(iso('2026-07-01T09:00', 'Europe/Paris')).toEqual(['2026-07-01T07:00:00.000Z']);
    expect(iso('2026-11-30T18:55', 'America/St_Johns')).toEqual(['2026-11-30T22:25:00.000Z']);
  });

  it('gives both instants of the hour an autumn night repeats, and none in the hour a spring night skips', () => {
    expect(iso('2026-10-25T02:30', 'Europe/Paris')).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']);
    expect(iso('2026-03-29T02:30', 'Europe/Paris')).toEqual([]);
  });

  it('gives none for a value that is not a wall clock', () => {
    expect(iso('2026-11-30 18:55', 'Europe/Paris')).toEqual([]);
    expect(iso('2026-13-40T18:55', 'Europe/Paris')).toEqual([]);
  });
});
