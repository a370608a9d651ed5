/** `<permanence-reports-view>`: monthly activity per practice (admin), as a table and as a CSV download. */
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Lang } from '../../../shared/i18n.js';
import { consoleText, type ConsoleMessageKey } from '../../../shared/messages/console.js';
import { api } from './api.js';
import { consoleStyles } from './styles.js';
import type { ListOf, PracticeRecord } from './types.js';

type Row = Record<string, unknown>;

/** `{nonBillable: {spam: 1}}` → `{'nonBillable.spam': 1}`: the report may grow fields, the table shows whatever comes. */
function flatten(row: Row, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, flatten(value as Row, `${prefix}${key}.`));
    else out[prefix + key] = value === null || value === undefined ? '—' : typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(2) : String(value);
  }
  return out;
}

const currentMonth = () => new Date().toISOString().slice(0, 7);

export class PermanenceReportsView extends LitElement {
  static override styles = consoleStyles;

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @state() private accessor month = currentMonth();
  @state() private accessor practice = '';
  @state() private accessor practices: PracticeRecord[] = [];
  @state() private accessor rows: Record<string, string>[] | undefined = undefined;
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
    const result = await api.get<ListOf<Row> | Row[]>(this.query(false));
    if (!result.ok) {
      this.rows = [];
      this.error = consoleText(this.language, result.status === 400 ? 'errorInvalid' : 'errorGeneric');
      return;
    }
    this.error = '';
    const items = Array.isArray(result.value) ? result.value : result.value.items;
    this.rows = items.map((row) => flatten(row));
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    this.month = String(data.get('month') || currentMonth());
    this.practice = String(data.get('practice') ?? '');
    void this.load();
  }

  protected override render() {
    const t = (key: ConsoleMessageKey) => consoleText(this.language, key);
    const rows = this.rows;
    const columns = [...new Set((rows ?? []).flatMap((row) => Object.keys(row)))];
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
        <a class="button secondary" href=${this.query(true)} download="activite-${this.month}${this.practice ? `-${this.practice}` : ''}.csv">${t('downloadCsv')}</a>
      </form>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${!rows
        ? html`<p role="status">${t('loading')}</p>`
        : rows.length === 0
          ? html`<p class="muted">${t('reportEmpty')}</p>`
          : html`<table>
              <thead>
                <tr>
                  ${columns.map((c) => html`<th scope="col">${this.columnLabel(c)}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${rows.map((row) => html`<tr>${columns.map((c) => html`<td>${row[c] ?? '—'}</td>`)}</tr>`)}
              </tbody>
            </table>`}
    `;
  }

  /** Known fields get a translated header; new ones show their key rather than nothing. */
  private columnLabel(column: string): string {
    const key = `report_${column.replace('.', '_')}` as ConsoleMessageKey;
    const text = consoleText(this.language, key);
    return text === key ? column : text;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-reports-view': PermanenceReportsView;
  }
}
