/**
 * The sealing layer every store shares. A patient's identity (name, phone, email), the health fields (a request's
 * reason, an operator's note, a message for the practitioner) and the outbox's messages are encrypted on the way
 * in and opened on the way out, so the database, its backups and its WAL hold none of them in clear. Where a lookup
 * needs equality (the same person's open request, the SMS caps, erasure, search), keyed hashes are stored beside
 * the ciphertext; a lookup searches the hashes of every key still known, so a key rotation breaks nothing.
 */
import type { Sealer } from '../crypto.js';
import { nameKey } from '../../shared/names.js';
import { numberBlock } from '../../shared/phone.js';
import type { CallbackLookups, OutboxItemAtRest, PractitionerMessageAtRest, QueriesAtRest, StoreAtRest } from './at-rest.js';
import type { Attempt, Callback, OutboxItem, PractitionerMessage, Queries, Store } from './store.js';

/** How many opened values each store keeps (a few queue pages of every console, and their messages). */
const OPENED_KEPT = 5_000;

/** The hashes a request is stored with (also used by the migration and by `rekey`). */
export function callbackLookups(sealer: Sealer, who: { name: string; phone: string; email: string | null }): CallbackLookups {
  const key = nameKey(who.name);
  return {
    phone: sealer.lookup('phone', who.phone),
    last4: sealer.lookup('phone_last4', who.phone.slice(-4)),
    name: sealer.lookup('name', key),
    words: [...new Set(key.split(' ').filter(Boolean))].map((word) => sealer.lookup('name_word', word)),
    email: who.email === null ? null : sealer.lookup('email', who.email.toLowerCase()),
  };
}

/** The hashes an outbox message is stored with: its recipient as a phone or an address, and the number's block. */
export function outboxLookups(sealer: Sealer, channel: 'sms' | 'email', recipient: string): { recipientHash: string; blockHash: string | null } {
  return channel === 'sms'
    ? { recipientHash: sealer.lookup('phone', recipient), blockHash: sealer.lookup('sms_block', numberBlock(recipient)) }
    : { recipientHash: sealer.lookup('email', recipient.toLowerCase()), blockHash: null };
}

/** A store that keeps everything sealed, seen as one that answers in clear. */
export function sealStore(inner: StoreAtRest, sealer: Sealer): Store;
export function sealStore(inner: QueriesAtRest, sealer: Sealer): Queries;
export function sealStore(inner: QueriesAtRest | StoreAtRest, sealer: Sealer): Queries | Store {
  // Values opened lately, by their ciphertext: consoles read the same queue page again at every event, and opening
  // a hundred rows' name, phone and reason costs more than the query. Forgotten at each scrub (after an erasure).
  const opened = new Map<string, string>();
  const open = (sealed: string) => {
    let plain = opened.get(sealed);
    if (plain === undefined) {
      plain = sealer.open(sealed);
      if (opened.size >= OPENED_KEPT) opened.delete(opened.keys().next().value!);
      opened.set(sealed, plain);
    }
    return plain;
  };
  const openIdentity = (c: Callback): Callback => ({ ...c, name: open(c.name), phone: open(c.phone), email: c.email === null ? null : open(c.email) });
  const openCallback = (c: Callback): Callback => ({ ...openIdentity(c), reason: open(c.reason) });
  const maybeCallback = (c: Callback | undefined) => c && openCallback(c);
  const openAttempt = (a: Attempt): Attempt => ({ ...a, note: a.note === null ? null : open(a.note) });
  const openMessage = (m: PractitionerMessageAtRest): PractitionerMessage => ({
    ...m,
    body: open(m.body),
    reason: open(m.reason),
    patientName: open(m.patientName),
    patientPhone: open(m.patientPhone),
    instructionsInForce: m.instructionsInForce === null ? null : JSON.parse(open(m.instructionsInForce)),
  });
  const openOutbox = (m: OutboxItemAtRest): OutboxItem => ({ ...m, recipient: open(m.recipient), payload: m.payload === null ? null : JSON.parse(open(m.payload)) });
  /** A recipient is a phone in E.164 or an address: its hashes under every key. */
  const recipientHashes = (recipient: string) => (recipient.includes('@') ? sealer.lookups('email', recipient.toLowerCase()) : sealer.lookups('phone', recipient));

  const sealed: Partial<Queries> = {
    insertCallback: async (c) => {
      const stored = await inner.insertCallback({
        ...c,
        name: sealer.seal(c.name),
        phone: sealer.seal(c.phone),
        email: c.email === null ? null : sealer.seal(c.email),
        reason: sealer.seal(c.reason),
        lookups: callbackLookups(sealer, c),
      });
      // What was just written is known: handed back as given rather than decrypted again.
      return { ...stored, name: c.name, phone: c.phone, email: c.email, reason: c.reason };
    },
    getCallback: async (ref) => maybeCallback(await inner.getCallback(ref)),
    listQueue: async ({ search, ...filter }) => {
      const words = search?.words?.map(nameKey).flatMap((w) => w.split(' ')).filter(Boolean);
      const atRest = search && {
        ...(search.ref === undefined ? {} : { ref: search.ref }),
        ...(search.phone === undefined ? {} : { phone: sealer.lookups('phone', search.phone) }),
        ...(search.last4 === undefined ? {} : { last4: sealer.lookups('phone_last4', search.last4) }),
        ...(words?.length ? { words: [...new Set(words)].map((word) => sealer.lookups('name_word', word)) } : {}),
      };
      return (await inner.listQueue({ ...filter, ...(atRest ? { search: atRest } : {}) })).map(openCallback);
    },
    listHistory: async (practice, phone, beforeId, limit) =>
      (await inner.listHistory(practice, sealer.lookups('phone', phone), beforeId, limit)).map((h) => ({ ...h, reason: open(h.reason) })),
    findPatientCallbacks: async (who) =>
      (await inner.findPatientCallbacks('phone' in who ? { phone: sealer.lookups('phone', who.phone) } : { email: sealer.lookups('email', who.email.toLowerCase()) })).map(
        openCallback,
      ),
    findOpenCallback: async (practice, phone, name) => maybeCallback(await inner.findOpenCallback(practice, sealer.lookups('phone', phone), sealer.lookups('name', nameKey(name)))),
    mergeIntoCallback: async (id, merge) => ({ ...openIdentity(await inner.mergeIntoCallback(id, { ...merge, reason: sealer.seal(merge.reason) })), reason: merge.reason }),
    cancelCallback: async (id, now) => openCallback(await inner.cancelCallback(id, now)),
    claimCallback: async (...args) => maybeCallback(await inner.claimCallback(...args)),
    findEscalationItem: async (id) => maybeCallback(await inner.findEscalationItem(id)),
    reopenCallback: async (...args) => openCallback(await inner.reopenCallback(...args)),
    closeAsDuplicate: async (...args) => openCallback(await inner.closeAsDuplicate(...args)),
    requeueCallback: async (...args) => openCallback(await inner.requeueCallback(...args)),
    closeEscalationItem: async (...args) => maybeCallback(await inner.closeEscalationItem(...args)),
    releaseClaim: async (...args) => maybeCallback(await inner.releaseClaim(...args)),
    applyAttempt: async (...args) => openCallback(await inner.applyAttempt(...args)),
    insertAttempt: (a) => inner.insertAttempt({ ...a, note: a.note === null ? null : sealer.seal(a.note) }),
    listAttempts: async (callbackId) => (await inner.listAttempts(callbackId)).map(openAttempt),
    // The instructions in force travel with the message: what it was taken under is part of what it says.
    insertMessage: (m) =>
      inner.insertMessage({ ...m, body: sealer.seal(m.body), instructionsInForce: m.instructionsInForce ? sealer.seal(JSON.stringify(m.instructionsInForce)) : null }),
    listMessages: async (filter) => (await inner.listMessages(filter)).map(openMessage),
    getMessage: async (id) => {
      const message = await inner.getMessage(id);
      return message && openMessage(message);
    },
    enqueue: (m, now) =>
      inner.enqueue({ ...m, recipient: sealer.seal(m.recipient), payload: sealer.seal(JSON.stringify(m.payload)), ...outboxLookups(sealer, m.channel, m.recipient) }, now),
    dueOutbox: async (...args) => {
      const { picked, more } = await inner.dueOutbox(...args);
      return { picked: picked.map(openOutbox), more };
    },
    leaseOutbox: async (...args) => {
      const message = await inner.leaseOutbox(...args);
      return message && openOutbox(message);
    },
    // A limit's key names a person (an address, an account's email, a phone): counted under a keyed hash of it, the
    // current key's only (a rotation starts the counts again, which span an hour at most).
    countHit: (key, ...rest) => inner.countHit(sealer.sign('rate_limit', key), ...rest),
    forgiveHit: (key, at) => inner.forgiveHit(sealer.sign('rate_limit', key), at),
    listOutbox: async (state) => (await inner.listOutbox(state)).map(openOutbox),
    listOutboxAbout: async (ids, recipient) => (await inner.listOutboxAbout(ids, recipientHashes(recipient))).map(openOutbox),
    countOutbox: ({ recipient, block, ...rest }) =>
      inner.countOutbox({
        ...rest,
        ...(recipient === undefined ? {} : { recipient: rest.channel === 'sms' ? sealer.lookups('phone', recipient) : sealer.lookups('email', recipient.toLowerCase()) }),
        ...(block === undefined ? {} : { block: sealer.lookups('sms_block', block) }),
      }),
    ...('scrub' in inner
      ? {
          scrub: async () => {
            opened.clear();
            await inner.scrub();
          },
        }
      : {}),
    eraseByPhone: (phone) => inner.eraseByPhone(sealer.lookups('phone', phone)),
    eraseByEmail: (email) => inner.eraseByEmail(sealer.lookups('email', email.toLowerCase())),
    recordDeliveryReport: async (ref, report) => {
      const item = await inner.recordDeliveryReport(ref, report);
      return item && openOutbox(item);
    },
    listDeliveries: async (ids) => (await inner.listDeliveries(ids)).map(openOutbox),
    insertReply: (r) => inner.insertReply({ ...r, body: sealer.seal(r.body) }),
    listReplies: async (filter) => (await inner.listReplies(filter)).map((r) => ({ ...r, body: open(r.body) })),
    getOutbox: async (id) => {
      const message = await inner.getOutbox(id);
      return message && openOutbox(message);
    },
  };
  const bound = new Map<string, unknown>();
  return new Proxy(inner as unknown as Queries, {
    get(target, method: string) {
      const own = (sealed as Record<string, unknown>)[method] ?? bound.get(method);
      if (own) return own;
      const value = (target as unknown as Record<string, unknown>)[method];
      if (typeof value !== 'function') return value;
      const passthrough = value.bind(target);
      bound.set(method, passthrough);
      return passthrough;
    },
  });
}
