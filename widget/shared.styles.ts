/**
 * Styles the form's elements share: the base every element has (base.styles.ts), and the rules only the form uses
 * (busy buttons, hidden text, muted lines), kept out of the first screen's bytes.
 */
import { css } from 'lit';
import { baseStyles } from './base.styles.js';

export const sharedStyles = [
  baseStyles,
  css`
    button[disabled] {
      opacity: 0.7;
      cursor: progress;
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
    .muted {
      color: var(--_muted);
    }
  `,
];
