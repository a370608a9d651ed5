/**
 * `<permanence-patients-view>`: a patient's rights (admin): everything held about a phone number or an email address,
 * downloaded as JSON (right of access), or erased after a confirmation step (right to erasure).
 */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { consoleText, fieldErrorText, type ConsoleMessageKey } from '../shared/messages/console.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';
import type { PatientRecord } from './types.js';

type FindBy = 'phone' | 'email';

/** "1 demande", "3 demandes", or the sentence for none: the catalogue has no plural rules, so each count has its key. */
const byCount = <K extends ConsoleMessageKey>(count: number, none: K, one: K, many: K): K => (count === 0 ? none : count === 1 ? one : many);

export class PermanencePatientsView extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      .intro {
        max-width: 48rem;
        margin-bottom: 1rem;
      }
      form.lookup {
        max-width: 36rem;
      }
      form.lookup input:not([type='radio']) {
        width: 100%;
      }
      fieldset {
        margin-top: 0;
      }
      button.danger {
        background: var(--danger);
        border-color: var(--danger);
      }
      button.danger.secondary {
        background: #fff;
        color: var(--danger);
      }
      dialog {
        width: min(34rem, calc(100vw - 2rem));
        border: 2px solid var(--danger);
        border-radius: 10px;
        padding: 1rem 1.25rem;
        color: inherit;
      }
      dialog::backdrop {
        background: rgb(16 42 67 / 0.55);
      }
      dialog h2 {
        margin-top: 0;
        color: var(--danger);
      }
      dialog h2:focus {
        outline: none;
      }
      dialog input {
        width: 100%;
      }
      dialog .actions {
        margin-bottom: 0;
      }
      .what {
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @state() private accessor findBy: FindBy = 'phone';
  @state() private accessor value = '';
  /** A field error code of the API (`invalid_phone`, `required`…) for the number or address. */
  @state() private accessor fieldError = '';
  @state() private accessor notice = '';
  @state() private accessor error = '';
  @state() private accessor busy = false;
  /** What is wrong with the confirmation, in words. */
  @state() private accessor confirmError = '';
  /** Where the focus goes when the confirmation step closes: back to its button, or to the field when the service refused it. */
  private focusAfterConfirm: 'button' | 'field' = 'button';

  // Rendered once and kept: the form, the erasure's button and its confirmation step are always in the view.
  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }
  private get field(): HTMLInputElement {
    return this.renderRoot.querySelector('#patient')!;
  }
  private get confirmField(): HTMLInputElement {
    return this.renderRoot.querySelector('#confirm')!;
  }

  /** What the form names, as the API wants it. */
  private who(): { phone: string } | { email: string } {
    return this.findBy === 'phone' ? { phone: this.value.trim() } : { email: this.value.trim() };
  }

  private handleFindBy(event: Event): void {
    this.findBy = (event.target as HTMLInputElement).value as FindBy;
    this.fieldError = '';
  }

  private handleInput(event: Event): void {
    this.value = (event.target as HTMLInputElement).value;
    this.fieldError = '';
    // The last outcome was about the number or address before this one.
    this.notice = '';
  }

  /** False, with the field's problem shown and the focus on it, when nothing was typed. */
  private typed(): boolean {
    if (this.value.trim()) return true;
    this.fieldError = 'required';
    this.field.focus();
    return false;
  }

  /** A 400 about the number or address: said under the field, which takes the focus. */
  private showFieldError(fields: Record<string, string>): boolean {
    const code = fields[this.findBy] ?? fields.phone ?? fields.email;
    if (!code) return false;
    this.fieldError = code;
    this.field.focus();
    return true;
  }

  private async handleExport(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.notice = '';
    this.error = '';
    if (this.busy || !this.typed()) return;
    this.busy = true;
    const result = await api.post<PatientRecord>('/v1/patients/export', this.who());
    this.busy = false;
    if (!result.ok) {
      if (result.status !== 400 || !this.showFieldError(result.fields)) this.error = consoleText(this.language, result.status === 0 ? 'errorNetwork' : 'errorGeneric');
      return;
    }
    const file = this.download(result.value);
    const count = result.value.requests.length;
    this.notice = consoleText(this.language, byCount(count, 'patientExported0', 'patientExported1', 'patientExportedN'), { count, file });
  }

  /** Hands the record to the browser as a file: `patient-2026-11-25.json`. */
  private download(record: PatientRecord): string {
    const file = `patient-${record.exportedAt.slice(0, 10)}.json`;
    const url = URL.createObjectURL(new Blob([JSON.stringify(record, null, 2)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file;
    link.hidden = true;
    this.renderRoot.appendChild(link);
    link.click();
    link.remove();
    // Revoked once the browser has had time to start the download; revoking at once can cancel it.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return file;
  }

  private async handleOpenConfirm(): Promise<void> {
    this.notice = '';
    this.error = '';
    if (!this.typed()) return;
    this.confirmError = '';
    await this.updateComplete;
    this.confirmField.value = '';
    this.dialog.showModal();
    // The confirmation takes the focus: its field, announced with the heading and the sentence that say what will go.
    this.confirmField.focus();
  }

  /** Escape, "Cancel" or done: the step closes and the focus goes back to the button that opened it. */
  private handleDialogClose(): void {
    this.confirmError = '';
    if (this.focusAfterConfirm === 'field') this.field.focus();
    else this.renderRoot.querySelector<HTMLButtonElement>('#erase-open')?.focus();
    this.focusAfterConfirm = 'button';
  }

  private handleCancel(): void {
    this.dialog.close();
  }

  private async handleErase(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const confirm = String(new FormData(event.target as HTMLFormElement).get('confirm') ?? '').trim();
    if (!confirm) {
      this.confirmError = fieldErrorText(this.language, 'required');
      this.confirmField.focus();
      return;
    }
    this.busy = true;
    const result = await api.post<{ erased: number }>('/v1/patients/erase', { ...this.who(), confirm });
    this.busy = false;
    if (result.ok) {
      const count = result.value.erased;
      this.dialog.close();
      this.value = '';
      this.notice = consoleText(this.language, byCount(count, 'patientErased0', 'patientErased1', 'patientErasedN'), { count });
      return;
    }
    if (result.code === 'confirmation_mismatch') {
      this.confirmError = consoleText(this.language, 'patientConfirmMismatch');
      this.confirmField.focus();
      return;
    }
    if (result.status === 400 && this.showFieldError(result.fields)) this.focusAfterConfirm = 'field';
    else this.error = consoleText(this.language, result.status === 0 ? 'errorNetwork' : 'errorGeneric');
    this.dialog.close();
  }

  protected override render() {
    const lang = this.language;
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(lang, key, vars);
    const byPhone = this.findBy === 'phone';
    // The number stays whole on one line; an address may break anywhere rather than widen the dialog.
    const [whoBefore, whoAfter] = t('patientEraseWho', { who: '\n' }).split('\n');
    const describedBy = [byPhone ? 'patient-hint' : '', this.fieldError ? 'patient-error' : ''].filter(Boolean).join(' ');
    return html`
      <h1 tabindex="-1">${t('patientsTitle')}</h1>
      <p class="hint intro">${t('patientsIntro')}</p>
      <form class="lookup" @submit=${this.handleExport} novalidate>
        <fieldset>
          <legend>${t('patientFindBy')}</legend>
          <label class="inline"><input type="radio" name="by" value="phone" .checked=${byPhone} @change=${this.handleFindBy} /> ${t('patientByPhone')}</label>
          <label class="inline"><input type="radio" name="by" value="email" .checked=${!byPhone} @change=${this.handleFindBy} /> ${t('patientByEmail')}</label>
        </fieldset>
        <label for="patient">${t(byPhone ? 'patientByPhone' : 'patientByEmail')}</label>
        <input
          id="patient"
          name="patient"
          type=${byPhone ? 'tel' : 'email'}
          autocomplete="off"
          spellcheck="false"
          .value=${this.value}
          @input=${this.handleInput}
          aria-invalid=${this.fieldError ? 'true' : 'false'}
          aria-describedby=${describedBy || nothing}
        />
        ${byPhone ? html`<p class="hint" id="patient-hint">${t('patientPhoneHint')}</p>` : nothing}
        ${this.fieldError ? html`<p class="field-error" id="patient-error">${fieldErrorText(lang, this.fieldError)}</p>` : nothing}
        <div class="actions">
          <button type="submit" ?disabled=${this.busy}>${t('patientExport')}</button>
          <button type="button" id="erase-open" class="danger secondary" ?disabled=${this.busy} @click=${this.handleOpenConfirm}>${t('patientErase')}</button>
        </div>
      </form>
      <div id="patient-outcome" aria-live="polite" aria-atomic="true">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      <dialog aria-labelledby="erase-title" aria-describedby="erase-what" @close=${this.handleDialogClose}>
        <form @submit=${this.handleErase} novalidate>
          <h2 id="erase-title">${t('patientEraseTitle')}</h2>
          <p id="erase-what" class="what">${t('patientEraseWhat')}</p>
          <p>${whoBefore}<strong class=${byPhone ? 'nowrap' : 'free-text'}>${this.value.trim()}</strong>${whoAfter}</p>
          <label for="confirm">${t(byPhone ? 'patientConfirmPhone' : 'patientConfirmEmail')}</label>
          <input
            id="confirm"
            name="confirm"
            type=${byPhone ? 'tel' : 'email'}
            autocomplete="off"
            spellcheck="false"
            aria-invalid=${this.confirmError ? 'true' : 'false'}
            aria-describedby=${this.confirmError ? 'confirm-error' : nothing}
          />
          ${this.confirmError ? html`<p class="field-error" id="confirm-error" role="alert">${this.confirmError}</p>` : nothing}
          <div class="actions">
            <button type="submit" class="danger" ?disabled=${this.busy}>${t('patientEraseConfirm')}</button>
            <button type="button" class="secondary" @click=${this.handleCancel}>${t('cancel')}</button>
          </div>
        </form>
      </dialog>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-patients-view': PermanencePatientsView;
  }
}
