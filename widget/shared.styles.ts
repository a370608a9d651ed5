/**
 * Styles the form's elements share: the base every element has (base.styles.ts), and the rules only the form uses
 * (busy buttons, muted lines), kept out of the first screen's bytes.
 */
import { baseStyles } from './base.styles.js';
import { css } from './screen-element.js';

export const sharedStyles: CSSStyleSheet[] = [
  baseStyles,
  css`
    button[disabled] {
      opacity: 0.7;
      cursor: progress;
    }
    .muted {
      color: var(--_muted);
    }
  `,
];
