/** Callback references: short, unguessable, and easy to read aloud over the phone. */
import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: letters that sound or look alike on a phone line.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** `CB-` and six symbols: 31^6 ≈ 887 million. Knowing a reference grants nothing without its signed link. */
export function newRef(): string {
  let ref = 'CB-';
  for (let i = 0; i < 6; i++) ref += ALPHABET[randomInt(ALPHABET.length)];
  return ref;
}
