// A request's reason with the repeats merged into it: the stamp intake writes, and the dated entries read back from every spelling stored.
import { describe, expect, it } from 'vitest';
import { reasonEntries, reasonTexts, repeatBlock } from '../../shared/merged-reason.js';

const CREATED = '2026-11-30T09:12:00.000Z';

describe('a merged reason', () => {
  it('stamps a repeat with the practice’s wall clock, its offset and its zone', () => {
    expect(repeatBlock('Encore', new Date('2026-11-30T17:55:42Z'), 'Europe/Paris')).toBe('\n\n--- 2026-11-30 18:55 +01:00 Europe/Paris ---\nEncore');
    expect(repeatBlock('Encore', new Date('2026-07-01T07:00:00Z'), 'Europe/Paris')).toBe('\n\n--- 2026-07-01 09:00 +02:00 Europe/Paris ---\nEncore');
    expect(repeatBlock('Again', new Date('2026-11-30T17:55:00Z'), 'America/St_Johns')).toBe('\n\n--- 2026-11-30 14:25 -03:30 America/St_Johns ---\nAgain');
  });

  it('reads back as one entry per text, the first at the request’s arrival, each repeat at its stamp', () => {
    const stored = 'Ordonnance' + repeatBlock('Certificat\n\nde sport', new Date('2026-11-30T17:55:42Z'), 'Europe/Paris');
    expect(reasonEntries(stored, CREATED)).toEqual([
      { at: CREATED, text: 'Ordonnance' },
      { at: '2026-11-30T17:55:00.000Z', text: 'Certificat\n\nde sport' },
    ]);
    expect(reasonTexts(stored)).toEqual(['Ordonnance', 'Certificat\n\nde sport']);
  });

  it('keeps the exact instant on the night the clocks go back, thanks to the offset', () => {
    const second = 'A' + repeatBlock('B', new Date('2026-10-25T01:30:00Z'), 'Europe/Paris');
    expect(second).toContain('--- 2026-10-25 02:30 +01:00 Europe/Paris ---');
    expect(reasonEntries(second, CREATED)[1]).toEqual({ at: '2026-10-25T01:30:00.000Z', text: 'B' });
  });

  it('reads the older separators: the wall clock and zone intake wrote, the UTC instant the migration wrote', () => {
    const stored = 'A\n\n--- 2026-11-30 18:55 Europe/Paris ---\nB\n\n--- 2026-12-01T07:10:00.000Z ---\nC';
    expect(reasonEntries(stored, CREATED)).toEqual([
      { at: CREATED, text: 'A' },
      { at: '2026-11-30T17:55:00.000Z', text: 'B' },
      { at: '2026-12-01T07:10:00.000Z', text: 'C' },
    ]);
  });

  it('keeps an older wall clock that names two instants, or a zone this runtime does not know, as written', () => {
    const stored = 'A\n\n--- 2026-10-25 02:30 Europe/Paris ---\nB\n\n--- 2026-11-30 18:55 Europe/Nowhere ---\nC';
    expect(reasonEntries(stored, CREATED)).toEqual([
      { at: CREATED, text: 'A' },
      { at: null, stamp: '2026-10-25 02:30 Europe/Paris', text: 'B' },
      { at: null, stamp: '2026-11-30 18:55 Europe/Nowhere', text: 'C' },
    ]);
  });

  it('leaves a patient’s own line of dashes in their text', () => {
    const typed = 'Douleur\n\n--- depuis hier ---\nau genou';
    expect(reasonEntries(typed, CREATED)).toEqual([{ at: CREATED, text: typed }]);
  });
});
