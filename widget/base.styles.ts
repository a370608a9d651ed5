/** Styles every element of the widget shares: the theme's private variables' uses, focus ring, buttons, notices. */
// Constructable stylesheets made by screen-element.ts's css: Lit's css tag would bring LitElement into the widget's bytes.
import { css } from './screen-element.js';

export const baseStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h2,
  h3 {
    margin: 0 0 0.5em;
    font-size: 1.1em;
    line-height: 1.3;
  }
  p {
    margin: 0 0 0.75em;
  }
  a {
    color: var(--_link);
    text-underline-offset: 0.15em;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    min-height: 44px;
    padding: 0.6em 1.2em;
    border: 2px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  .notice {
    padding: 0.75rem;
    border-left: 4px solid var(--_danger);
    background: #fff4f2;
  }
`;
