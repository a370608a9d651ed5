/** `<permanence-alert-settings>`: the "Turn on alerts" button and the sound and notification switches of the console's alerts. */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { consoleText, type ConsoleMessageKey } from '../shared/messages/console.js';
import type { AlertSettings, ConsoleAlerts } from './alerts.js';
import { consoleStyles } from './styles.js';

/**
 * Shows what the alerts will do and lets the operator change it. The button stays while the browser still needs a
 * click (the notification permission not asked, the sound not unlocked): it is the gesture browsers insist on.
 */
export class PermanenceAlertSettings extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      :host {
        display: block;
      }
      fieldset {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem 1rem;
        margin: 0;
        padding: 0.25rem 0.75rem 0.5rem;
      }
      legend {
        font-weight: 600;
      }
      label.inline {
        margin: 0;
        min-height: 32px;
      }
      input[type='checkbox'] {
        width: 1.1rem;
        height: 1.1rem;
        margin: 0;
      }
      button {
        min-height: 36px;
        padding: 0.25em 0.8em;
      }
      .hint {
        flex-basis: 100%;
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @property({ attribute: false }) accessor alerts: ConsoleAlerts | undefined = undefined;

  private readonly handleAlertsChange = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    this.alerts?.addEventListener('change', this.handleAlertsChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.alerts?.removeEventListener('change', this.handleAlertsChange);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('alerts')) {
      changed.get('alerts')?.removeEventListener('change', this.handleAlertsChange);
      this.alerts?.addEventListener('change', this.handleAlertsChange);
    }
  }

  private async handleEnable(): Promise<void> {
    await this.alerts?.enable();
    await this.updateComplete;
    // The button is gone: the keyboard goes on from the switches that replace it, not from the top of the page.
    if (!this.renderRoot.querySelector('button')) this.renderRoot.querySelector('input')?.focus();
  }

  private handleToggle(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.alerts?.setSetting(input.name as keyof AlertSettings, input.checked);
  }

  protected override render() {
    const alerts = this.alerts;
    if (!alerts) return nothing;
    const t = (key: ConsoleMessageKey) => consoleText(this.language, key);
    const { sound, notifications } = alerts.settings;
    const permission = alerts.permission;
    const blocked = permission === 'denied' || permission === 'unsupported';
    // Until the browser has had its click, the button alone: switches that look on would say alerts work when they do not yet.
    if (alerts.needsGesture) {
      return html`<fieldset>
        <legend>${t('alertsLegend')}</legend>
        <button type="button" class="secondary" @click=${this.handleEnable}>${t('alertsEnable')}</button>
      </fieldset>`;
    }
    return html`<fieldset>
      <legend>${t('alertsLegend')}</legend>
      <label class="inline"><input type="checkbox" name="sound" .checked=${sound} @change=${this.handleToggle} />${t('alertsSound')}</label>
      <label class="inline"
        ><input
          type="checkbox"
          name="notifications"
          .checked=${notifications && !blocked}
          ?disabled=${blocked}
          aria-describedby=${blocked ? 'blocked' : nothing}
          @change=${this.handleToggle}
        />${t('alertsNotifications')}</label
      >
      ${blocked ? html`<p class="hint" id="blocked">${t(permission === 'denied' ? 'alertsBlocked' : 'alertsUnsupported')}</p>` : nothing}
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-alert-settings': PermanenceAlertSettings;
  }
}
