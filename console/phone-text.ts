/** Phone numbers as an operator dials them; the service sends them formatted for reading (`phoneNational`). */

/** Only `tel:` wants the digits and a leading +; spaces and dots would still dial on most phones, but not all softphones. */
export const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;
