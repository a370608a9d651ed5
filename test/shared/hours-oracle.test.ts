// Cross-checks a year of open intervals against the opening_hours package, run in a child under TZ=Europe/Paris because it reads the machine's zone.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isOpen, nextClosing, nextOpening, type Hours, type TimeRange } from '../../shared/hours.js';

const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2027, 0, 1);
const WORKDAY: TimeRange[] = [['08:30', '12:30'], ['14:00', '19:00']];
const allDay: TimeRange[] = [['00:00', '24:00']];
const summer = [{ from: '2026-08-03', to: '2026-08-21', hours: [] }];

interface Case {
  name: string;
  hours: Hours;
  /** The same schedule in the OpenStreetMap opening_hours syntax. */
  osm: string;
  state: string;
  /** Intervals where we knowingly differ from the oracle, as [ours, theirs] (docs/hours.md). */
  differences?: { ours: string[]; theirs: string[] };
}

const cases: Case[] = [
  {
    name: 'a practice with a lunch break, Saturday mornings, holidays and summer leave',
    hours: {
      timezone: 'Europe/Paris',
      weekly: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY, sat: [['08:30', '12:00']] },
      holidays: { country: 'FR', region: null, closed: true },
      exceptions: summer,
    },
    osm: 'Mo-Fr 08:30-12:30,14:00-19:00; Sa 08:30-12:00; PH off; 2026 Aug 03-2026 Aug 21 off',
    state: 'Île-de-France',
  },
  {
    name: 'Alsace-Moselle, Monday to Saturday, holidays closed',
    hours: { timezone: 'Europe/Paris', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['09:00', '18:00']]])), holidays: { country: 'FR', region: 'alsace-moselle', closed: true } },
    osm: 'Mo-Sa 09:00-18:00; PH off',
    state: 'Moselle',
  },
  {
    name: 'every day 08:00-20:00, across both DST Sundays',
    hours: { timezone: 'Europe/Paris', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['08:00', '20:00']]])) },
    osm: 'Mo-Su 08:00-20:00',
    state: 'Île-de-France',
  },
  {
    name: 'Friday evening to Saturday morning, and Saturday night across the DST nights',
    hours: { timezone: 'Europe/Paris', weekly: { fri: [['20:00', '08:00']], sat: [['21:00', '07:00']] } },
    // A comma adds a rule; a semicolon would let Saturday's rule cut Friday's night short, which SPEC does not do.
    osm: 'Fr 20:00-08:00, Sa 21:00-07:00',
    state: 'Île-de-France',
  },
  {
    name: '24/7 but for the summer leave',
    hours: { timezone: 'Europe/Paris', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, allDay])), exceptions: summer },
    osm: '24/7; 2026 Aug 03-2026 Aug 21 off',
    state: 'Île-de-France',
  },
  {
    name: 'Sunday 01:00-04:00, a range over the DST hour itself',
    hours: { timezone: 'Europe/Paris', weekly: { sun: [['01:00', '04:00']] } },
    osm: 'Su 01:00-04:00',
    state: 'Île-de-France',
  },
  {
    name: 'Sunday 01:00-02:30 and 02:30-04:00, ranges meeting inside the DST hour',
    hours: { timezone: 'Europe/Paris', weekly: { sun: [['01:00', '02:30'], ['02:30', '04:00']] } },
    osm: 'Su 01:00-02:30,02:30-04:00',
    state: 'Île-de-France',
  },
  {
    name: 'Sunday 02:30-04:00, a range starting in the skipped hour',
    hours: { timezone: 'Europe/Paris', weekly: { sun: [['02:30', '04:00']] } },
    osm: 'Su 02:30-04:00',
    state: 'Île-de-France',
    differences: {
      // 02:30 does not exist on 29 March. The oracle pushes it forward by the gap, as JS Date does, and opens at
      // 03:30 CEST; we open at the jump, 03:00 CEST, the first instant the clock reads past 02:30 (docs/hours.md).
      ours: ['2026-03-29T01:00:00.000Z/2026-03-29T02:00:00.000Z'],
      theirs: ['2026-03-29T01:30:00.000Z/2026-03-29T02:00:00.000Z'],
    },
  },
];

const CHILD = `
import OpeningHours from 'opening_hours';
const cases = JSON.parse(process.argv[1]);
const out = cases.map(({ osm, state }) => {
  const oh = new OpeningHours(osm, { lat: 48.85, lon: 2.35, address: { country_code: 'fr', state } });
  return oh.getOpenIntervals(new Date(${FROM}), new Date(${TO})).map(([s, e]) => [s.getTime(), e.getTime()]);
});
process.stdout.write(JSON.stringify(out));
`;

/** Adjacent intervals joined, each as "start/end" in ISO. */
function normalise(intervals: [number, number][]): string[] {
  const merged: [number, number][] = [];
  for (const [s, e] of intervals) {
    const last = merged.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged.map(([s, e]) => `${new Date(s).toISOString()}/${new Date(e).toISOString()}`);
}

function ours(hours: Hours): [number, number][] {
  const out: [number, number][] = [];
  let t = FROM;
  if (!isOpen(hours, new Date(t))) t = nextOpening(hours, new Date(t))?.getTime() ?? TO;
  while (t < TO) {
    const end = Math.min(nextClosing(hours, new Date(t))?.getTime() ?? TO, TO);
    out.push([t, end]);
    t = nextOpening(hours, new Date(end))?.getTime() ?? TO;
  }
  return out;
}

describe('opening_hours oracle, a year of 2026 in Europe/Paris', () => {
  const theirs: [number, number][][] = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, JSON.stringify(cases.map(({ osm, state }) => ({ osm, state })))], {
      env: { ...process.env, TZ: 'Europe/Paris' },
      encoding: 'utf8',
    }),
  );

  it.each(cases.map((c, i) => [c.name, c, i] as const))('agrees on %s', (_, c, i) => {
    const mine = normalise(ours(c.hours));
    const oracle = normalise(theirs[i]!);
    expect(oracle.length).toBeGreaterThan(1);
    expect(mine.filter((x) => !oracle.includes(x))).toEqual(c.differences?.ours ?? []);
    expect(oracle.filter((x) => !mine.includes(x))).toEqual(c.differences?.theirs ?? []);
  });
});
