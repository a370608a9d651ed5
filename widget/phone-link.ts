/** Phone numbers as patients read and dial them: shown the French way, dialled from a `tel:` link without spaces, never broken across lines. */
import { html, type TemplateResult } from 'lit/html.js';

/** `+33142868200` or `+33 1 42 86 82 00` → `01 42 86 82 00`, the way French patients read and dial a number; anything else as given. */
export function displayPhone(phone: string): string {
  const french = /^\+33(\d{9})$/.exec(phone.replace(/[\s.]/g, ''));
  return french ? `0${french[1]}`.replace(/(\d{2})(?=\d)/g, '$1 ') : phone;
}

/** `tel:+33142868200`: some phones dial a `tel:` link only up to its first space. */
export const telHref = (phone: string): string => `tel:${phone.replace(/^tel:/i, '').replace(/[^\d+*#,;]/g, '')}`;

// Six digits or more, with the spaces, dots and dashes people write between them: a phone number, or 116 117.
const PHONE_IN_TEXT = /\+?\d(?:[\s.\-\u00a0]?\d){5,}/g;

/** `text` with each phone number in a span the widget's styles keep on one line (class `phone`). */
export function keepPhonesWhole(text: string): (string | TemplateResult)[] {
  const parts: (string | TemplateResult)[] = [];
  let last = 0;
  for (const match of text.matchAll(PHONE_IN_TEXT)) {
    parts.push(text.slice(last, match.index), html`<span class="phone">${match[0]}</span>`);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}
