/** `<permanence-outbox-view>`: undelivered messages (admin): those given up or waiting for another try, each with "Retry now". */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LOCALES, type Lang } from '../shared/i18n.js';
import { consoleText, outboxPurposeText, type ConsoleMessageKey } from '../shared/messages/console.js';
import { api, type ApiResult } from './api.js';
import { consoleStyles } from './styles.js';
import type { ListOf, OutboxRetry, OutboxRow } from './types.js';

type Shown = 'dead' | 'pending';

/**
 * The list of `GET /v1/outbox?state=…`. "Retry now" tries one message at once (`POST /v1/outbox/:id/retry`); its
 * button stays unavailable until the try is over, the outcome is said in words in a live region, and the list reloads.
 */
export class PermanenceOutboxView extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      td.error-text {
        font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
        font-size: 0.85rem;
      }
      td .purpose {
        display: block;
        color: var(--muted);
        font-size: 0.9rem;
      }
      button[aria-disabled='true'] {
        opacity: 0.6;
        cursor: progress;
      }
      .intro {
        max-width: 48rem;
        margin-bottom: 1rem;
      }
      caption {
        text-align: left;
        color: var(--muted);
        padding-bottom: 0.5rem;
      }
      /* A phone screen: each message a block of its own rather than a table wider than the screen. */
      @media (max-width: 640px) {
        caption {
          display: block;
        }
        tr {
          border-bottom: 1px solid var(--border);
          padding: 0.5rem 0;
        }
        td {
          border: 0;
          padding: 0.2rem 0;
        }
        td[data-label]::before {
          content: attr(data-label) ' ';
          font-weight: 600;
          color: var(--muted);
        }
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @state() private accessor shown: Shown = 'dead';
  @state() private accessor items: OutboxRow[] | undefined = undefined;
  @state() private accessor error = '';
  /** The messages whose try is under way: their button is unavailable until it is over. */
  @state() private accessor trying: ReadonlySet<number> = new Set();
  /** The last try's outcome, in words. */
  @state() private accessor outcome: { text: string; ok: boolean } | undefined = undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const result = await api.get<ListOf<OutboxRow>>(`/v1/outbox?state=${this.shown}`);
    if (result.ok) {
      this.items = result.value.items;
      this.error = '';
    } else this.error = consoleText(this.language, 'errorGeneric');
  }

  private handleShownChange(event: Event): void {
    this.shown = (event.target as HTMLSelectElement).value as Shown;
    this.items = undefined;
    void this.load();
  }

  private async handleRetry(item: OutboxRow): Promise<void> {
    if (this.trying.has(item.id)) return;
    this.trying = new Set([...this.trying, item.id]);
    // Emptied first, so that the same sentence twice is still read out.
    this.outcome = undefined;
    const result = await api.post<OutboxRetry>(`/v1/outbox/${item.id}/retry`);
    const rest = new Set(this.trying);
    rest.delete(item.id);
    this.trying = rest;
    this.outcome = this.outcomeOf(item, result);
    await this.load();
    // The button pressed may be gone with its row (sent, or erased meanwhile): the keyboard starts again from the heading.
    if (!this.items?.some((i) => i.id === item.id)) {
      await this.updateComplete;
      this.renderRoot.querySelector('h1')?.focus();
    }
  }

  /** What became of the try, as the admin reads it. */
  private outcomeOf(item: OutboxRow, result: ApiResult<OutboxRetry>): { text: string; ok: boolean } {
    const lang = this.language;
    const vars = { recipient: item.recipient };
    if (result.ok) {
      const answer = result.value;
      if (answer.outcome === 'sent') return { text: consoleText(lang, 'retrySent', vars), ok: true };
      const key = answer.state === 'dead' ? 'retryFailedDead' : 'retryFailedPending';
      return { text: consoleText(lang, key, { ...vars, error: answer.error ?? '—' }), ok: false };
    }
    if (result.status === 404) return { text: consoleText(lang, 'retryGone', vars), ok: false };
    if (result.status === 409) return { text: consoleText(lang, 'retryInFlight', vars), ok: false };
    if (result.status === 503) return { text: consoleText(lang, 'retryBusy'), ok: false };
    return { text: consoleText(lang, result.status === 0 ? 'errorNetwork' : 'errorGeneric'), ok: false };
  }

  protected override render() {
    const lang = this.language;
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(lang, key, vars);
    return html`
      <h1 tabindex="-1">${t('outboxTitle')}</h1>
      <p class="hint intro">${t('outboxIntro')}</p>
      <div class="toolbar">
        <div>
          <label for="shown">${t('outboxShow')}</label>
          <select id="shown" @change=${this.handleShownChange}>
            <option value="dead" ?selected=${this.shown === 'dead'}>${t('outboxShowDead')}</option>
            <option value="pending" ?selected=${this.shown === 'pending'}>${t('outboxShowPending')}</option>
          </select>
        </div>
        <div><button class="secondary" @click=${this.load}>${t('refresh')}</button></div>
      </div>
      <div id="retry-outcome" aria-live="polite" aria-atomic="true">
        ${this.outcome ? html`<p class="notice ${this.outcome.ok ? 'ok' : 'error'}">${this.outcome.text}</p>` : nothing}
      </div>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${!this.items
        ? html`<p role="status">${t('loading')}</p>`
        : this.items.length === 0
          ? html`<p class="muted">${t(this.shown === 'dead' ? 'outboxEmptyDead' : 'outboxEmptyPending')}</p>`
          : this.renderTable(this.items)}
    `;
  }

  private renderTable(items: OutboxRow[]) {
    const lang = this.language;
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(lang, key, vars);
    const stamp = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'short', timeStyle: 'short' });
    const when = (iso: string) => stamp.format(new Date(iso)).replace(/ /g, '\u00a0');
    return html`<table class="cards">
      <caption>${t('outboxCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">${t('colWritten')}</th>
          <th scope="col">${t('colMessage')}</th>
          <th scope="col">${t('colPractice')}</th>
          <th scope="col">${t('colTries')}</th>
          <th scope="col">${t('colLastError')}</th>
          <th scope="col"><span class="visually-hidden">${t('actions')}</span></th>
        </tr>
      </thead>
      <tbody>
        ${items.map((item) => {
          const channel = t(`channel_${item.channel}`);
          const trying = this.trying.has(item.id);
          return html`<tr data-id=${item.id}>
            <td data-label=${t('labelColon', { label: t('colWritten') })}>${when(item.createdAt)}</td>
            <td>
              ${channel} · <span class=${item.channel === 'sms' ? 'nowrap' : 'free-text'}>${item.recipient}</span>
              <span class="purpose">${outboxPurposeText(lang, item.purpose)}</span>
            </td>
            <td data-label=${t('labelColon', { label: t('colPractice') })} class="free-text">${item.practice ?? '—'}</td>
            <td data-label=${t('labelColon', { label: t('colTries') })}>${item.tries}</td>
            <td data-label=${t('labelColon', { label: t('colLastError') })} class="error-text free-text">
              ${item.lastError ?? '—'}${item.state === 'pending' ? html`<span class="purpose">${t('nextTryAt', { at: when(item.nextAttemptAt) })}</span>` : nothing}
            </td>
            <td>
              <button
                class="secondary retry"
                aria-disabled=${trying ? 'true' : 'false'}
                aria-label=${t('retryNowFor', { channel, recipient: item.recipient })}
                @click=${() => this.handleRetry(item)}
              >
                ${trying ? t('retrying') : t('retryNow')}
              </button>
            </td>
          </tr>`;
        })}
      </tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-outbox-view': PermanenceOutboxView;
  }
}
