/** When a call that reached nobody is tried again by default: 30 minutes later, moved into the practice's hours unless the request cannot wait. */
import { RETRY_DELAY_MS, type RetryRule, type Urgency } from './callback.js';
import { isOpen, nextOpening, type Hours } from './hours.js';

/**
 * A request whose retry keeps the short delay whatever the hours: a red flag, or asked for as urgent.
 * Escalation items (an urgent message nobody confirmed) belong here too once they exist.
 */
export const cannotWait = (request: { urgency: Urgency; redFlag: boolean }): boolean => request.redFlag || request.urgency === 'urgent';

/**
 * The default retry of a request after a call at `now`: 30 minutes later if the practice is open then; else at its
 * next opening, said so by the rule, unless the request cannot wait. A practice that never opens again within the
 * hours' horizon keeps the delay: nothing better can be promised.
 */
export function defaultRetry(hours: Hours, request: { urgency: Urgency; redFlag: boolean }, now: Date): { at: Date; rule: Exclude<RetryRule, 'operator'> } {
  const at = new Date(now.getTime() + RETRY_DELAY_MS);
  if (isOpen(hours, at)) return { at, rule: 'delay' };
  if (cannotWait(request)) return { at, rule: 'urgent' };
  const opening = nextOpening(hours, at);
  return opening ? { at: opening, rule: 'reopening' } : { at, rule: 'delay' };
}
