/**
 * The vocabulary of a callback request, shared by the widget, the service and the console.
 * No zod here: the widget imports it and must not pull zod into its bundle.
 */

export const URGENCIES = ['routine', 'soon', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const CONFIRM_CHANNELS = ['sms', 'email', 'none'] as const;
export type ConfirmBy = (typeof CONFIRM_CHANNELS)[number];

export const CALLBACK_STATES = ['queued', 'claimed', 'done', 'cancelled'] as const;
export type CallbackState = (typeof CALLBACK_STATES)[number];
/** Queued or claimed: still to be called back. */
export const isOpenState = (state: CallbackState): boolean => state === 'queued' || state === 'claimed';

/** A form sent back sooner than this after the widget loaded was not filled in by a person (the widget waits at least this long). */
export const MIN_FILL_MS = 3_000;

/** What an operator records after a call (or a decision not to call). */
export const RECORDABLE_OUTCOMES = ['reached', 'no_answer', 'voicemail', 'wrong_number', 'spam', 'duplicate', 'cancelled'] as const;
export type RecordableOutcome = (typeof RECORDABLE_OUTCOMES)[number];
/** How a request can end: an operator's outcome, or `acknowledged` for an escalation item the practitioner's acknowledgement closed. */
export const OUTCOMES = [...RECORDABLE_OUTCOMES, 'acknowledged'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Outcomes that keep the request open for another try; a voicemail never counts as reached. */
export const RETRY_OUTCOMES: readonly Outcome[] = ['no_answer', 'voicemail'];
/** A request called back within this long after it was due counts as on time (the queue's lateness, the report's share). */
export const ON_TIME_GRACE_MS = 30 * 60_000;

/** When a request with no answer is due again, unless the operator picks another time. */
export const RETRY_DELAY_MS = 30 * 60_000;

/**
 * Why a retry falls when it does (shared/retry.ts): `delay`, 30 minutes later with the practice open then;
 * `reopening`, moved to the practice's next opening because it would be closed 30 minutes later; `urgent`,
 * 30 minutes later although the practice will be closed, because the request cannot wait; `operator`, the
 * time the operator chose.
 */
export const RETRY_RULES = ['delay', 'reopening', 'urgent', 'operator'] as const;
export type RetryRule = (typeof RETRY_RULES)[number];
