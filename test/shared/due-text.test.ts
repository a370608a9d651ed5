// When a request will be called back, in words, on the practice's clock: the same words in the widget, the messages and the cancel page.
import { describe, expect, it } from 'vitest';
import { dueText, windowText } from '../../shared/due-text.js';

const PARIS = 'Europe/Paris';
// Monday 30 November 2026, 10:00 in Paris.
const NOW = new Date('2026-11-30T09:00:00Z');
const at = (local: string) => new Date(`${local}+01:00`);

describe('windowText', () => {
  it.each([
    ['2026-11-30T14:00:00', '2026-11-30T19:00:00', 'fr', 'aujourd’hui entre 14:00 et 19:00'],
    ['2026-12-01T14:00:00', '2026-12-01T19:00:00', 'fr', 'demain entre 14:00 et 19:00'],
    ['2026-12-01T14:00:00', '2026-12-01T19:00:00', 'en', 'tomorrow between 14:00 and 19:00'],
    ['2026-12-03T08:30:00', '2026-12-03T12:30:00', 'fr', 'jeudi 3 décembre entre 08:30 et 12:30'],
    ['2026-12-03T08:30:00', '2026-12-03T12:30:00', 'en', 'Thursday 3 December between 08:30 and 12:30'],
    ['2026-11-30T20:00:00', '2026-12-01T00:00:00', 'fr', 'aujourd’hui entre 20:00 et 24:00'],
  ] as const)('%s – %s (%s): "%s"', (from, to, lang, expected) => {
    expect(windowText(at(from), at(to), NOW, PARIS, lang)).toBe(expected);
  });

  it('reads the practice’s clock, not the machine’s, and days by the practice’s calendar', () => {
    // 23:30 in Paris on Monday is already Tuesday in UTC; "today" is Paris's Monday.
    const late = new Date('2026-11-30T22:30:00Z');
    expect(windowText(at('2026-12-01T08:30:00'), at('2026-12-01T12:30:00'), late, PARIS, 'fr')).toBe('demain entre 08:30 et 12:30');
    expect(windowText(new Date('2026-12-01T13:00:00Z'), new Date('2026-12-01T18:00:00Z'), NOW, 'America/New_York', 'en')).toBe('tomorrow between 08:00 and 13:00');
  });
});

describe('dueText', () => {
  const window = { from: '2026-12-01T14:00:00+01:00', to: '2026-12-01T19:00:00+01:00' };

  it('says "as soon as possible" when the request is due now or within five minutes', () => {
    expect(dueText(NOW, null, NOW, PARIS, 'fr')).toBe('dès que possible');
    expect(dueText(new Date(NOW.getTime() + 4 * 60_000), window, NOW, PARIS, 'en')).toBe('as soon as possible');
  });

  it('says the window when the request is due within it', () => {
    expect(dueText(new Date(window.from), window, NOW, PARIS, 'fr')).toBe('demain entre 14:00 et 19:00');
    // Due later than the window's start (a practice closed at its start): the window from then.
    expect(dueText(at('2026-12-01T15:00:00'), window, NOW, PARIS, 'en')).toBe('tomorrow between 15:00 and 19:00');
  });

  it('says the day and time from which otherwise', () => {
    expect(dueText(at('2026-12-01T08:30:00'), null, NOW, PARIS, 'fr')).toBe('demain à partir de 08:30');
    expect(dueText(at('2026-12-02T08:30:00'), window, NOW, PARIS, 'fr')).toBe('mercredi 2 décembre à partir de 08:30');
    expect(dueText(at('2026-12-02T08:30:00'), undefined, NOW, PARIS, 'en')).toBe('Wednesday 2 December from 08:30');
  });

  it('writes the date short for an SMS', () => {
    expect(dueText(at('2026-12-02T08:30:00'), null, NOW, PARIS, 'fr', true)).toBe('02/12 à partir de 08:30');
    expect(dueText(new Date(window.from), window, NOW, PARIS, 'en', true)).toBe('tomorrow between 14:00 and 19:00');
  });
});
