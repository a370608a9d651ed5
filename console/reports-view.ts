/** `<permanence-reports-view>`: monthly activity per practice (admin), as a table and as a CSV download. */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LOCALES, type Lang } from '../shared/i18n.js';
import { consoleText, type ConsoleMessageKey } from '../shared/messages/console.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';
import type { ActivityFigures, ActivityReport, ListOf, PracticeRecord } from './types.js';

type NonBillable = keyof ActivityFigures['nonBillable'];

/** The five reasons a request is not billed, in the order of the CSV. */
const NON_BILLABLE: { field: NonBillable; label: ConsoleMessageKey }[] = [
  { field: 'duplicate', label: 'reportDuplicate' },
  { field: 'spam', label: 'reportSpam' },
  { field: 'wrong_number', label: 'reportWrongNumber' },
  { field: 'cancelled', label: 'reportCancelled' },
  { field: 'abandoned', label: 'reportAbandoned' },
];

const currentMonth = () => new Date().toISOString().slice(0, 7);

export class PermanenceReportsView extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      table.report td {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      table.report th {
        padding: 0.4rem 0.45rem;
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

  private query(csv: boolean): string {
    const q = new URLSearchParams({ month: this.month });
    if (this.practice) q.set('practice', this.practice);
    if (csv) q.set('format', 'csv');
    return `/v1/reports/activity?${q}`;
  }

  private async load(): Promise<void> {
    const result = await api.get<ActivityReport>(this.query(false));
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
        <!-- The same file name as the service's Content-Disposition, whichever of the two the browser uses. -->
        <a class="button secondary" href=${this.query(true)} download="activity-${this.month}${this.practice ? `-${this.practice}` : ''}.csv">${t('downloadCsv')}</a>
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
    const locale = LOCALES[this.language];
    const count = new Intl.NumberFormat(locale);
    const minutes = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    const share = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    const month = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${report.month}-01T12:00:00Z`));
    const cells = (f: ActivityFigures) => html`
      <td>${count.format(f.received)}</td>
      <td>${count.format(f.handled)}</td>
      <td>${count.format(f.billable)}</td>
      ${NON_BILLABLE.map(({ field }) => html`<td>${count.format(f.nonBillable[field])}</td>`)}
      <td>${count.format(f.open)}</td>
      <td>${f.medianMinutesToFirstCall === null ? '—' : minutes.format(f.medianMinutesToFirstCall)}</td>
      <td>${f.calledOnTimeShare === null ? '—' : share.format(f.calledOnTimeShare)}</td>
    `;
    return html`<table class="report">
      <caption>${t('reportCaption', { month })}</caption>
      <thead>
        <tr>
          <th scope="col" rowspan="2">${t('reportName')}</th>
          <th scope="col" rowspan="2">${t('reportReceived')}</th>
          <th scope="col" rowspan="2">${t('reportHandled')}</th>
          <th scope="col" rowspan="2">${t('reportBillable')}</th>
          <th scope="colgroup" colspan=${NON_BILLABLE.length}>${t('reportNonBillable')}</th>
          <th scope="col" rowspan="2">${t('reportOpen')}</th>
          <th scope="col" rowspan="2">${t('reportMedianMinutes')}</th>
          <th scope="col" rowspan="2">${t('reportOnTimeShare')}</th>
        </tr>
        <tr>
          ${NON_BILLABLE.map(({ label }) => html`<th scope="col">${t(label)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${report.items.map((f) => html`<tr data-practice=${f.practice}><th scope="row">${f.name}</th>${cells(f)}</tr>`)}
      </tbody>
      <tfoot>
        <tr class="total"><th scope="row">${t('reportTotal')}</th>${cells(report.total)}</tr>
      </tfoot>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-reports-view': PermanenceReportsView;
  }
}
