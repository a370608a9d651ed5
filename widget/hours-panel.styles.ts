/** Styles of `<permanence-hours-panel>`: a status line, then a compact week table. */
import { css } from 'lit';

export const hoursPanelStyles = css`
  :host {
    display: block;
  }
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
  tr.today th,
  tr.today td {
    font-weight: 700;
  }
  tr.today th::after {
    content: ' •';
    color: var(--_accent);
  }
  ul {
    margin: 0.25em 0 0;
    padding-left: 1.2em;
  }
`;
