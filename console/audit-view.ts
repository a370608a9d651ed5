/** `<permanence-audit-view>`: the audit log (admin): who did what, when, to which practice or record. */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LOCALES, type Lang } from '../shared/i18n.js';
import { AUDIT_ACTIONS, auditActionText, auditDetailLabel, consoleText, type ConsoleMessageKey } from '../shared/messages/console.js';
import { OUTCOMES } from '../shared/callback.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';
import type { AuditEntry, AuditPage, Role } from './types.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ROLES: readonly string[] = ['admin', 'operator', 'practitioner'];
/** What a "retry now" did and the state it left the message in (`outbox_retry`'s details). */
const DELIVERIES = ['sent', 'failed', 'pending', 'dead'] as const;

/**
 * One detail's value in words: yes/no, outcomes and roles as the console names them, instants on the viewer's
 * clock, lists joined. Anything else as recorded; the service never puts a reason or a note's text here.
 */
function detailValue(lang: Lang, key: string, value: unknown, stamp: Intl.DateTimeFormat): string {
  if (typeof value === 'boolean') return consoleText(lang, value ? 'yes' : 'no');
  if (Array.isArray(value)) return value.length ? value.map((v) => detailValue(lang, key, v, stamp)).join(', ') : '—';
  if (typeof value === 'string') {
    if (key === 'outcome' && (OUTCOMES as readonly string[]).includes(value)) return consoleText(lang, `outcome_${value as (typeof OUTCOMES)[number]}`);
    if (key === 'role' && ROLES.includes(value)) return consoleText(lang, `role_${value as Role}`);
    if ((key === 'delivery' || key === 'messageState') && (DELIVERIES as readonly string[]).includes(value)) {
      return consoleText(lang, `delivery_${value as (typeof DELIVERIES)[number]}`);
    }
    if (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return stamp.format(new Date(value));
    return value;
  }
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** "résultat : Patient joint · nouvel appel : 27/11/2025 14:30": an entry's details as one line of text. */
export function auditDetailsText(lang: Lang, details: AuditEntry['details'], stamp: Intl.DateTimeFormat): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([key, value]) => consoleText(lang, 'fieldProblem', { field: auditDetailLabel(lang, key), problem: detailValue(lang, key, value, stamp) }))
    .join(' · ');
}

export class PermanenceAuditView extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      td.details {
        font-size: 0.9rem;
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @state() private accessor items: AuditEntry[] | undefined = undefined;
  /** The `before` of the next older page; null once the oldest entry is shown. */
  @state() private accessor next: number | null = null;
  @state() private accessor error = '';
  /** Only entries of this action; empty for all. */
  @state() private accessor action = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private query(before?: number): string {
    const query = new URLSearchParams();
    if (this.action) query.set('action', this.action);
    if (before !== undefined) query.set('before', String(before));
    const text = query.toString();
    return `/v1/audit${text ? `?${text}` : ''}`;
  }

  private async load(): Promise<void> {
    const result = await api.get<AuditPage>(this.query());
    if (result.ok) {
      this.items = result.value.items;
      this.next = result.value.next;
      this.error = '';
    } else this.error = consoleText(this.language, 'errorGeneric');
  }

  private async handleOlder(): Promise<void> {
    const result = await api.get<AuditPage>(this.query(this.next ?? undefined));
    if (result.ok) {
      this.items = [...(this.items ?? []), ...result.value.items];
      this.next = result.value.next;
      this.error = '';
    } else this.error = consoleText(this.language, 'errorGeneric');
  }

  private handleActionChange(event: Event): void {
    this.action = (event.target as HTMLSelectElement).value;
    this.items = undefined;
    void this.load();
  }

  protected override render() {
    const lang = this.language;
    const t = (key: ConsoleMessageKey) => consoleText(lang, key);
    const stamp = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'short', timeStyle: 'medium' });
    return html`
      <h1 tabindex="-1">${t('auditTitle')}</h1>
      <div class="toolbar">
        <div>
          <label for="action">${t('auditAction')}</label>
          <select id="action" @change=${this.handleActionChange}>
            <option value="" ?selected=${!this.action}>${t('auditAllActions')}</option>
            ${AUDIT_ACTIONS.map((action) => html`<option value=${action} ?selected=${action === this.action}>${auditActionText(lang, action)}</option>`)}
          </select>
        </div>
        <div><button class="secondary" @click=${this.load}>${t('refresh')}</button></div>
      </div>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${!this.items
        ? html`<p role="status">${t('loading')}</p>`
        : // Focusable: on a phone the log scrolls sideways inside its own box, and the keyboard must reach it.
          html`<table tabindex="0" aria-label=${t('auditTitle')}>
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
                  <td class="free-text">${e.actor ?? '—'}</td>
                  <td data-action=${e.action}>${auditActionText(lang, e.action)}</td>
                  <td class="free-text">${e.practice ?? '—'}</td>
                  <td class="free-text">${e.target ?? '—'}</td>
                  <td class="details free-text">${auditDetailsText(lang, e.details, stamp)}</td>
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
