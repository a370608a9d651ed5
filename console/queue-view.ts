/** `<permanence-queue-view>`: the open requests (or the done list) of the practices the operator works for, live. */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { messageStatusText } from '../shared/messages/message-status.js';
import { consoleText, type ConsoleMessageKey } from '../shared/messages/console.js';
import type { ConsoleAlerts } from './alerts.js';
import { api } from './api.js';
import { holderName, isClaimed, isMine } from './claims.js';
import type { OpenQueueSnapshot } from './open-queue.js';
import { consoleStyles } from './styles.js';
import { durationText, instantText } from './time.js';
import { loadPracticeDirectory, type PracticeDirectory } from './practices.js';
import { ON_TIME_GRACE_MS, URGENCIES } from '../shared/callback.js';
import { typingIn } from './shortcuts.js';
import type { Me, QueueItem, QueuePage } from './types.js';

/**
 * The queue as the API orders it (red flags, urgency, due time, age). The open requests of all practices are the
 * app's own reading (`openQueue`, renewed on every event of the stream); the done list and one practice's requests
 * are read here whenever `changes` moves. Waiting times tick every 30 seconds.
 */
export class PermanenceQueueView extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      tr.red-flag-row {
        background: #fdf0ef;
      }
      tr.red-flag-row td:first-child {
        box-shadow: inset 4px 0 0 var(--danger);
      }
      tr.taken td {
        color: var(--muted);
      }
      td.reason {
        max-width: 22rem;
        overflow-wrap: anywhere;
      }
      .who {
        font-weight: 600;
      }
      .ref {
        font-family: ui-monospace, Menlo, Consolas, monospace;
        font-size: 0.9rem;
      }
      .empty {
        padding: 2rem 0;
      }
      .suspect {
        display: inline-block;
        margin-top: 0.2rem;
        font-weight: 600;
        color: #7a4a00;
      }
      .toolbar permanence-alert-settings {
        margin-left: auto;
      }
      .toolbar input[type='search'] {
        min-width: 16rem;
      }
      .toolbar .mine {
        display: flex;
        gap: 0.4rem;
        align-items: center;
        font-weight: normal;
      }
      .phone {
        font-variant-numeric: tabular-nums;
      }
      tr.selected {
        outline: 2px solid var(--accent);
        outline-offset: -2px;
      }
      /* A phone's width: each request becomes a card, its waiting time and due time labelled, nothing scrolls sideways. */
      @media (max-width: 40rem) {
        tr {
          display: grid;
          grid-template-columns: auto minmax(0, 1fr);
          grid-template-areas:
            'priority status'
            'patient patient'
            'reason reason'
            'waiting waiting'
            'due due';
          gap: 0.3rem 1rem;
          padding: 0.6rem 0.6rem 0.6rem 0.9rem;
          border-bottom: 1px solid var(--border);
        }
        td {
          padding: 0;
          border: 0;
        }
        td.priority {
          grid-area: priority;
        }
        td.patient {
          grid-area: patient;
        }
        td.reason {
          grid-area: reason;
          max-width: none;
          overflow-wrap: break-word;
        }
        td.waiting {
          grid-area: waiting;
        }
        td.due {
          grid-area: due;
        }
        td.status {
          grid-area: status;
          text-align: right;
        }
        td[data-label]::before {
          content: attr(data-label);
          margin-right: 0.5em;
          font-size: 0.8rem;
          color: var(--muted);
          text-transform: uppercase;
          letter-spacing: 0.03em;
        }
        tr.red-flag-row {
          box-shadow: inset 4px 0 0 var(--danger);
        }
        tr.red-flag-row td:first-child {
          box-shadow: none;
        }
        /* Wrapped under the filter, the alerts start on the left like it. */
        .toolbar permanence-alert-settings {
          margin-left: 0;
        }
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @property({ attribute: false }) accessor me: Me | undefined = undefined;
  @property({ attribute: false }) accessor listState: 'open' | 'done' = 'open';
  /** Bumped by the app on each event of the stream. */
  @property({ attribute: false }) accessor changes = 0;
  /** The app's reading of the open queue, every practice: what this view lists when not filtered. */
  @property({ attribute: false }) accessor openQueue: OpenQueueSnapshot | undefined = undefined;
  @property({ attribute: false }) accessor alerts: ConsoleAlerts | undefined = undefined;

  @state() private accessor items: QueueItem[] | undefined = undefined;
  /** The service holds more rows than one page: say so, so nobody thinks the list is complete. */
  @state() private accessor more = false;
  @state() private accessor practice = '';
  /** The search box as typed, sent as `q` once the operator pauses. */
  @state() private accessor search = '';
  @state() private accessor urgency = '';
  @state() private accessor stateFilter: 'open' | 'done' | 'all' = 'open';
  @state() private accessor mine = false;
  /** The row the keyboard is on (j/k, arrows); Enter opens it, c takes it. */
  @state() private accessor selected = -1;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Names and time zones; the service lists only the practices this account works for. */
  @state() private accessor practices: PracticeDirectory = new Map();
  @state() private accessor error = '';
  @state() private accessor now = new Date();

  private clock: ReturnType<typeof setInterval> | undefined;
  private loading = false;
  private again = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.clock = setInterval(() => (this.now = new Date()), 30_000);
    document.addEventListener('keydown', this.handleKeydown);
    void this.loadPractices();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
    clearTimeout(this.searchTimer);
    document.removeEventListener('keydown', this.handleKeydown);
  }

  /** The state listed: the page's own (queue or done), unless the filter chose another. */
  private get listed(): 'open' | 'done' | 'all' {
    return this.listState === 'done' ? (this.stateFilter === 'open' ? 'done' : this.stateFilter) : this.stateFilter;
  }

  /** The open requests of every practice, unfiltered: the app reads those already. */
  private get shared(): boolean {
    return this.listed === 'open' && !this.practice && !this.search.trim() && !this.urgency && !this.mine;
  }

  /** j/k or arrows move, Enter opens, c takes and opens, / goes to the search box; never while typing in a field. */
  private readonly handleKeydown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typingIn(event)) return;
    const rows = this.items ?? [];
    if (event.key === '/') {
      event.preventDefault();
      (this.renderRoot.querySelector('#search') as HTMLInputElement | null)?.focus();
    } else if ((event.key === 'j' || event.key === 'ArrowDown') && rows.length) {
      event.preventDefault();
      this.select(Math.min(rows.length - 1, this.selected + 1));
    } else if ((event.key === 'k' || event.key === 'ArrowUp') && rows.length) {
      event.preventDefault();
      this.select(Math.max(0, this.selected - 1));
    } else if (event.key === 'Enter' && rows[this.selected]) {
      event.preventDefault();
      location.hash = `#/callback/${encodeURIComponent(rows[this.selected]!.ref)}`;
    } else if (event.key === 'c' && rows[this.selected]) {
      event.preventDefault();
      void this.claimAndOpen(rows[this.selected]!.ref);
    }
  };

  private select(index: number): void {
    this.selected = index;
    void this.updateComplete.then(() => (this.renderRoot.querySelectorAll('a.who')[index] as HTMLElement | undefined)?.focus());
  }

  /** Taken from the list: the request page opens held by this operator, or says who was faster. */
  private async claimAndOpen(ref: string): Promise<void> {
    await api.post(`/v1/callbacks/${encodeURIComponent(ref)}/claim`, {});
    location.hash = `#/callback/${encodeURIComponent(ref)}`;
  }

  protected override willUpdate(changed: PropertyValues): void {
    const read = ['openQueue', 'listState', 'practice', 'urgency', 'stateFilter', 'mine', 'search'];
    if (this.shared && read.some((name) => changed.has(name))) this.takeShared();
  }

  protected override updated(changed: PropertyValues): void {
    const filters = ['changes', 'listState', 'practice', 'urgency', 'stateFilter', 'mine', 'search'];
    if (!this.shared && filters.some((name) => changed.has(name))) {
      if (changed.has('search') && !filters.some((name) => name !== 'search' && changed.has(name))) {
        // Typing: one request once the operator pauses, not one per key.
        clearTimeout(this.searchTimer);
        this.searchTimer = setTimeout(() => void this.load(), 250);
      } else void this.load();
    }
  }

  private takeShared(): void {
    const snapshot = this.openQueue;
    if (!snapshot) return;
    this.now = new Date();
    if (snapshot.page) {
      this.items = snapshot.page.items;
      this.more = snapshot.page.more;
    }
    this.error = snapshot.problem ? consoleText(this.language, snapshot.problem === 'network' ? 'errorNetwork' : 'errorGeneric') : '';
  }

  private async loadPractices(): Promise<void> {
    this.practices = await loadPracticeDirectory();
  }

  /** One load at a time; events arriving meanwhile ask for one more, so a burst costs two requests, not twenty. */
  private async load(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = true;
    try {
      do {
        this.again = false;
        const query = new URLSearchParams({ state: this.listed });
        if (this.practice) query.set('practice', this.practice);
        if (this.search.trim()) query.set('q', this.search.trim());
        if (this.urgency) query.set('urgency', this.urgency);
        if (this.mine) query.set('mine', '1');
        const result = await api.get<QueuePage>(`/v1/queue?${query}`);
        // Back to every practice meanwhile: the app's reading is the one to show.
        if (this.shared) return;
        this.now = new Date();
        if (result.ok) {
          this.items = result.value.items;
          this.more = result.value.more;
          this.error = '';
        } else {
          this.error = consoleText(this.language, result.status === 0 ? 'errorNetwork' : 'errorGeneric');
        }
      } while (this.again);
    } finally {
      this.loading = false;
    }
  }

  private handlePracticeChange(event: Event): void {
    this.practice = (event.target as HTMLSelectElement).value;
  }

  private handleSearchInput(event: Event): void {
    this.search = (event.target as HTMLInputElement).value;
    this.selected = -1;
  }

  private handleUrgencyChange(event: Event): void {
    this.urgency = (event.target as HTMLSelectElement).value;
  }

  private handleStateChange(event: Event): void {
    this.stateFilter = (event.target as HTMLSelectElement).value as 'open' | 'done' | 'all';
  }

  private handleMineChange(event: Event): void {
    this.mine = (event.target as HTMLInputElement).checked;
  }

  private get practiceOptions(): string[] {
    const slugs = new Set<string>([...(this.me?.practices ?? []), ...this.practices.keys()]);
    for (const item of this.items ?? []) slugs.add(item.practice);
    return [...slugs].sort();
  }

  private practiceName(slug: string): string {
    return this.practices.get(slug)?.name ?? slug;
  }

  protected override render() {
    const lang = this.language;
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(lang, key, vars);
    const done = this.listed !== 'open';
    const items = this.items;
    const filtered = !this.shared;
    return html`
      <h1 tabindex="-1">${t(this.listState === 'done' ? 'doneTitle' : 'queueTitle')}${items ? html` <span class="muted">(${items.length})</span>` : nothing}</h1>
      <div class="toolbar">
        <div>
          <label for="practice">${t('filterPractice')}</label>
          <select id="practice" @change=${this.handlePracticeChange}>
            <option value="" ?selected=${!this.practice}>${t('allPractices')}</option>
            ${this.practiceOptions.map((slug) => html`<option value=${slug} ?selected=${slug === this.practice}>${this.practiceName(slug)}</option>`)}
          </select>
        </div>
        <div>
          <label for="search">${t('searchLabel')}</label>
          <input id="search" type="search" autocomplete="off" .value=${this.search} @input=${this.handleSearchInput} aria-describedby="search-hint" />
          <p class="hint" id="search-hint">${t('searchHint')}</p>
        </div>
        <div>
          <label for="urgency">${t('filterUrgency')}</label>
          <select id="urgency" @change=${this.handleUrgencyChange}>
            <option value="" ?selected=${!this.urgency}>${t('allUrgencies')}</option>
            ${URGENCIES.map((u) => html`<option value=${u} ?selected=${u === this.urgency}>${t(`urgency_${u}`)}</option>`)}
          </select>
        </div>
        <div>
          <label for="state">${t('filterState')}</label>
          <select id="state" @change=${this.handleStateChange}>
            ${(['open', 'done', 'all'] as const).map((s) => html`<option value=${s} ?selected=${s === this.listed}>${t(`stateFilter_${s}`)}</option>`)}
          </select>
        </div>
        <label class="mine"><input type="checkbox" .checked=${this.mine} @change=${this.handleMineChange} /> ${t('filterMine')}</label>
        ${this.alerts ? html`<permanence-alert-settings .language=${lang} .alerts=${this.alerts}></permanence-alert-settings>` : nothing}
      </div>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${!items
        ? html`<p role="status">${t('loading')}</p>`
        : items.length === 0
          ? html`<p class="empty muted" role="status">${t(filtered && (this.search.trim() || this.urgency || this.mine) ? 'searchEmpty' : done ? 'doneEmpty' : 'queueEmpty')}</p>`
          : html`<table class="cards">
              <caption class="visually-hidden">${t(done ? 'doneCaption' : 'queueCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">${t('colPriority')}</th>
                  <th scope="col">${t('colPatient')}</th>
                  <th scope="col">${t('colReason')}</th>
                  <th scope="col">${t(done ? 'colHandledIn' : 'colWaiting')}</th>
                  <th scope="col">${t(done ? 'colAttempts' : 'colDue')}</th>
                  <th scope="col">${t('colStatus')}</th>
                </tr>
              </thead>
              <tbody>
                ${items.map((item, index) => this.renderRow(item, done, index === this.selected))}
              </tbody>
            </table>`}
      ${this.more && items ? html`<p class="muted" role="note">${t('queueMore', { count: items.length })}</p>` : nothing}
    `;
  }

  private renderRow(item: QueueItem, done: boolean, selected: boolean) {
    const lang = this.language;
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(lang, key, vars);
    const now = this.now;
    // The activity report's rule: a request made while open is due at once, and is on time for the grace period after.
    const overdue = now.getTime() - Date.parse(item.dueAt);
    const late = !done && overdue > ON_TIME_GRACE_MS;
    const zone = this.practices.get(item.practice)?.timezone;
    const claimed = isClaimed(item);
    const mine = isMine(item);
    const holder = holderName(item);
    const status = done
      ? t(`state_${item.state}`)
      : mine
        ? t('takenByYou')
        : claimed
          ? holder
            ? t('takenBy', { who: holder })
            : t('taken')
          : t('free');
    return html`<tr data-ref=${item.ref} data-state=${item.state} class=${[item.redFlag || item.kind === 'escalation' ? 'red-flag-row' : '', claimed && !mine && !done ? 'taken' : '', selected ? 'selected' : ''].join(' ')}>
      <td class="priority">
        ${item.redFlag ? html`<span class="red-flag">⚠ ${t('redFlag')}</span><br />` : nothing}
        ${item.kind === 'escalation' ? html`<span class="red-flag escalation">☎ ${messageStatusText(this.language, 'escalationBadge')}</span><br />` : nothing}
        <span class="badge ${item.urgency}">${t(`urgency_${item.urgency}`)}</span>
      </td>
      <td class="patient free-text">
        <a class="who" href="#/callback/${encodeURIComponent(item.ref)}" aria-label=${t('openRequest', { name: item.name, ref: item.ref })}>${item.name}</a><br />
        <span class="phone nowrap">${item.phoneNational}</span><br />
        <span class="ref nowrap">${item.ref}</span> · <span class="muted">${this.practiceName(item.practice)}</span>
        ${item.suspect ? html`<br /><span class="suspect">⚑ ${t('suspect')}</span>` : nothing}
      </td>
      <td class="reason">
        ${item.kind === 'escalation'
          ? messageStatusText(lang, 'escalationReason')
          : html`<permanence-reason-entries compact .entries=${item.reasonEntries} .language=${lang} .timeZone=${zone}></permanence-reason-entries>`}
      </td>
      <td class="waiting" data-label=${t(done ? 'colHandledIn' : 'colWaiting')}>
        ${done
          ? item.closedAt
            ? html`${durationText(Date.parse(item.closedAt) - Date.parse(item.createdAt), lang)}<br /><span class="muted">${t('closedOn', { at: instantText(item.closedAt, now, lang, zone) })}</span>`
            : '—'
          : durationText(now.getTime() - Date.parse(item.createdAt), lang)}
      </td>
      <td class="due" data-label=${t(done ? 'colAttempts' : 'colDue')}>
        ${done
          ? String(item.attempts)
          : html`${instantText(item.dueAt, now, lang, zone)}
            ${late ? html`<br /><span class="late">${t('lateBy', { duration: durationText(overdue, lang) })}</span>` : nothing}`}
      </td>
      <td class="status">${status}</td>
    </tr>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-queue-view': PermanenceQueueView;
  }
}
