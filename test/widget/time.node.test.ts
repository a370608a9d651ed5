/** The widget's clock arithmetic: offsets written as the API asks, and the callback windows it offers. */
import { describe, expect, it } from 'vitest';
import type { Hours } from '../../shared/hours.js';
import { isoInZone } from '../../widget/time.js';
import { callbackWindows } from '../../widget/windows.js';

describe('isoInZone', () => {
  it('writes the practice wall clock with its offset, winter and summer', () => {
    expect(isoInZone(new Date('2026-01-15T13:00:00Z'), 'Europe/Paris')).toBe('2026-01-15T14:00:00+01:00');
    expect(isoInZone(new Date('2026-07-15T12:00:00Z'), 'Europe/Paris')).toBe('2026-07-15T14:00:00+02:00');
  });

  it('handles negative, zero and half-hour offsets, and keeps the instant', () => {
    const at = new Date('2026-01-15T13:05:07Z');
    for (const [zone, expected] of [
      ['America/New_York', '2026-01-15T08:05:07-05:00'],
      ['UTC', '2026-01-15T13:05:07+00:00'],
      ['Asia/Kolkata', '2026-01-15T18:35:07+05:30'],
    ] as const) {
      expect(isoInZone(at, zone)).toBe(expected);
      expect(Date.parse(isoInZone(at, zone))).toBe(at.getTime());
    }
  });
});

describe('callbackWindows', () => {
  const hours: Hours = {
    timezone: 'Europe/Paris',
    weekly: { mon: [['08:30', '12:30'], ['14:00', '19:00']], tue: [['08:30', '12:30']], wed: [['09:00', '12:00']] },
  };

  it('offers what is left of today from the next quarter hour, then tomorrow, in the receipt’s words', () => {
    // Monday 2 March 2026, 10:07 in Paris.
    const windows = callbackWindows(hours, new Date('2026-03-02T09:07:00Z'), 'fr');
    expect(windows.map((w) => w.label)).toEqual(['Aujourd’hui entre 10:15 et 12:30', 'Aujourd’hui entre 14:00 et 19:00', 'Demain entre 08:30 et 12:30']);
    expect(isoInZone(windows[0]!.from, 'Europe/Paris')).toBe('2026-03-02T10:15:00+01:00');
  });

  it('offers nothing beyond tomorrow', () => {
    // Tuesday evening: Wednesday is "tomorrow", Thursday is not offered.
    const windows = callbackWindows(hours, new Date('2026-03-03T20:00:00Z'), 'en');
    expect(windows.map((w) => w.label)).toEqual(['Tomorrow between 09:00 and 12:00']);
  });

  it('while the practice is closed, offers its reopening day and the next, named by their date', () => {
    // Friday 6 March: closed until Monday.
    const windows = callbackWindows(hours, new Date('2026-03-06T10:00:00Z'), 'fr');
    expect(windows.map((w) => w.label)).toEqual(['Lundi 9 mars entre 08:30 et 12:30', 'Lundi 9 mars entre 14:00 et 19:00', 'Mardi 10 mars entre 08:30 et 12:30']);
    expect(isoInZone(windows[0]!.from, 'Europe/Paris')).toBe('2026-03-09T08:30:00+01:00');
  });

  it('while closed for the night, offers the reopening day as "tomorrow"', () => {
    // Monday 2 March, 21:00 in Paris: Tuesday morning is the only period before Wednesday's end.
    const windows = callbackWindows(hours, new Date('2026-03-02T20:00:00Z'), 'en');
    expect(windows.map((w) => w.label)).toEqual(['Tomorrow between 08:30 and 12:30', 'Wednesday 4 March between 09:00 and 12:00']);
  });

  it('offers nothing when the practice never opens again', () => {
    expect(callbackWindows({ timezone: 'Europe/Paris', weekly: {} }, new Date('2026-03-06T10:00:00Z'), 'fr')).toEqual([]);
  });
});
