/**
 * The callback request's rules as the patient's browser checks them before sending. They mirror `callbackRequestSchema`
 * (shared/schemas.ts) without shipping zod, which alone weighs about 7.6 KB gzipped, a third of the widget's 25 KB budget;
 * test/widget/validate.node.test.ts holds the two to the same verdicts. The service still validates with the schema itself.
 */
import type { CallbackRequest, FieldErrorCode } from '../shared/schemas.js';
import { CONFIRM_CHANNELS, URGENCIES } from '../shared/callback.js';
import { LANGS } from '../shared/i18n.js';
import { looksLikePhone } from '../shared/phone-hint.js';
import { tidyName } from '../shared/names.js';
import { isBrokenText, tidyLine, tidyLines, visibleLength } from '../shared/text.js';

/** The form as typed, before any check. */
export interface CallbackDraft {
  name: string;
  phone: string;
  email?: string;
  reason: string;
  urgency: string;
  preferredWindow?: { from: string; to: string };
  confirmBy: string;
  consent: boolean;
  lang: string;
  website?: string;
  formToken?: string;
}

export type Validation = { ok: true; value: CallbackRequest } | { ok: false; fields: Record<string, FieldErrorCode> };

// The very expression zod's `z.email()` uses, so both sides agree on what an address is.
const EMAIL = /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;
// RFC 3339 with seconds and `Z` or `±HH:MM`, as `z.iso.datetime({ offset: true })`.
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

const oneOf = (values: readonly string[], value: string): FieldErrorCode | undefined => (values.includes(value) ? undefined : 'invalid');

/** The shared text rule (shared/text.ts) on a tidied value: broken, then blank once invisible characters are set aside, then long. */
function text(value: string, max: number, multiLine?: boolean): FieldErrorCode | undefined {
  if (isBrokenText(value, multiLine)) return 'invalid';
  if (!visibleLength(value)) return 'required';
  return value.length > max ? 'too_long' : undefined;
}

/** Checks `draft` as the shared schema does; the value it returns is tidied the same way. */
export function validateCallbackDraft(draft: CallbackDraft): Validation {
  const fields: Record<string, FieldErrorCode> = {};
  const put = (field: string, code: FieldErrorCode | undefined) => {
    if (code) fields[field] ??= code;
  };
  const name = tidyName(draft.name);
  const phone = tidyLine(draft.phone);
  const reason = tidyLines(draft.reason);
  put('name', text(name, 100));
  put('phone', text(phone, 30) ?? (looksLikePhone(phone) ? undefined : 'invalid_phone'));
  if (draft.email) put('email', !EMAIL.test(draft.email) ? 'invalid_email' : draft.email.length > 254 ? 'too_long' : undefined);
  put('reason', text(reason, 1000, true));
  put('urgency', oneOf(URGENCIES, draft.urgency));
  const window = draft.preferredWindow;
  if (window) {
    const valid = DATETIME.test(window.from) && DATETIME.test(window.to);
    put('preferredWindow', valid && Date.parse(window.from) < Date.parse(window.to) ? undefined : 'invalid');
  }
  put('confirmBy', oneOf(CONFIRM_CHANNELS, draft.confirmBy));
  if (draft.confirmBy === 'email' && !draft.email) put('email', 'email_required');
  put('consent', draft.consent === true ? undefined : 'consent_required');
  put('lang', oneOf(LANGS, draft.lang));
  put('website', (draft.website ?? '').length > 500 ? 'too_long' : undefined);
  put('formToken', (draft.formToken ?? '').length > 500 ? 'too_long' : undefined);
  if (Object.keys(fields).length) return { ok: false, fields };
  return { ok: true, value: { ...draft, name, phone, reason } as CallbackRequest };
}
