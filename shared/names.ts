/** People's names: the one normaliser used by validation (what is stored), the open-request key and search. */

/** A name as stored: Unicode composed, runs of spaces made one, trimmed. */
export const tidyName = (name: string): string => name.normalize('NFC').replace(/\s+/g, ' ').trim();

/**
 * A name as compared: case, accents, spacing and invisible characters do not make another person ("Éloïse  DURAND"
 * is "eloise durand", and so is "Éloïse\u200b Durand").
 */
export const nameKey = (name: string): string => tidyName(name.replace(/\p{Cf}/gu, '')).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
