/** The two languages every text a person reads exists in, and the tiny formatter the catalogues use. */

export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** The locale each language formats dates and numbers with: France's French, and British English (day before month, 24-hour clock). */
export const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

/** A catalogue: the same keys in French and English, checked by the type system. */
export type Catalogue<K extends string> = Record<Lang, Record<K, string>>;

/** Replaces `{name}` placeholders; a missing value is left visible so a gap is noticed, not hidden. */
export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}

/** Picks `fr` or `en` from a BCP 47 tag such as `en-GB`; undefined for any other language, so the caller picks the next clue. */
export function toLang(tag: string | null | undefined): Lang | undefined {
  const base = tag?.trim().slice(0, 2).toLowerCase();
  return LANGS.find((lang) => lang === base);
}
