/** `<permanence-audit-view>`: the audit log (admin): who did what, when, to which practice or record. */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LOCALES, type Lang } from '../../../shared/i18n.js';
import { auditActionText, consoleText, type ConsoleMessageKey } from '../../../shared/messages/console.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';
import type { AuditEntry, AuditPage } from './types.js';

export class PermanenceAuditView extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      td.details {
        font-family: ui-monospace, Menlo, Consolas, monospace;
        font-size: 0.85rem;
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @state() private accessor items: AuditEntry[] | undefined = undefined;
  /** The `before` of the next older page; null once the oldest entry is shown. */
  @state() private accessor next: number | null = null;
  @state() private accessor error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const result = await api.get<AuditPage>('/v1/audit');
    if (result.ok) {
      this.items = result.value.items;
      this.next = result.value.next;
      this.error = '';
    } else this.error = consoleText(this.language, 'errorGeneric');
  }

  private async handleOlder(): Promise<void> {
    const result = await api.get<AuditPage>(`/v1/audit?before=${this.next}`);
    if (result.ok) {
      this.items = [...(this.items ?? []), ...result.value.items];
      this.next = result.value.next;
      this.error = '';
    } else this.error = consoleText(this.language, 'errorGeneric');
  }

  protected override render() {
    const lang = this.language;
    const t = (key: ConsoleMessageKey) => consoleText(lang, key);
    const stamp = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'short', timeStyle: 'medium' });
    return html`
      <h1 tabindex="-1">${t('auditTitle')}</h1>
      <p><button class="secondary" @click=${this.load}>${t('refresh')}</button></p>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${!this.items
        ? html`<p role="status">${t('loading')}</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">${t('auditAt')}</th>
                <th scope="col">${t('auditActor')}</th>
                <th scope="col">${t('auditAction')}</th>
                <th scope="col">${t('colPractice')}</th>
                <th scope="col">${t('auditTarget')}</th>
                <th scope="col">${t('auditDetails')}</th>
              </tr>
            </thead>
            <tbody>
              ${this.items.map(
                (e) => html`<tr>
                  <td>${stamp.format(new Date(e.at))}</td>
                  <td>${e.actor ?? '—'}</td>
                  <td data-action=${e.action}>${auditActionText(lang, e.action)}</td>
                  <td>${e.practice ?? '—'}</td>
                  <td>${e.target ?? '—'}</td>
                  <td class="details">${e.details && Object.keys(e.details).length ? JSON.stringify(e.details) : ''}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}
      ${this.next !== null ? html`<p><button class="secondary" @click=${this.handleOlder}>${t('auditOlder')}</button></p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-audit-view': PermanenceAuditView;
  }
}
