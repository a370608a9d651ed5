/**
 * The sealing layer every store shares: health fields (a request's reason, an operator's note, a
 * message for the practitioner) are encrypted on the way in and opened on the way out, so the
 * database, its backups and its WAL hold them only as ciphertext. Below it, a store keeps opaque text.
 */
import type { Sealer } from '../crypto.js';
import type { Attempt, Callback, PractitionerMessage, Queries, Store } from './store.js';

/** `inner` with its health fields sealed at rest; `transaction` passes through (the writer seals its own transaction). */
export function sealStore<S extends Queries | Store>(inner: S, sealer: Sealer): S {
  const openCallback = (c: Callback): Callback => ({ ...c, reason: sealer.open(c.reason) });
  const maybeCallback = (c: Callback | undefined) => c && openCallback(c);
  const openAttempt = (a: Attempt): Attempt => ({ ...a, note: a.note === null ? null : sealer.open(a.note) });
  const openMessage = (m: PractitionerMessage): PractitionerMessage => ({ ...m, body: sealer.open(m.body), reason: sealer.open(m.reason) });

  const sealed: Partial<Queries> = {
    // The reason just written is known: it is handed back as given rather than decrypted again.
    insertCallback: async (c) => ({ ...(await inner.insertCallback({ ...c, reason: sealer.seal(c.reason) })), reason: c.reason }),
    getCallback: async (ref) => maybeCallback(await inner.getCallback(ref)),
    listQueue: async (filter) => (await inner.listQueue(filter)).map(openCallback),
    findPatientCallbacks: async (who) => (await inner.findPatientCallbacks(who)).map(openCallback),
    findOpenCallback: async (practice, phone, name) => maybeCallback(await inner.findOpenCallback(practice, phone, name)),
    mergeIntoCallback: async (id, merge) => ({ ...(await inner.mergeIntoCallback(id, { ...merge, reason: sealer.seal(merge.reason) })), reason: merge.reason }),
    cancelCallback: async (id, now) => openCallback(await inner.cancelCallback(id, now)),
    claimCallback: async (...args) => maybeCallback(await inner.claimCallback(...args)),
    releaseClaim: async (...args) => maybeCallback(await inner.releaseClaim(...args)),
    applyAttempt: async (...args) => openCallback(await inner.applyAttempt(...args)),
    insertAttempt: (a) => inner.insertAttempt({ ...a, note: a.note === null ? null : sealer.seal(a.note) }),
    listAttempts: async (callbackId) => (await inner.listAttempts(callbackId)).map(openAttempt),
    insertMessage: (m) => inner.insertMessage({ ...m, body: sealer.seal(m.body) }),
    listMessages: async (filter) => (await inner.listMessages(filter)).map(openMessage),
    getMessage: async (id) => {
      const message = await inner.getMessage(id);
      return message && openMessage(message);
    },
  };
  const bound = new Map<string, unknown>();
  return new Proxy(inner, {
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
