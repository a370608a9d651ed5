/** `<permanence-practices-view>`: the practices the service answers for (admin), each with a link to edit it. */
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { consoleText, type ConsoleMessageKey } from '../shared/messages/console.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';
import type { ListOf, PracticeRecord } from './types.js';

export class PermanencePracticesView extends LitElement {
  static override styles = consoleStyles;

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @state() private accessor items: PracticeRecord[] | undefined = undefined;
  @state() private accessor error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const result = await api.get<ListOf<PracticeRecord>>('/v1/practices');
    if (result.ok) this.items = result.value.items;
    else this.error = consoleText(this.language, result.status === 0 ? 'errorNetwork' : 'errorGeneric');
  }

  protected override render() {
    const t = (key: ConsoleMessageKey) => consoleText(this.language, key);
    return html`
      <h1 tabindex="-1">${t('practicesTitle')}</h1>
      <p><a class="button" href="#/practices/new">${t('newPractice')}</a></p>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${!this.items
        ? html`<p role="status">${t('loading')}</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">${t('practiceName')}</th>
                <th scope="col">${t('slug')}</th>
                <th scope="col">${t('phone')}</th>
                <th scope="col">${t('smsColumn')}</th>
              </tr>
            </thead>
            <tbody>
              ${this.items.map(
                (p) => html`<tr data-slug=${p.slug}>
                  <td class="free-text"><a href="#/practices/${encodeURIComponent(p.slug)}">${p.name}</a></td>
                  <td class="free-text">${p.slug}</td>
                  <td class="nowrap">${p.phone}</td>
                  <td>${t(p.sms ? 'yes' : 'no')}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-practices-view': PermanencePracticesView;
  }
}
