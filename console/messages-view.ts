/** `<permanence-messages-view>`: the messages operators took for the practitioner's practices, newest first. */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { consoleText, type ConsoleMessageKey } from '../shared/messages/console.js';
import { messageStatusText, type MessageStatusKey } from '../shared/messages/message-status.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';
import { dateTimeText } from './time.js';
import { telHref } from './phone-text.js';
import { loadPracticeDirectory, type PracticeDirectory } from './practices.js';
import type { ListOf, Me, PractitionerMessage } from './types.js';

export class PermanenceMessagesView extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      article {
        border: 1px solid var(--border);
        border-radius: 8px;
        padding: 0.75rem 1rem;
        margin-bottom: 0.75rem;
      }
      article h2 {
        margin: 0 0 0.25rem;
        font-size: 1rem;
      }
      article.unread {
        border-left: 4px solid var(--accent);
      }
      .badge.urgent {
        background: #a4161a;
        color: #fff;
      }
      form.reply {
        margin-top: 0.75rem;
      }
      form.reply textarea {
        width: 100%;
        min-height: 3.5rem;
      }
      .reason {
        margin: 0.25rem 0 0;
        overflow-wrap: anywhere;
      }
      .text {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        margin: 0.5rem 0 0;
      }
      /* The consignes the operator worked under: there to settle a question, folded away until asked for. */
      details.instructions-in-force {
        margin: 0.5rem 0;
      }
      details.instructions-in-force summary {
        cursor: pointer;
        color: var(--accent);
        font-weight: 600;
        min-height: 24px;
      }
      details.instructions-in-force[open] permanence-operator-instructions {
        margin-top: 0.4rem;
        padding: 0.5rem 0.75rem;
        border-left: 3px solid var(--border);
        background: #f7f9fc;
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @property({ attribute: false }) accessor me: Me | undefined = undefined;

  @state() private accessor items: PractitionerMessage[] | undefined = undefined;
  @state() private accessor practice = '';
  @state() private accessor error = '';
  @state() private accessor notice = '';
  @state() private accessor practiceList: PracticeDirectory = new Map();

  override connectedCallback(): void {
    super.connectedCallback();
    void loadPracticeDirectory().then((practices) => (this.practiceList = practices));
  }

  private practiceName(slug: string): string {
    return this.practiceList.get(slug)?.name ?? slug;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('me') || changed.has('practice')) void this.load();
  }

  private async load(): Promise<void> {
    const query = this.practice ? `?practice=${encodeURIComponent(this.practice)}` : '';
    const result = await api.get<ListOf<PractitionerMessage>>(`/v1/messages${query}`);
    if (result.ok) {
      this.items = result.value.items;
      this.error = '';
    } else {
      this.error = consoleText(this.language, result.status === 0 ? 'errorNetwork' : 'errorGeneric');
    }
  }

  private async handleMarkRead(id: number): Promise<void> {
    const result = await api.post(`/v1/messages/${id}/read`);
    if (!result.ok) this.error = consoleText(this.language, 'errorGeneric');
    await this.load();
  }

  private async handleAck(id: number): Promise<void> {
    const result = await api.post(`/v1/messages/${id}/ack`);
    this.notice = result.ok ? messageStatusText(this.language, 'ackDone') : '';
    if (!result.ok) this.error = consoleText(this.language, 'errorGeneric');
    await this.load();
  }

  private async handleReply(event: SubmitEvent, id: number): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = String(new FormData(form).get('text') ?? '').trim();
    if (!text) return;
    const result = await api.post(`/v1/messages/${id}/reply`, { text });
    if (result.ok) {
      form.reset();
      this.notice = messageStatusText(this.language, 'replySent');
      this.error = '';
    } else this.error = consoleText(this.language, result.status === 0 ? 'errorNetwork' : 'errorGeneric');
    await this.load();
  }

  private handlePracticeChange(event: Event): void {
    this.practice = (event.target as HTMLSelectElement).value;
  }

  protected override render() {
    const lang = this.language;
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(lang, key, vars);
    const s = (key: MessageStatusKey, vars?: Record<string, string | number>) => messageStatusText(lang, key, vars);
    const practices = this.me?.practices ?? [];
    return html`
      <h1 tabindex="-1">${t('messagesTitle')}</h1>
      ${practices.length > 1
        ? html`<div class="toolbar">
            <div>
              <label for="practice">${t('filterPractice')}</label>
              <select id="practice" @change=${this.handlePracticeChange}>
                <option value="">${t('allPractices')}</option>
                ${practices.map((slug) => html`<option value=${slug} ?selected=${slug === this.practice}>${this.practiceName(slug)}</option>`)}
              </select>
            </div>
          </div>`
        : nothing}
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      <div aria-live="polite">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
      ${!this.items
        ? html`<p role="status">${t('loading')}</p>`
        : this.items.length === 0
          ? html`<p class="muted">${t('messagesEmpty')}</p>`
          : this.items.map((m) => {
              const unread = m.readAt === null;
              const zone = this.practiceList.get(m.practice)?.timezone;
              return html`<article data-ref=${m.ref} class=${unread ? 'unread' : ''}>
                <h2>
                  ${m.urgent ? html`<span class="badge urgent">${s('urgent')}</span> ` : nothing}${unread ? html`<span class="badge">${t('unread')}</span> ` : nothing}${m.redFlag ? html`<span class="red-flag">⚠ ${t('redFlag')}</span> ` : nothing}${m.patientName} ·
                  <a class="nowrap" href=${telHref(m.patientPhone)}>${m.patientPhoneNational}</a>
                </h2>
                <p class="muted">
                  <span class="practice">${m.practiceName}</span> · <time datetime=${m.createdAt}>${dateTimeText(m.createdAt, lang, this.practiceList.get(m.practice)?.timezone)}</time> · ${m.ref}${m.createdBy
                    ? html` · ${t('takenByOperator', { who: m.createdBy })}`
                    : nothing}
                </p>
                ${m.reason
                  ? html`<div class="reason">
                      <strong>${t('labelColon', { label: t('colReason') })}</strong>
                      <permanence-reason-entries .entries=${m.reasonEntries} .language=${lang} .timeZone=${this.practiceList.get(m.practice)?.timezone}></permanence-reason-entries>
                    </div>`
                  : nothing}
                <p class="text">${m.body}</p>
                <p class="outcome">${m.outcome ? s('outcome', { outcome: t(`outcome_${m.outcome}`) }) : s('outcomeOpen')}</p>
                <permanence-message-status .language=${lang} .timeZone=${zone} .message=${m}></permanence-message-status>
                ${m.instructionsInForce
                  ? html`<details class="instructions-in-force">
                      <summary>${t('instructionsInForce')}</summary>
                      <permanence-operator-instructions .language=${lang} .instructions=${m.instructionsInForce}></permanence-operator-instructions>
                    </details>`
                  : nothing}
                ${this.me?.role === 'practitioner'
                  ? html`<div class="actions">
                        ${m.urgent && !m.ackAt ? html`<button class="ack" @click=${() => this.handleAck(m.id)}>${s('ackButton')}</button>` : nothing}
                        ${unread ? html`<button class="secondary" @click=${() => this.handleMarkRead(m.id)}>${t('markRead')}</button>` : nothing}
                      </div>
                      <form class="reply" @submit=${(e: SubmitEvent) => this.handleReply(e, m.id)}>
                        <label for="reply-${m.id}">${s('replyLabel')}</label>
                        <textarea id="reply-${m.id}" name="text" maxlength="2000" required aria-describedby="reply-hint-${m.id}"></textarea>
                        <p class="hint" id="reply-hint-${m.id}">${s('replyHint')}</p>
                        <button type="submit" class="secondary">${s('replySend')}</button>
                      </form>`
                  : nothing}
              </article>`;
            })}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-messages-view': PermanenceMessagesView;
  }
}
