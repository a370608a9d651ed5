/**
 * Signing in under attack: where an account has signed in from (its owner's usual addresses and devices), and
 * the one email that tells the owner when strangers' failed sign-ins brake the account. See docs/security.md.
 */
import type { Sealer } from '../crypto.js';
import { transaction } from '../store/store.js';
import { signinAlert } from '../notify/templates.js';

/** The owner hears of an attack at most this often. */
const ALERT_EVERY_MS = 60 * 60_000;

/** A sign-in's places: its address (IPv6 by /64, as the brakes count) and its device cookie, as keyed hashes. */
export function signinPlaces(sealer: Sealer, addressKey: string, device: string | undefined) {
  const places = [`address ${addressKey}`, ...(device ? [`device ${device}`] : [])];
  return {
    /** To look for: under every key still known. */
    known: places.flatMap((place) => sealer.lookups('signin_place', place)),
    /** To remember after a successful sign-in: under the current key. */
    remember: places.map((place) => sealer.lookup('signin_place', place)),
  };
}

/** Queues the owner's alert unless one went in the last hour; answers whether it did. */
export const alertOwner = transaction('signin.alert', async (tx, { email, now }: { email: string; now: number }, env) => {
  const since = new Date(now - ALERT_EVERY_MS).toISOString();
  if ((await tx.countOutbox({ channel: 'email', purpose: 'signin_alert', recipient: email, since })) > 0) return false;
  await tx.enqueue({ channel: 'email', recipient: email, payload: signinAlert(email, env.publicUrl), purpose: 'signin_alert' }, new Date(now).toISOString());
  return true;
});
