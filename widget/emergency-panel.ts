/** `<permanence-emergency-panel>`: the emergency numbers, shown as soon as a reason reads as life-threatening. */
import { html } from 'lit/html.js';
import type { Lang } from '../shared/i18n.js';
import { emergencyNumbersFor } from '../shared/messages/emergency.js';
import { widgetText } from './messages.js';
import { css, ScreenElement } from './screen-element.js';
import { sharedStyles } from './shared.styles.js';

/**
 * Tells the patient not to wait for a call back and gives the numbers as links a phone dials in one tap.
 *
 * @csspart emergency - The panel.
 * @csspart emergency-link - Each number.
 */
export class PermanenceEmergencyPanel extends ScreenElement {
  static override styles = [
    ...sharedStyles,
    css`
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

  static {
    this.reactive({ language: 'fr', submitted: false, matched: [] });
  }

  declare language: Lang;
  /** After the request was sent: says it was queued first, then gives the numbers. */
  declare submitted: boolean;
  /** What the triage matched; a reason that reads only as suicidal puts 3114 first. */
  declare matched: readonly string[];

  /** Moves focus to the heading, so the numbers are the first thing seen and heard. */
  override async focus(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector('h3')?.focus();
  }

  protected render() {
    const lang = this.language;
    return html`<section part="emergency" class="panel" role="alert" aria-labelledby="emergency-title">
      <h3 id="emergency-title" tabindex="-1">${widgetText(lang, 'emergency_title')}</h3>
      <p>${widgetText(lang, this.submitted ? 'emergency_stillSent' : 'emergency_intro')}</p>
      <ul>
        ${emergencyNumbersFor(this.matched).map(
          ({ key, number, href }) =>
            html`<li>
              <a part="emergency-link" href=${href}><strong>${widgetText(lang, href.startsWith('sms:') ? 'emergency_text' : 'emergency_call', { number })}</strong> — ${widgetText(lang, `emergency_${key}`)}</a>
            </li>`,
        )}
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-emergency-panel': PermanenceEmergencyPanel;
  }
}
