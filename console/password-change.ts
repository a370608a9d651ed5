/** `<permanence-password-change>`: the only page of an account whose password an admin set, until its holder chooses their own. */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { consoleText, fieldErrorText, type ConsoleMessageKey } from '../shared/messages/console.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';

/**
 * The current password, then a new one of 12 characters or more.
 *
 * @fires permanence-signed-in - Changed: the service started a fresh session; the app reloads `/v1/me`.
 */
export class PermanencePasswordChange extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      form {
        max-width: 28rem;
        margin: 1rem auto;
      }
      input {
        width: 100%;
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @state() private accessor error = '';
  @state() private accessor fieldErrors: Record<string, string> = {};
  @state() private accessor busy = false;

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    const result = await api.post('/v1/me/password', { current: String(data.get('current') ?? ''), next: String(data.get('next') ?? '') });
    this.busy = false;
    if (result.ok) {
      this.dispatchEvent(new Event('permanence-signed-in', { bubbles: true, composed: true }));
      return;
    }
    this.fieldErrors = result.fields;
    this.error = consoleText(this.language, result.status === 400 ? 'errorInvalid' : 'errorGeneric');
  }

  protected override render() {
    const t = (key: ConsoleMessageKey) => consoleText(this.language, key);
    const fieldError = (name: string) => (this.fieldErrors[name] ? html`<p class="field-error" id="${name}-error">${fieldErrorText(this.language, this.fieldErrors[name])}</p>` : nothing);
    const invalid = (name: string) => (this.fieldErrors[name] ? 'true' : 'false');
    return html`<form @submit=${this.handleSubmit} novalidate>
      <h1 tabindex="-1">${t('changePasswordTitle')}</h1>
      <p>${t('changePasswordIntro')}</p>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      <label for="current">${t('currentPassword')}</label>
      <input id="current" name="current" type="password" autocomplete="current-password" required aria-invalid=${invalid('current')} />
      ${fieldError('current')}
      <label for="next">${t('newPassword')}</label>
      <input id="next" name="next" type="password" autocomplete="new-password" required aria-describedby="next-hint" aria-invalid=${invalid('next')} />
      <p class="hint" id="next-hint">${t('passwordHint')}</p>
      ${fieldError('next')}
      <div class="actions"><button type="submit" ?disabled=${this.busy}>${t('changePassword')}</button></div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-password-change': PermanencePasswordChange;
  }
}
