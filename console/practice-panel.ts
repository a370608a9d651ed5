/** `<permanence-practice-panel>`: beside a request, what the operator must know of its practice: open or closed and until when, today's hours, its consignes. */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { dayInfo, isOpen, zonedDate, zonedDateTime, type DayInfo, type Hours } from '../shared/hours.js';
import { statusLine } from '../shared/hours-summary.js';
import { consoleText } from '../shared/messages/console.js';
import type { OperatorInstructions } from './operator-instructions.js';
import { zoneLabel } from './time.js';
import type { CallbackDetail } from './types.js';

/** How often the status line is worked out again while the page stays open: "open until 12:30" must not outlive 12:30 by long. */
const REFRESH_MS = 30_000;

/**
 * The status line is the one patients read in the widget (`statusLine`), on the practice's clock, worked out here
 * from the practice's hours so that it stays true while the request is open on screen; until the practices are
 * known, today's hours come from the request's `status`. The consignes are collapsible, open by default.
 */
export class PermanencePracticePanel extends LitElement {
  static override styles = css`
    :host {
      display: block;
      border: 1px solid #c4cad3;
      border-left: 4px solid #0b5cad;
      border-radius: 8px;
      background: #f7f9fc;
      padding: 0.75rem 1rem 0.5rem;
      overflow-wrap: anywhere;
    }
    h2 {
      font-size: 1.1rem;
      margin: 0 0 0.35rem;
    }
    p {
      margin: 0 0 0.35rem;
    }
    .status {
      font-weight: 700;
    }
    .status.open {
      color: #166534;
    }
    .status.closed {
      color: #a3120b;
    }
    details {
      margin-top: 0.6rem;
      border-top: 1px solid #c4cad3;
      padding-top: 0.5rem;
    }
    summary {
      font-weight: 700;
      cursor: pointer;
      min-height: 24px;
      margin-bottom: 0.4rem;
    }
    summary:focus-visible {
      outline: 3px solid #d97706;
      outline-offset: 2px;
    }
    permanence-operator-instructions {
      font-size: 0.95rem;
    }
  `;

  @property({ attribute: false }) accessor language: Lang = 'fr';
  @property({ attribute: false }) accessor practiceName = '';
  /** The practice's hours (the console's practice directory); undefined until known. */
  @property({ attribute: false }) accessor hours: Hours | undefined = undefined;
  /** The practice's status as the request's answer gave it. */
  @property({ attribute: false }) accessor status: CallbackDetail['status'] | undefined = undefined;
  @property({ attribute: false }) accessor instructions: OperatorInstructions | null = null;
  /** Who is on call now, as the request page words it; empty: not shown. */
  @property({ attribute: false }) accessor onCallLine = '';

  @state() private accessor now = new Date();
  private timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => (this.now = new Date()), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  /** "08:30–12:30, 14:00–19:00", or closed all day; with the holiday or exception that decides today. A range never breaks across lines. */
  private todayText(today: { ranges: DayInfo['ranges']; closedReason?: DayInfo['closedReason'] | null }): string {
    const lang = this.language;
    const ranges = [...today.ranges].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([from, to]) => `${from}\u2060\u2013\u2060${to}`);
    const hours = (ranges.length ? ranges.join(', ') : consoleText(lang, 'closedAllDay')) + (today.closedReason ? ` (${today.closedReason.label[lang]})` : '');
    return consoleText(lang, 'todayHours', { hours });
  }

  /** The status line, labelled "(heure de Paris)" like every time of the request page when the viewer's clock reads otherwise. */
  private statusText(hours: Hours): string {
    const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const line = statusLine(hours, this.now, this.language);
    return zonedDateTime(this.now, viewerZone) === zonedDateTime(this.now, hours.timezone) ? line : `${line} (${zoneLabel(hours.timezone, this.language)})`;
  }

  protected override render() {
    const lang = this.language;
    const hours = this.hours;
    const today = hours ? dayInfo(hours, zonedDate(this.now, hours.timezone)) : this.status?.todayHours;
    return html`<section aria-labelledby="practice-panel-title">
      <h2 id="practice-panel-title">${this.practiceName}</h2>
      ${hours ? html`<p class="status ${isOpen(hours, this.now) ? 'open' : 'closed'}">${this.statusText(hours)}</p>` : nothing}
      ${today ? html`<p class="today">${this.todayText(today)}</p>` : nothing}
      ${this.onCallLine ? html`<p class="on-call">☎ ${this.onCallLine}</p>` : nothing}
      <details open>
        <summary>${consoleText(lang, 'operatorInstructionsTitle')}</summary>
        <permanence-operator-instructions .language=${lang} .instructions=${this.instructions}></permanence-operator-instructions>
      </details>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-practice-panel': PermanencePracticePanel;
  }
}
