// How long the hours take where patients wait for them, and what they add to the widget bundle.
import { isOpen, nextOpening, type Hours, type TimeRange } from '../../shared/hours.js';
import { statusLine } from '../../shared/hours-summary.js';
import { timeIt, type BenchRow } from './bench.js';
import { importedSize } from '../widget/bundle-size.js';

/** Exactly what the widget imports from the hours modules, so tree-shaking drops the same code it drops there. */
const WIDGET_HOURS_IMPORTS =
  "export { isOpen, nextClosing, nextOpening, zonedDate, zonedDateTime } from './shared/hours.js'; export { statusLine, upcomingClosures, weekTable } from './shared/hours-summary.js';";

const WORKDAY: TimeRange[] = [['08:30', '12:30'], ['14:00', '19:00']];
const cabinet: Hours = {
  timezone: 'Europe/Paris',
  weekly: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY, sat: [['08:30', '12:00']] },
  holidays: { country: 'FR', region: null, closed: true },
  exceptions: [{ from: '2026-08-03', to: '2026-08-21', hours: [], label: { fr: 'Congés annuels', en: 'Annual leave' } }],
};


export async function run(): Promise<BenchRow[]> {
  // Saturday noon before the closure: the answer is three weeks later, on the Saturday after it.
  const before = new Date('2026-08-01T10:00:00Z');
  // Each call looks at a new instant, so no per-call memo could help.
  let minute = 0;
  const across = await timeIt(() => nextOpening(cabinet, new Date(before.getTime() + (minute++ % 60) * 60_000)), 500);
  const open = await timeIt(() => isOpen(cabinet, new Date(Date.UTC(2026, 3, 7, 8, minute++ % 60))), 500);
  const line = await timeIt(() => statusLine(cabinet, new Date(Date.UTC(2026, 3, 6, 8, minute++ % 60)), 'fr', 'America/New_York'), 500);
  return [
    { name: 'hours: nextOpening across a three-week closure (p50)', value: round(across.p50), unit: 'ms', target: '< 1 ms' },
    { name: 'hours: nextOpening across a three-week closure (p95)', value: round(across.p95), unit: 'ms', target: '< 1 ms' },
    { name: 'hours: isOpen (p50)', value: round(open.p50), unit: 'ms' },
    { name: 'hours: statusLine with viewer zone (p50)', value: round(line.p50), unit: 'ms' },
    { name: 'hours: hours + summaries in the widget, gzipped', value: round((await importedSize(WIDGET_HOURS_IMPORTS)) / 1024), unit: 'KB', target: '≤ 3 KB' },
  ];
}

const round = (n: number) => Math.round(n * 1000) / 1000;
