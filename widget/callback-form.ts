/** `<permanence-callback-form>`: the request-a-callback form, its validation, its sending, and the receipt once queued. */
import { html, nothing } from 'lit/html.js';
import type { Lang } from '../shared/i18n.js';
import { isOpen, nextOpening } from '../shared/hours.js';
import { whenText } from '../shared/hours-summary.js';
import { parseMarkdown } from '../shared/markdown.js';
import { widgetMessages, widgetText, type WidgetMessageKey } from './messages.js';
import { phoneHint } from '../shared/phone-hint.js';
// Types only: a value import would bring zod into the bundle (see validate.ts).
import type { CallbackCreated, ConfirmBy, FieldErrorCode, Urgency, WidgetConfig } from '../shared/schemas.js';
import { triage } from '../shared/triage.js';
import { needsDoctorTonight } from '../shared/after-hours.js';
import { renderBlock } from './instructions-view.js';
import { newIdempotencyKey, postCallback, type ApiFailure } from './callback-api.js';
import { PermanenceErrorEvent, PermanenceSubmittedEvent } from './events.js';
import { ScreenElement } from './screen-element.js';
import { sharedStyles } from './shared.styles.js';
import { callbackFormStyles } from './callback-form.styles.js';
import { isoInZone } from './time.js';
import { validateCallbackDraft, type CallbackDraft } from './validate.js';
import { callbackWindows, type CallbackWindow } from './windows.js';
import type { PermanenceCallbackReceipt } from './callback-receipt.js';
// MIN_FILL_MS: the service takes a form sent back sooner as a bot's; a person's autofill can be quicker, so the form waits.
import { CONFIRM_CHANNELS, MIN_FILL_MS } from '../shared/callback.js';

interface FormValues {
  name: string;
  phone: string;
  email: string;
  reason: string;
  urgency: Urgency;
  /** The chosen window's start (`getTime()` as text), or '' for "as soon as possible"; a window is always routine. */
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
 * and sends the same `Idempotency-Key` again when the very same request is retried after a network failure. "When to call"
 * is one question: how soon, with the practice's windows as the answers of a request that is not urgent. While the practice
 * is closed the form says so first, offers the reopening and its windows, and gives the practice's after-hours guidance in
 * place of "today" and "urgent".
 *
 * @fires permanence-submitted - The service queued the request (`detail.ref`).
 * @fires permanence-error - The service refused or could not be reached (`detail.code`).
 *
 * @csspart field - Each field's block. @csspart label - Field labels. @csspart input - Inputs, selects and the textarea.
 * @csspart hint - Help under a field. @csspart error - A field's error. @csspart submit - The send button.
 * @csspart alert - The announced message (errors, network trouble).
 * @csspart closed - "The practice is closed", with its reopening, at the top of the form while closed.
 * @csspart after-hours - The practice's after-hours guidance (its number and text) and the emergency numbers, while closed.
 */
export class PermanenceCallbackForm extends ScreenElement {
  static override styles = [...sharedStyles, callbackFormStyles];
  static {
    this.reactive({
      config: undefined,
      api: '',
      now: undefined,
      language: 'fr',
      values: blankValues([]),
      errors: {},
      alert: { text: '' },
      sending: false,
      created: undefined,
    });
  }

  declare config: WidgetConfig | undefined;
  /** Base URL of the service. */
  declare api: string;
  /** The instant the windows and the open/closed state are computed for; the widget ticks it. Unset: when first drawn. */
  declare now: Date;
  declare language: Lang;

  // Each is replaced, never changed in place: a new value is what draws the form again.
  private declare values: FormValues;
  private declare errors: Partial<Record<string, FieldErrorCode>>;
  private declare alert: { text: string; info?: boolean };
  private declare sending: boolean;
  private declare created: CallbackCreated | undefined;

  /** The key goes with one exact body: a retry of it reuses the key, an edited form gets a new one (else the service answers 422). */
  private idempotency: { body: string; key: string } | undefined;
  private windows: CallbackWindow[] = [];
  /** While the practice is closed, when it reopens (null: not within a year); undefined while it is open. */
  private reopening: Date | null | undefined;
  /** When the config, and with it the form token, arrived: counting from here is never earlier than the service's stamp. */
  private loadedAt = 0;

  protected override willUpdate(changed: ReadonlySet<string>): void {
    this.now ??= new Date();
    if (changed.has('config') && this.config) {
      this.values = blankValues(this.config.channels);
      this.loadedAt = Date.now();
    }
    if ((changed.has('config') || changed.has('now') || changed.has('language')) && this.config) {
      const { hours } = this.config;
      this.windows = callbackWindows(hours, this.now, this.language);
      this.reopening = isOpen(hours, this.now) ? undefined : nextOpening(hours, this.now);
      // A window that has gone by while the patient was typing silently becomes "as soon as possible"; once the practice
      // has closed, so does "today" or "urgent", which are no longer offered (the after-hours guidance is, instead).
      const v = this.values;
      if (v.window && !this.windows.some((w) => String(w.from.getTime()) === v.window)) this.values = { ...v, window: '' };
      if (this.reopening !== undefined && v.urgency !== 'routine') this.values = { ...this.values, urgency: 'routine', urgencyChosen: false };
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
    // A reason that reads as an emergency asks for the soonest call, one that needs a doctor tonight a call today (and no longer
    // once it doesn't), unless the patient has said when themselves. While closed only "at the reopening" is offered: it stays.
    if (input.name === 'reason' && !this.values.urgencyChosen && this.reopening === undefined) {
      const urgency = triage(input.value).redFlag ? 'urgent' : needsDoctorTonight(input.value) ? 'soon' : 'routine';
      this.values = { ...this.values, urgency };
    }
  }

  /** One question, one group of radios: how soon, or (for a routine request) which window; either answers both fields. */
  private handleWhen(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    const window = /^\d+$/.test(value) ? value : '';
    this.setValue('urgencyChosen', true);
    this.setValue('window', window, 'preferredWindow');
    this.setValue('urgency', window ? 'routine' : (value as Urgency));
  }

  private handleConfirmBy(event: Event): void {
    this.setValue('confirmBy', (event.target as HTMLInputElement).value as ConfirmBy);
    // Choosing email makes the email field required; its "required" error belongs to the old choice.
    if (this.errors.email === 'email_required') this.setValue('email', this.values.email);
  }

  private handleConsent(event: Event): void {
    this.setValue('consent', (event.target as HTMLInputElement).checked);
  }

  private draft(): CallbackDraft {
    const v = this.values;
    const zone = this.config?.hours.timezone ?? 'Europe/Paris';
    const window = this.windows.find((w) => String(w.from.getTime()) === v.window);
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

  /** A "how soon" radio; "routine" is checked only while no window is (a window is routine too). */
  private renderChoice(urgency: Urgency, label: WidgetMessageKey = `urgency_${urgency}`, withHint = true) {
    const v = this.values;
    return html`<label class="choice">
      <input type="radio" name="urgency" value=${urgency} id=${urgency === 'routine' ? 'urgency' : nothing}
        .checked=${v.urgency === urgency && !v.window} @change=${this.handleWhen} aria-describedby=${withHint ? `urgency-${urgency}-hint` : nothing} />
      <span class="label">${this.t(label)}</span>
      ${withHint ? html`<span class="hint" id="urgency-${urgency}-hint">${this.t(`urgency_${urgency}_hint`)}</span>` : nothing}
    </label>`;
  }

  /**
   * What the practice says to do while it is closed (its number and text, else 116 117 and the 15), then the numbers
   * for a life-threatening emergency: shown before anything is sent.
   */
  private renderAfterHours(config: WidgetConfig) {
    const lang = this.language;
    const guidance = config.afterHours;
    const text = guidance?.text?.[lang] ?? guidance?.text?.[lang === 'fr' ? 'en' : 'fr'];
    // With no guidance at all, the national out-of-hours line; a practice that wrote only a text gives no number.
    const phone = guidance ? guidance.phone : '116 117';
    return html`<section part="after-hours" class="notice info after-hours" role="status" aria-labelledby="after-hours-title">
      <h4 id="after-hours-title">${this.t('afterHoursTitle')}</h4>
      ${text ? parseMarkdown(text).map(renderBlock) : guidance ? nothing : html`<p>${this.t('afterHoursDefault')}</p>`}
      ${phone ? html`<p><a class="call" href="tel:${phone.replace(/[^\d+]/g, '')}">${this.t('emergency_call', { number: phone })}</a></p>` : nothing}
      <p>
        ${this.t('afterHoursEmergency')
          .split(/\{(\d+)\}/)
          .map((part, i) => (i % 2 ? html`<a href="${part === '114' ? 'sms' : 'tel'}:${part}">${part}</a>` : part))}
      </p>
    </section>`;
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

  protected render() {
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
    const consent = this.describe('consent');
    const closed = this.reopening !== undefined;
    // While closed, the after-hours guidance stands in for "today" and "urgent"; next to the reason when that reads as needing a doctor tonight.
    const tonight = closed && needsDoctorTonight(v.reason);
    const emailRequired = v.confirmBy === 'email';
    // The practice decides which channels it offers; "none" is always there.
    const channels = CONFIRM_CHANNELS.filter((channel) => channel === 'none' || config.channels.includes(channel));
    // No accessible name on the form: named, it would be a landmark of the host page, twice over with two practices on it.
    return html`<form novalidate @submit=${this.handleSubmit}>
      <h3 id="form-title" tabindex="-1">${this.t('formTitle')}</h3>
      ${closed
        ? html`<p part="closed" class="notice info">
            ${this.t('closed')} ${this.reopening ? this.t('closedNotice', { when: whenText(this.reopening, this.now, config.hours.timezone, this.language) }) : nothing}
          </p>`
        : nothing}
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
      ${tonight ? this.renderAfterHours(config) : nothing}

      <fieldset part="field">
        <legend part="label">${this.t('urgency')}</legend>
        ${this.renderChoice('routine', closed ? 'urgency_reopening' : 'urgency_routine', !closed)}
        ${this.windows.map(
          (w, i) => html`<label class="choice slot">
            <input type="radio" name="urgency" value=${w.from.getTime()} id=${i ? nothing : 'preferredWindow'}
              .checked=${v.window === String(w.from.getTime())} @change=${this.handleWhen} />
            <span class="label">${w.label}</span>
          </label>`,
        )}
        ${closed ? nothing : [this.renderChoice('soon'), this.renderChoice('urgent')]}
        ${this.errorFor('urgency')} ${this.errorFor('preferredWindow')}
      </fieldset>
      ${closed && !tonight ? this.renderAfterHours(config) : nothing}

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
