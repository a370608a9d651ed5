// What the widget says about the hours, in French and English, in the practice's zone whatever the machine's.
import { describe, expect, it } from 'vitest';
import type { Hours, TimeRange } from '../../shared/hours.js';
import { statusLine, upcomingClosures, weekTable } from '../../shared/hours-summary.js';
import type { Lang } from '../../shared/i18n.js';

const WORKDAY: TimeRange[] = [['08:30', '12:30'], ['14:00', '19:00']];
const cabinet: Hours = {
  timezone: 'Europe/Paris',
  weekly: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY, sat: [['08:30', '12:00']], sun: [] },
  holidays: { country: 'FR', region: null, closed: true },
  exceptions: [
    { from: '2026-08-03', to: '2026-08-21', hours: [], label: { fr: 'Congés annuels', en: 'Annual leave' } },
    { from: '2026-12-24', to: '2026-12-24', hours: [['08:30', '12:00']], label: { fr: 'Veille de Noël', en: 'Christmas Eve' } },
  ],
};
const night: Hours = { timezone: 'Europe/Paris', weekly: { fri: [['20:00', '08:00']], sat: [['14:00', '24:00']] } };
const allDay: TimeRange[] = [['00:00', '24:00']];
const always: Hours = { timezone: 'Europe/Paris', weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay } };
const never: Hours = { timezone: 'Europe/Paris', weekly: {} };

describe('statusLine', () => {
  it.each<[string, Hours, string, Lang, string | undefined, string]>([
    ['open, closing for lunch', cabinet, '2026-04-07T08:00:00Z', 'fr', undefined, 'Ouvert · ferme à 12:30'],
    ['open, closing for lunch (English)', cabinet, '2026-04-07T08:00:00Z', 'en', undefined, 'Open · closes at 12:30'],
    ['at lunch, reopening the same day', cabinet, '2026-04-07T11:00:00Z', 'fr', undefined, 'Fermé · ouvre à 14:00'],
    ['on Easter Monday, naming it', cabinet, '2026-04-06T08:00:00Z', 'en', undefined, 'Closed today (Easter Monday) · opens Tuesday at 08:30'],
    ['on Easter Monday, naming it (French)', cabinet, '2026-04-06T08:00:00Z', 'fr', undefined, 'Fermé aujourd’hui (Lundi de Pâques) · ouvre mardi à 08:30'],
    ['during the summer closure, giving the date beyond a week', cabinet, '2026-08-10T08:00:00Z', 'fr', undefined, 'Fermé aujourd’hui (Congés annuels) · ouvre samedi 22 août à 08:30'],
    ['on the Saturday before the closure', cabinet, '2026-08-01T11:00:00Z', 'en', undefined, 'Closed · opens Saturday 22 August at 08:30'],
    ['on a short day', cabinet, '2026-12-24T08:00:00Z', 'fr', undefined, 'Ouvert · ferme à 12:00'],
    ['open overnight, closing the next morning', night, '2026-04-10T20:00:00Z', 'fr', undefined, 'Ouvert · ferme samedi à 08:00'],
    ['open until midnight, saying 24:00 rather than tomorrow', night, '2026-04-11T20:00:00Z', 'en', undefined, 'Open · closes at 24:00'],
    ['open 24/7', always, '2026-04-07T08:00:00Z', 'fr', undefined, 'Ouvert 24 h/24'],
    ['never open', never, '2026-04-07T08:00:00Z', 'en', undefined, 'Closed'],
    ['to a viewer in the same zone, without a zone', cabinet, '2026-04-07T08:00:00Z', 'fr', 'Europe/Paris', 'Ouvert · ferme à 12:30'],
    ['to a viewer on the same clock, without a zone', cabinet, '2026-04-07T08:00:00Z', 'fr', 'Europe/Brussels', 'Ouvert · ferme à 12:30'],
    ['to a viewer in New York, naming the practice zone', cabinet, '2026-04-07T08:00:00Z', 'en', 'America/New_York', 'Open · closes at 12:30 (Central European Time)'],
    ['to a viewer in Réunion, naming it in French', cabinet, '2026-04-06T08:00:00Z', 'fr', 'Indian/Reunion', 'Fermé aujourd’hui (Lundi de Pâques) · ouvre mardi à 08:30 (heure d’Europe centrale)'],
  ])('%s', (_, hours, at, lang, viewer, expected) => {
    expect(statusLine(hours, new Date(at), lang, viewer)).toBe(expected);
  });
});

describe('weekTable', () => {
  it('lists the next seven days today first, today taken in the practice zone', () => {
    // Monday 23:30 in New York is already Tuesday in Paris.
    const rows = weekTable(cabinet, new Date('2026-04-07T03:30:00Z'), 'fr');
    expect(rows.map((r) => r.day)).toEqual(['tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'mon']);
    expect(rows.map((r) => r.today)).toEqual([true, false, false, false, false, false, false]);
    expect(rows[0]).toEqual({ day: 'tue', label: 'Mardi', ranges: '08:30–12:30, 14:00–19:00', today: true });
    expect(rows[5]).toEqual({ day: 'sun', label: 'Dimanche', ranges: 'Fermé', today: false });
  });

  it('shows each day as it will be, not as the usual week: a short Christmas Eve, then Christmas closed', () => {
    const rows = weekTable(cabinet, new Date('2026-12-24T08:00:00Z'), 'fr');
    expect(rows.map((r) => `${r.label}: ${r.ranges}`)).toEqual([
      'Jeudi: 08:30–12:00 (Veille de Noël)',
      'Vendredi: Fermé (Noël)',
      'Samedi: 08:30–12:00',
      'Dimanche: Fermé',
      'Lundi: 08:30–12:30, 14:00–19:00',
      'Mardi: 08:30–12:30, 14:00–19:00',
      'Mercredi: 08:30–12:30, 14:00–19:00',
    ]);
  });

  it('speaks English and names a closure on every day it covers, up to the day it ends', () => {
    const rows = weekTable(cabinet, new Date('2026-08-17T08:00:00Z'), 'en');
    expect(rows.map((r) => `${r.label}: ${r.ranges}`)).toEqual([
      'Monday: Closed (Annual leave)',
      'Tuesday: Closed (Annual leave)',
      'Wednesday: Closed (Annual leave)',
      'Thursday: Closed (Annual leave)',
      'Friday: Closed (Annual leave)',
      'Saturday: 08:30–12:00',
      'Sunday: Closed',
    ]);
  });
});

describe('upcomingClosures', () => {
  it('names the holidays of the next two weeks', () => {
    expect(upcomingClosures(cabinet, new Date('2026-04-01T08:00:00Z'), 'fr')).toEqual([{ date: '2026-04-06', label: 'lundi 6 avril\u00a0: Lundi de Pâques' }]);
  });

  // Intl.formatRange puts thin spaces around the dash.
  it('gives a closure as one span, to its end even past the window', () => {
    expect(upcomingClosures(cabinet, new Date('2026-07-25T08:00:00Z'), 'en')).toEqual([{ date: '2026-08-03', label: 'Monday 3 August\u2009–\u2009Friday 21 August: Annual leave' }]);
  });

  it('starts a closure already under way at today, without a separate line for the 15 August it covers', () => {
    expect(upcomingClosures(cabinet, new Date('2026-08-10T08:00:00Z'), 'fr')).toEqual([{ date: '2026-08-10', label: 'lundi 10\u2009–\u2009vendredi 21 août\u00a0: Congés annuels' }]);
  });

  it('shows a short day with its hours, and skips a holiday falling on a day closed anyway', () => {
    expect(upcomingClosures(cabinet, new Date('2026-12-20T08:00:00Z'), 'en')).toEqual([
      { date: '2026-12-24', label: 'Thursday 24 December: Christmas Eve (08:30–12:00)' },
      { date: '2026-12-25', label: 'Friday 25 December: Christmas Day' },
      { date: '2027-01-01', label: 'Friday 1 January: New Year’s Day' },
    ]);
    // 1 November 2026 is a Sunday, closed anyway.
    expect(upcomingClosures(cabinet, new Date('2026-10-30T08:00:00Z'), 'fr')).toEqual([{ date: '2026-11-11', label: 'mercredi 11 novembre\u00a0: Armistice 1918' }]);
  });
});
