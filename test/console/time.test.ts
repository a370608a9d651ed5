// How the console names a practice's clock beside a time an operator reads in another zone.
import { describe, expect, it } from 'vitest';
import { zoneLabel } from '../../console/time.js';

describe('zoneLabel', () => {
  it.each([
    ['Europe/Paris', 'heure de Paris', 'Paris time'],
    ['Indian/Reunion', 'heure de La Réunion', 'Réunion time'],
    ['America/Martinique', 'heure de la Martinique', 'Martinique time'],
    ['America/Cayenne', 'heure de Guyane', 'French Guiana time'],
    ['Pacific/Noumea', 'heure de Nouvelle-Calédonie', 'New Caledonia time'],
    ['America/Marigot', 'heure de Saint-Martin', 'Saint Martin time'],
    // A zone outside France: its city, as the IANA name writes it.
    ['America/New_York', 'heure de New York', 'New York time'],
  ])('names %s as people say it', (zone, fr, en) => {
    expect(zoneLabel(zone, 'fr')).toBe(fr);
    expect(zoneLabel(zone, 'en')).toBe(en);
  });
});
