/** `<permanence-practice-editor>`: create or edit a practice (admin): hours with a live status line, instructions with preview, the after-hours guidance, the embed snippet. */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LOCALES, type Lang } from '../shared/i18n.js';
import type { Hours } from '../shared/hours.js';
import { statusLine } from '../shared/hours-summary.js';
import { validateHours, validTimeZone } from '../shared/hours-schema.js';
import { telHref } from './phone-text.js';
import { consoleText, fieldErrorText, type ConsoleMessageKey } from '../shared/messages/console.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';
import type { PracticeRecord } from './types.js';
import { INSTRUCTIONS_TEMPLATE } from '../shared/instructions-template.js';
import { refusedLinkLines } from '../shared/markdown.js';
import { hoursEditorText } from '../shared/messages/hours-editor.js';
import type { HoursInputEvent, PermanenceHoursEditor } from './hours-editor.js';

/** The route parameter that opens an empty form rather than an existing practice. */
const NEW_PRACTICE = 'new';

function blankPractice(): PracticeRecord {
  return {
    slug: '',
    name: '',
    phone: '',
    timezone: 'Europe/Paris',
    hours: {
      timezone: 'Europe/Paris',
      weekly: {
        mon: [['08:30', '12:30'], ['14:00', '19:00']],
        tue: [['08:30', '12:30'], ['14:00', '19:00']],
        wed: [['08:30', '12:30'], ['14:00', '19:00']],
        thu: [['08:30', '12:30'], ['14:00', '19:00']],
        fri: [['08:30', '12:30'], ['14:00', '19:00']],
      },
      holidays: { country: 'FR', region: null, closed: true },
      exceptions: [],
    } as Hours,
    // What an answering service tells patients before a visit, for the practice to adapt.
    instructions: { ...INSTRUCTIONS_TEMPLATE },
    allowedOrigins: [],
    sms: true,
    retentionDays: 90,
  };
}

/**
 * The snippet of SPEC "Embed", with the practice's phone as the element's content: the no-JS fallback a patient
 * still sees when the service cannot be reached. `base` is the service's public address, not the console's.
 */
export function embedSnippet(base: string, slug: string, phone: string): string {
  // A French number reads the national way on a French site: "+33 1 42 00 00 00" or "+33142000000" → "01 42 00 00 00".
  const digits = phone.replace(/[^\d+]/g, '');
  const shown = /^\+33\d{9}$/.test(digits) ? ('0' + digits.slice(3)).replace(/(\d\d)(?=\d)/g, '$1 ') : phone;
  const fallback = phone ? `\n  <a href="${telHref(phone)}">${shown}</a>\n` : '';
  return `<script type="module" src="${base.replace(/\/+$/, '')}/widget.js"></script>\n<permanence-widget practice="${slug}">${fallback}</permanence-widget>`;
}

/** The `timezone` inside hours as typed, when the text is JSON with one; else undefined. */
function hoursTimeZone(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { timezone?: unknown } | null;
    return typeof parsed?.timezone === 'string' ? parsed.timezone : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The hours text with `timezone` set, the rest as the admin wrote it: the value is replaced in place when
 * present, otherwise the JSON is rewritten (only possible when it parses).
 */
function withHoursTimeZone(text: string, timeZone: string): string {
  const pattern = /("timezone"\s*:\s*)"(?:[^"\\]|\\.)*"/;
  if (pattern.test(text)) return text.replace(pattern, (_m, key: string) => `${key}${JSON.stringify(timeZone)}`);
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return JSON.stringify({ timezone: timeZone, ...parsed }, null, 2);
  } catch {
    // Not JSON yet: the hours' own error says so; nothing to update.
  }
  return text;
}

/** Inside the hours JSON the path is what the admin looks for (`weekly.mon.1`); on a plain field the field itself says where. */
const placed = (lang: Lang, path: string, problem: string) => (path ? consoleText(lang, 'fieldProblem', { field: path, problem }) : problem);

/** The hours as typed: readable and valid, not JSON at all, or JSON with problems named by path. */
type HoursCheck = { ok: true; hours: Hours } | { ok: false; notJson: true } | { ok: false; notJson: false; fields: Record<string, string> };

export class PermanencePracticeEditor extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      .columns {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        gap: 1rem;
      }
      @media (max-width: 900px) {
        .columns {
          grid-template-columns: 1fr;
        }
      }
      input[type='text'],
      input[type='email'],
      input[type='tel'],
      input:not([type]) {
        width: 100%;
      }
      .identity {
        max-width: 40rem;
      }
      details.advanced {
        margin: 0.75rem 0;
      }
      details.advanced summary {
        cursor: pointer;
        font-weight: 600;
        color: var(--accent);
      }
      .status-line {
        font-weight: 600;
      }
      textarea.snippet {
        min-height: 4em;
      }
      ul.errors {
        margin: 0.25rem 0;
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @property({ attribute: false }) accessor slug = '';
  /** The service's public address (`GET /v1/me`), where practices load the widget from. */
  @property({ attribute: false }) accessor publicUrl = '';

  @state() private accessor practice: PracticeRecord | undefined = undefined;
  @state() private accessor hoursText = '';
  /** The hours the form shows: the JSON as last parsed, so a half-typed JSON does not empty the form. */
  @state() private accessor hoursValue: unknown = undefined;
  /** The practice's zone as typed; kept equal to the hours' `timezone`, which the service requires. */
  @state() private accessor timezone = '';
  @state() private accessor instructionsFr = '';
  @state() private accessor instructionsEn = '';
  /** The consignes for operators as typed, by language. */
  @state() private accessor operatorInstructionsFr = '';
  @state() private accessor operatorInstructionsEn = '';
  /** What the widget tells patients while the practice is closed, as typed. */
  @state() private accessor afterHoursPhone = '';
  @state() private accessor afterHoursFr = '';
  @state() private accessor afterHoursEn = '';
  @state() private accessor error = '';
  @state() private accessor fieldErrors: Record<string, string> = {};
  @state() private accessor notice = '';
  @state() private accessor copied = false;
  @state() private accessor busy = false;

  private get isNew(): boolean {
    return this.slug === NEW_PRACTICE;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('slug')) void this.load();
  }

  private async load(): Promise<void> {
    this.notice = '';
    this.error = '';
    this.fieldErrors = {};
    if (this.isNew) return this.show(blankPractice());
    const result = await api.get<PracticeRecord>(`/v1/practices/${encodeURIComponent(this.slug)}`);
    if (result.ok) this.show(result.value);
    else this.error = consoleText(this.language, result.status === 404 ? 'practiceNotFound' : 'errorGeneric');
  }

  private show(practice: PracticeRecord): void {
    this.practice = practice;
    this.hoursText = JSON.stringify(practice.hours, null, 2);
    this.hoursValue = practice.hours;
    this.timezone = practice.timezone;
    this.instructionsFr = practice.instructions.fr ?? '';
    this.instructionsEn = practice.instructions.en ?? '';
    this.operatorInstructionsFr = practice.operatorInstructions?.fr ?? '';
    this.operatorInstructionsEn = practice.operatorInstructions?.en ?? '';
    this.afterHoursPhone = practice.afterHours?.phone ?? '';
    this.afterHoursFr = practice.afterHours?.text?.fr ?? '';
    this.afterHoursEn = practice.afterHours?.text?.en ?? '';
  }

  /** The service's own check, run as the admin types, so the preview only ever draws hours the service would accept. */
  private get hoursCheck(): HoursCheck {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.hoursText);
    } catch {
      return { ok: false, notJson: true };
    }
    const result = validateHours(parsed);
    return result.ok ? result : { ok: false, notJson: false, fields: result.fields };
  }

  /** What is wrong with the zone field, in words; empty when it is a known zone equal to the hours'. */
  private get timezoneProblem(): string {
    const zone = this.timezone.trim();
    if (!validTimeZone(zone)) return consoleText(this.language, 'timezoneUnknown', { zone });
    const inHours = hoursTimeZone(this.hoursText);
    return inHours !== undefined && inHours !== zone ? consoleText(this.language, 'timezoneMismatch', { hours: inHours, practice: zone }) : '';
  }

  private handleTimezoneInput(event: Event): void {
    this.timezone = (event.target as HTMLInputElement).value;
    this.setHoursText(withHoursTimeZone(this.hoursText, this.timezone.trim()));
  }

  /** The JSON as typed; the form follows it whenever it parses. */
  private setHoursText(text: string): void {
    this.hoursText = text;
    try {
      this.hoursValue = JSON.parse(text) as unknown;
    } catch {
      // Not JSON yet: the form keeps the last hours it could read, the preview says what is wrong.
    }
  }

  private handleHoursForm(event: HoursInputEvent): void {
    this.hoursValue = event.hours;
    this.hoursText = JSON.stringify(event.hours, null, 2);
  }

  private handleHoursInput(event: Event): void {
    this.setHoursText((event.target as HTMLTextAreaElement).value);
    const inHours = hoursTimeZone(this.hoursText);
    if (inHours !== undefined) this.timezone = inHours;
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const check = this.hoursCheck;
    const zoneProblem = this.timezoneProblem;
    if (zoneProblem) {
      this.fieldErrors = {};
      this.error = zoneProblem;
      (this.renderRoot.querySelector('#timezone') as HTMLElement).focus();
      return;
    }
    if (!check.ok) {
      // The problems are already said on their fields, in words; listing them twice would not help.
      this.fieldErrors = {};
      this.error = consoleText(this.language, 'errorInvalid');
      if (check.notJson || !this.renderRoot.querySelector<PermanenceHoursEditor>('permanence-hours-editor')?.focusFirstError()) {
        this.renderRoot.querySelector<HTMLDetailsElement>('details.advanced')!.open = true;
        (this.renderRoot.querySelector('#hours') as HTMLElement).focus();
      }
      return;
    }
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const instructions: PracticeRecord['instructions'] = {};
    if (this.instructionsFr.trim()) instructions.fr = this.instructionsFr;
    if (this.instructionsEn.trim()) instructions.en = this.instructionsEn;
    // Fields this form does not show (privacy page, SMS countries…) go back as they came, so saving never erases them;
    // operator assignments are left out, the accounts page owns them.
    const { operators: _operators, contacts: _c, onCall: _o, escalation: _e, urgentAckMinutes: _u, digestAt: _d, ...kept } = this.practice!; // and the messaging settings: the on-call editor saves them, a stale copy sent back would undo it
    const record: PracticeRecord = {
      ...(this.isNew ? {} : kept),
      slug: this.isNew ? text('slug') : this.practice!.slug,
      name: text('name'),
      phone: text('phone'),
      timezone: this.timezone.trim(),
      hours: check.hours,
      instructions,
      allowedOrigins: text('allowedOrigins').split(/\s+/).filter(Boolean),
      sms: data.get('sms') === 'on',
      retentionDays: Number(text('retentionDays')),
    };
    record.notifyEmail = text('notifyEmail');
    // Sent even when blank: an empty object clears the consignes, where leaving the field out would keep them.
    record.operatorInstructions = {};
    if (this.operatorInstructionsFr.trim()) record.operatorInstructions.fr = this.operatorInstructionsFr;
    if (this.operatorInstructionsEn.trim()) record.operatorInstructions.en = this.operatorInstructionsEn;
    // The same for the after-hours guidance: sent blank, it is cleared and the widget gives its default (116 117, 15).
    record.afterHours = { phone: this.afterHoursPhone.trim(), text: {} };
    if (this.afterHoursFr.trim()) record.afterHours.text!.fr = this.afterHoursFr;
    if (this.afterHoursEn.trim()) record.afterHours.text!.en = this.afterHoursEn;
    this.busy = true;
    this.error = '';
    this.notice = '';
    const result = this.isNew ? await api.post<PracticeRecord>('/v1/practices', record) : await api.put<PracticeRecord>(`/v1/practices/${encodeURIComponent(record.slug)}`, record);
    this.busy = false;
    if (result.ok) {
      this.fieldErrors = {};
      this.notice = consoleText(this.language, 'savedNotice');
      if (this.isNew) location.hash = `#/practices/${encodeURIComponent(record.slug)}`;
      return;
    }
    this.fieldErrors = result.fields;
    // Admins can act on the service's own words when the failure is not a field they typed.
    const detail = result.status !== 400 && result.status !== 409 && result.message ? ` (${result.message})` : '';
    this.error = consoleText(this.language, result.status === 400 ? 'errorInvalid' : result.status === 409 ? 'slugTaken' : 'errorGeneric') + detail;
  }

  private async handleCopy(): Promise<void> {
    const snippet = embedSnippet(this.publicUrl || location.origin, this.practice!.slug, this.practice!.phone);
    try {
      await navigator.clipboard.writeText(snippet);
      this.copied = true;
    } catch {
      // No clipboard permission: select the text so Ctrl+C does it.
      (this.renderRoot.querySelector('#snippet') as HTMLTextAreaElement).select();
    }
  }

  /**
   * The links of these instructions a patient could not open, by line, as the admin types: the service refuses
   * them (`invalid_link`), and the line is what the admin needs to find one in twelve lines of text.
   */
  private linkProblem(source: string, readers: 'patients' | 'operators' = 'patients') {
    const lines = refusedLinkLines(source);
    if (!lines.length) return '';
    const lang = this.language;
    const [one, many] = readers === 'patients' ? (['invalidLinkLine', 'invalidLinkLines'] as const) : (['invalidLinkLineOperators', 'invalidLinkLinesOperators'] as const);
    return lines.length === 1
      ? consoleText(lang, one, { line: lines[0]! })
      : consoleText(lang, many, { lines: new Intl.ListFormat(LOCALES[lang], { type: 'conjunction' }).format(lines.map(String)) });
  }

  private fieldError(name: string) {
    // The instructions' refused links are said live, by line, under their preview.
    const entries = Object.entries(this.fieldErrors).filter(([path, code]) => (path === name || path.startsWith(`${name}.`)) && code !== 'invalid_link');
    if (!entries.length) return nothing;
    return html`<ul class="errors field-error" id="${name}-error">
      ${entries.map(([path, code]) => html`<li>${placed(this.language, path.slice(name.length + 1), fieldErrorText(this.language, code))}</li>`)}
    </ul>`;
  }

  protected override render() {
    const lang = this.language;
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(lang, key, vars);
    const p = this.practice;
    // One template around the heading from loading to loaded: the h1 the app focuses on arrival stays the same element.
    return html`<p><a href="#/practices">← ${t('navPractices')}</a></p>
      <h1 tabindex="-1">${this.isNew ? t('newPractice') : (p?.name ?? this.slug)}</h1>
      ${p ? this.renderForm(p) : this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : html`<p role="status">${t('loading')}</p>`}`;
  }

  private renderForm(p: PracticeRecord) {
    const lang = this.language;
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(lang, key, vars);
    const check = this.hoursCheck;
    // A refused link is judged on the text as it is now (`linkProblem`), not as it was when last sent.
    const invalid = (name: string) =>
      Object.entries(this.fieldErrors).some(([path, code]) => code !== 'invalid_link' && (path === name || path.startsWith(`${name}.`))) ? 'true' : 'false';
    const linksFr = this.linkProblem(this.instructionsFr);
    const linksEn = this.linkProblem(this.instructionsEn);
    return html`
      <div aria-live="polite">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      <form @submit=${this.handleSubmit} novalidate>
        <div class="identity">
          <div>
            ${this.isNew
              ? html`<label for="slug">${t('slug')}</label>
                  <input id="slug" name="slug" type="text" required pattern="[a-z0-9-]+" aria-describedby="slug-hint" aria-invalid=${invalid('slug')} />
                  <p class="hint" id="slug-hint">${t('slugHint')}</p>
                  ${this.fieldError('slug')}`
              : nothing}
            <label for="name">${t('practiceName')}</label>
            <input id="name" name="name" type="text" required .value=${p.name} aria-invalid=${invalid('name')} />
            ${this.fieldError('name')}
            <label for="phone">${t('phone')}</label>
            <input id="phone" name="phone" type="tel" required .value=${p.phone} aria-invalid=${invalid('phone')} />
            ${this.fieldError('phone')}
            <label for="timezone">${t('timezone')}</label>
            <input
              id="timezone"
              name="timezone"
              type="text"
              required
              .value=${this.timezone}
              @input=${this.handleTimezoneInput}
              aria-describedby="timezone-hint timezone-problem"
              aria-invalid=${this.timezoneProblem ? 'true' : invalid('timezone')}
            />
            <p class="hint" id="timezone-hint">${t('timezoneHint')}</p>
            <p class="field-error" id="timezone-problem" aria-live="polite">${this.timezoneProblem}</p>
            ${this.fieldError('timezone')}
            <label for="notifyEmail">${t('notifyEmail')}</label>
            <input id="notifyEmail" name="notifyEmail" type="email" .value=${p.notifyEmail ?? ''} aria-invalid=${invalid('notifyEmail')} />
            ${this.fieldError('notifyEmail')}
            <label for="allowedOrigins">${t('allowedOrigins')}</label>
            <textarea id="allowedOrigins" name="allowedOrigins" aria-describedby="origins-hint" .value=${p.allowedOrigins.join('\n')} aria-invalid=${invalid('allowedOrigins')}></textarea>
            <p class="hint" id="origins-hint">${t('allowedOriginsHint')}</p>
            ${this.fieldError('allowedOrigins')}
            <label class="inline"><input type="checkbox" name="sms" ?checked=${p.sms} /> ${t('smsEnabled')}</label>
            <label for="retentionDays">${t('retentionDays')}</label>
            <input id="retentionDays" name="retentionDays" type="number" min="1" max="3650" .value=${String(p.retentionDays)} aria-invalid=${invalid('retentionDays')} />
            ${this.fieldError('retentionDays')}
          </div>
        </div>
        ${this.renderHours(check, invalid)}
        <div class="columns">
          <div>
            <label for="instructions-fr">${t('instructionsFr')}</label>
            <textarea
              id="instructions-fr"
              rows="12"
              .value=${this.instructionsFr}
              @input=${(e: Event) => (this.instructionsFr = (e.target as HTMLTextAreaElement).value)}
              aria-describedby="md-hint links-fr"
              aria-invalid=${linksFr ? 'true' : invalid('instructions.fr')}
            ></textarea>
            <p class="hint">${t('preview')}</p>
            <permanence-markdown-preview lang="fr" .source=${this.instructionsFr}></permanence-markdown-preview>
            <p class="field-error" id="links-fr" aria-live="polite">${linksFr}</p>
            ${this.fieldError('instructions.fr')}
          </div>
          <div>
            <label for="instructions-en">${t('instructionsEn')}</label>
            <textarea
              id="instructions-en"
              rows="12"
              .value=${this.instructionsEn}
              @input=${(e: Event) => (this.instructionsEn = (e.target as HTMLTextAreaElement).value)}
              aria-describedby="md-hint links-en"
              aria-invalid=${linksEn ? 'true' : invalid('instructions.en')}
            ></textarea>
            <p class="hint">${t('preview')}</p>
            <permanence-markdown-preview lang="en" .source=${this.instructionsEn}></permanence-markdown-preview>
            <p class="field-error" id="links-en" aria-live="polite">${linksEn}</p>
            ${this.fieldError('instructions.en')}
          </div>
        </div>
        <p class="hint" id="md-hint">${t('markdownHint')}</p>
        ${this.renderAfterHours(invalid)}
        ${this.renderOperatorInstructions(invalid)}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t('save')}</button></div>
      </form>
      ${this.isNew
        ? nothing
        : html`<section aria-labelledby="embed-title">
            <h2 id="embed-title">${t('embedTitle')}</h2>
            <label for="snippet">${t('embedHint')}</label>
            <textarea id="snippet" class="code snippet" readonly rows="5" .value=${embedSnippet(this.publicUrl || location.origin, p.slug, p.phone)}></textarea>
            <div class="actions">
              <button type="button" class="secondary" @click=${this.handleCopy}>${t('copy')}</button>
              <span role="status">${this.copied ? t('copied') : ''}</span>
            </div>
            <p><a href="#/users">${t('assignOperators')}</a></p>
          </section>`}
    `;
  }

  /** The hours as a form, the widget's status line for them, and the JSON behind them for whoever prefers it. */
  private renderHours(check: HoursCheck, invalid: (name: string) => 'true' | 'false') {
    const lang = this.language;
    const t = (key: ConsoleMessageKey) => consoleText(lang, key);
    return html`<section class="hours" aria-labelledby="hours-title">
      <h2 id="hours-title">${hoursEditorText(lang, 'title')}</h2>
      <div id="hours-preview" aria-live="polite">
        ${check.ok
          ? html`<p>${t('hoursPreview')} <span class="status-line">${statusLine(check.hours, new Date(), lang)}</span></p>`
          : check.notJson
            ? html`<p class="field-error">${t('hoursNotJson')}</p>`
            : html`<p class="muted">${hoursEditorText(lang, 'previewUnavailable')}</p>`}
      </div>
      <permanence-hours-editor
        .language=${lang}
        .value=${this.hoursValue}
        .errors=${check.ok || check.notJson ? {} : check.fields}
        @hours-input=${this.handleHoursForm}
      ></permanence-hours-editor>
      <details class="advanced">
        <summary>${hoursEditorText(lang, 'advanced')}</summary>
        <label for="hours">${t('hoursJson')}</label>
        <textarea
          id="hours"
          class="code"
          spellcheck="false"
          .value=${this.hoursText}
          @input=${this.handleHoursInput}
          aria-describedby="hours-preview"
          aria-invalid=${check.ok ? invalid('hours') : 'true'}
        ></textarea>
      </details>
      ${this.fieldError('hours')}
    </section>`;
  }

  /** What the widget tells patients while the practice is closed: a number to call, and a text by language with its preview. */
  private renderAfterHours(invalid: (name: string) => 'true' | 'false') {
    const lang = this.language;
    const t = (key: ConsoleMessageKey) => consoleText(lang, key);
    const field = (language: Lang, value: string, set: (v: string) => void) => {
      const id = `after-hours-${language}`;
      const links = this.linkProblem(value);
      return html`<div>
        <label for=${id}>${t(language === 'fr' ? 'afterHoursTextFr' : 'afterHoursTextEn')}</label>
        <textarea
          id=${id}
          rows="4"
          .value=${value}
          @input=${(e: Event) => set((e.target as HTMLTextAreaElement).value)}
          aria-describedby="after-hours-intro md-hint ${id}-links"
          aria-invalid=${links ? 'true' : invalid(`afterHours.text.${language}`)}
        ></textarea>
        <p class="hint">${t('preview')}</p>
        <permanence-markdown-preview lang=${language} .source=${value}></permanence-markdown-preview>
        <p class="field-error" id="${id}-links" aria-live="polite">${links}</p>
        ${this.fieldError(`afterHours.text.${language}`)}
      </div>`;
    };
    return html`<section class="after-hours" aria-labelledby="after-hours-title">
      <h2 id="after-hours-title">${t('afterHoursTitle')}</h2>
      <p class="hint" id="after-hours-intro">${t('afterHoursIntro')}</p>
      <div class="identity">
        <label for="after-hours-phone">${t('afterHoursPhone')}</label>
        <input
          id="after-hours-phone"
          type="tel"
          .value=${this.afterHoursPhone}
          @input=${(e: Event) => (this.afterHoursPhone = (e.target as HTMLInputElement).value)}
          aria-describedby="after-hours-phone-hint"
          aria-invalid=${invalid('afterHours.phone')}
        />
        <p class="hint" id="after-hours-phone-hint">${t('afterHoursPhoneHint')}</p>
        ${this.fieldError('afterHours.phone')}
      </div>
      <div class="columns">
        ${field('fr', this.afterHoursFr, (v) => (this.afterHoursFr = v))}
        ${field('en', this.afterHoursEn, (v) => (this.afterHoursEn = v))}
      </div>
    </section>`;
  }

  /** The consignes for operators, FR and EN, each with its preview and its refused links by line; never shown to patients. */
  private renderOperatorInstructions(invalid: (name: string) => 'true' | 'false') {
    const lang = this.language;
    const t = (key: ConsoleMessageKey) => consoleText(lang, key);
    const field = (language: Lang, value: string, set: (v: string) => void) => {
      const id = `operator-instructions-${language}`;
      const links = this.linkProblem(value, 'operators');
      return html`<div>
        <label for=${id}>${t(language === 'fr' ? 'operatorInstructionsFr' : 'operatorInstructionsEn')}</label>
        <textarea
          id=${id}
          rows="12"
          .value=${value}
          @input=${(e: Event) => set((e.target as HTMLTextAreaElement).value)}
          aria-describedby="operator-instructions-intro md-hint ${id}-links"
          aria-invalid=${links ? 'true' : invalid(`operatorInstructions.${language}`)}
        ></textarea>
        <p class="hint">${t('preview')}</p>
        <permanence-markdown-preview lang=${language} .source=${value}></permanence-markdown-preview>
        <p class="field-error" id="${id}-links" aria-live="polite">${links}</p>
        ${this.fieldError(`operatorInstructions.${language}`)}
      </div>`;
    };
    return html`<section class="operator-instructions" aria-labelledby="operator-instructions-title">
      <h2 id="operator-instructions-title">${t('operatorInstructionsTitle')}</h2>
      <p class="hint" id="operator-instructions-intro">${t('operatorInstructionsIntro')}</p>
      <div class="columns">
        ${field('fr', this.operatorInstructionsFr, (v) => (this.operatorInstructionsFr = v))}
        ${field('en', this.operatorInstructionsEn, (v) => (this.operatorInstructionsEn = v))}
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-practice-editor': PermanencePracticeEditor;
  }
}
