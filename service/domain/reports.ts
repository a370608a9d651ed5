/**
 * The monthly activity report, per practice: what was received, what is billable (a
 * conversation happened) and why the rest is not, how fast and how punctually patients were called.
 */
import * as z from 'zod/mini';
import type { ActivityRow, Practice, Store } from '../store/store.js';
import { zonedDate } from '../../shared/hours.js';
import { ON_TIME_GRACE_MS } from '../../shared/callback.js';
import { ACTIVITY_COLUMNS, type ActivityFigures, type ActivityReport } from '../../shared/activity-report.js';

const count = z.int().check(z.gte(0));
const figuresSchema = z.object({
  practice: z.string(),
  name: z.string(),
  received: count,
  handled: count,
  billable: count,
  nonBillable: z.object({ duplicate: count, spam: count, wrong_number: count, cancelled: count, abandoned: count }),
  open: count,
  medianMinutesToFirstCall: z.nullable(z.number()),
  calledOnTimeShare: z.nullable(z.number().check(z.gte(0), z.lte(1))),
});

/**
 * The report's JSON answer. Its type stays `ActivityReport` (shared/activity-report.ts, where the console reads the
 * columns without zod); the annotation makes a field the schema lacks, or types differently, a type error here.
 */
export const activityReportSchema: z.ZodMiniType<ActivityReport> = z.object({ month: z.string(), items: z.array(figuresSchema), total: figuresSchema });

/** After this many calls without a conversation, a request still open at the month's end counts as abandoned. */
const FAILED_CALLS_ABANDONED = 3;

type Bucket = 'billable' | keyof ActivityFigures['nonBillable'] | 'open';

/** Where a request lands in the bill; a conversation wins over any later or earlier outcome. */
function classify(row: ActivityRow): Bucket {
  if (row.outcome === 'reached' || row.hasMessage) return 'billable';
  if (row.outcome === 'duplicate' || row.outcome === 'spam' || row.outcome === 'wrong_number') return row.outcome;
  if (row.outcome === 'cancelled' || row.state === 'cancelled') return 'cancelled';
  if ((row.state === 'queued' || row.state === 'claimed') && row.failedAttempts < FAILED_CALLS_ABANDONED) return 'open';
  return 'abandoned';
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function figures(practice: string, name: string, rows: ActivityRow[], now: Date): ActivityFigures {
  const f: ActivityFigures = {
    practice,
    name,
    received: 0,
    handled: 0,
    billable: 0,
    nonBillable: { duplicate: 0, spam: 0, wrong_number: 0, cancelled: 0, abandoned: 0 },
    open: 0,
    medianMinutesToFirstCall: null,
    calledOnTimeShare: null,
  };
  const waits: number[] = [];
  let expected = 0;
  let onTime = 0;
  for (const row of rows) {
    f.received += 1 + row.mergedCount;
    // A merged repeat was received but only ever needed the one call.
    f.nonBillable.duplicate += row.mergedCount;
    const bucket = classify(row);
    if (bucket === 'billable') f.billable++;
    else if (bucket === 'open') f.open++;
    else f.nonBillable[bucket]++;

    const deadline = Date.parse(row.firstDueAt) + ON_TIME_GRACE_MS;
    if (row.firstCallAt) {
      waits.push((Date.parse(row.firstCallAt) - Date.parse(row.createdAt)) / 60_000);
      expected++;
      if (Date.parse(row.firstCallAt) <= deadline) onTime++;
    } else if (bucket !== 'duplicate' && bucket !== 'spam' && bucket !== 'cancelled' && deadline <= now.getTime()) {
      // Never called though its time has passed: late. Not yet due: not judged yet.
      expected++;
    }
  }
  f.handled = f.billable;
  const m = median(waits);
  f.medianMinutesToFirstCall = m === null ? null : Math.round(m * 10) / 10;
  f.calledOnTimeShare = expected ? Math.round((onTime / expected) * 1000) / 1000 : null;
  return f;
}

/** First and last instant a month can touch in any zone: rows are then kept by their date in the practice's own zone. */
function monthWindow(month: string): [string, string] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const start = Date.UTC(y, m - 1, 1) - 15 * 3_600_000;
  const end = Date.UTC(y, m, 1) + 15 * 3_600_000;
  return [new Date(start).toISOString(), new Date(end).toISOString()];
}

export async function activityReport(store: Store, month: string, practices: Practice[], now: Date): Promise<ActivityReport> {
  const [from, to] = monthWindow(month);
  const rows = await store.activityRows(from, to, practices.map((p) => p.slug));
  const zones = new Map(practices.map((p) => [p.slug, p.timezone]));
  const inMonth = rows.filter((r) => zonedDate(new Date(r.createdAt), zones.get(r.practice) ?? 'Europe/Paris').startsWith(month));
  const items = practices.map((p) =>
    figures(
      p.slug,
      p.name,
      inMonth.filter((r) => r.practice === p.slug),
      now,
    ),
  );
  return { month, items, total: figures('', 'Total', inMonth, now) };
}

/** A cell as spreadsheets read it safely: quoted when needed, and never starting like a formula. */
function cell(value: string | number | null, quoteWhen = /[",\r\n;]/): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return quoteWhen.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** In the French flavour the comma is a decimal separator, not a cell's end: only `;`, quotes and line breaks need quoting. */
const FRENCH_QUOTE_WHEN = /[";\r\n]/;

/** How the CSV is written: `csv` for programs (commas, the English column keys), `csv-fr` for French Excel. */
export type CsvFlavour = 'csv' | 'csv-fr';

/**
 * The report as CSV, one line per practice and the total last; the columns are those of `ACTIVITY_COLUMNS`.
 * `csv-fr` is what French Excel opens by a double click: a UTF-8 byte order mark (or accents come out garbled),
 * `;` between cells (the comma is the decimal separator there), decimal commas, and the French headings.
 */
export function activityCsv(report: ActivityReport, flavour: CsvFlavour = 'csv'): string {
  const french = flavour === 'csv-fr';
  const separator = french ? ';' : ',';
  const value = (v: string | number | null) => (!french ? cell(v) : typeof v === 'number' ? String(v).replace('.', ',') : cell(v, FRENCH_QUOTE_WHEN));
  const line = (f: ActivityFigures) => ACTIVITY_COLUMNS.map((column) => value(column.value(f, report.month))).join(separator);
  const header = ACTIVITY_COLUMNS.map((column) => (french ? cell(column.header.fr, FRENCH_QUOTE_WHEN) : cell(column.key))).join(separator);
  return (french ? '\uFEFF' : '') + [header, ...report.items.map(line), line(report.total)].join('\r\n') + '\r\n';
}
