// How the console names a practice's clock beside a time an operator reads in another zone.
import { describe, expect, it } from 'vitest';
import { dateTimeText, zoneLabel } from '../../console/time.js';

describe('zoneLabel', () => {
  it.each([
    ['Europe/Paris', 'heure de Paris', 'Paris time'],
    ['Indian/Reunion', 'heure de La Réunion', 'Réunion time'],
    ['America/Martinique', 'heure de la Martinique', 'Martinique time'],
    ['America/Cayenne', 'heure de Guyane', 'French Guiana time'],
    ['Pacific/Noumea', 'heure de Nouvelle-Calédonie', 'New Caledonia time'],
    ['America/Marigot', 'heure de Saint-Martin', 'Saint Martin time'],
    ['Pacific/Marquesas', 'heure des Marquises', 'Marquesas time'],
    // A zone outside France: its city, as the IANA name writes it.
    ['America/New_York', 'heure de New York', 'New York time'],
  ])('names %s as people say it', (zone, fr, en) => {
    expect(zoneLabel(zone, 'fr')).toBe(fr);
    expect(zoneLabel(zone, 'en')).toBe(en);
  });
});

describe('dateTimeText', () => {
  const now = new Date('2026-12-28T10:00:00Z');
  it('gives the day and time on the practice’s clock, without the year in this year', () => {
    expect(dateTimeText('2026-12-31T07:00:00Z', 'fr', 'Europe/Paris', now)).toMatch(/^jeu\.\u00a031\/12 à 08:00/);
    expect(dateTimeText('2026-12-31T07:00:00Z', 'en', 'Europe/Paris', now)).toMatch(/^Thu\u00a031\/12 at 08:00/);
  });

  it('adds the year for an instant in another year, so a slot over New Year reads right', () => {
    expect(dateTimeText('2027-01-01T07:00:00Z', 'fr', 'Europe/Paris', now)).toMatch(/^ven\.\u00a001\/01\/2027 à 08:00/);
    // New Year's Eve at 23:30 in Paris is already 2027 in La Réunion: the practice's year counts.
    expect(dateTimeText('2026-12-31T22:30:00Z', 'fr', 'Indian/Reunion', new Date('2026-12-31T12:00:00Z'))).toMatch(/^ven\.\u00a001\/01\/2027 à 02:30/);
  });
});
