/**
 * The widget's sentences, one language at a time and in parts, each a chunk of its own (messages/catalogue.ts): the
 * first screen's, fetched beside the practice's configuration; the form's, fetched with the form; the console's, fetched
 * when there is something to tell. A French page never downloads the English sentences. What must show when none of
 * them can come is in the entry (messages/essential.ts).
 */
import { format, type Lang } from '../shared/i18n.js';
import type { WidgetMessageKey as FormMessageKey } from '../shared/messages/widget.js';
import type { widgetPageMessages } from '../shared/messages/widget-page.js';
import type { EmergencySentences, Sentences as SentencesChunk } from './messages/catalogue.js';
import essential from './messages/essential.js';

export type WidgetMessageKey = FormMessageKey | keyof (typeof widgetPageMessages)['fr'] | keyof EmergencySentences;
type Sentences = Record<WidgetMessageKey, string>;
/** `screen`: what the first screen says; `all`: that and what the form says; `dev`: what the console is told. */
export type MessagesPart = 'screen' | 'all' | 'dev';

const chunks: Record<Lang, Record<MessagesPart, () => Promise<{ default: Partial<SentencesChunk> }>>> = {
  fr: { screen: () => import('./messages/fr.js'), all: () => import('./messages/fr-form.js'), dev: () => import('./messages/fr-dev.js') },
  en: { screen: () => import('./messages/en.js'), all: () => import('./messages/en-form.js'), dev: () => import('./messages/en-dev.js') },
};
const loaded: Record<Lang, Partial<Sentences>> = { fr: {}, en: {} };
const loading = new Map<string, Promise<void>>();

/** Fetches `lang`'s sentences once for the whole page (each part brings the first screen's too); after a failure, the next ask tries again. */
export function loadWidgetMessages(lang: Lang, part: MessagesPart = 'screen'): Promise<void> {
  const key = lang + part;
  let promise = loading.get(key);
  if (!promise) {
    const parts = part === 'screen' ? [chunks[lang].screen] : [chunks[lang].screen, chunks[lang][part]];
    promise = Promise.all(parts.map((chunk) => chunk())).then(
      (modules) => void modules.forEach((module) => Object.assign(loaded[lang], module.default)),
      (error: unknown) => {
        loading.delete(key);
        throw error;
      },
    );
    loading.set(key, promise);
  }
  return promise;
}

/** Whether `lang`'s first-screen sentences (`screen`), or the form's too (`all`), are here. */
export const hasWidgetMessages = (lang: Lang, part: Exclude<MessagesPart, 'dev'> = 'screen'): boolean => (part === 'all' ? 'formTitle' : 'hoursTitle') in loaded[lang];

/**
 * The loaded sentences, for code that asks whether a key exists (`key in widgetMessages.fr`): once the form is
 * there, its language is loaded whole, and every language has every key, so one not loaded reads as one that is.
 */
export const widgetMessages: Record<Lang, Sentences> = {
  get fr() {
    return ('formTitle' in loaded.fr ? loaded.fr : loaded.en) as Sentences;
  },
  get en() {
    return ('formTitle' in loaded.en ? loaded.en : loaded.fr) as Sentences;
  },
};

/** The widget's sentence for `key` in `lang`, placeholders filled; the widget draws nothing that needs one before its part is loaded. */
export function widgetText(lang: Lang, key: WidgetMessageKey, vars?: Record<string, string | number>): string {
  return format(loaded[lang][key] ?? '', vars);
}

/** "The form is unavailable, call the practice": the entry carries it in both languages. */
export const unavailableText = (lang: Lang): string => essential[lang];
