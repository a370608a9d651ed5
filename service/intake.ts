/**
 * Taking a callback request: from a validated form to a committed row, with the
 * patient's confirmation written to the outbox in the same transaction.
 */
import type { Deps } from './app.js';
import type { Practice, Callback } from './store/store.js';
import type { CallbackCreated, CallbackRequest } from '../shared/schemas.js';
import { invalid } from './errors.js';
import { parsePhone, formatPhoneNational } from '../shared/phone.js';
import { triage } from '../shared/triage.js';
import { isOpen, nextOpening } from '../shared/hours.js';
import { newRef } from './ref.js';
import { cancelUrl } from './links.js';
import { confirmationEmail, confirmationSms, type ConfirmationFacts } from './notify/templates.js';

/** When a request made now will be called back: now while open, else at the next opening. */
export function dueAtFor(practice: Practice, now: Date): Date {
  if (isOpen(practice.hours, now)) return now;
  return nextOpening(practice.hours, now) ?? now;
}

/** Validates what only the service can check (the real phone number) and turns the form into a row's worth of facts. */
export function prepareCallback(practice: Practice, input: CallbackRequest) {
  const phone = parsePhone(input.phone);
  if (!phone) throw invalid({ phone: 'invalid_phone' });
  if (input.confirmBy === 'sms' && !phone.mobile) throw invalid({ phone: 'not_mobile' });
  const email = input.email ? input.email.toLowerCase() : null;
  return { practice: practice.slug, phone, email, redFlag: triage(input.reason).redFlag };
}

/**
 * A plausible answer for a bot (honeypot filled or form sent back too fast): it looks
 * like success so the bot learns nothing, but nothing is stored or sent.
 */
export function decoyAnswer(practice: Practice, input: CallbackRequest, now: Date): CallbackCreated {
  return { ref: newRef(), status: 'queued', dueAt: dueAtFor(practice, now).toISOString(), redFlag: false, confirmBy: input.confirmBy };
}

export function confirmationFacts(deps: Deps, practice: Practice, callback: Callback, now: Date, duplicate = false): ConfirmationFacts {
  return {
    lang: callback.lang,
    ref: callback.ref,
    name: callback.name,
    phone: formatPhoneNational(callback.phone),
    practice: { name: practice.name, phone: practice.phone, timezone: practice.timezone },
    dueAt: new Date(callback.dueAt),
    now,
    cancelUrl: cancelUrl(deps.config.publicUrl, deps.sealer, callback.ref),
    duplicate,
  };
}

/** Queues the confirmation on the channel the patient chose; runs inside the caller's transaction. */
export function queueConfirmation(deps: Deps, practice: Practice, callback: Callback, channel: 'sms' | 'email' | 'none', now: Date, duplicate = false): void {
  if (channel === 'none') return;
  const facts = confirmationFacts(deps, practice, callback, now, duplicate);
  deps.store.enqueue(
    channel === 'email'
      ? { channel, recipient: callback.email!, payload: confirmationEmail(facts), purpose: 'confirmation', callbackId: callback.id, practice: practice.slug }
      : { channel, recipient: callback.phone, payload: confirmationSms(facts), purpose: 'confirmation', callbackId: callback.id, practice: practice.slug },
    now.toISOString(),
  );
}

/** Stores a new request and its confirmation in one commit; returns once both are on disk. */
export function createCallback(deps: Deps, practice: Practice, input: CallbackRequest, now: Date): { callback: Callback; body: CallbackCreated } {
  const facts = prepareCallback(practice, input);
  const channel = input.confirmBy === 'sms' && !practice.sms ? (facts.email ? 'email' : 'none') : input.confirmBy;
  const callback = deps.store.transaction(() => {
    const created = deps.store.insertCallback({
      ref: newRef(),
      practice: practice.slug,
      name: input.name,
      phone: facts.phone.e164,
      email: facts.email,
      reason: input.reason,
      urgency: input.urgency,
      redFlag: facts.redFlag,
      preferredWindow: input.preferredWindow ?? null,
      confirmBy: channel,
      lang: input.lang,
      dueAt: dueAtFor(practice, now).toISOString(),
      createdAt: now.toISOString(),
    });
    queueConfirmation(deps, practice, created, channel, now);
    return created;
  });
  deps.log.info('callback_created', { ref: callback.ref, practice: practice.slug, urgency: callback.urgency, redFlag: callback.redFlag, confirmBy: channel });
  deps.events.publish({ type: 'callback.created', practice: practice.slug, ref: callback.ref });
  deps.wakeOutbox();
  return {
    callback,
    body: { ref: callback.ref, status: 'queued', dueAt: callback.dueAt, redFlag: callback.redFlag, confirmBy: channel },
  };
}
