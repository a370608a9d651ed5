// The one name normaliser: what is stored (tidied) and what is compared (the key of the one-open-request rule).
import { describe, expect, it } from 'vitest';
import { nameKey, tidyName } from '../../shared/names.js';

describe('names', () => {
  it('stores a name composed, its spaces made one, trimmed', () => {
    expect(tidyName('  E\u0301loi\u0308se \t  Durand ')).toBe('Éloïse Durand');
  });

  it('compares names without case, accents, spacing or invisible characters', () => {
    const key = nameKey('Éloïse Durand');
    for (const same of ['eloise durand', 'ÉLOÏSE   DURAND', 'E\u0301loi\u0308se Durand', 'Éloïse\u200b Durand', '\ufeffÉloïse Du\u200drand']) expect(nameKey(same)).toBe(key);
    expect(nameKey('Éloïse Dupont')).not.toBe(key);
  });
});
