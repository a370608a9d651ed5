// The activity report's one column table: the CSV keys invoicing reads, and what the console's table relies on.
import { describe, expect, it } from 'vitest';
import { ACTIVITY_COLUMNS, ACTIVITY_GROUPS, type ActivityFigures } from '../../shared/activity-report.js';

const figures: ActivityFigures = {
  practice: 'cabinet-martin',
  name: 'Cabinet du Dr Martin',
  received: 12,
  handled: 4,
  billable: 4,
  nonBillable: { duplicate: 3, spam: 1, wrong_number: 1, cancelled: 1, abandoned: 1 },
  open: 1,
  medianMinutesToFirstCall: 22.5,
  calledOnTimeShare: 0.571,
};

describe('ACTIVITY_COLUMNS', () => {
  it('keeps the CSV keys invoicing reads, in their order, each reading its own field', () => {
    expect(ACTIVITY_COLUMNS.map((column) => [column.key, column.value(figures, '2026-11')])).toEqual([
      ['month', '2026-11'],
      ['practice', 'cabinet-martin'],
      ['name', 'Cabinet du Dr Martin'],
      ['received', 12],
      ['handled', 4],
      ['billable', 4],
      ['non_billable_duplicate', 3],
      ['non_billable_spam', 1],
      ['non_billable_wrong_number', 1],
      ['non_billable_cancelled', 1],
      ['non_billable_abandoned', 1],
      ['open', 1],
      ['median_minutes_to_first_call', 22.5],
      ['called_on_time_share', 0.571],
    ]);
  });

  it('has one row heading for the console, and each group of columns side by side', () => {
    expect(ACTIVITY_COLUMNS.filter((column) => column.screen === 'rowHeader').map((column) => column.key)).toEqual(['name']);
    const cells = ACTIVITY_COLUMNS.filter((column) => column.screen === 'cell');
    for (const group of Object.keys(ACTIVITY_GROUPS)) {
      const at = cells.flatMap((column, i) => (column.group === group ? [i] : []));
      expect(at.length, group).toBeGreaterThan(0);
      expect(at.at(-1)! - at[0]! + 1, `${group} columns side by side`).toBe(at.length);
    }
  });

  it('gives every column a heading in each language', () => {
    for (const column of ACTIVITY_COLUMNS) {
      expect(column.header.fr, column.key).not.toBe('');
      expect(column.header.en, column.key).not.toBe('');
    }
  });
});
