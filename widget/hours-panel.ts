/** `<permanence-hours-panel>`: open or closed now, the week's hours with today marked, closures of the next two weeks. */
import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import type { Hours } from '../shared/hours.js';
import { statusLine, upcomingClosures, weekTable } from '../shared/hours-summary.js';
import { widgetText } from '../shared/messages/widget.js';
import { sharedStyles } from './shared.styles.js';
import { hoursPanelStyles } from './hours-panel.styles.js';

// The patient's own zone, so the status line can warn when it differs from the practice's.
const viewerTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The practice's opening hours as a patient needs them: can I call now, and when else.
 *
 * @csspart status - The "open now" / "closed, opens …" line.
 * @csspart week - The week's table.
 * @csspart today - Today's row.
 * @csspart closures - The list of upcoming closures.
 */
export class PermanenceHoursPanel extends LitElement {
  static override styles = [sharedStyles, hoursPanelStyles];

  @property({ attribute: false }) accessor hours: Hours | undefined = undefined;
  /** The instant the status is computed for; the parent ticks it every minute. */
  @property({ attribute: false }) accessor now = new Date();
  @property() accessor language: Lang = 'fr';

  protected override render() {
    const hours = this.hours;
    if (!hours) return nothing;
    const lang = this.language;
    const closures = upcomingClosures(hours, this.now, lang);
    // Each time range gets a span the styles keep on one line: a phone would otherwise break after its dash ("14:00–" / "19:00").
    return html`<section aria-labelledby="hours-title">
      <h3 id="hours-title">${widgetText(lang, 'hoursTitle')}</h3>
      <p part="status" class="status">${statusLine(hours, this.now, lang, viewerTimeZone)}</p>
      <table part="week">
        <tbody>
          ${weekTable(hours, this.now, lang).map(
            (row) => html`<tr part=${row.today ? 'today' : nothing} aria-current=${row.today ? 'date' : nothing}>
              <th scope="row">${row.label}${row.today ? html`<span class="visually-hidden"> (${widgetText(lang, 'today')})</span>` : nothing}</th>
              <td>${row.ranges.split(', ').map((range, i) => html`${i ? ', ' : ''}<span>${range}</span>`)}</td>
            </tr>`,
          )}
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
