/** Styles every part of the widget shares: the theme's private variables' uses, focus ring, buttons, hidden text. */
import { css } from 'lit';

export const sharedStyles = css`
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
  .notice {
    padding: 0.75rem;
    border-left: 4px solid var(--_danger);
    background: #fff4f2;
  }
  .muted {
    color: var(--_muted);
  }
`;
