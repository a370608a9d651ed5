/**
 * Asks, as soon as `widget.js` runs and before the rest of it is set up, for what the widgets already on the page will
 * need: each one's practice configuration and the first screen's sentences in its language. Each widget then takes
 * its configuration from here rather than asking again: on a slow phone, setting up the script takes about as long
 * as a round trip, and the two now overlap. Imported first by index.ts, so that it runs first.
 */
import { zonedDate } from '../shared/hours.js';
import { toLang, type Lang } from '../shared/i18n.js';
import type { WidgetConfig } from '../shared/schemas.js';
import { fetchWidgetConfig, type ApiResult } from './api.js';
import { loadWidgetMessages } from './messages.js';

/** Where `widget.js` was served from: the service, unless the page says otherwise with `api`. */
export const scriptOrigin = new URL(import.meta.url).origin;

/** The patient's language: the element's `lang`, else the page's nearest `lang`, else the browser's, else French. */
export function detectLang(element: Element, explicit: string | null | undefined): Lang {
  const fromPage = element.parentElement?.closest('[lang]')?.getAttribute('lang');
  return toLang(explicit) ?? toLang(fromPage) ?? navigator.languages.map((tag) => toLang(tag)).find(Boolean) ?? 'fr';
}

const prefetched = new Map<string, Promise<ApiResult<WidgetConfig>>>();
const keyOf = (api: string, practice: string) => `${api}|${practice}`;

/** The configuration asked for when the script started, once: a widget loading again asks afresh (a new form token). */
export function takePrefetched(api: string, practice: string): Promise<ApiResult<WidgetConfig>> | undefined {
  const key = keyOf(api, practice);
  const answer = prefetched.get(key);
  prefetched.delete(key);
  return answer;
}

for (const widget of document.querySelectorAll('permanence-widget')) {
  const practice = widget.getAttribute('practice');
  if (!practice) continue;
  const api = widget.getAttribute('api') || scriptOrigin;
  if (!prefetched.has(keyOf(api, practice))) prefetched.set(keyOf(api, practice), fetchWidgetConfig(api, practice));
  // Failures are the widget's to tell when it asks again.
  loadWidgetMessages(detectLang(widget, widget.getAttribute('lang'))).catch(() => {});
}

// The first date read in a time zone sets up the browser's calendar data, some 50 ms on a slow phone: done now, while
// the network works, rather than once the configuration has come. Practices are in France, mostly.
if (prefetched.size) setTimeout(() => zonedDate(new Date(), 'Europe/Paris'));
