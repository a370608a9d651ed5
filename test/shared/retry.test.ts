// The default retry after a call that reached nobody: 30 minutes later within the practice's hours, at its reopening otherwise, unless the request cannot wait.
import { describe, expect, it } from 'vitest';
import { defaultRetry } from '../../shared/retry.js';
import type { Hours } from '../../shared/hours.js';

const hours: Hours = { timezone: 'Europe/Paris', weekly: { mon: [['08:30', '12:30'], ['14:00', '19:00']], tue: [['08:30', '19:00']] } };
const routine = { urgency: 'routine', redFlag: false } as const;
const iso = (r: { at: Date; rule: string }) => ({ at: r.at.toISOString(), rule: r.rule });

describe('the default retry', () => {
  it('is 30 minutes later while the practice is open then', () => {
    expect(iso(defaultRetry(hours, routine, new Date('2026-11-30T09:00:00Z')))).toEqual({ at: '2026-11-30T09:30:00.000Z', rule: 'delay' });
  });

  it('moves to the next opening when 30 minutes later the practice is closed', () => {
    // Monday 18:51 in Paris: 19:21 is closed, Tuesday opens at 08:30.
    expect(iso(defaultRetry(hours, routine, new Date('2026-11-30T17:51:00Z')))).toEqual({ at: '2026-12-01T07:30:00.000Z', rule: 'reopening' });
    // Monday 12:15: the lunch break, back at 14:00.
    expect(iso(defaultRetry(hours, { urgency: 'soon', redFlag: false }, new Date('2026-11-30T11:15:00Z')))).toEqual({ at: '2026-11-30T13:00:00.000Z', rule: 'reopening' });
  });

  it('stays 30 minutes for a red flag or an urgent request, whatever the hours', () => {
    for (const request of [{ urgency: 'urgent', redFlag: false }, { urgency: 'routine', redFlag: true }] as const) {
      expect(iso(defaultRetry(hours, request, new Date('2026-11-30T17:51:00Z')))).toEqual({ at: '2026-11-30T18:21:00.000Z', rule: 'urgent' });
    }
  });

  it('stays 30 minutes for a practice that never opens again', () => {
    expect(iso(defaultRetry({ timezone: 'Europe/Paris', weekly: {} }, routine, new Date('2026-11-30T17:51:00Z')))).toEqual({ at: '2026-11-30T18:21:00.000Z', rule: 'delay' });
  });
});
