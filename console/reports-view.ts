/** `<permanence-reports-view>`: monthly activity per practice (admin), as a table and as a CSV download. */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ACTIVITY_COLUMNS, ACTIVITY_GROUPS, reportFileName, type ActivityColumn, type ActivityFormat } from '../shared/activity-report.js';
import { LOCALES, type Lang } from '../shared/i18n.js';
import { consoleText, type ConsoleMessageKey } from '../shared/messages/console.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';
import type { ActivityFigures, ActivityReport, ListOf, PracticeRecord } from './types.js';

/** The report's columns as the table shows them, in the CSV's order: the one heading each row, then the figures. */
// `!`: the table has exactly one, the practice's name (test/shared/activity-report.test.ts holds it to that).
const ROW_HEADER = ACTIVITY_COLUMNS.find((column) => column.screen === 'rowHeader')!;
const CELLS = ACTIVITY_COLUMNS.filter((column) => column.screen === 'cell');

/** This month as the admin's own clock reads it (at 00:30 on 1 December in Paris it is December, though UTC still says November). */
const currentMonth = () => {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
};

export class PermanenceReportsView extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      table.report td {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      /* Fourteen columns fit a 1280 px screen: headings in small letters, as narrow as their longest word, on two lines or more. */
      table.report th,
      table.report td {
        padding: 0.4rem 0.4rem;
      }
      table.report thead th {
        text-transform: none;
        letter-spacing: normal;
        vertical-align: bottom;
        hyphens: auto;
      }
      /* A practice's name reads as a name, not as a column heading. */
      table.report tbody th,
      table.report tfoot th {
        text-transform: none;
        letter-spacing: normal;
        font-size: 1rem;
        color: inherit;
      }
      table.report tfoot tr {
        font-weight: 700;
        border-top: 2px solid var(--border);
      }
      /* Fourteen columns: on a phone the table scrolls inside its own box, which the keyboard can reach and scroll. */
      .report-scroll {
        overflow-x: auto;
        max-width: 100%;
      }
      @media (max-width: 640px) {
        table.report {
          display: table;
          overflow-x: visible;
        }
      }
      caption {
        text-align: left;
        color: var(--muted);
        padding-bottom: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @state() private accessor month = currentMonth();
  @state() private accessor practice = '';
  @state() private accessor practices: PracticeRecord[] = [];
  @state() private accessor report: ActivityReport | undefined = undefined;
  @state() private accessor loaded = false;
  @state() private accessor error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void api.get<ListOf<PracticeRecord>>('/v1/practices').then((r) => r.ok && (this.practices = r.value.items));
    void this.load();
  }

  private query(csv?: 'csv' | 'csv-fr'): string {
    const q = new URLSearchParams({ month: this.month });
    if (this.practice) q.set('practice', this.practice);
    if (csv) q.set('format', csv);
    return `/v1/reports/activity?${q}`;
  }

  private async load(): Promise<void> {
    const result = await api.get<ActivityReport>(this.query());
    this.loaded = true;
    if (!result.ok) {
      this.report = undefined;
      this.error = consoleText(this.language, result.status === 400 ? 'errorInvalid' : 'errorGeneric');
      return;
    }
    this.error = '';
    this.report = result.value;
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    this.month = String(data.get('month') || currentMonth());
    this.practice = String(data.get('practice') ?? '');
    void this.load();
  }

  protected override render() {
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(this.language, key, vars);
    const report = this.report;
    return html`
      <h1 tabindex="-1">${t('reportsTitle')}</h1>
      <form class="toolbar" @submit=${this.handleSubmit}>
        <div>
          <label for="month">${t('month')}</label>
          <input id="month" name="month" type="month" required .value=${this.month} />
        </div>
        <div>
          <label for="practice">${t('filterPractice')}</label>
          <select id="practice" name="practice">
            <option value="">${t('allPractices')}</option>
            ${this.practices.map((p) => html`<option value=${p.slug} ?selected=${p.slug === this.practice}>${p.name}</option>`)}
          </select>
        </div>
        <button type="submit">${t('show')}</button>
        <!-- The same file name as the service's Content-Disposition, whichever of the two the browser uses.
             Both flavours, named: French Excel wants ";" and a BOM, invoicing programs commas and the column keys. -->
        <a class="button secondary" href=${this.query('csv-fr')} download=${reportFileName(this.month, this.practice, 'csv-fr')}>${t('downloadCsvFr')}</a>
        <a class="button secondary" href=${this.query('csv')} download=${reportFileName(this.month, this.practice, 'csv')}>${t('downloadCsvEn')}</a>
      </form>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${!this.loaded
        ? html`<p role="status">${t('loading')}</p>`
        : !report
          ? nothing
          : report.total.received === 0
            ? html`<p class="muted">${t('reportEmpty')}</p>`
            : this.renderTable(report)}
    `;
  }

  private renderTable(report: ActivityReport) {
    const t = (key: ConsoleMessageKey, vars?: Record<string, string | number>) => consoleText(this.language, key, vars);
    const lang = this.language;
    const locale = LOCALES[lang];
    const formats: Record<ActivityFormat, Intl.NumberFormat | undefined> = {
      text: undefined,
      count: new Intl.NumberFormat(locale),
      minutes: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }),
      share: new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }),
    };
    const shown = (column: ActivityColumn, f: ActivityFigures) => {
      const value = column.value(f, report.month);
      if (value === null) return '—';
      const format = formats[column.format];
      return format && typeof value === 'number' ? format.format(value) : String(value);
    };
    const month = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${report.month}-01T12:00:00Z`));
    const cells = (f: ActivityFigures) => CELLS.map((column) => html`<td>${shown(column, f)}</td>`);
    // First row: each column's heading, or its group's heading over the group; second row: the grouped columns' own.
    const groupSize = (group: ActivityColumn['group']) => CELLS.filter((column) => column.group === group).length;
    const topHeadings = CELLS.map((column, i) =>
      !column.group
        ? html`<th scope="col" rowspan="2">${column.header[lang]}</th>`
        : CELLS[i - 1]?.group !== column.group
          ? html`<th scope="colgroup" colspan=${groupSize(column.group)}>${ACTIVITY_GROUPS[column.group][lang]}</th>`
          : nothing,
    );
    return html`<div class="report-scroll" tabindex="0" role="region" aria-labelledby="report-caption"><table class="report">
      <caption id="report-caption">${t('reportCaption', { month })}</caption>
      <thead>
        <tr>
          <th scope="col" rowspan="2">${ROW_HEADER.header[lang]}</th>
          ${topHeadings}
        </tr>
        <tr>
          ${CELLS.filter((column) => column.group).map((column) => html`<th scope="col">${column.header[lang]}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${report.items.map((f) => html`<tr data-practice=${f.practice}><th scope="row" class="free-text">${shown(ROW_HEADER, f)}</th>${cells(f)}</tr>`)}
      </tbody>
      <tfoot>
        <tr class="total"><th scope="row">${t('reportTotal')}</th>${cells(report.total)}</tr>
      </tfoot>
    </table></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-reports-view': PermanenceReportsView;
  }
}
