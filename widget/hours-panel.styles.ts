/** Styles of `<permanence-hours-panel>`: a status line, then a compact week table. */
// Stylesheets of the first screen: Lit's css tag would bring LitElement into its bytes (screen-element.ts).
import { css } from './screen-element.js';

// `th` and `td span` do not wrap: the day's name keeps its "today" dot, a time range stays whole; ranges still wrap between one another.
export const hoursPanelStyles = css`
  .status {
    font-weight: 600;
    font-size: 1.05em;
    margin: 0 0 0.75em;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    padding: 0.25em 0.5em 0.25em 0;
    font-weight: normal;
  }
  th,
  td span {
    white-space: nowrap;
  }
  [aria-current] th,
  [aria-current] td {
    font-weight: 700;
  }
  [aria-current] th::after {
    content: ' •';
    color: var(--_accent);
  }
  ul {
    margin: 0.25em 0 0;
    padding-left: 1.2em;
  }
`;
