/** `<permanence-emergency-panel>`: the emergency numbers, shown as soon as a reason reads as life-threatening. */
import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { widgetText, type WidgetMessageKey } from '../shared/messages/widget.js';
import { sharedStyles } from './shared.styles.js';

const numbers: { href: string; key: WidgetMessageKey }[] = [
  { href: 'tel:15', key: 'emergency15' },
  { href: 'tel:112', key: 'emergency112' },
  { href: 'tel:3114', key: 'emergency3114' },
  { href: 'sms:114', key: 'emergency114' },
];

/**
 * Tells the patient not to wait for a call back and gives the numbers as links a phone dials in one tap.
 *
 * @csspart emergency - The panel.
 * @csspart emergency-link - Each number.
 */
export class PermanenceEmergencyPanel extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .panel {
        border: 3px solid var(--_emergency);
        border-radius: var(--_radius);
        padding: 1rem;
        background: #fff5f4;
        color: var(--_text);
      }
      h3 {
        color: var(--_emergency);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      a {
        display: block;
        min-height: 44px;
        padding: 0.6em 0.8em;
        border-radius: var(--_radius);
        background: var(--_emergency);
        color: #ffffff;
        font-weight: 700;
        text-decoration: none;
      }
    `,
  ];

  @property() accessor language: Lang = 'fr';
  /** After the request was sent: says it was queued first, then gives the numbers. */
  @property({ type: Boolean }) accessor submitted = false;

  protected override render() {
    const lang = this.language;
    return html`<section part="emergency" class="panel" role="alert" aria-labelledby="emergency-title">
      <h3 id="emergency-title">${widgetText(lang, 'emergencyTitle')}</h3>
      <p>${widgetText(lang, this.submitted ? 'emergencyAfter' : 'emergencyIntro')}</p>
      <ul>
        ${numbers.map(({ href, key }) => html`<li><a part="emergency-link" href=${href}>${widgetText(lang, key)}</a></li>`)}
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-emergency-panel': PermanenceEmergencyPanel;
  }
}
