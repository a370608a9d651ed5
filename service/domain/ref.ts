/** Callback references: short, unguessable, and easy to read aloud over the phone. */
import { randomPool } from '../crypto.js';

// No 0/O, 1/I/L: letters that sound or look alike on a phone line.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** Bytes at or above this would make the first symbols likelier than the others: they are drawn again. */
const UNBIASED = 256 - (256 % ALPHABET.length);

/** `CB-` and six symbols: 31^6 ≈ 887 million. Knowing a reference grants nothing without its signed link. */
export function newRef(): string {
  let ref = 'CB-';
  while (ref.length < 9) {
    // One draw from the system's generator for all six symbols (and a few spares), not one per symbol.
    for (const byte of randomPool(8)) {
      if (byte < UNBIASED && ref.length < 9) ref += ALPHABET[byte % ALPHABET.length];
    }
  }
  return ref;
}
