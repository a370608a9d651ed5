/** `<permanence-console>`: the operator console's shell: sign-in, navigation by hash route, language, the live event stream and its alerts. */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { LANGS, toLang, type Lang } from '../shared/i18n.js';
import { consoleText, type ConsoleMessageKey } from '../shared/messages/console.js';
import { ConsoleAlerts, type AlertRequest } from './alerts.js';
import { api } from './api.js';
import { OpenQueue, type OpenQueueSnapshot } from './open-queue.js';
import { loadPracticeDirectory, type PracticeDirectory } from './practices.js';
import { consoleStyles } from './styles.js';
import type { Me, QueueChange, QueueItem } from './types.js';
import { SHORTCUTS, typingIn } from './shortcuts.js';

/** A parsed hash route: the view and its one parameter (a reference or a slug). */
export interface Route {
  view: 'queue' | 'done' | 'callback' | 'messages' | 'practices' | 'practice' | 'users' | 'reports' | 'audit' | 'outbox' | 'patients';
  param?: string;
}

function parseRoute(hash: string): Route | undefined {
  const [first, second] = hash.replace(/^#\/?/, '').split('/').map((part) => decodeURIComponent(part));
  switch (first) {
    case 'queue':
    case 'done':
    case 'messages':
    case 'users':
    case 'reports':
    case 'audit':
    case 'outbox':
    case 'patients':
      return { view: first };
    case 'callback':
      return second ? { view: 'callback', param: second } : undefined;
    case 'practices':
      return second ? { view: 'practice', param: second } : { view: 'practices' };
    default:
      return undefined;
  }
}

const LANG_KEY = 'permanence-console-lang';
/** Each language in its own words, as the language menu offers it. */
const LANGUAGE_NAMES: Record<Lang, string> = { fr: 'Français', en: 'English' };

/** The console's language: the one chosen here before, else the browser's, else French. */
function initialLang(): Lang {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LANG_KEY);
  } catch {
    // Storage refused (private mode): the browser's language it is.
  }
  return toLang(saved) ?? navigator.languages.map((tag) => toLang(tag)).find(Boolean) ?? 'fr';
}

const NAV: { view: Route['view']; key: ConsoleMessageKey; roles: Me['role'][] }[] = [
  { view: 'queue', key: 'navQueue', roles: ['admin', 'operator'] },
  { view: 'done', key: 'navDone', roles: ['admin', 'operator'] },
  { view: 'messages', key: 'navMessages', roles: ['admin', 'practitioner'] },
  { view: 'practices', key: 'navPractices', roles: ['admin'] },
  { view: 'users', key: 'navUsers', roles: ['admin'] },
  { view: 'reports', key: 'navReports', roles: ['admin'] },
  { view: 'outbox', key: 'navOutbox', roles: ['admin'] },
  { view: 'patients', key: 'navPatients', roles: ['admin'] },
  { view: 'audit', key: 'navAudit', roles: ['admin'] },
];

/** Which role may open which view; `practice` and `callback` follow their lists. */
function allowed(view: Route['view'], role: Me['role']): boolean {
  const base = view === 'callback' ? 'queue' : view === 'practice' ? 'practices' : view;
  return NAV.some((item) => item.view === base && item.roles.includes(role));
}

/** A red flag nobody has taken yet: it keeps alerting, and marks the tab title. */
const waitingRedFlag = (item: QueueItem): boolean => item.redFlag && item.state === 'queued';

/**
 * The console application. Operators land on the queue, practitioners on their messages.
 * One `EventSource` per page feeds every view: each change bumps `changes`, which views reload on, and
 * reads the open queue once for the whole page: the queue page lists it, the tab title counts it
 * (`⚠ (3) File d’attente · …`, the mark while a red flag waits) and the alerts announce what arrived.
 */
export class PermanenceConsole extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      :host {
        font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
        color: #1b1f24;
        min-height: 100vh;
      }
      .skip {
        position: absolute;
        left: -999px;
        top: 0;
        background: #fff;
        padding: 0.5rem 1rem;
        z-index: 10;
      }
      .skip:focus {
        left: 0.5rem;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.5rem;
        align-items: center;
        padding: 0.5rem 1.25rem;
        background: #102a43;
        color: #fff;
      }
      header a,
      header button.link {
        color: #fff;
      }
      .brand {
        font-weight: 700;
        font-size: 1.1rem;
        margin-right: 0.5rem;
      }
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        display: inline-block;
        padding: 0.4rem 0.7rem;
        border-radius: 6px;
        text-decoration: none;
      }
      nav a[aria-current='page'] {
        background: #fff;
        color: #102a43;
        font-weight: 700;
      }
      .account {
        margin-left: auto;
        display: flex;
        gap: 0.75rem;
        align-items: center;
        flex-wrap: wrap;
      }
      .account select {
        padding: 0.2em 0.3em;
      }
      .account label {
        margin: 0;
        font-weight: normal;
      }
      .live {
        font-size: 0.85rem;
      }
      button.link {
        background: none;
        border: 1px solid currentColor;
        min-height: 32px;
        padding: 0.2em 0.7em;
        font-weight: normal;
      }
      main {
        padding: 1.25rem;
        max-width: 1200px;
        margin: 0 auto;
      }
      header :focus-visible {
        outline-color: #fbbf24;
      }
      dialog.shortcuts {
        max-width: min(32rem, calc(100vw - 2rem));
        border: 1px solid #c5ced8;
        border-radius: 8px;
        padding: 1rem 1.25rem;
      }
      dialog.shortcuts::backdrop {
        background: rgb(16 42 67 / 0.4);
      }
      dialog.shortcuts dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.4rem 1rem;
      }
      dialog.shortcuts dt {
        white-space: nowrap;
      }
      dialog.shortcuts dd {
        margin: 0;
      }
      kbd {
        display: inline-block;
        min-width: 1.1em;
        padding: 0 0.3em;
        margin: 0 0.1em;
        border: 1px solid currentColor;
        border-radius: 3px;
        font: 0.85em ui-monospace, Menlo, Consolas, monospace;
        text-align: center;
      }
    `,
  ];

  @state() private accessor language: Lang = initialLang();
  @state() private accessor me: Me | undefined = undefined;
  @state() private accessor signedOut = false;
  @state() private accessor route: Route | undefined = parseRoute(location.hash);
  @state() private accessor changes = 0;
  @state() private accessor lastChange: QueueChange | undefined = undefined;
  @state() private accessor live: 'connecting' | 'open' | 'lost' = 'connecting';
  @state() private accessor announcement = '';
  @state() private accessor openQueue: OpenQueueSnapshot = { page: undefined, problem: undefined, covers: 0 };

  private events: EventSource | undefined;
  private readonly queueReader = new OpenQueue((snapshot) => this.handleQueueRead(snapshot));
  private readonly alerts = new ConsoleAlerts();
  /** Requests announced by the stream, waiting for a reading of the queue that tells how urgent they are. */
  private readonly arrivals = new Map<string, { practice: string; after: number }>();
  /** Names for the alerts; a practice created since is read again. */
  private practices: PracticeDirectory = new Map();
  private practicesLoading: Promise<void> | undefined;
  private readonly handleHashChange = () => (this.route = parseRoute(location.hash));

  /** `?` opens the list of shortcuts, for operators (the keys work the queue); Escape closes it (the dialog's own). */
  private readonly handleHelpKey = (event: KeyboardEvent): void => {
    if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey || typingIn(event) || !this.me || this.me.role === 'practitioner') return;
    event.preventDefault();
    this.openHelp();
  };

  private openHelp(): void {
    const dialog = this.renderRoot.querySelector('dialog.shortcuts') as HTMLDialogElement | null;
    if (dialog && !dialog.open) dialog.showModal();
  }

  private closeHelp(): void {
    (this.renderRoot.querySelector('dialog.shortcuts') as HTMLDialogElement | null)?.close();
  }

  private renderHelp(lang: Lang) {
    const t = (key: ConsoleMessageKey) => consoleText(lang, key);
    return html`<dialog class="shortcuts" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">${t('shortcutsTitle')}</h2>
      <p>${t('shortcutsIntro')}</p>
      <dl>
        ${SHORTCUTS.map((s) => html`<dt>${s.keys.map((k) => html`<kbd>${k}</kbd>`)}</dt><dd>${t(s.what)}</dd>`)}
      </dl>
      <div class="actions"><button type="button" class="secondary" @click=${this.closeHelp}>${t('close')}</button></div>
    </dialog>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.handleHashChange);
    document.addEventListener('keydown', this.handleHelpKey);
    api.onUnauthenticated = () => this.handleSignedOut();
    this.alerts.language = this.language;
    this.alerts.onAnnounce = (text) => this.announce(text);
    this.alerts.onOpen = (ref) => (location.hash = `#/callback/${encodeURIComponent(ref)}`);
    void this.loadMe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.handleHashChange);
    document.removeEventListener('keydown', this.handleHelpKey);
    this.events?.close();
    this.alerts.stop();
  }

  private async loadMe(): Promise<void> {
    const result = await api.get<Me>('/v1/me');
    if (!result.ok) {
      this.signedOut = true;
      return;
    }
    this.me = result.value;
    api.csrfToken = result.value.csrfToken;
    this.signedOut = false;
    // A temporary password opens nothing but its own replacement: no queue, no stream, until it is changed.
    if (this.me.mustChangePassword) return;
    if (!this.route || !allowed(this.route.view, this.me.role)) location.hash = this.me.role === 'practitioner' ? '#/messages' : '#/queue';
    if (this.me.role !== 'practitioner') {
      this.alerts.start();
      void this.loadPractices();
      this.queueReader.refresh();
      this.listen();
    }
  }

  private loadPractices(): Promise<void> {
    this.practicesLoading ??= (async () => {
      this.practices = await loadPracticeDirectory();
      this.practicesLoading = undefined;
    })();
    return this.practicesLoading;
  }

  /** Every queue change reaches the views; an `open` after a drop also reloads, since events may have been missed. */
  private listen(): void {
    this.events?.close();
    const source = (this.events = new EventSource('/v1/events'));
    source.addEventListener('open', () => {
      if (this.live === 'lost') this.rereadAll();
      this.live = 'open';
    });
    source.addEventListener('error', () => {
      this.live = 'lost';
      // A closed stream is not retried by the browser: most likely the session ended.
      if (source.readyState === EventSource.CLOSED) void this.recheckSession();
    });
    const onChange = (type: QueueChange['type']) => (event: MessageEvent<string>) => {
      let data: { ref?: string; practice?: string };
      try {
        data = JSON.parse(event.data) as typeof data;
      } catch {
        return;
      }
      if (!data.ref || !data.practice) return;
      this.lastChange = { type, ref: data.ref, practice: data.practice };
      this.changes++;
      const reading = this.queueReader.refresh();
      // How urgent it is, the queue tells: the alert waits for a reading made after the event.
      if (type === 'callback.created') this.arrivals.set(data.ref, { practice: data.practice, after: reading });
    };
    source.addEventListener('callback.created', onChange('callback.created'));
    source.addEventListener('callback.updated', onChange('callback.updated'));
    // The service may have missed changes made on its other instances: every view reads again, as after a drop.
    source.addEventListener('resync', () => this.rereadAll());
  }

  /** Changes may have gone unheard: every view reads again, the request page whatever request it shows. */
  private rereadAll(): void {
    this.lastChange = undefined;
    this.changes++;
    this.queueReader.refresh();
  }

  /** Each reading of the open queue: the title's count, the alerts of what arrived, the red flags still waiting. */
  private handleQueueRead(snapshot: OpenQueueSnapshot): void {
    if (!this.me) return;
    this.openQueue = snapshot;
    const items = snapshot.page?.items ?? [];
    for (const [ref, arrival] of this.arrivals) {
      if (snapshot.covers < arrival.after) continue;
      this.arrivals.delete(ref);
      const item = items.find((row) => row.ref === ref);
      // Gone from a complete reading: closed or cancelled already, nothing left to announce.
      if (!item && !snapshot.problem && !snapshot.page?.more) continue;
      this.alerts.arrived(item ? this.alertRequest(item) : { ref, practiceName: this.practiceName(arrival.practice), redFlag: false, urgency: undefined });
    }
    // A failed reading says nothing about who took what: the red flags keep alerting as they were.
    if (!snapshot.problem) this.alerts.keepAlerting(items.filter(waitingRedFlag).map((item) => this.alertRequest(item)));
  }

  private alertRequest(item: QueueItem): AlertRequest {
    return { ref: item.ref, practiceName: this.practiceName(item.practice), redFlag: item.redFlag, urgency: item.urgency };
  }

  private practiceName(slug: string): string {
    const known = this.practices.get(slug);
    if (!known) void this.loadPractices();
    return known?.name ?? slug;
  }

  private async recheckSession(): Promise<void> {
    const result = await api.get<Me>('/v1/me');
    if (result.ok) setTimeout(() => this.me && this.listen(), 3_000);
  }

  /** Emptied first so that the same sentence twice is still read out. */
  private announce(text: string): void {
    this.announcement = '';
    requestAnimationFrame(() => (this.announcement = text));
  }

  private handleSignedOut(): void {
    this.events?.close();
    this.events = undefined;
    this.alerts.stop();
    this.arrivals.clear();
    this.queueReader.clear();
    this.openQueue = this.queueReader.current;
    this.me = undefined;
    this.signedOut = true;
  }

  private handleSignedIn = () => void this.loadMe();

  private async handleLogout(): Promise<void> {
    await api.request('DELETE', '/v1/session');
    this.handleSignedOut();
  }

  private handleLangChange(event: Event): void {
    this.language = (event.target as HTMLSelectElement).value as Lang;
    this.alerts.language = this.language;
    try {
      localStorage.setItem(LANG_KEY, this.language);
    } catch {
      // Not remembered, still switched.
    }
  }

  protected override updated(changed: PropertyValues): void {
    document.documentElement.lang = this.language;
    if (changed.has('route') || changed.has('language') || changed.has('openQueue')) {
      const t = (key: ConsoleMessageKey) => consoleText(this.language, key);
      const view = this.route ? NAV.find((item) => item.view === this.route!.view)?.key : undefined;
      // What a background tab shows of the queue: how many requests are open, and a mark while a red flag waits.
      const page = this.openQueue.page;
      const count = page?.items.length ? `(${page.items.length}${page.more ? '+' : ''}) ` : '';
      const mark = page?.items.some(waitingRedFlag) ? '⚠ ' : '';
      document.title = `${mark}${count}${view ? `${t(view)} · ` : ''}${t('appName')}`;
    }
    // A new view takes the focus to its heading, so keyboard and screen-reader users start there.
    if (changed.has('route') && changed.get('route') !== undefined) {
      const view = this.renderRoot.querySelector('main > *') as (HTMLElement & { updateComplete?: Promise<unknown> }) | null;
      void view?.updateComplete?.then(() => (view.shadowRoot?.querySelector('h1') as HTMLElement | null)?.focus());
    }
  }

  protected override render() {
    const lang = this.language;
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(lang, key, vars);
    const me = this.me;
    return html`
      <a class="skip" href="#main" @click=${this.handleSkip}>${t('skipToContent')}</a>
      <header>
        <span class="brand">${t('appName')}</span>
        ${me && !me.mustChangePassword
          ? html`<nav aria-label=${t('navLabel')}>
              <ul>
                ${NAV.filter((item) => item.roles.includes(me.role)).map(
                  (item) =>
                    html`<li><a href="#/${item.view}" aria-current=${this.isCurrent(item.view) ? 'page' : nothing}>${t(item.key)}</a></li>`,
                )}
              </ul>
            </nav>`
          : nothing}
        <div class="account">
          ${me && !me.mustChangePassword && me.role !== 'practitioner' ? html`<span class="live" role="status">${t(this.live === 'open' ? 'liveOn' : this.live === 'lost' ? 'liveLost' : 'liveConnecting')}</span>` : nothing}
          <label>
            <span class="visually-hidden">${t('language')}</span>
            <select @change=${this.handleLangChange} aria-label=${t('language')}>
              ${LANGS.map((l) => html`<option value=${l} ?selected=${l === lang}>${LANGUAGE_NAMES[l]}</option>`)}
            </select>
          </label>
          ${me && me.role !== 'practitioner' ? html`<button class="link help" @click=${this.openHelp} aria-keyshortcuts="?">${t('shortcutsButton')}</button>` : nothing}
          ${me
            ? html`<span>${me.name || me.email}</span>
                <button class="link" @click=${this.handleLogout}>${t('logout')}</button>`
            : nothing}
        </div>
      </header>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" id="announcer">${this.announcement}</div>
      <main id="main" tabindex="-1">${this.renderView(lang)}</main>
      ${me && me.role !== 'practitioner' ? this.renderHelp(lang) : nothing}
    `;
  }

  private handleSkip(event: Event): void {
    event.preventDefault();
    (this.renderRoot.querySelector('main') as HTMLElement).focus();
  }

  private isCurrent(view: Route['view']): boolean {
    const current = this.route?.view;
    return current === view || (view === 'practices' && current === 'practice') || (view === 'queue' && current === 'callback');
  }

  private renderView(lang: Lang): TemplateResult | typeof nothing {
    if (this.signedOut) return html`<permanence-login .language=${lang} @permanence-signed-in=${this.handleSignedIn}></permanence-login>`;
    const me = this.me;
    const route = this.route;
    if (me?.mustChangePassword) return html`<permanence-password-change .language=${lang} @permanence-signed-in=${this.handleSignedIn}></permanence-password-change>`;
    if (!me || !route) return html`<p role="status">${consoleText(lang, 'loading')}</p>`;
    if (!allowed(route.view, me.role)) return html`<h1 tabindex="-1">${consoleText(lang, 'forbidden')}</h1>`;
    switch (route.view) {
      case 'queue':
      case 'done':
        return html`<permanence-queue-view
          .language=${lang}
          .me=${me}
          .listState=${route.view === 'done' ? 'done' : 'open'}
          .changes=${this.changes}
          .openQueue=${this.openQueue}
          .alerts=${this.alerts}
        ></permanence-queue-view>`;
      case 'callback':
        return html`<permanence-callback-view .language=${lang} .me=${me} .callbackRef=${route.param!} .changes=${this.changes} .lastChange=${this.lastChange} .openQueue=${this.openQueue}></permanence-callback-view>`;
      case 'messages':
        return html`<permanence-messages-view .language=${lang} .me=${me}></permanence-messages-view>`;
      case 'practices':
        return html`<permanence-practices-view .language=${lang}></permanence-practices-view>`;
      case 'practice':
        // The contacts and on-call schedule have their own form and save, below the practice's; a practice not created yet has none.
        return html`<permanence-practice-editor .language=${lang} .slug=${route.param!} .publicUrl=${me.publicUrl}></permanence-practice-editor>
          ${route.param === 'new' ? nothing : html`<permanence-on-call-editor .language=${lang} .slug=${route.param!}></permanence-on-call-editor>`}`;
      case 'users':
        return html`<permanence-users-view .language=${lang}></permanence-users-view>`;
      case 'reports':
        return html`<permanence-reports-view .language=${lang}></permanence-reports-view>`;
      case 'audit':
        return html`<permanence-audit-view .language=${lang}></permanence-audit-view>`;
      case 'outbox':
        return html`<permanence-outbox-view .language=${lang}></permanence-outbox-view>`;
      case 'patients':
        return html`<permanence-patients-view .language=${lang}></permanence-patients-view>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-console': PermanenceConsole;
  }
}
