/** Browser-test helpers: a fake service behind `fetch`, mounting widgets, reaching into shadow roots, small asserts. */
import type { CallbackCreated, WidgetConfig } from '../../shared/schemas.js';

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export function equal<T>(actual: T, expected: T, message = ''): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message} expected ${e}, got ${a}`);
}

export async function waitFor<T>(probe: () => T | null | undefined | false, what: string, timeout = 3000): Promise<T> {
  const until = performance.now() + timeout;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every day open round the clock, so that what the tests expect does not hang on when they run. */
export function practiceConfig(slug = 'cabinet-martin', overrides: Partial<WidgetConfig> = {}): WidgetConfig {
  const allDay: [string, string][] = [['00:00', '24:00']];
  return {
    practice: { slug, name: slug === 'cabinet-martin' ? 'Cabinet du Dr Martin' : `Cabinet ${slug}`, phone: '+33142868200', timezone: 'Europe/Paris', privacyUrl: 'https://example.org/privacy' },
    hours: { timezone: 'Europe/Paris', weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay } },
    instructions: {
      fr: 'Venez **seul**, avec un masque.\n\n- Ne venez pas en avance\n- Appelez le [01 42 86 82 00](tel:+33142868200)\n\nVoir [le plan](https://example.org/plan).',
      en: 'Come **alone**, wearing a mask.',
    },
    channels: ['sms', 'email'],
    status: { open: true, nextChange: null },
    formToken: 'token-123',
    ...overrides,
  };
}

export interface RecordedCall {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

type Reply = Response | 'network';
interface Service {
  config?: (slug: string) => Reply;
  callback?: (slug: string, body: any, call: RecordedCall) => Reply;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

export const created = (over: Partial<CallbackCreated> = {}): CallbackCreated => ({
  ref: 'CB-7K3F9Q',
  status: 'queued',
  dueAt: new Date().toISOString(),
  redFlag: false,
  confirmBy: 'sms',
  ...over,
});

const realFetch = globalThis.fetch;

/** Replaces `fetch` with a fake of the two public routes; `restoreFetch` puts the real one back. */
export function fakeService(service: Service = {}): RecordedCall[] {
  const calls: RecordedCall[] = [];
  globalThis.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const call: RecordedCall = {
      url,
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const match = /\/v1\/practices\/([^/]+)\/(widget|callbacks)$/.exec(new URL(url).pathname);
    let reply: Reply = json(404, { error: { code: 'not_found', message: 'Not found' } });
    if (match?.[2] === 'widget') reply = (service.config ?? ((slug) => json(200, practiceConfig(slug))))(decodeURIComponent(match[1]!));
    if (match?.[2] === 'callbacks') reply = (service.callback ?? (() => json(201, created())))(decodeURIComponent(match[1]!), call.body, call);
    if (reply === 'network') throw new TypeError('Failed to fetch');
    return reply;
  };
  return calls;
}

export function restoreFetch(): void {
  globalThis.fetch = realFetch;
}

let mounted: HTMLElement[] = [];
const realNow = Date.now;

/** Moves `Date.now` forward by `ms`, as if that much time had passed; `unmountAll` puts the real clock back. */
export function elapse(ms: number): void {
  const skewed = Date.now() + ms - realNow();
  Date.now = () => realNow() + skewed;
}

/** Puts markup on the page; `unmountAll` after each test. */
export function mount(markup: string): HTMLElement {
  const container = document.createElement('div');
  container.innerHTML = markup;
  document.body.append(container);
  mounted.push(container);
  return container;
}

export function unmountAll(): void {
  for (const container of mounted) container.remove();
  mounted = [];
  Date.now = realNow;
}

/** `deep(el, 'permanence-callback-form', '#name')`: each selector is looked up in the shadow root of the previous match. */
export function deep<T extends Element = HTMLElement>(root: Element, ...selectors: string[]): T | null {
  let at: Element | null = root;
  for (const selector of selectors) {
    at = at?.shadowRoot?.querySelector(selector) ?? null;
    if (!at) return null;
  }
  return at as T | null;
}

/** The deepest focused element, through shadow roots. */
export function activeElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Types into a field the way a browser does: value, then an `input` event. */
export function type(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/** Mounts one widget and waits for its form. */
export async function readyWidget(attributes = 'practice="cabinet-martin" lang="fr"', content = ''): Promise<HTMLElement> {
  const container = mount(`<permanence-widget ${attributes}>${content}</permanence-widget>`);
  const widget = container.querySelector('permanence-widget')!;
  await waitFor(() => deep(widget, 'permanence-callback-form', 'form'), 'the form');
  return widget;
}

export const form = (widget: Element) => deep(widget, 'permanence-callback-form')!;
export const field = <T extends HTMLElement = HTMLInputElement>(widget: Element, selector: string) => deep<T>(widget, 'permanence-callback-form', selector)!;

/**
 * Fills every required field with acceptable values, as a person does in `took` ms (the clock is moved, not waited for):
 * the widget holds back a request sent under 3 s after it loaded, which the service would take for a bot's.
 */
export function fillValidForm(widget: Element, took = 3000): void {
  type(field(widget, '#name'), 'Jeanne Dupont');
  type(field(widget, '#phone'), '06 12 34 56 78');
  type(field<HTMLTextAreaElement>(widget, '#reason'), 'Renouvellement d’ordonnance');
  field(widget, 'input[name="consent"]').click();
  elapse(took);
}

export async function settle(element: Element): Promise<void> {
  await (element as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  await new Promise((resolve) => setTimeout(resolve, 0));
}
