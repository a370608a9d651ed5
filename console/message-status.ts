/**
 * `<permanence-message-status>`: where a message for the practitioner stands — urgent or not, addressed to whom,
 * each notice per channel (queued, sent, delivered, failed, given up), the acknowledgement or the next reminder, the
 * escalation steps and the replies. Shown on the request page (operators) and in the practitioner's messages.
 */
import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { messageStatusText, type MessageStatusKey } from '../shared/messages/message-status.js';
import { consoleStyles } from './styles.js';
import { instantText } from './time.js';
import type { PractitionerMessage } from './types.js';

export class PermanenceMessageStatus extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      :host {
        display: block;
        font-size: 0.95rem;
      }
      ul {
        margin: 0.25rem 0;
        padding-left: 1.2rem;
      }
      .urgent {
        background: #a4161a;
        color: #fff;
        border-radius: 4px;
        padding: 0 0.4rem;
        font-weight: 700;
      }
      .state-failed,
      .state-dead {
        color: #a4161a;
        font-weight: 600;
      }
      .state-delivered,
      .acked {
        color: #1b6e2d;
        font-weight: 600;
      }
      .waiting {
        color: #8a4b00;
        font-weight: 600;
      }
      .reply {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @property({ attribute: false }) accessor message: PractitionerMessage | undefined = undefined;
  /** On the request page the replies stand at the top, not under each message. */
  @property({ type: Boolean, attribute: 'hide-replies' }) accessor hideReplies = false;
  /** The practice's time zone: every time is on its clock. */
  @property({ attribute: false }) accessor timeZone: string | undefined = undefined;

  private t(key: MessageStatusKey, vars?: Record<string, string | number>) {
    return messageStatusText(this.language, key, vars);
  }

  protected override render() {
    const m = this.message;
    if (!m) return nothing;
    const now = new Date();
    const when = (iso: string) => instantText(iso, now, this.language, this.timeZone);
    return html`
      <p>
        ${m.urgent ? html`<span class="urgent">${this.t('urgent')}</span> ` : nothing}${m.to ? this.t('to', { name: m.to.name }) : this.t('toNobody')}
        ${m.urgent
          ? m.ackAt
            ? html` · <span class="acked">✓ ${this.t('acknowledged', { time: when(m.ackAt) })}${m.ackVia ? ` ${this.t(`ackVia_${m.ackVia}`)}` : ''}</span>`
            : html` · <span class="waiting">${m.nextEscalationAt ? this.t('waitingAck', { time: when(m.nextEscalationAt) }) : this.t('waitingAckEnd')}</span>`
          : nothing}
      </p>
      ${m.deliveries.length
        ? html`<p class="muted">${this.t('deliveries')}</p>
            <ul class="deliveries">
              ${m.deliveries.map(
                (d) => html`<li data-channel=${d.channel} data-state=${d.state}>
                  ${this.t(`channel_${d.channel}`)} · <span class="nowrap">${d.to}</span> ·
                  <span class="state-${d.state}">${this.t(`state_${d.state}`)}</span> · ${when(d.at)}
                </li>`,
              )}
            </ul>`
        : nothing}
      ${m.escalations.length
        ? html`<ul class="escalations">
            ${m.escalations.map((e) => html`<li>${this.t('escalation', { step: e.step, time: when(e.at), contacts: e.contacts.join(', ') })}</li>`)}
          </ul>`
        : nothing}
      ${m.replies.length && !this.hideReplies
        ? html`<p class="muted">${this.t('replies')}</p>
            <ul class="replies">
              ${m.replies.map((r) => html`<li class="reply">${this.t('reply', { time: when(r.at), by: r.by ?? '—', text: r.text })}</li>`)}
            </ul>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-message-status': PermanenceMessageStatus;
  }
}
