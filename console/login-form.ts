/** `<permanence-login>`: the console's sign-in form, shown whenever `/v1/me` answers 401. */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { consoleText } from '../shared/messages/console.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';

/**
 * Signs in with email and password.
 *
 * @fires permanence-signed-in - The session cookie is set; the app reloads `/v1/me`.
 */
export class PermanenceLogin extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      form {
        max-width: 24rem;
        margin: 2rem auto;
      }
      input {
        width: 100%;
      }
      button {
        margin-top: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @state() private accessor error = '';
  @state() private accessor busy = false;

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    this.busy = true;
    this.error = '';
    const result = await api.post('/v1/session', { email: String(data.get('email') ?? ''), password: String(data.get('password') ?? '') });
    this.busy = false;
    if (result.ok) {
      form.reset();
      this.dispatchEvent(new Event('permanence-signed-in', { bubbles: true, composed: true }));
      return;
    }
    const wait = !result.ok && result.retryAfterS ? Math.ceil(result.retryAfterS / 60) : undefined;
    this.error =
      result.status === 429 && wait
        ? consoleText(this.language, 'loginRateLimitedFor', { minutes: wait })
        : consoleText(this.language, result.status === 401 ? 'loginFailed' : result.status === 429 ? 'loginRateLimited' : 'errorGeneric');
    await this.updateComplete;
    (this.renderRoot.querySelector('input[name=password]') as HTMLInputElement | null)?.focus();
  }

  protected override render() {
    const t = (key: Parameters<typeof consoleText>[1]) => consoleText(this.language, key);
    return html`<form @submit=${this.handleSubmit} novalidate>
      <h1 tabindex="-1">${t('loginTitle')}</h1>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      <label for="email">${t('email')}</label>
      <input id="email" name="email" type="email" autocomplete="username" required autofocus />
      <label for="password">${t('password')}</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <button type="submit" ?disabled=${this.busy}>${t('login')}</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-login': PermanenceLogin;
  }
}
