/** `<permanence-hours-panel>`: open or closed now, the next seven days' hours by date with today marked, closures of the next two weeks. */
import { html, nothing } from 'lit/html.js';
import type { Lang } from '../shared/i18n.js';
import { zonedDate, type Hours } from '../shared/hours.js';
import { formatter, statusLine, upcomingClosures, weekTable } from '../shared/hours-summary.js';
import { widgetText } from './messages.js';
import { baseStyles } from './base.styles.js';
import { hoursPanelStyles } from './hours-panel.styles.js';
import { ScreenElement } from './screen-element.js';

// The patient's own zone, so the status line can warn when it differs from the practice's; read at the first
// drawing rather than when the script loads, when it would hold back the fetch of the practice.
let viewerTimeZone: string | undefined;

const DAY = 86_400_000;
const SHORT_DATE: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
const LONG_DATE: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };

/**
 * The `i`th day from today on the practice's calendar, as a row shows it ("mar. 1 déc.", "Tue 1 Dec") and as a screen
 * reader says it ("mardi 1 décembre"): a patient planning for Tuesday sees which Tuesday. Noon UTC of a date is that date.
 */
function rowDate(now: Date, timeZone: string, i: number, lang: Lang): { short: string; long: string } {
  const noon = Date.parse(zonedDate(now, timeZone)) + i * DAY + DAY / 2;
  return { short: formatter(lang, 'UTC', SHORT_DATE).format(noon), long: formatter(lang, 'UTC', LONG_DATE).format(noon) };
}

/**
 * The practice's opening hours as a patient needs them: can I call now, and when else.
 *
 * @csspart status - The "open now" / "closed, opens …" line.
 * @csspart week - The table of the next seven days, each row headed by its date.
 * @csspart today - Today's row.
 * @csspart closures - The list of upcoming closures.
 */
export class PermanenceHoursPanel extends ScreenElement {
  static override styles = [baseStyles, hoursPanelStyles];
  static {
    this.reactive({ hours: undefined, now: undefined, language: 'fr' });
  }

  declare hours: Hours | undefined;
  /** The instant the status is computed for; the parent ticks it every minute. Unset: the time it is drawn. */
  declare now: Date | undefined;
  declare language: Lang;

  protected render() {
    const hours = this.hours;
    if (!hours) return nothing;
    const lang = this.language;
    const now = this.now ?? new Date();
    viewerTimeZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
    const closures = upcomingClosures(hours, now, lang);
    // Each time range gets a span the styles keep on one line: a phone would otherwise break after its dash ("14:00–" / "19:00").
    // A <section> without a name: two widgets on a page would otherwise make two "Horaires" regions.
    return html`<section>
      <h3>${widgetText(lang, 'hoursTitle')}</h3>
      <p part="status" class="status">${statusLine(hours, now, lang, viewerTimeZone)}</p>
      <table part="week">
        <tbody>
          ${weekTable(hours, now, lang).map((row, i) => {
            const date = rowDate(now, hours.timezone, i, lang);
            return html`<tr part=${row.today ? 'today' : nothing} aria-current=${row.today ? 'date' : nothing}>
              <th scope="row" aria-label=${row.today ? `${date.long} (${widgetText(lang, 'today')})` : date.long}>${date.short}</th>
              <td>${row.ranges.split(', ').map((range, j) => html`${j ? ', ' : ''}<span>${range}</span>`)}</td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${closures.length
        ? html`<h3 id="closures-title">${widgetText(lang, 'closuresTitle')}</h3>
            <ul part="closures" aria-labelledby="closures-title">
              ${closures.map((closure) => html`<li>${closure.label}</li>`)}
            </ul>`
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-hours-panel': PermanenceHoursPanel;
  }
}
