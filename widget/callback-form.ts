/** `<permanence-callback-form>`: the request-a-callback form, its validation, its sending, and the receipt once queued. */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { widgetMessages, widgetText, type WidgetMessageKey } from '../shared/messages/widget.js';
import { phoneHint } from '../shared/phone-hint.js';
// Types only: a value import would bring zod into the bundle (see validate.ts).
import type { CallbackCreated, ConfirmBy, FieldErrorCode, Urgency, WidgetConfig } from '../shared/schemas.js';
import { triage } from '../shared/triage.js';
import { newIdempotencyKey, postCallback, type ApiFailure } from './api.js';
import { PermanenceErrorEvent, PermanenceSubmittedEvent } from './events.js';
import { sharedStyles } from './shared.styles.js';
import { callbackFormStyles } from './callback-form.styles.js';
import { isoInZone } from './time.js';
import { validateCallbackDraft, type CallbackDraft } from './validate.js';
import { callbackWindows, type CallbackWindow } from './windows.js';
import type { PermanenceCallbackReceipt } from './callback-receipt.js';
// MIN_FILL_MS: the service takes a form sent back sooner as a bot's; a person's autofill can be quicker, so the form waits.
import { CONFIRM_CHANNELS, MIN_FILL_MS, URGENCIES } from '../shared/callback.js';

interface FormValues {
  name: string;
  phone: string;
  email: string;
  reason: string;
  urgency: Urgency;
  /** Index into the offered windows, or '' for "as soon as possible". */
  window: string;
  confirmBy: ConfirmBy;
  consent: boolean;
  website: string;
  /** The patient picked an urgency themselves: triage no longer moves it. */
  urgencyChosen: boolean;
}

/** The fields a patient sees, in screen order, by the id of their (first) input: the first one in error gets the focus; `fieldNames` names them in this order. */
const VISIBLE_FIELDS = ['name', 'phone', 'email', 'reason', 'urgency', 'preferredWindow', 'confirmBy', 'consent'] as const;

function blankValues(channels: readonly string[]): FormValues {
  return {
    name: '',
    phone: '',
    email: '',
    reason: '',
    urgency: 'routine',
    window: '',
    confirmBy: channels.includes('sms') ? 'sms' : 'none',
    consent: false,
    website: '',
    urgencyChosen: false,
  };
}


/**
 * The callback form. Validates as the shared schema does before sending, shows each error by its field and announces them,
 * and sends the same `Idempotency-Key` again when the very same request is retried after a network failure.
 *
 * @fires permanence-submitted - The service queued the request (`detail.ref`).
 * @fires permanence-error - The service refused or could not be reached (`detail.code`).
 *
 * @csspart field - Each field's block. @csspart label - Field labels. @csspart input - Inputs, selects and the textarea.
 * @csspart hint - Help under a field. @csspart error - A field's error. @csspart submit - The send button.
 * @csspart alert - The announced message (errors, network trouble).
 */
export class PermanenceCallbackForm extends LitElement {
  static override styles = [sharedStyles, callbackFormStyles];

  @property({ attribute: false }) accessor config: WidgetConfig | undefined = undefined;
  @property() accessor api = '';
  @property({ attribute: false }) accessor now = new Date();
  @property() accessor language: Lang = 'fr';

  @state() private accessor values: FormValues = blankValues([]);
  @state() private accessor errors: Partial<Record<string, FieldErrorCode>> = {};
  @state() private accessor alert: { text: string; info?: boolean } = { text: '' };
  @state() private accessor sending = false;
  @state() private accessor created: CallbackCreated | undefined = undefined;

  /** The key goes with one exact body: a retry of it reuses the key, an edited form gets a new one (else the service answers 422). */
  private idempotency: { body: string; key: string } | undefined;
  private windows: CallbackWindow[] = [];
  /** When the config, and with it the form token, arrived: counting from here is never earlier than the service's stamp. */
  private loadedAt = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('config') && this.config) {
      this.values = blankValues(this.config.channels);
      this.loadedAt = Date.now();
    }
    if ((changed.has('config') || changed.has('now') || changed.has('language')) && this.config) {
      this.windows = callbackWindows(this.config.hours, this.now, this.language);
      // A window that has gone by while the patient was typing silently becomes "as soon as possible".
      if (Number(this.values.window) >= this.windows.length) this.values = { ...this.values, window: '' };
    }
  }

  private t(key: WidgetMessageKey, vars?: Record<string, string | number>): string {
    return widgetText(this.language, key, vars);
  }

  private setValue<K extends keyof FormValues>(key: K, value: FormValues[K], field: string = key): void {
    this.values = { ...this.values, [key]: value };
    if (this.errors[field]) {
      const { [field]: _, ...rest } = this.errors;
      this.errors = rest;
    }
  }

  private handleText(event: Event): void {
    const input = event.target as HTMLInputElement | HTMLTextAreaElement;
    this.setValue(input.name as 'name' | 'phone' | 'email' | 'reason' | 'website', input.value);
    // A reason that reads as an emergency asks for the soonest call (and no longer once it doesn't), unless the patient has said how soon themselves.
    if (input.name === 'reason' && !this.values.urgencyChosen) this.values = { ...this.values, urgency: triage(input.value).redFlag ? 'urgent' : 'routine' };
  }

  private handleUrgency(event: Event): void {
    this.setValue('urgencyChosen', true);
    this.setValue('urgency', (event.target as HTMLInputElement).value as Urgency);
  }

  private handleConfirmBy(event: Event): void {
    this.setValue('confirmBy', (event.target as HTMLInputElement).value as ConfirmBy);
    // Choosing email makes the email field required; its "required" error belongs to the old choice.
    if (this.errors.email === 'email_required') this.setValue('email', this.values.email);
  }

  private handleWindow(event: Event): void {
    this.setValue('window', (event.target as HTMLSelectElement).value, 'preferredWindow');
  }

  private handleConsent(event: Event): void {
    this.setValue('consent', (event.target as HTMLInputElement).checked);
  }

  private draft(): CallbackDraft {
    const v = this.values;
    const zone = this.config?.hours.timezone ?? 'Europe/Paris';
    const window = v.window === '' ? undefined : this.windows[Number(v.window)];
    return {
      name: v.name,
      phone: v.phone,
      ...(v.email.trim() ? { email: v.email.trim() } : {}),
      reason: v.reason,
      urgency: v.urgency,
      ...(window ? { preferredWindow: { from: isoInZone(window.from, zone), to: isoInZone(window.to, zone) } } : {}),
      confirmBy: v.confirmBy,
      // `false` is sent as is: the schema turns it into "consent_required" by the checkbox.
      consent: v.consent,
      lang: this.language,
      website: v.website,
      ...(this.config?.formToken ? { formToken: this.config.formToken } : {}),
    };
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.sending || !this.config) return;
    const parsed = validateCallbackDraft(this.draft());
    if (!parsed.ok) {
      await this.showFieldErrors(parsed.fields);
      return;
    }
    const body = JSON.stringify(parsed.value);
    if (this.idempotency?.body !== body) this.idempotency = { body, key: newIdempotencyKey() };
    this.sending = true;
    this.alert = { text: this.t('sending'), info: true };
    // Sent sooner, the request would be taken for a bot's and silently dropped; a person does not notice the wait.
    await new Promise((resolve) => setTimeout(resolve, this.loadedAt + MIN_FILL_MS - Date.now()));
    const result = await postCallback(this.api, this.config.practice.slug, parsed.value, this.idempotency.key);
    this.sending = false;
    if (result.ok) {
      this.created = result.value;
      this.alert = { text: '' };
      this.errors = {};
      this.idempotency = undefined;
      this.dispatchEvent(new PermanenceSubmittedEvent({ ref: result.value.ref }));
      await this.updateComplete;
      await this.renderRoot.querySelector<PermanenceCallbackReceipt>('permanence-callback-receipt')?.focus();
      return;
    }
    await this.showFailure(result.failure);
  }

  private async showFailure(failure: ApiFailure): Promise<void> {
    switch (failure.kind) {
      case 'validation':
        await this.showFieldErrors(failure.fields);
        break;
      case 'network':
        this.alert = { text: this.t('networkError') };
        break;
      case 'rate_limited':
        this.alert = { text: this.t('rateLimited', { minutes: Math.max(1, Math.ceil(failure.retryAfterSeconds / 60)) }) };
        break;
      case 'http':
        this.alert = { text: this.t(failure.status === 409 ? 'inFlight' : 'serverError') };
        break;
    }
    this.dispatchEvent(new PermanenceErrorEvent({ code: failure.kind === 'http' ? failure.code : failure.kind }));
  }

  private async showFieldErrors(fields: Record<string, FieldErrorCode>): Promise<void> {
    const visible = VISIBLE_FIELDS.filter((field) => fields[field]);
    this.errors = fields;
    // Errors on fields the patient cannot see (token, honeypot, language) are ours, not theirs: no field to point at.
    const names = this.t('fieldNames').split('|');
    this.alert = {
      text: visible.length
        ? this.t(visible.length > 1 ? 'errorsMany' : 'errorOne', { count: visible.length, fields: visible.map((f) => names[VISIBLE_FIELDS.indexOf(f)]).join(', ') })
        : this.t('serverError'),
    };
    await this.updateComplete;
    const first = visible[0];
    if (first) this.renderRoot.querySelector<HTMLElement>(`#${first}`)?.focus();
  }

  /** The form comes back empty with focus on its title, not lost to the page's `<body>`. */
  private async handleNewRequest(): Promise<void> {
    this.created = undefined;
    this.values = blankValues(this.config!.channels);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h3')?.focus();
  }

  /** `aria-describedby` and `aria-invalid` of a field: its hint, then its error when it has one. */
  private describe(field: string, hint?: string) {
    const ids = [hint, this.errors[field] ? `${field}-error` : undefined].filter(Boolean).join(' ');
    return { describedBy: ids || nothing, invalid: this.errors[field] ? 'true' : nothing };
  }

  private errorFor(field: string) {
    const code = this.errors[field];
    if (!code) return nothing;
    const key = `err_${code}` as WidgetMessageKey;
    // The service may name a problem this version of the widget has no sentence for yet.
    return html`<p part="error" class="error" id="${field}-error">${this.t(key in widgetMessages.fr ? key : 'err_invalid')}</p>`;
  }

  protected override render() {
    const config = this.config;
    if (!config) return nothing;
    if (this.created) {
      return html`<permanence-callback-receipt
        exportparts="receipt,reference,emergency,emergency-link"
        .created=${this.created}
        .asked=${this.values.confirmBy}
        .timeZone=${config.hours.timezone}
        .now=${this.now}
        .language=${this.language}
        @new-request=${this.handleNewRequest}
      ></permanence-callback-receipt>`;
    }
    const v = this.values;
    const triaged = v.reason.trim() ? triage(v.reason) : undefined;
    const hint = v.phone.trim() ? phoneHint(v.phone) : undefined;
    const name = this.describe('name');
    const phone = this.describe('phone', hint ? 'phone-hint' : undefined);
    const email = this.describe('email');
    const reason = this.describe('reason', 'reason-hint');
    const windowField = this.describe('preferredWindow');
    const consent = this.describe('consent');
    const emailRequired = v.confirmBy === 'email';
    // The practice decides which channels it offers; "none" is always there.
    const channels = CONFIRM_CHANNELS.filter((channel) => channel === 'none' || config.channels.includes(channel));
    return html`<form novalidate @submit=${this.handleSubmit} aria-labelledby="form-title">
      <h3 id="form-title" tabindex="-1">${this.t('formTitle')}</h3>
      <p class="muted">${this.t('formIntro')}</p>

      <div part="field">
        <label part="label" for="name">${this.t('name')}</label>
        <input part="input" id="name" name="name" type="text" autocomplete="name" required maxlength="100"
          .value=${v.name} @input=${this.handleText} aria-describedby=${name.describedBy} aria-invalid=${name.invalid} />
        ${this.errorFor('name')}
      </div>

      <div part="field">
        <label part="label" for="phone">${this.t('phone')}</label>
        <input part="input" id="phone" name="phone" type="tel" autocomplete="tel" inputmode="tel" required maxlength="30"
          .value=${v.phone} @input=${this.handleText} aria-describedby=${phone.describedBy} aria-invalid=${phone.invalid} />
        ${hint
          ? html`<p part="hint" id="phone-hint" class="hint ${hint === 'ok' ? 'ok' : ''}">
              ${this.t(`phone_${hint}`)}
            </p>`
          : nothing}
        ${this.errorFor('phone')}
      </div>

      <div part="field">
        <label part="label" for="email">${this.t(emailRequired ? 'emailRequired' : 'email')}</label>
        <input part="input" id="email" name="email" type="email" autocomplete="email" maxlength="254" ?required=${emailRequired}
          .value=${v.email} @input=${this.handleText} aria-describedby=${email.describedBy} aria-invalid=${email.invalid} />
        ${this.errorFor('email')}
      </div>

      <div part="field">
        <label part="label" for="reason">${this.t('reason')}</label>
        <textarea part="input" id="reason" name="reason" required maxlength="1000" rows="4"
          .value=${v.reason} @input=${this.handleText} aria-describedby=${reason.describedBy} aria-invalid=${reason.invalid}></textarea>
        <p part="hint" id="reason-hint" class="hint">${this.t('reasonHint')}</p>
        ${this.errorFor('reason')}
      </div>

      ${triaged?.redFlag
        ? html`<permanence-emergency-panel exportparts="emergency,emergency-link" .language=${this.language} .matched=${triaged.matched}></permanence-emergency-panel>`
        : nothing}

      <fieldset part="field">
        <legend part="label">${this.t('urgency')}</legend>
        ${URGENCIES.map(
          (urgency, i) => html`<label class="choice">
            <input type="radio" name="urgency" value=${urgency} id=${i ? nothing : 'urgency'}
              .checked=${v.urgency === urgency} @change=${this.handleUrgency} aria-describedby="urgency-${urgency}-hint" />
            <span class="label">${this.t(`urgency_${urgency}`)}</span>
            <span class="hint" id="urgency-${urgency}-hint">${this.t(`urgency_${urgency}_hint`)}</span>
          </label>`,
        )}
        ${this.errorFor('urgency')}
      </fieldset>

      ${this.windows.length
        ? html`<div part="field">
            <label part="label" for="preferredWindow">${this.t('window')}</label>
            <select part="input" id="preferredWindow" @change=${this.handleWindow}
              aria-describedby=${windowField.describedBy} aria-invalid=${windowField.invalid}>
              <option value="" ?selected=${v.window === ''}>${this.t('windowAny')}</option>
              ${this.windows.map((w, i) => html`<option value=${String(i)} ?selected=${v.window === String(i)}>${w.label}</option>`)}
            </select>
            ${this.errorFor('preferredWindow')}
          </div>`
        : nothing}

      <fieldset part="field">
        <legend part="label">${this.t('confirmBy')}</legend>
        ${channels.map(
          (channel, i) => html`<label class="choice">
            <input type="radio" name="confirmBy" value=${channel} id=${i ? nothing : 'confirmBy'}
              .checked=${v.confirmBy === channel} @change=${this.handleConfirmBy} />
            <span class="label">${this.t(`confirm_${channel}`)}</span>
          </label>`,
        )}
        ${this.errorFor('confirmBy')}
      </fieldset>

      <div part="field">
        <label class="choice consent">
          <input type="checkbox" name="consent" id="consent" required .checked=${v.consent} @change=${this.handleConsent}
            aria-describedby=${consent.describedBy} aria-invalid=${consent.invalid} />
          <span>${this.t('consent')}</span>
        </label>
        ${config.practice.privacyUrl
          ? html`<a href=${config.practice.privacyUrl} target="_blank" rel="noopener noreferrer">${this.t('privacy')}</a>`
          : nothing}
        ${this.errorFor('consent')}
      </div>

      <div class="hp" aria-hidden="true">
        <label for="website">${this.t('honeypot')}</label>
        <input id="website" name="website" type="text" tabindex="-1" autocomplete="off" .value=${v.website} @input=${this.handleText} />
      </div>

      <div part="alert" class="notice alert ${this.alert.info ? 'info' : ''}" aria-live="assertive" aria-atomic="true">${this.alert.text}</div>

      <button part="submit" type="submit" ?disabled=${this.sending}>
        ${this.t(this.sending ? 'sending' : 'submit')}
      </button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-callback-form': PermanenceCallbackForm;
  }
}
