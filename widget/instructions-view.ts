/** `<permanence-instructions>`: the practice's visit instructions, from its safe Markdown subset to Lit templates, folded on a phone. */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { Lang } from '../shared/i18n.js';
import { parseMarkdown, type Block, type Inline } from '../shared/markdown.js';
import { widgetText } from './messages.js';
import { keepPhonesWhole, telHref } from './phone-link.js';
import { css, ScreenElement } from './screen-element.js';
import { baseStyles } from './base.styles.js';

/** Links that leave for another site open in a new tab, so the form the patient is filling in stays; `tel:`/`mailto:` do not. */
function renderInline(node: Inline): TemplateResult | string | (TemplateResult | string)[] {
  switch (node.type) {
    case 'text':
      return keepPhonesWhole(node.text);
    case 'strong':
      return html`<strong>${node.children.map(renderInline)}</strong>`;
    case 'link':
      if (/^tel:/i.test(node.href)) return html`<a href=${telHref(node.href)}>${node.children.map(renderInline)}</a>`;
      return /^mailto:/i.test(node.href)
        ? html`<a href=${node.href}>${node.children.map(renderInline)}</a>`
        : html`<a href=${node.href} target="_blank" rel="noopener noreferrer">${node.children.map(renderInline)}</a>`;
  }
}

/** One block of the safe Markdown subset; the console's preview uses it too, so admins see exactly what patients get. */
export const renderBlock = (block: Block): TemplateResult => renderFoldable(block, Infinity);

/** A block whose items from `foldFrom` on (a paragraph: all of it when `foldFrom` is 0) carry the class `folded`. */
function renderFoldable(block: Block, foldFrom: number): TemplateResult {
  const folded = (i: number) => (i >= foldFrom ? 'folded' : nothing);
  switch (block.type) {
    case 'p':
      return html`<p class=${folded(0)}>${block.children.map(renderInline)}</p>`;
    case 'ul':
      return html`<ul>${block.items.map((item, i) => html`<li class=${folded(i)}>${item.map(renderInline)}</li>`)}</ul>`;
    case 'ol':
      return html`<ol>${block.items.map((item, i) => html`<li class=${folded(i)}>${item.map(renderInline)}</li>`)}</ol>`;
  }
}

/** About this many characters show on a phone before the fold: the first lines, and the form close below them. */
const PREVIEW_CHARACTERS = 200;

const textLength = (nodes: Inline[]): number => nodes.reduce((sum, node) => sum + (node.type === 'text' ? node.text.length : textLength(node.children)), 0);

/**
 * Where the fold falls: `[block, item]`, the first paragraph or list item that would start once `budget` characters
 * are shown (the first one always shows); `undefined` when everything fits.
 */
function foldPoint(blocks: Block[], budget = PREVIEW_CHARACTERS): [number, number] | undefined {
  let used = 0;
  for (const [b, block] of blocks.entries()) {
    const pieces = block.type === 'p' ? [block.children] : block.items;
    for (const [i, piece] of pieces.entries()) {
      if (used >= budget && (b > 0 || i > 0)) return [b, block.type === 'p' ? 0 : i];
      used += textLength(piece);
    }
  }
  return undefined;
}

/**
 * Renders the instructions; every text goes through Lit's escaping, never `innerHTML`. Narrower than 30rem (a phone),
 * only their first lines show, the rest one tap away, so they no longer push the form screens down; wider, all of them.
 *
 * @csspart instructions-toggle - The button that shows the rest of the instructions, or folds them again.
 */
export class PermanenceInstructions extends ScreenElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        container-type: inline-size;
      }
      ul,
      ol {
        margin: 0 0 0.75em;
        padding-left: 1.4em;
      }
      li + li {
        margin-top: 0.25em;
      }
      .phone {
        white-space: nowrap;
      }
      .toggle {
        display: none;
      }
      @container (max-width: 30rem) {
        .folding .folded {
          display: none;
        }
        .toggle {
          display: block;
        }
      }
    `,
  ];

  static {
    this.reactive({ source: '', language: 'fr', expanded: false });
  }

  /** The Markdown source in the patient's language. */
  declare source: string;
  declare language: Lang;
  private declare expanded: boolean;

  private handleToggle(): void {
    this.expanded = !this.expanded;
  }

  protected render() {
    if (!this.source.trim()) return nothing;
    const blocks = parseMarkdown(this.source);
    const fold = foldPoint(blocks);
    const foldFrom = (b: number) => (!fold || b < fold[0] ? Infinity : b > fold[0] ? 0 : fold[1]);
    // A <section> without a name: two widgets on a page would otherwise make two "Avant de venir" regions.
    return html`<section>
      <h3>${widgetText(this.language, 'instructionsTitle')}</h3>
      <div id="instructions" class=${fold && !this.expanded ? 'folding' : ''}>${blocks.map((block, b) => renderFoldable(block, foldFrom(b)))}</div>
      ${fold
        ? html`<button part="instructions-toggle" class="toggle secondary" type="button" aria-expanded=${String(this.expanded)} aria-controls="instructions" @click=${this.handleToggle}>
            ${widgetText(this.language, this.expanded ? 'instructionsLess' : 'instructionsMore')}
          </button>`
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-instructions': PermanenceInstructions;
  }
}
