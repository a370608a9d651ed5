/** Phone numbers as an operator dials them; the service sends them formatted for reading (`phoneNational`). */
import { html, type TemplateResult } from 'lit';

/** Only `tel:` wants the digits and a leading +; spaces and dots would still dial on most phones, but not all softphones. */
export const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;

/** `sentence` with the number in a `.nowrap` span (console/styles.ts): the words around it may wrap, the number never breaks. */
export function withPhone(sentence: (phone: string) => string, phone: string): TemplateResult {
  const [before, after] = sentence('\n').split('\n');
  return html`${before}<span class="nowrap">${phone}</span>${after}`;
}
