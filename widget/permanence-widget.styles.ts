/** Styles of `<permanence-widget>`: the theme's defaults, the card around everything, its header with the call-back action. */
// Stylesheets of the first screen: Lit's css tag would bring LitElement into its bytes (screen-element.ts).
import { css } from './screen-element.js';

export const widgetStyles = css`
  :host {
    /* Private copies so each child reads one name, whatever the page set or left unset. */
    --_accent: var(--permanence-accent, #0b5cad);
    --_on-accent: var(--permanence-on-accent, #ffffff);
    --_font: var(--permanence-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_radius: var(--permanence-radius, 10px);
    --_surface: var(--permanence-surface, #ffffff);
    --_text: var(--permanence-text, #1b1f24);
    --_muted: var(--permanence-muted, #4a5260);
    --_border: var(--permanence-border, #8a94a3);
    --_danger: var(--permanence-danger, #b42318);
    --_emergency: var(--permanence-emergency, #a3120b);
    --_link: var(--permanence-link, #0b5cad);
    --_focus: var(--permanence-focus, #d97706);
    max-width: 40rem;
    font-family: var(--_font);
    font-size: 1rem;
    line-height: 1.5;
    color: var(--_text);
    /* Inherited by every part: a word too long for its line (a pasted link, a name without spaces) breaks rather than widen the card. */
    overflow-wrap: anywhere;
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1rem;
    display: grid;
    gap: 1.25rem;
  }
  .header h2 {
    font-size: 1.3em;
    margin: 0 0 0.25rem;
  }
  .header a {
    font-weight: 600;
  }
  .phone {
    white-space: nowrap;
  }
  /* On a phone the action spans the card, a thumb's reach from the top of the screen. */
  .callback-action {
    display: block;
    width: 100%;
    margin-top: 0.75rem;
  }
  @media (min-width: 40rem) {
    .callback-action {
      width: auto;
    }
  }
  /* About the form's height on a phone: what follows the widget on the page does not jump when the form is drawn. */
  .form-room {
    min-height: 60rem;
  }
  @media (min-width: 40rem) {
    .base {
      padding: 1.5rem;
    }
  }
`;
