/** Keeping personal data no longer than needed: each practice's retention period, erasure on request, and a patient's right to see what is held. */
import { transaction, type Store } from '../store/store.js';
import { ABSOLUTE_MS } from '../auth/session.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Idempotency keys are kept 24 hours (SPEC); after that a retry is a new request. */
const IDEMPOTENCY_MS = DAY_MS;

export interface PurgeResult {
  callbacks: number;
  idempotencyKeys: number;
  sessions: number;
}

/**
 * Deletes requests closed longer ago than their practice's `retentionDays`, stale idempotency keys and dead sessions,
 * then scrubs the store so the deleted content is gone from its files too. Open requests stay.
 */
export async function purgeExpired(store: Store, now: Date): Promise<PurgeResult> {
  const done = await store.transaction(purge, now.getTime());
  if (done.callbacks) await store.scrub();
  return done;
}

const purge = transaction('retention.purge', async (tx, now: number): Promise<PurgeResult> => {
  let callbacks = 0;
  for (const practice of await tx.listPractices()) {
    callbacks += await tx.purgeClosed(practice.slug, new Date(now - practice.retentionDays * DAY_MS).toISOString());
  }
  return {
    callbacks,
    idempotencyKeys: await tx.purgeIdempotency(new Date(now - IDEMPOTENCY_MS).toISOString()),
    sessions: await tx.purgeSessions(new Date(now - ABSOLUTE_MS).toISOString()),
  };
});

/** Whose data: a phone number in E.164, or an email address. */
export type Patient = { phone: string } | { email: string };

/**
 * Deletes every request from this patient, in every practice, with their calls and messages, and what was sent to
 * them; audited without saying whose (the number or address is what was erased). Scrubbed from the files at once.
 */
export async function erasePatient(store: Store, who: Patient, actor: string, now: Date): Promise<number> {
  const erased = await store.transaction(erase, { who: normalised(who), actor, at: now.toISOString() });
  await store.scrub();
  return erased;
}

const erase = transaction('retention.erase', async (tx, { who, actor, at }: { who: Patient; actor: string; at: string }) => {
  const erased = 'phone' in who ? await tx.eraseByPhone(who.phone) : await tx.eraseByEmail(who.email);
  await tx.audit({ at, actor, action: 'erase', details: { requests: erased, byEmail: 'email' in who } });
  return erased;
});

/**
 * Everything held about a patient, as they may ask for it (GDPR art. 15): their requests in every practice, with the
 * calls made, the messages taken, what was sent to them and who did what on each request. Audited, without whose.
 */
export async function patientRecord(store: Store, who: Patient, actor: string, now: Date) {
  const patient = normalised(who);
  const callbacks = await store.findPatientCallbacks(patient);
  const requests = await Promise.all(
    callbacks.map(async (c) => ({
      ref: c.ref,
      practice: c.practice,
      name: c.name,
      phone: c.phone,
      email: c.email,
      reason: c.reason,
      urgency: c.urgency,
      preferredWindow: c.preferredWindow,
      confirmBy: c.confirmBy,
      lang: c.lang,
      state: c.state,
      outcome: c.outcome,
      createdAt: c.createdAt,
      dueAt: c.dueAt,
      closedAt: c.closedAt,
      calls: (await store.listAttempts(c.id)).map((a) => ({ at: a.createdAt, outcome: a.outcome, note: a.note, by: a.userName })),
      messagesForPractitioner: (await store.listMessages({ callbackId: c.id })).map((m) => ({ at: m.createdAt, body: m.body, by: m.createdByName, readAt: m.readAt })),
      history: (await store.listAudit({ limit: 1000, target: c.ref })).reverse().map((e) => ({ at: e.at, action: e.action, by: e.actor })),
    })),
  );
  const recipient = 'phone' in patient ? patient.phone : patient.email;
  const sent = (await store.listOutboxAbout(callbacks.map((c) => c.id), recipient)).map((m) => ({
    at: m.createdAt,
    channel: m.channel,
    purpose: m.purpose,
    state: m.state,
    content: m.payload,
  }));
  await store.audit({ at: now.toISOString(), actor, action: 'export', details: { exported: requests.length, byEmail: 'email' in who } });
  return { exportedAt: now.toISOString(), requests, messagesSent: sent };
}

const normalised = (who: Patient): Patient => ('email' in who ? { email: who.email.trim().toLowerCase() } : who);
