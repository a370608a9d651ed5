/** `<permanence-instructions>`: the practice's visit instructions, from its safe Markdown subset to Lit templates. */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { Lang } from '../shared/i18n.js';
import { parseMarkdown, type Block, type Inline } from '../shared/markdown.js';
import { widgetText } from '../shared/messages/widget.js';
import { sharedStyles } from './shared.styles.js';

/** Links that leave for another site open in a new tab, so the form the patient is filling in stays; `tel:`/`mailto:` do not. */
function renderInline(node: Inline): TemplateResult | string {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'strong':
      return html`<strong>${node.children.map(renderInline)}</strong>`;
    case 'link':
      return /^(tel|mailto):/i.test(node.href)
        ? html`<a href=${node.href}>${node.children.map(renderInline)}</a>`
        : html`<a href=${node.href} target="_blank" rel="noopener noreferrer">${node.children.map(renderInline)}</a>`;
  }
}

/** One block of the safe Markdown subset; the console's preview uses it too, so admins see exactly what patients get. */
export function renderBlock(block: Block): TemplateResult {
  switch (block.type) {
    case 'p':
      return html`<p>${block.children.map(renderInline)}</p>`;
    case 'ul':
      return html`<ul>${block.items.map((item) => html`<li>${item.map(renderInline)}</li>`)}</ul>`;
    case 'ol':
      return html`<ol>${block.items.map((item) => html`<li>${item.map(renderInline)}</li>`)}</ol>`;
  }
}

/** Renders the instructions; every text goes through Lit's escaping, never `innerHTML`. */
export class PermanenceInstructions extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      ul,
      ol {
        margin: 0 0 0.75em;
        padding-left: 1.4em;
      }
      li + li {
        margin-top: 0.25em;
      }
    `,
  ];

  /** The Markdown source in the patient's language. */
  @property() accessor source = '';
  @property() accessor language: Lang = 'fr';

  protected override render() {
    if (!this.source.trim()) return nothing;
    return html`<section aria-labelledby="instructions-title">
      <h3 id="instructions-title">${widgetText(this.language, 'instructionsTitle')}</h3>
      ${parseMarkdown(this.source).map(renderBlock)}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-instructions': PermanenceInstructions;
  }
}
