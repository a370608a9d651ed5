/** `<permanence-users-view>`: accounts (admin): create one, rename, change a role, assign practices, disable, set a temporary password. */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { consoleText, fieldErrorText, type ConsoleMessageKey } from '../shared/messages/console.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';
import type { ListOf, PracticeRecord, Role, UserRecord } from './types.js';

const ROLES: Role[] = ['operator', 'practitioner', 'admin'];

export class PermanenceUsersView extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      .practices {
        display: flex;
        flex-wrap: wrap;
      }
      td form {
        margin: 0;
      }
      .disabled-user td {
        color: var(--muted);
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @state() private accessor users: UserRecord[] | undefined = undefined;
  @state() private accessor practices: PracticeRecord[] = [];
  @state() private accessor editing = '';
  @state() private accessor error = '';
  @state() private accessor fieldErrors: Record<string, string> = {};
  @state() private accessor notice = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const [users, practices] = await Promise.all([api.get<ListOf<UserRecord>>('/v1/users'), api.get<ListOf<PracticeRecord>>('/v1/practices')]);
    if (users.ok) this.users = users.value.items;
    else this.error = consoleText(this.language, 'errorGeneric');
    if (practices.ok) this.practices = practices.value.items;
  }

  private async handleCreate(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const body = {
      email: String(data.get('email') ?? '').trim(),
      name: String(data.get('name') ?? '').trim(),
      role: String(data.get('role')) as Role,
      practices: data.getAll('practices').map(String),
      password: String(data.get('password') ?? ''),
    };
    const result = await api.post<UserRecord>('/v1/users', body);
    if (result.ok) {
      form.reset();
      this.fieldErrors = {};
      this.error = '';
      this.notice = consoleText(this.language, 'userCreated', { email: body.email });
      await this.load();
      return;
    }
    this.notice = '';
    // A taken email (409) is named on its field, like any invalid one.
    this.fieldErrors = result.fields;
    this.error = consoleText(this.language, result.status === 400 || result.status === 409 ? 'errorInvalid' : 'errorGeneric');
  }

  private async handleUpdate(event: SubmitEvent, email: string): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const body = {
      name: String(data.get('name') ?? '').trim(),
      role: String(data.get('role')) as Role,
      practices: data.getAll('practices').map(String),
      disabled: data.get('disabled') === 'on',
    };
    await this.saveChange(email, body, consoleText(this.language, 'savedNotice'));
  }

  /** An admin sets a password for someone who lost theirs: temporary, the holder chooses their own at the next sign-in. */
  private async handleTemporaryPassword(event: SubmitEvent, email: string): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    await this.saveChange(email, { password: String(data.get('password') ?? '') }, consoleText(this.language, 'temporaryPasswordSet', { email }));
  }

  private async saveChange(email: string, body: Record<string, unknown>, notice: string): Promise<void> {
    const result = await api.put<UserRecord>(`/v1/users/${encodeURIComponent(email)}`, body);
    if (result.ok) {
      this.editing = '';
      this.error = '';
      this.fieldErrors = {};
      this.notice = notice;
      await this.load();
    } else {
      this.notice = '';
      this.fieldErrors = Object.fromEntries(Object.entries(result.fields).map(([field, code]) => [`edit-${field}`, code]));
      this.error = consoleText(this.language, result.status === 400 ? 'errorInvalid' : 'errorGeneric');
    }
  }

  private editHandler(email: string) {
    return () => {
      this.editing = email;
      this.fieldErrors = {};
    };
  }

  private renderPracticeChoices(selected: string[], idPrefix: string) {
    return html`<div class="practices">
      ${this.practices.map(
        (p) => html`<label class="inline" for="${idPrefix}-${p.slug}"
          ><input type="checkbox" id="${idPrefix}-${p.slug}" name="practices" value=${p.slug} ?checked=${selected.includes(p.slug)} /> ${p.name}</label
        >`,
      )}
    </div>`;
  }

  private renderRoleSelect(id: string, selected: Role) {
    const t = (key: ConsoleMessageKey) => consoleText(this.language, key);
    return html`<select id=${id} name="role">
      ${ROLES.map((role) => html`<option value=${role} ?selected=${role === selected}>${t(`role_${role}`)}</option>`)}
    </select>`;
  }

  protected override render() {
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(this.language, key, vars);
    const fieldError = (name: string) => (this.fieldErrors[name] ? html`<p class="field-error" id="${name}-error">${fieldErrorText(this.language, this.fieldErrors[name])}</p>` : nothing);
    return html`
      <h1 tabindex="-1">${t('usersTitle')}</h1>
      <div aria-live="polite">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${!this.users
        ? html`<p role="status">${t('loading')}</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">${t('emailLabel')}</th>
                <th scope="col">${t('userName')}</th>
                <th scope="col">${t('role')}</th>
                <th scope="col">${t('navPractices')}</th>
                <th scope="col"><span class="visually-hidden">${t('actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              ${this.users.map((u) =>
                this.editing === u.email
                  ? html`<tr data-email=${u.email}>
                      <td colspan="5">
                        <form @submit=${(e: SubmitEvent) => this.handleUpdate(e, u.email)} novalidate>
                          <strong class="free-text">${u.email}</strong>
                          <label for="edit-name">${t('userName')}</label>
                          <input id="edit-name" name="name" type="text" required .value=${u.name} aria-invalid=${this.fieldErrors['edit-name'] ? 'true' : 'false'} />
                          ${fieldError('edit-name')}
                          <label for="edit-role">${t('role')}</label>
                          ${this.renderRoleSelect('edit-role', u.role)}
                          <fieldset>
                            <legend>${t('assignedPractices')}</legend>
                            ${this.renderPracticeChoices(u.practices, 'edit')}
                          </fieldset>
                          <label class="inline"><input type="checkbox" name="disabled" ?checked=${u.disabled} /> ${t('disabled')}</label>
                          <div class="actions">
                            <button type="submit">${t('save')}</button>
                            <button type="button" class="secondary" @click=${() => (this.editing = '')}>${t('cancel')}</button>
                          </div>
                        </form>
                        <form class="temporary-password" @submit=${(e: SubmitEvent) => this.handleTemporaryPassword(e, u.email)} novalidate>
                          <label for="edit-password">${t('temporaryPasswordFor', { email: u.email })}</label>
                          <input
                            id="edit-password"
                            name="password"
                            type="text"
                            required
                            autocomplete="off"
                            spellcheck="false"
                            aria-describedby="edit-password-hint"
                            aria-invalid=${this.fieldErrors['edit-password'] ? 'true' : 'false'}
                          />
                          <p class="hint" id="edit-password-hint">${t('passwordHint')} ${t('temporaryPasswordHint')}</p>
                          ${fieldError('edit-password')}
                          <div class="actions"><button type="submit" class="secondary">${t('temporaryPassword')}</button></div>
                        </form>
                      </td>
                    </tr>`
                  : html`<tr data-email=${u.email} class=${u.disabled ? 'disabled-user' : ''}>
                      <td class="free-text">
                        ${u.email}${u.disabled ? html` <span class="badge">${t('disabled')}</span>` : nothing}${u.mustChangePassword
                          ? html` <span class="badge">${t('temporaryBadge')}</span>`
                          : nothing}
                      </td>
                      <td class="free-text">${u.name}</td>
                      <td>${t(`role_${u.role}`)}</td>
                      <td class="free-text">${u.role === 'admin' ? t('allPractices') : u.practices.join(', ') || '—'}</td>
                      <td><button class="secondary" @click=${this.editHandler(u.email)} aria-label=${t('editUser', { email: u.email })}>${t('edit')}</button></td>
                    </tr>`,
              )}
            </tbody>
          </table>`}
      <h2>${t('newUser')}</h2>
      <form @submit=${this.handleCreate} novalidate>
        <label for="new-email">${t('emailLabel')}</label>
        <input id="new-email" name="email" type="email" required autocomplete="off" aria-invalid=${this.fieldErrors.email ? 'true' : 'false'} />
        ${fieldError('email')}
        <label for="new-name">${t('userName')}</label>
        <input id="new-name" name="name" type="text" required aria-invalid=${this.fieldErrors.name ? 'true' : 'false'} />
        ${fieldError('name')}
        <label for="new-role">${t('role')}</label>
        ${this.renderRoleSelect('new-role', 'operator')}
        <fieldset>
          <legend>${t('assignedPractices')}</legend>
          ${this.renderPracticeChoices([], 'new')}
        </fieldset>
        ${fieldError('practices')}
        <label for="new-password">${t('password')}</label>
        <input id="new-password" name="password" type="password" required autocomplete="new-password" aria-describedby="password-hint" aria-invalid=${this.fieldErrors.password ? 'true' : 'false'} />
        <p class="hint" id="password-hint">${t('passwordHint')}</p>
        ${fieldError('password')}
        <div class="actions"><button type="submit">${t('createUser')}</button></div>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-users-view': PermanenceUsersView;
  }
}
