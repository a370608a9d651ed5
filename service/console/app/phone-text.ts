/** Phone numbers as an operator reads and dials them. */
import { formatPhoneNational } from '../../../shared/phone.js';

/** Only `tel:` wants the digits and a leading +; spaces and dots would still dial on most phones, but not all softphones. */
export const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;

/**
 * `+33612345678` → `06 12 34 56 78` (overseas numbers too), others grouped the international way (`+44 7911 123456`):
 * the service's own formatting, so the console, the SMS and the emails write a number alike.
 */
export const displayPhone = (phone: string): string => formatPhoneNational(phone);
