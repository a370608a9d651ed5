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

  it('offers what is left of today from the next quarter hour, then tomorrow', () => {
    // Monday 2 March 2026, 10:07 in Paris.
    const windows = callbackWindows(hours, new Date('2026-03-02T09:07:00Z'), 'fr');
    expect(windows.map((w) => w.label)).toEqual(["Aujourd'hui de 10:15 à 12:30", "Aujourd'hui de 14:00 à 19:00", 'Demain de 08:30 à 12:30']);
    expect(isoInZone(windows[0]!.from, 'Europe/Paris')).toBe('2026-03-02T10:15:00+01:00');
  });

  it('offers nothing beyond tomorrow', () => {
    // Tuesday evening: Wednesday is "tomorrow", Thursday is not offered.
    const windows = callbackWindows(hours, new Date('2026-03-03T20:00:00Z'), 'en');
    expect(windows.map((w) => w.label)).toEqual(['Tomorrow from 09:00 to 12:00']);
  });

  it('offers nothing when the practice stays closed today and tomorrow', () => {
    // Friday: closed Saturday and Sunday too.
    expect(callbackWindows(hours, new Date('2026-03-06T10:00:00Z'), 'fr')).toEqual([]);
  });
});
