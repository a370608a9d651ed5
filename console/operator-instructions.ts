/** `<permanence-operator-instructions>`: a practice's consignes for operators, drawn from their safe Markdown, in the console's language or else the other one. */
import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { LANGS, type Lang } from '../shared/i18n.js';
import { parseMarkdown } from '../shared/markdown.js';
import { consoleText } from '../shared/messages/console.js';
import { renderBlock } from '../widget/instructions-view.js';
import type { PracticeRecord } from './types.js';

/** Consignes by language, as the practice record holds them. */
export type OperatorInstructions = NonNullable<PracticeRecord['operatorInstructions']>;

/**
 * Every text goes through Lit's escaping (the widget's own renderer), never `innerHTML`. Consignes written in one
 * language only are shown in that language, marked `lang` for screen readers and said to be so, rather than hidden.
 */
export class PermanenceOperatorInstructions extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    p,
    ul,
    ol {
      margin: 0 0 0.6em;
    }
    ul,
    ol {
      padding-left: 1.3em;
    }
    li + li {
      margin-top: 0.2em;
    }
    /* An address typed on three lines stays on three lines (shared/markdown.ts keeps the breaks). */
    p,
    li {
      white-space: pre-line;
    }
    a {
      color: #0b5cad;
      text-underline-offset: 0.15em;
    }
    /* A number to dial is read whole: "06 39 98 00 12" never split over two lines. */
    a[href^='tel:'] {
      white-space: nowrap;
    }
    .note {
      color: #4a5260;
      font-size: 0.9rem;
      font-style: italic;
    }
  `;

  @property({ attribute: false }) accessor instructions: OperatorInstructions | null = null;
  @property({ attribute: false }) accessor language: Lang = 'fr';

  /** The language the consignes are shown in: the console's when written, else the other one; undefined when there are none. */
  private get shownIn(): Lang | undefined {
    const written = (lang: Lang) => !!this.instructions?.[lang]?.trim();
    return written(this.language) ? this.language : LANGS.find(written);
  }

  protected override render() {
    const lang = this.language;
    const shown = this.shownIn;
    if (!shown) return html`<p class="note">${consoleText(lang, 'operatorInstructionsNone')}</p>`;
    return html`${shown === lang ? nothing : html`<p class="note">${consoleText(lang, 'operatorInstructionsOnlyIn', { language: consoleText(lang, `lang_${shown}`) })}</p>`}
      <div lang=${shown}>${parseMarkdown(this.instructions![shown]!).map(renderBlock)}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-operator-instructions': PermanenceOperatorInstructions;
  }
}
