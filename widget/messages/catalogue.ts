/**
 * The widget's sentences in one language, in three parts: those the first screen shows, fetched with it; the form's,
 * the receipt's and the emergency panel's, fetched with the form; and what the browser console is told when the
 * snippet is wrong, fetched only then. Read at build time only: scripts/build.js turns each language's modules (fr.ts,
 * fr-form.ts, fr-dev.ts…) into their values. The hours' sentences (shared/messages/hours.ts) stay in the first
 * screen's code in both languages: the holidays' names are kept in both, once computed, by shared/hours.ts.
 */
import type { Lang } from '../../shared/i18n.js';
import { widgetMessages } from '../../shared/messages/widget.js';
import { widgetPageMessages } from '../../shared/messages/widget-page.js';
import { emergencyMessages } from '../../shared/messages/emergency.js';

const FIRST_SCREEN = ['callPractice', 'callbackAction', 'hoursTitle', 'today', 'closuresTitle', 'instructionsTitle', 'instructionsMore', 'instructionsLess'] as const;

/** The emergency panel's sentences as `emergency_title`, `emergency_call`…: the form's, so its code holds neither language. */
export type EmergencySentences = Record<`emergency_${keyof (typeof emergencyMessages)['fr']}`, string>;
const emergency = (lang: Lang) => Object.fromEntries(Object.entries(emergencyMessages[lang]).map(([key, text]) => [`emergency_${key}`, text])) as EmergencySentences;

export type Sentences = (typeof widgetMessages)['fr'] & (typeof widgetPageMessages)['fr'] & EmergencySentences;
const all = (lang: Lang): Sentences => ({ ...widgetMessages[lang], ...widgetPageMessages[lang], ...emergency(lang) });

export const firstScreen = (lang: Lang): Partial<Sentences> => Object.fromEntries(FIRST_SCREEN.map((key) => [key, all(lang)[key]]));

/** What the console is told when the snippet is wrong: `dev_…`, fetched only then. */
const isForTheConsole = (key: string) => key.startsWith('dev_');

/** Sentences of the catalogue the widget never fetches: "unavailable" is in the entry (essential.ts); the others it never shows. */
const NOT_FETCHED = ['unavailable', 'loading', 'tomorrow', 'dayAt'];

export const theForm = (lang: Lang): Partial<Sentences> =>
  Object.fromEntries(
    Object.entries(all(lang)).filter(([key]) => !(FIRST_SCREEN as readonly string[]).includes(key) && !isForTheConsole(key) && !NOT_FETCHED.includes(key)),
  );

export const forTheConsole = (lang: Lang): Partial<Sentences> => Object.fromEntries(Object.entries(all(lang)).filter(([key]) => isForTheConsole(key)));
