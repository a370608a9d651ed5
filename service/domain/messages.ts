/**
 * Messages that surely reach the practitioner. A message taken on a call goes to the contact on call: a routine one
 * on their channel (the other one if it fails), an urgent one at once by SMS and email with a signed link to confirm
 * receipt. An urgent message not acknowledged within the practice's `urgentAckMinutes` escalates one step per period:
 * sent again to the contact on call and to the next contact of the `escalation` list, with an escalation item at the
 * top of the operators' queue from the first step. Acknowledging (the link, the console, or an operator who reached
 * them) stops the ladder where it stands and closes the item. Every step is audited; no motif goes anywhere but the
 * console. Also here: the practitioner's reply (back to the queue), test alerts, and the daily digest.
 */
import type { Deps } from '../context.js';
import { ApiProblem, notFound } from '../errors.js';
import { safeEqual, type Sealer } from '../crypto.js';
import { onCallAt, type Contact } from '../../shared/on-call.js';
import { zonedDate, zonedDateTime } from '../../shared/hours.js';
import { isOpenState } from '../../shared/callback.js';
import { practitionerNotice } from '../notify/templates.js';
import { digestEmail, routineSms, testAlertEmail, testAlertSms, urgentEmail, urgentSms } from '../notify/practitioner-templates.js';
import { OpenRequestExists, RefTaken, transaction, type Callback, type OutboxItem, type Practice, type PractitionerMessage, type Queries, type TransactionEnv } from '../store/store.js';
import { DEFAULT_URGENT_ACK_MINUTES } from './contacts.js';
import { newRef } from './ref.js';

/** SMS to a practice's own people per hour: their own budget, apart from the patients' caps. */
export const PRACTITIONER_SMS_PER_HOUR = 30;
const MINUTE = 60_000;

// Links --------------------------------------------------------------------------------------------

/** The acknowledgement link's signature: for this message and this contact only, and for nothing else. */
const ackSubject = (messageId: number, contact: string) => `${messageId}.${contact}`;
export const ackToken = (sealer: Sealer, messageId: number, contact: string) => sealer.sign('ack', ackSubject(messageId, contact)).slice(0, 16);
export const verifyAckToken = (sealer: Sealer, messageId: number, contact: string, token: string) =>
  sealer.signatures('ack', ackSubject(messageId, contact)).some((signature) => safeEqual(signature.slice(0, 16), token));
export const ackUrl = (publicUrl: string, sealer: Sealer, messageId: number, contact: string) =>
  `${publicUrl}/m/${messageId}?c=${encodeURIComponent(contact)}&t=${ackToken(sealer, messageId, contact)}`;
const consoleMessagesUrl = (publicUrl: string) => `${publicUrl}/console/#/messages`;

// Sending ------------------------------------------------------------------------------------------

const contactOf = (practice: Practice, key: string | null | undefined): Contact | undefined => (key ? practice.contacts?.find((c) => c.key === key) : undefined);

/** Whether the practice's own SMS budget allows one more this hour. */
async function practitionerSmsAllowed(tx: Queries, practice: Practice, at: string): Promise<boolean> {
  const since = new Date(Date.parse(at) - 60 * MINUTE).toISOString();
  return (await tx.countOutbox({ channel: 'sms', audience: 'practitioner', practice: practice.slug, since })) < PRACTITIONER_SMS_PER_HOUR;
}

/** The urgent message (or a reminder) to one contact, on every channel they have. Answers how many were queued. */
async function sendUrgent(tx: Queries, env: TransactionEnv, practice: Practice, message: { id: number; callbackId: number; createdAt: string }, contact: Contact, step: number, at: string): Promise<number> {
  const facts = { practice, takenAt: new Date(message.createdAt), step, ackUrl: ackUrl(env.publicUrl, env.sealer, message.id, contact.key), consoleUrl: consoleMessagesUrl(env.publicUrl) };
  const about = { purpose: 'urgent_message', callbackId: message.callbackId, practice: practice.slug, messageId: message.id };
  let queued = 0;
  if (contact.phone && (await practitionerSmsAllowed(tx, practice, at))) {
    await tx.enqueue({ channel: 'sms', recipient: contact.phone, payload: urgentSms(facts), ...about }, at);
    queued++;
  }
  if (contact.email) {
    await tx.enqueue({ channel: 'email', recipient: contact.email, payload: urgentEmail(facts), ...about }, at);
    queued++;
  }
  return queued;
}

/** A routine notice on one channel: the contact's own, else email when they have one. */
const routineChannel = (contact: Contact): 'sms' | 'email' => contact.notifyBy ?? (contact.email ? 'email' : 'sms');

async function sendRoutine(tx: Queries, env: TransactionEnv, practice: Practice, message: { id: number; callbackId: number }, contact: Contact, channel: 'sms' | 'email', at: string): Promise<number> {
  const about = { purpose: 'practitioner_message', callbackId: message.callbackId, practice: practice.slug, messageId: message.id };
  if (channel === 'sms') {
    if (!contact.phone || !(await practitionerSmsAllowed(tx, practice, at))) return 0;
    await tx.enqueue({ channel, recipient: contact.phone, payload: routineSms(practice, consoleMessagesUrl(env.publicUrl)), ...about }, at);
    return 1;
  }
  if (!contact.email) return 0;
  await tx.enqueue({ channel, recipient: contact.email, payload: practitionerNotice(practice, env.publicUrl), ...about }, at);
  return 1;
}

// Taking a message ---------------------------------------------------------------------------------

export interface TakenMessage {
  id: number;
  /** Outbox rows queued. */
  queued: number;
  /** The escalation item opened at once (nobody on call for an urgent message). */
  escalationRef: string | null;
}

/**
 * Records a message for the practitioner inside the caller's transaction (the attempt that took it) and queues its
 * notices. An urgent one with nobody on call by the schedule goes to the default contact and, at once, to the
 * operators as an escalation item.
 */
export async function takeMessage(
  tx: Queries,
  env: TransactionEnv,
  m: { practice: Practice; callback: Callback; body: string; urgent: boolean; userId: number; at: string },
): Promise<TakenMessage> {
  const { practice, callback, at } = m;
  const onCall = onCallAt(practice.contacts ?? [], practice.onCall, new Date(at));
  const contact = onCall.contact;
  const period = (practice.urgentAckMinutes ?? DEFAULT_URGENT_ACK_MINUTES) * MINUTE;
  const id = await tx.insertMessage({
    callbackId: callback.id,
    practice: practice.slug,
    body: m.body,
    createdBy: m.userId,
    createdAt: at,
    instructionsInForce: practice.operatorInstructions ?? null,
    urgent: m.urgent,
    to: contact?.key ?? null,
    nextEscalationAt: m.urgent ? new Date(Date.parse(at) + period).toISOString() : null,
  });
  const message = { id, callbackId: callback.id, createdAt: at };
  let queued = 0;
  let escalationRef: string | null = null;
  if (m.urgent) {
    if (contact) queued += await sendUrgent(tx, env, practice, message, contact, 0, at);
    if (onCall.source !== 'slot') escalationRef = (await openEscalationItem(tx, practice, message, contact, at)).ref;
  } else if (contact) {
    queued += await sendRoutine(tx, env, practice, message, contact, routineChannel(contact), at);
  } else if (practice.notifyEmail) {
    // A practice without contacts keeps its one address for notices.
    await tx.enqueue(
      { channel: 'email', recipient: practice.notifyEmail, payload: practitionerNotice(practice, env.publicUrl), purpose: 'practitioner_message', callbackId: callback.id, practice: practice.slug, messageId: id },
      at,
    );
    queued++;
  }
  return { id, queued, escalationRef };
}

/**
 * The operators' task: call the practitioner who has not confirmed. Its "caller" is that contact (their number, else
 * the practice's), due now, urgent; it never counts in the activity report and never sends the "patient" anything.
 */
async function openEscalationItem(tx: Queries, practice: Practice, message: { id: number; createdAt: string }, contact: Contact | undefined | null, at: string): Promise<Callback> {
  const messageId = message.id;
  const existing = await tx.findEscalationItem(messageId);
  if (existing) return existing;
  const target = contact ?? contactOf(practice, practice.escalation?.[0]) ?? null;
  const since = zonedDateTime(new Date(message.createdAt), practice.timezone).slice(11);
  for (let draw = 1; ; draw++) {
    try {
      return await tx.insertCallback({
        ref: newRef(),
        practice: practice.slug,
        name: target?.name ?? practice.name,
        phone: target?.phone ?? practice.phone,
        email: null,
        reason: `Message urgent non confirmé depuis ${since} / Urgent message not acknowledged since ${since}`,
        urgency: 'urgent',
        redFlag: false,
        preferredWindow: null,
        confirmBy: 'none',
        lang: 'fr',
        dueAt: at,
        createdAt: at,
        kind: 'escalation',
        messageId,
      });
    } catch (err) {
      if (!(err instanceof RefTaken) || draw === 3) throw err;
    }
  }
}

// Escalation ---------------------------------------------------------------------------------------

interface EscalationRun {
  practice: string;
  messageRef: string;
  itemRef: string;
  step: number;
  queued: number;
}

/**
 * One step of one message's ladder, if it is still due: re-sent to the contact on call now and to the step's contact
 * of the escalation list, the escalation item opened (or kept), the next step scheduled one period after this one was
 * due — so a restart never shifts the ladder. The conditional write makes a step run once across instances.
 */
const escalate = transaction('messages.escalate', async (tx, { id, at }: { id: number; at: string }, env): Promise<EscalationRun | null> => {
  const message = await tx.getMessage(id);
  if (!message || message.ackAt || !message.nextEscalationAt || message.nextEscalationAt > at) return null;
  const practice = (await tx.getPractice(message.practice))!;
  const step = message.escalationStep + 1;
  const period = (practice.urgentAckMinutes ?? DEFAULT_URGENT_ACK_MINUTES) * MINUTE;
  const ladder = practice.escalation ?? [];
  const onCall = onCallAt(practice.contacts ?? [], practice.onCall, new Date(at)).contact;
  const contacts = [...new Map([onCall, contactOf(practice, ladder[step - 1])].filter((c): c is Contact => !!c).map((c) => [c.key, c])).values()];
  const item = await openEscalationItem(tx, practice, message, contactOf(practice, message.to) ?? onCall, at);
  const nextAt = step < ladder.length ? new Date(Date.parse(message.nextEscalationAt) + period).toISOString() : null;
  if (!(await tx.recordEscalation({ messageId: id, step, at, contacts: contacts.map((c) => c.key), callbackId: item.id, nextAt }))) return null;
  let queued = 0;
  for (const contact of contacts) queued += await sendUrgent(tx, env, practice, message, contact, step, at);
  await tx.audit({ at, action: 'message_escalated', practice: practice.slug, target: message.ref, details: { message: id, step, contacts: contacts.map((c) => c.key), item: item.ref, next: nextAt } });
  return { practice: practice.slug, messageRef: message.ref, itemRef: item.ref, step, queued };
});

/** Runs every escalation step that is due; the service calls it every few seconds. Answers how many ran. */
export async function runDueEscalations(deps: Deps): Promise<number> {
  const at = deps.now().toISOString();
  let ran = 0;
  for (const id of await deps.store.dueEscalations(at, 50)) {
    const run = await deps.store.transaction(escalate, { id, at });
    if (!run) continue;
    ran++;
    deps.log.warn('message_escalated', { message: id, practice: run.practice, step: run.step, item: run.itemRef });
    deps.events.publish({ type: 'callback.created', practice: run.practice, ref: run.itemRef });
    deps.events.publish({ type: 'callback.updated', practice: run.practice, ref: run.messageRef });
    if (run.queued) deps.wakeOutbox();
  }
  return ran;
}

// Acknowledgement ----------------------------------------------------------------------------------

export type AckVia = 'link' | 'console' | 'operator';

interface AckResult {
  message: PractitionerMessage;
  /** False: it had been acknowledged before. */
  acknowledged: boolean;
  closedItem: string | null;
}

/** Stops the ladder where it stands and closes the escalation item, in one commit; a second acknowledgement changes nothing. */
export const acknowledge = transaction('messages.acknowledge', async (tx, { id, by, via, at }: { id: number; by: string; via: AckVia; at: string }): Promise<AckResult | null> => {
  const before = await tx.getMessage(id);
  if (!before) return null;
  const acknowledged = before.urgent ? await tx.acknowledgeMessage(id, by, at) : false;
  let closedItem: string | null = null;
  if (acknowledged) {
    const item = await tx.findEscalationItem(id);
    if (item) closedItem = (await tx.closeEscalationItem(item.id, at))?.ref ?? null;
    await tx.audit({ at, actor: via === 'link' ? null : by, action: 'message_acknowledged', practice: before.practice, target: before.ref, details: { message: id, via, by, step: before.escalationStep, ...(closedItem ? { item: closedItem } : {}) } });
  }
  return { message: (await tx.getMessage(id))!, acknowledged, closedItem };
});

/** Acknowledges and tells the consoles (the request's page and the escalation item change). */
export async function acknowledgeMessage(deps: Deps, id: number, by: string, via: AckVia): Promise<AckResult | null> {
  const result = await deps.store.transaction(acknowledge, { id, by, via, at: deps.now().toISOString() });
  if (result?.acknowledged) {
    deps.log.info('message_acknowledged', { message: id, practice: result.message.practice, via });
    deps.events.publish({ type: 'callback.updated', practice: result.message.practice, ref: result.message.ref });
    if (result.closedItem) deps.events.publish({ type: 'callback.updated', practice: result.message.practice, ref: result.closedItem });
  }
  return result;
}

// Replies ------------------------------------------------------------------------------------------

/**
 * The practitioner's answer ("rappeler le patient : RDV demain 9 h"): it shows on the request, which goes back to the
 * queue due now for an operator to call the patient — or, when the patient has another request open, on that one.
 * Replying also reads and acknowledges the message.
 */
const reply = transaction('messages.reply', async (tx, { id, text, user, at }: { id: number; text: string; user: { id: number; email: string }; at: string }) => {
  const message = (await tx.getMessage(id))!;
  const callback = (await tx.getCallback(message.ref))!;
  let target = callback;
  if (!isOpenState(callback.state)) {
    const open = await tx.findOpenCallback(callback.practice, callback.phone, callback.name);
    if (open) target = open;
    else {
      try {
        target = await tx.requeueCallback(callback.id, at, at);
      } catch (err) {
        if (!(err instanceof OpenRequestExists)) throw err;
        target = (await tx.findOpenCallback(callback.practice, callback.phone, callback.name))!;
      }
    }
  }
  await tx.insertReply({ messageId: id, body: text, userId: user.id, createdAt: at, callbackId: target.id });
  await tx.markMessageRead(id, at);
  const acknowledged = message.urgent ? await tx.acknowledgeMessage(id, user.email, at) : false;
  if (acknowledged) {
    const item = await tx.findEscalationItem(id);
    if (item) await tx.closeEscalationItem(item.id, at);
  }
  await tx.audit({ at, actor: user.email, action: 'message_reply', practice: message.practice, target: target.ref, details: { message: id, requeued: target.id === callback.id && !isOpenState(callback.state), ...(target.id !== callback.id ? { from: callback.ref } : {}) } });
  return { practice: message.practice, ref: target.ref, messageRef: message.ref };
});

export async function replyToMessage(deps: Deps, user: { id: number; email: string }, id: number, text: string) {
  const done = await deps.store.transaction(reply, { id, text, user, at: deps.now().toISOString() });
  deps.log.info('message_reply', { message: id, practice: done.practice, ref: done.ref });
  deps.events.publish({ type: 'callback.updated', practice: done.practice, ref: done.ref });
  if (done.messageRef !== done.ref) deps.events.publish({ type: 'callback.updated', practice: done.practice, ref: done.messageRef });
  return done;
}

// Delivery: a failed channel falls back to the other ---------------------------------------------

/**
 * A routine notice whose channel failed (the provider refused it, reported it undelivered, or it died) goes out on
 * the other channel of the same contact, once. Urgent messages go on both from the start and need no fallback.
 */
const fallBack = transaction('messages.fall_back', async (tx, { outboxId, at }: { outboxId: number; at: string }, env): Promise<number> => {
  const failed = await tx.getOutbox(outboxId);
  if (!failed?.messageId || failed.purpose !== 'practitioner_message') return 0;
  const message = await tx.getMessage(failed.messageId);
  const practice = message && (await tx.getPractice(message.practice));
  const contact = practice && contactOf(practice, message.to);
  if (!message || !practice || !contact) return 0;
  const other = failed.channel === 'sms' ? 'email' : 'sms';
  if ((await tx.listDeliveries([message.id])).some((d) => d.channel === other)) return 0;
  const queued = await sendRoutine(tx, env, practice, message, contact, other, at);
  if (queued) await tx.audit({ at, action: 'message_fallback', practice: practice.slug, target: message.ref, details: { message: message.id, from: failed.channel, to: other } });
  return queued;
});

/** Called by the outbox worker and the providers' delivery reports when a message for the practitioner failed. */
export async function deliveryFailed(deps: Pick<Deps, 'store' | 'now' | 'wakeOutbox' | 'log'>, item: Pick<OutboxItem, 'id' | 'messageId' | 'purpose'>): Promise<void> {
  if (!item.messageId || item.purpose !== 'practitioner_message') return;
  const queued = await deps.store.transaction(fallBack, { outboxId: item.id, at: deps.now().toISOString() });
  if (queued) {
    deps.log.info('message_fallback', { message: item.messageId, outbox: item.id });
    deps.wakeOutbox();
  }
}

/** Each delivery step of a message for the practitioner goes in the audit, on the request it belongs to: channel and state, never the recipient or the text. */
export async function auditDelivery(deps: Pick<Deps, 'store' | 'now'>, item: Pick<OutboxItem, 'id' | 'messageId' | 'channel' | 'purpose'>, state: string): Promise<void> {
  if (!item.messageId) return;
  const message = await deps.store.getMessage(item.messageId);
  if (!message) return;
  await deps.store.audit({
    at: deps.now().toISOString(),
    action: 'message_delivery',
    practice: message.practice,
    target: message.ref,
    details: { message: message.id, outbox: item.id, channel: item.channel, purpose: item.purpose, state },
  });
}

// Test alerts --------------------------------------------------------------------------------------

export interface TestAlert {
  channels: ('sms' | 'email')[];
}

const testAlert = transaction('messages.test_alert', async (tx, { slug, key, actor, at }: { slug: string; key: string; actor: string; at: string }): Promise<TestAlert> => {
  const practice = await tx.getPractice(slug);
  const contact = practice && contactOf(practice, key);
  if (!practice || !contact) throw notFound('No such contact');
  const channels: TestAlert['channels'] = [];
  const about = { purpose: 'test_alert', practice: slug };
  if (contact.phone) {
    if (!(await practitionerSmsAllowed(tx, practice, at))) throw new ApiProblem(429, 'practitioner_sms_cap', `At most ${PRACTITIONER_SMS_PER_HOUR} SMS an hour to this practice's contacts`);
    await tx.enqueue({ channel: 'sms', recipient: contact.phone, payload: testAlertSms(practice, contact.name), ...about }, at);
    channels.push('sms');
  }
  if (contact.email) {
    await tx.enqueue({ channel: 'email', recipient: contact.email, payload: testAlertEmail(practice, contact.name), ...about }, at);
    channels.push('email');
  }
  await tx.audit({ at, actor, action: 'test_alert', practice: slug, target: key, details: { channels } });
  return { channels };
});

export async function sendTestAlert(deps: Deps, actor: string, slug: string, key: string): Promise<TestAlert> {
  const result = await deps.store.transaction(testAlert, { slug, key, actor, at: deps.now().toISOString() });
  deps.wakeOutbox();
  return result;
}

// The daily digest ---------------------------------------------------------------------------------

/**
 * Once a day at the practice's `digestAt`, an email to each contact with an address (or the notice address): how many
 * messages in the last 24 hours, how many unread, how many urgent ones unacknowledged. Nothing to count, nothing sent.
 * The day is claimed in the same commit, so it goes once whatever the number of instances or restarts.
 */
const digest = transaction('messages.digest', async (tx, { slug, day, at }: { slug: string; day: string; at: string }, env): Promise<number> => {
  const practice = await tx.getPractice(slug);
  if (!practice?.digestAt || !(await tx.claimDigest(slug, day, at))) return 0;
  const since = new Date(Date.parse(at) - 24 * 60 * MINUTE).toISOString();
  const recent = await tx.listMessages({ practice: slug, since, limit: 1000 });
  const unread = recent.filter((m) => !m.readAt).length;
  const urgent = (await tx.listMessages({ practice: slug, limit: 1000 })).filter((m) => m.urgent && !m.ackAt).length;
  if (!recent.length && !urgent) return 0;
  const recipients = new Set([...(practice.contacts ?? []).flatMap((c) => (c.email ? [c.email] : [])), ...(practice.notifyEmail ? [practice.notifyEmail] : [])]);
  const payload = digestEmail({ practice, count: recent.length, unread, urgent, consoleUrl: consoleMessagesUrl(env.publicUrl) });
  for (const recipient of recipients) await tx.enqueue({ channel: 'email', recipient, payload, purpose: 'digest', practice: slug }, at);
  await tx.audit({ at, action: 'digest', practice: slug, details: { count: recent.length, unread, urgent, recipients: recipients.size } });
  return recipients.size;
});

/** Sends the digests whose time has come today on their practice's clock. */
export async function runDueDigests(deps: Deps): Promise<number> {
  const now = deps.now();
  let sent = 0;
  for (const practice of await deps.store.listPractices()) {
    if (!practice.digestAt) continue;
    const local = zonedDateTime(now, practice.timezone);
    if (local.slice(11) < practice.digestAt) continue;
    sent += await deps.store.transaction(digest, { slug: practice.slug, day: zonedDate(now, practice.timezone), at: now.toISOString() });
  }
  if (sent) deps.wakeOutbox();
  return sent;
}
