/** `<permanence-markdown-preview>`: practice instructions as patients will see them, drawn by the widget's own renderer. */
import { LitElement, css } from 'lit';
import { property } from 'lit/decorators.js';
import { parseMarkdown } from '../shared/markdown.js';
import { renderBlock } from '../widget/instructions-view.js';

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
