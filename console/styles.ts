/** Styles every console view shares: type scale, focus ring, buttons, fields, tables, notices. */
import { css } from 'lit';

export const consoleStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    --accent: #0b5cad;
    --danger: #a3120b;
    --muted: #4a5260;
    --border: #c4cad3;
    --focus: #d97706;
    --ok: #166534;
    /* Inherited by every view: a word too long for its line (a pasted link, a reason typed without spaces) breaks
       rather than widen the page; phone numbers (class nowrap) and times (non-breaking spaces) stay whole. */
    overflow-wrap: anywhere;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h1 {
    font-size: 1.4rem;
    margin: 0 0 1rem;
  }
  h1:focus {
    outline: none;
  }
  h2 {
    font-size: 1.1rem;
    margin: 1.5rem 0 0.5rem;
  }
  a {
    color: var(--accent);
    text-underline-offset: 0.15em;
  }
  :focus-visible,
  h1:focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
  }
  button,
  .button {
    font: inherit;
    min-height: 40px;
    padding: 0.45em 1em;
    border: 2px solid var(--accent);
    border-radius: 8px;
    background: var(--accent);
    color: #fff;
    font-weight: 600;
    cursor: pointer;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
  }
  button.secondary,
  .button.secondary {
    background: #fff;
    color: var(--accent);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  label {
    display: block;
    font-weight: 600;
    margin: 0.75rem 0 0.25rem;
  }
  label.inline {
    display: inline-flex;
    gap: 0.4em;
    align-items: center;
    font-weight: normal;
    margin: 0.25rem 1rem 0.25rem 0;
  }
  input:not([type='checkbox']):not([type='radio']),
  select,
  textarea {
    font: inherit;
    padding: 0.4em 0.5em;
    border: 1px solid #8a94a3;
    border-radius: 6px;
    max-width: 100%;
  }
  textarea {
    width: 100%;
    min-height: 5em;
  }
  textarea.code {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.85rem;
    min-height: 16em;
  }
  .hint {
    color: var(--muted);
    font-size: 0.9rem;
    margin: 0.25rem 0;
  }
  .muted {
    color: var(--muted);
  }
  .error,
  .field-error {
    color: var(--danger);
    font-weight: 600;
  }
  .notice {
    padding: 0.6rem 0.8rem;
    border-radius: 8px;
    border: 2px solid var(--border);
    margin: 0.75rem 0;
  }
  .notice.error {
    border-color: var(--danger);
    background: #fdf0ef;
  }
  .notice.ok {
    border-color: var(--ok);
    background: #eefaf1;
    color: var(--ok);
    font-weight: 600;
  }
  .red-flag {
    display: inline-block;
    background: var(--danger);
    color: #fff;
    font-weight: 700;
    padding: 0.1em 0.45em;
    border-radius: 4px;
    white-space: nowrap;
  }
  .badge {
    display: inline-block;
    border: 1px solid var(--border);
    padding: 0.05em 0.45em;
    border-radius: 4px;
    white-space: nowrap;
    font-size: 0.9rem;
  }
  .badge.urgent {
    border-color: var(--danger);
    color: var(--danger);
    font-weight: 700;
  }
  .badge.soon {
    border-color: #b45309;
    color: #92400e;
    font-weight: 600;
  }
  .late {
    color: var(--danger);
    font-weight: 600;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    /* A table squeezed by a narrow screen keeps its words whole; only cells of text people typed break inside a word. */
    overflow-wrap: break-word;
  }
  .free-text {
    overflow-wrap: anywhere;
  }
  .nowrap {
    white-space: nowrap;
  }
  th,
  td {
    text-align: left;
    padding: 0.5rem 0.6rem;
    border-bottom: 1px solid var(--border);
    vertical-align: top;
  }
  th {
    font-size: 0.85rem;
    color: var(--muted);
    text-transform: uppercase;
    letter-spacing: 0.03em;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: end;
    margin-bottom: 1rem;
  }
  .toolbar label {
    margin: 0 0 0.25rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin: 0.75rem 0;
  }
  fieldset {
    border: 1px solid var(--border);
    border-radius: 8px;
    padding: 0.5rem 1rem 1rem;
    margin: 1rem 0;
  }
  legend {
    font-weight: 700;
    padding: 0 0.3em;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.35rem 1rem;
    margin: 0;
  }
  dt {
    font-weight: 600;
    color: var(--muted);
  }
  dd {
    margin: 0;
  }
  pre {
    white-space: pre-wrap;
    word-break: break-all;
    background: #f3f4f6;
    padding: 0.75rem;
    border-radius: 6px;
  }
  /* Small screens (a practitioner's phone): a table wider than the screen scrolls inside itself, the page never sideways.
     A table of class "cards" lays each row out as a block instead (the queue, the undelivered messages), its headings
     hidden but still read; the view styles the blocks. */
  @media (max-width: 640px) {
    table {
      display: block;
      overflow-x: auto;
      max-width: 100%;
      /* Holds its visually hidden headings too: an absolute box escapes the overflow of an unpositioned one. */
      position: relative;
    }
    table.cards,
    table.cards tbody,
    table.cards tr,
    table.cards td {
      display: block;
    }
    table.cards thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
