/** `<permanence-reason-entries>`: a request's reason as the patient sent it, one dated block per request merged into it. */
import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import type { ReasonEntry } from '../shared/merged-reason.js';
import { consoleText } from '../shared/messages/console.js';
import { receivedText } from './time.js';

/**
 * One text alone is shown as it is; a request merged from repeats shows each text under "Reçu le 30/11 à 18:55",
 * on the practice's clock, never the separator line the reason is stored with.
 * `compact` (a queue row): line breaks folded, and the first text undated, the row already saying its age.
 *
 * @csspart entry - one text and its date
 */
export class PermanenceReasonEntries extends LitElement {
  static override styles = css`
    /* Line breaks are the patient's, kept in each text; a parent's pre-wrap must not reach the template's own spacing. */
    :host {
      display: inline;
      overflow-wrap: anywhere;
      white-space: normal;
    }
    /* Inline for one text ("Motif : …" on one line); a list of entries starts on a line of its own. */
    ol {
      display: block;
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li + li {
      margin-top: 0.6rem;
    }
    :host(:not([compact])) li {
      border-left: 3px solid var(--border, #c4cad3);
      padding-left: 0.6rem;
    }
    .when {
      display: block;
      font-size: 0.9em;
      font-weight: 600;
      color: var(--muted, #4a5260);
    }
    .text {
      white-space: pre-wrap;
    }
    :host([compact]) .text {
      white-space: normal;
    }
    :host([compact]) li + li {
      margin-top: 0.3rem;
    }
  `;

  @property({ attribute: false }) accessor entries: ReasonEntry[] = [];
  @property({ attribute: false }) accessor language: Lang = 'fr';
  /** The practice's zone; the viewer's clock when unknown. */
  @property({ attribute: false }) accessor timeZone: string | undefined = undefined;
  @property({ type: Boolean, reflect: true }) accessor compact = false;

  private when(entry: ReasonEntry, now: Date): string {
    if (entry.at) return receivedText(entry.at, now, this.language, this.timeZone);
    return entry.stamp ? consoleText(this.language, 'reasonReceivedStamp', { stamp: entry.stamp }) : '';
  }

  protected override render() {
    const { entries } = this;
    if (entries.length <= 1) return html`<span class="text">${entries[0]?.text ?? ''}</span>`;
    const now = new Date();
    return html`<ol>
      ${entries.map((entry, i) => {
        const when = this.compact && i === 0 ? '' : this.when(entry, now);
        return html`<li part="entry">${when ? html`<span class="when">${when}</span>` : nothing}<span class="text">${entry.text}</span></li>`;
      })}
    </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-reason-entries': PermanenceReasonEntries;
  }
}
