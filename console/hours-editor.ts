/** `<permanence-hours-editor>`: a practice's opening hours as a form (weekdays, holidays, closures), each problem on its own field. */
import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { LOCALES, type Lang } from '../shared/i18n.js';
import { HOLIDAY_REGIONS, WEEKDAYS, type HolidayRegion, type Weekday } from '../shared/hours.js';
import { fieldErrorText } from '../shared/messages/console.js';
import { hoursEditorText, type HoursEditorMessageKey } from '../shared/messages/hours-editor.js';
import { consoleStyles } from './styles.js';

type Range = [string, string];
interface Exception {
  from: string;
  to: string;
  hours: Range[];
  label?: { fr?: string; en?: string };
}
/** Hours as the form holds them: the JSON's shape, possibly with mistakes in it (an empty time, dates in the wrong order). */
interface DraftHours {
  weekly: Partial<Record<Weekday, Range[]>>;
  holidays?: { country: 'FR'; region?: string | null; closed: boolean };
  exceptions?: Exception[];
  [other: string]: unknown;
}

/** Fired on every change made through the form, with the whole hours object as it now stands. */
export class HoursInputEvent extends Event {
  constructor(readonly hours: DraftHours) {
    super('hours-input', { bubbles: true, composed: true });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' ? v : '');
const rangesOf = (v: unknown): Range[] => (Array.isArray(v) ? v.map((r) => (Array.isArray(r) ? [text(r[0]), text(r[1])] : ['', ''])) : []);

/** A copy of any parsed JSON the form can show and change; what it does not show (unknown keys) is kept as it was. */
function draftOf(value: unknown): DraftHours {
  const copy: Record<string, unknown> = isObject(value) ? structuredClone(value) : {};
  const weekly: Record<string, unknown> = isObject(copy.weekly) ? copy.weekly : {};
  for (const day of WEEKDAYS) if (day in weekly) weekly[day] = rangesOf(weekly[day]);
  copy.weekly = weekly;
  if ('exceptions' in copy)
    copy.exceptions = (Array.isArray(copy.exceptions) ? copy.exceptions : []).map((x: unknown) => {
      const e = isObject(x) ? x : {};
      const label = isObject(e.label) ? e.label : undefined;
      return { ...e, from: text(e.from), to: text(e.to), hours: rangesOf(e.hours), ...(label ? { label } : {}) };
    });
  return copy as DraftHours;
}

/** Each region's choice in the list, saying which days it adds; a region added to `HOLIDAY_REGIONS` must be named here. */
const REGION_CHOICE: Record<HolidayRegion, HoursEditorMessageKey> = {
  'alsace-moselle': 'regionAlsaceMoselle',
  guadeloupe: 'regionGuadeloupe',
  guyane: 'regionGuyane',
  'la-reunion': 'regionLaReunion',
  martinique: 'regionMartinique',
  mayotte: 'regionMayotte',
  'saint-barthelemy': 'regionSaintBarthelemy',
  'saint-martin': 'regionSaintMartin',
};

/** A time input cannot show 24:00; 00:00 as an end means the same midnight. */
const shownTime = (t: string) => (t === '24:00' ? '00:00' : /^\d\d:\d\d$/.test(t) ? t : '');
const isoDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/**
 * The form field a problem of `validateHours` belongs to (`weekly.mon.1` → Monday's second range), or undefined when the
 * form has no field for it (the problem is then listed under the form with its JSON path). `timezone` is the practice's own field.
 */
export function fieldOf(path: string): string | undefined {
  const parts = path.split('.');
  const [head, a, b, c] = parts;
  const index = (s: string | undefined) => s !== undefined && /^\d+$/.test(s);
  if (head === 'weekly' && (WEEKDAYS as readonly string[]).includes(a ?? '')) return index(b) ? `weekly.${a}.${b}` : `weekly.${a}`;
  if (head === 'exceptions') {
    if (!index(a)) return 'exceptions';
    if (b === 'from' || b === 'to') return `exceptions.${a}.${b}`;
    if (b === 'hours') return index(c) ? `exceptions.${a}.hours.${c}` : `exceptions.${a}.hours`;
    if (b === 'label' && (c === 'fr' || c === 'en')) return `exceptions.${a}.label.${c}`;
    return `exceptions.${a}`;
  }
  if (head === 'holidays') return a === 'region' ? 'holidays.region' : 'holidays';
  return undefined;
}

/**
 * @fires hours-input - a `HoursInputEvent` carrying the whole hours object after each change
 */
export class PermanenceHoursEditor extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      fieldset {
        margin: 0.75rem 0;
        /* A fieldset is as wide as its widest content by default; the region's long option would widen the page. */
        min-width: 0;
      }
      select {
        width: 100%;
        max-width: 30rem;
      }
      .day {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-start;
        gap: 0.25rem 1rem;
        padding: 0.5rem 0;
        border-bottom: 1px solid #e5e7eb;
      }
      .day:last-of-type {
        border-bottom: none;
      }
      .day-name {
        flex: 0 0 7rem;
        font-weight: 600;
        padding-top: 0.45rem;
      }
      .ranges {
        flex: 1 1 16rem;
        min-width: 0;
        display: flex;
        flex-direction: column;
        align-items: flex-start;
        gap: 0.35rem;
      }
      .range {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem 0.75rem;
      }
      .range {
        gap: 0.25rem 0.5rem;
      }
      .range label.inline {
        margin: 0;
      }
      input[aria-invalid='true'],
      select[aria-invalid='true'] {
        border: 2px solid var(--danger);
      }
      @media (max-width: 480px) {
        input[type='time'] {
          padding-inline: 0.25em;
        }
        fieldset {
          padding: 0.25rem 0.6rem 0.75rem;
        }
        .day-name {
          flex-basis: 100%;
          padding-top: 0;
        }
      }
      .range .field-error,
      .exception .field-error,
      .day > .field-error {
        flex-basis: 100%;
        margin: 0;
      }
      .closed-day {
        padding-top: 0.45rem;
        color: var(--muted);
      }
      button.small {
        padding: 0.3em 0.7em;
        font-size: 0.9rem;
      }
      .pair {
        display: flex;
        flex-wrap: wrap;
        gap: 0 1rem;
      }
      .pair > div {
        flex: 1 1 12rem;
        min-width: 0;
      }
      .pair input[type='text'] {
        width: 100%;
      }
      .exception {
        border-style: dashed;
      }
      .exception-hours-title {
        font-weight: 600;
        margin: 0.75rem 0 0.25rem;
      }
      .exception > button {
        margin-top: 0.75rem;
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  /** The hours object as last parsed (the JSON of SPEC "Opening hours", possibly with mistakes). */
  @property({ attribute: false }) accessor value: unknown = undefined;
  /** The problems `validateHours` found on `value`, by path (`weekly.mon.1`: `overlap`). */
  @property({ attribute: false }) accessor errors: Record<string, string> = {};

  /** The id of a field to focus once the change that creates it has come back as `value`. */
  private pendingFocus = '';

  /** Focuses the first field marked invalid; false when no field of the form holds the problem. */
  focusFirstError(): boolean {
    const field = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]');
    field?.focus();
    return Boolean(field);
  }

  protected override updated(): void {
    if (!this.pendingFocus) return;
    const field = this.renderRoot.querySelector<HTMLElement>(`#${this.pendingFocus}`);
    if (field) {
      field.focus();
      this.pendingFocus = '';
    }
  }

  private t(key: HoursEditorMessageKey, vars?: Record<string, string | number>) {
    return hoursEditorText(this.language, key, vars);
  }

  /** The day's name as a calendar prints it: "lundi", "Monday" (1 January 2024 was a Monday). */
  private dayName(day: Weekday) {
    return new Intl.DateTimeFormat(LOCALES[this.language], { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day))));
  }

  private edit(change: (draft: DraftHours) => void, focus = '') {
    const draft = draftOf(this.value);
    change(draft);
    this.pendingFocus = focus;
    this.dispatchEvent(new HoursInputEvent(draft));
  }

  /** The problems placed on the form's fields, by field. */
  private get placed(): Map<string, string> {
    const map = new Map<string, string>();
    for (const [path, code] of Object.entries(this.errors)) {
      const field = fieldOf(path);
      if (field && !map.has(field)) map.set(field, code);
    }
    return map;
  }

  /** aria-invalid, aria-describedby and the sentence of one field's problem. */
  private problem(placed: Map<string, string>, field: string) {
    const code = placed.get(field);
    const id = `err-${field.replaceAll('.', '-')}`;
    return code
      ? { invalid: 'true', describedBy: id, message: html`<p class="field-error" id=${id}>${fieldErrorText(this.language, code)}</p>` }
      : { invalid: 'false', describedBy: nothing, message: nothing };
  }

  /** Start, end and remove button of each range, then the add button; `at` finds the ranges inside a draft. */
  private renderRanges(placed: Map<string, string>, path: string, idPrefix: string, ranges: Range[], owner: { name: string; of: string }, at: (d: DraftHours) => Range[], emptyText: string) {
    const setTime = (i: number, end: boolean) => (e: Event) => {
      const v = (e.target as HTMLInputElement).value;
      this.edit((d) => {
        const r = at(d)[i];
        if (r) r[end ? 1 : 0] = end && v === '00:00' ? '24:00' : v;
      });
    };
    return html`<div class="ranges">
      ${ranges.length ? nothing : html`<span class="closed-day">${emptyText}</span>`}
      ${ranges.map(([from, to], i) => {
        const p = this.problem(placed, `${path}.${i}`);
        const n = i + 1;
        return html`<div class="range" role="group" aria-label=${this.t('rangeOf', { owner: owner.of, n })}>
          <label class="inline"
            ><span class="visually-hidden">${this.t('start')}</span>
            <input type="time" id="${idPrefix}-${i}-start" .value=${shownTime(from)} @change=${setTime(i, false)} aria-invalid=${p.invalid} aria-describedby=${p.describedBy}
          /></label>
          <span aria-hidden="true">–</span>
          <label class="inline"
            ><span class="visually-hidden">${this.t('end')}</span>
            <input type="time" id="${idPrefix}-${i}-end" .value=${shownTime(to)} @change=${setTime(i, true)} aria-invalid=${p.invalid} aria-describedby=${p.describedBy}
          /></label>
          <button
            type="button"
            class="secondary small"
            id="${idPrefix}-${i}-remove"
            @click=${() => this.edit((d) => at(d).splice(i, 1), `${idPrefix}-add`)}
          >
            ${this.t('remove')}<span class="visually-hidden">${this.t('removeRangeOf', { n, owner: owner.of })}</span>
          </button>
          ${p.message}
        </div>`;
      })}
      <button
        type="button"
        class="secondary small"
        id="${idPrefix}-add"
        @click=${() => this.edit((d) => at(d).push(ranges.length ? [ranges.at(-1)![1] === '24:00' ? '00:00' : ranges.at(-1)![1], ''] : ['08:30', '12:30']), `${idPrefix}-${ranges.length}-start`)}
      >
        ${this.t('addRange')}<span class="visually-hidden">${this.t('addRangeTo', { owner: owner.name })}</span>
      </button>
    </div>`;
  }

  protected override render() {
    const draft = draftOf(this.value);
    const placed = this.placed;
    const lang = this.language;
    const dayRanges = (d: DraftHours, day: Weekday) => (d.weekly[day] ??= []);
    const holidays = draft.holidays;
    const region = this.problem(placed, 'holidays.region');
    const exceptions = draft.exceptions ?? [];
    const unplaced = Object.entries(this.errors).filter(([path]) => path !== 'timezone' && !fieldOf(path));
    return html`
      <fieldset>
        <legend>${this.t('weeklyTitle')}</legend>
        <p class="hint">${this.t('weeklyHint')}</p>
        ${WEEKDAYS.map((day) => {
          const name = this.dayName(day);
          const shown = name.charAt(0).toLocaleUpperCase(LOCALES[lang]) + name.slice(1);
          const p = this.problem(placed, `weekly.${day}`);
          return html`<div class="day" role="group" aria-labelledby="day-${day}" data-day=${day}>
            <span class="day-name" id="day-${day}">${shown}</span>
            ${this.renderRanges(placed, `weekly.${day}`, `wd-${day}`, draft.weekly[day] ?? [], { name, of: this.t('ofDay', { day: name }) }, (d) => dayRanges(d, day), this.t('closed'))} ${p.message}
          </div>`;
        })}
      </fieldset>

      <fieldset>
        <legend>${this.t('holidaysTitle')}</legend>
        <label class="inline">
          <input
            type="checkbox"
            role="switch"
            id="holidays-closed"
            .checked=${holidays?.closed ?? false}
            @change=${(e: Event) =>
              this.edit((d) => (d.holidays = { country: 'FR', region: d.holidays?.region ?? null, closed: (e.target as HTMLInputElement).checked }))}
          />
          ${this.t('holidaysClosed')}
        </label>
        <label for="holidays-region">${this.t('region')}</label>
        <select
          id="holidays-region"
          aria-invalid=${region.invalid}
          aria-describedby=${region.describedBy}
          @change=${(e: Event) => {
            const value = (e.target as HTMLSelectElement).value;
            this.edit((d) => (d.holidays = { country: 'FR', closed: d.holidays?.closed ?? false, region: value || null }));
          }}
        >
          <option value="" ?selected=${!holidays?.region}>${this.t('regionNone')}</option>
          ${HOLIDAY_REGIONS.map((id) => html`<option value=${id} ?selected=${holidays?.region === id}>${this.t(REGION_CHOICE[id])}</option>`)}
        </select>
        ${region.message}
      </fieldset>

      <fieldset>
        <legend>${this.t('exceptionsTitle')}</legend>
        <p class="hint">${this.t('exceptionsHint')}</p>
        ${exceptions.length ? nothing : html`<p class="muted">${this.t('exceptionsNone')}</p>`}
        ${exceptions.map((x, i) => this.renderException(placed, x, i))}
        ${this.problem(placed, 'exceptions').message}
        <button
          type="button"
          class="secondary"
          id="exception-add"
          @click=${() => {
            const tomorrow = new Date();
            tomorrow.setDate(tomorrow.getDate() + 1);
            this.edit((d) => (d.exceptions ??= []).push({ from: isoDay(tomorrow), to: isoDay(tomorrow), hours: [] }), `ex-${exceptions.length}-from`);
          }}
        >
          ${this.t('addException')}
        </button>
      </fieldset>
      ${unplaced.length
        ? html`<div class="field-error">
            ${this.t('elsewhere')}
            <ul>
              ${unplaced.map(([path, code]) => html`<li><code>${path}</code> : ${fieldErrorText(lang, code)}</li>`)}
            </ul>
          </div>`
        : nothing}
    `;
  }

  private renderException(placed: Map<string, string>, x: Exception, i: number) {
    const n = i + 1;
    const name = this.t('exceptionName', { n });
    const at = (d: DraftHours) => d.exceptions![i]!;
    const whole = this.problem(placed, `exceptions.${i}`);
    const hours = this.problem(placed, `exceptions.${i}.hours`);
    const date = (key: 'from' | 'to') => {
      const p = this.problem(placed, `exceptions.${i}.${key}`);
      return html`<div>
        <label for="ex-${i}-${key}">${this.t(key)}</label>
        <input
          type="date"
          id="ex-${i}-${key}"
          .value=${x[key]}
          @change=${(e: Event) => this.edit((d) => (at(d)[key] = (e.target as HTMLInputElement).value))}
          aria-invalid=${p.invalid}
          aria-describedby=${p.describedBy}
        />
        ${p.message}
      </div>`;
    };
    const label = (language: Lang) => {
      const p = this.problem(placed, `exceptions.${i}.label.${language}`);
      return html`<div>
        <label for="ex-${i}-label-${language}">${this.t(language === 'fr' ? 'labelFr' : 'labelEn')}</label>
        <input
          type="text"
          id="ex-${i}-label-${language}"
          lang=${language}
          maxlength="100"
          .value=${x.label?.[language] ?? ''}
          @input=${(e: Event) => {
            const value = (e.target as HTMLInputElement).value;
            this.edit((d) => {
              const labels = { ...at(d).label, [language]: value };
              if (!value) delete labels[language];
              if (Object.keys(labels).length) at(d).label = labels;
              else delete at(d).label;
            });
          }}
          aria-invalid=${p.invalid}
          aria-describedby=${p.describedBy}
        />
        ${p.message}
      </div>`;
    };
    return html`<fieldset class="exception" data-index=${i}>
      <legend>${name}</legend>
      <div class="pair">${date('from')} ${date('to')}</div>
      <div class="pair">${label('fr')} ${label('en')}</div>
      <div role="group" aria-labelledby="ex-${i}-hours-title">
        <p class="exception-hours-title" id="ex-${i}-hours-title">${this.t('exceptionHours')}</p>
        ${this.renderRanges(placed, `exceptions.${i}.hours`, `ex-${i}-h`, x.hours, { name: name.toLocaleLowerCase(LOCALES[this.language]), of: this.t('ofException', { n }) }, (d) => at(d).hours, this.t('closedAllDay'))} ${hours.message}
      </div>
      ${whole.message}
      <button type="button" class="secondary" id="ex-${i}-remove" @click=${() => this.edit((d) => d.exceptions!.splice(i, 1), 'exception-add')}>
        ${this.t('removeExceptionShown')}<span class="visually-hidden">${this.t('removeExceptionNumber', { n })}</span>
      </button>
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-hours-editor': PermanenceHoursEditor;
  }
}
