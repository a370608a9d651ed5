/** People's names: the one normaliser used by validation (what is stored), the open-request key and search. */

/** A name as stored: Unicode composed, runs of spaces made one, trimmed. */
export const tidyName = (name: string): string => name.normalize('NFC').replace(/\s+/g, ' ').trim();

/** A name as compared: case, accents and spacing do not make another person ("Éloïse  DURAND" is "eloise durand"). */
export const nameKey = (name: string): string => tidyName(name).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
