/** Styles of `<permanence-callback-form>`: one column, big touch targets, errors in red beside their field, the after-hours guidance boxed. */
import { css } from './screen-element.js';

export const callbackFormStyles = css`
  form {
    display: grid;
    gap: 1rem;
  }
  div[part='field'] {
    display: grid;
    gap: 0.3rem;
  }
  label,
  legend {
    font-weight: 600;
  }
  [part='input'] {
    font: inherit;
    /* 16px at least, or iOS zooms into the field. */
    font-size: max(1rem, 16px);
    width: 100%;
    min-height: 44px;
    padding: 0.5em 0.65em;
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
  }
  textarea[part] {
    min-height: 6em;
    resize: vertical;
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.4rem;
  }
  .choice {
    display: grid;
    grid-template-columns: auto 1fr;
    align-items: start;
    column-gap: 0.6rem;
    padding: 0.5rem 0.65rem;
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
    cursor: pointer;
    font-weight: normal;
  }
  .choice:has(input:checked) {
    border-color: var(--_accent);
  }
  .choice input {
    width: 1.25rem;
    height: 1.25rem;
    margin: 0.15rem 0 0;
    accent-color: var(--_accent);
  }
  .choice .label {
    font-weight: 600;
  }
  .choice .hint {
    grid-column: 2;
  }
  /* A window is a "not urgent" answer: it sits under that choice. */
  .slot {
    margin-left: 2rem;
  }
  /* The box itself is a .notice.info; its headings, lists and links as the instructions' and the emergency panel's. */
  .after-hours h4 {
    margin: 0 0 0.5em;
  }
  /* A bigger target for a thumb than the number's own glyphs, without moving the words around it. */
  .after-hours a {
    display: inline-block;
    padding: 0.3em 0.2em;
    margin: 0 -0.2em;
    font-weight: 700;
  }
  .after-hours .call {
    margin: 0;
    padding: 0.6em 1em;
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .consent {
    grid-template-columns: auto 1fr;
    border: 0;
    padding: 0;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.95em;
  }
  .hint.ok {
    color: #137333;
  }
  .error {
    color: var(--_danger);
    font-weight: 600;
  }
  .error::before {
    content: '⚠ ';
  }
  .alert:empty {
    display: none;
  }
  .notice.info {
    border-left-color: var(--_accent);
    background: #f1f6fc;
  }
  .hp {
    position: absolute;
    left: -10000px;
    width: 1px;
    height: 1px;
    overflow: hidden;
  }
  button[type='submit'] {
    width: 100%;
  }
  @media (min-width: 30rem) {
    button[type='submit'] {
      width: auto;
      justify-self: start;
    }
  }
`;
