/** `<permanence-markdown-preview>`: practice instructions as patients will see them, from the safe Markdown subset to Lit templates. */
import { LitElement, css, html, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { parseMarkdown, type Block, type Inline } from '../../../shared/markdown.js';

function renderInline(node: Inline): TemplateResult | string {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'strong':
      return html`<strong>${node.children.map(renderInline)}</strong>`;
    case 'link':
      return html`<a href=${node.href} target="_blank" rel="noopener noreferrer">${node.children.map(renderInline)}</a>`;
  }
}

function renderBlock(block: Block): TemplateResult {
  switch (block.type) {
    case 'p':
      return html`<p>${block.children.map(renderInline)}</p>`;
    case 'ul':
      return html`<ul>${block.items.map((item) => html`<li>${item.map(renderInline)}</li>`)}</ul>`;
    case 'ol':
      return html`<ol>${block.items.map((item) => html`<li>${item.map(renderInline)}</li>`)}</ol>`;
  }
}

/** Every text goes through Lit's escaping, never `innerHTML`: the source is typed by an admin but shown to patients. */
export class PermanenceMarkdownPreview extends LitElement {
  static override styles = css`
    :host {
      display: block;
      border: 1px dashed #8a94a3;
      border-radius: 8px;
      padding: 0.5rem 1rem;
      background: #fafafa;
      min-height: 3rem;
    }
    a {
      color: #0b5cad;
    }
  `;

  @property() accessor source = '';

  protected override render() {
    return parseMarkdown(this.source).map(renderBlock);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-markdown-preview': PermanenceMarkdownPreview;
  }
}
