/**
 * Secrets derived from SECRET_KEY: field encryption at rest (AES-256-GCM) for health details and identities,
 * keyed hashes for the lookups that need equality on an encrypted field, and HMAC signatures for tokens
 * handed to browsers. Earlier keys (SECRET_KEY_PREVIOUS) still open, match and verify what they made,
 * so a key can be rotated while `permanence rekey` re-encrypts everything with the new one.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

/** What a keyed hash is for; each purpose has its own key, so a hash made for one lookup matches nothing in another. */
export type LookupPurpose = 'phone' | 'phone_last4' | 'name' | 'name_word' | 'email' | 'sms_block' | 'signin_place';

export interface Sealer {
  /** Encrypts a field for storage with the current key; the output is opaque text. */
  seal(plain: string): string;
  /** Decrypts what any known key sealed. */
  open(sealed: string): string;
  /** Whether `sealed` was made with the current key (what `rekey` leaves alone). */
  isCurrent(sealed: string): boolean;
  /** The keyed hash a lookup stores beside an encrypted field, with the current key. */
  lookup(purpose: LookupPurpose, value: string): string;
  /** The keyed hashes to search for: the current key's first, then each earlier key's. */
  lookups(purpose: LookupPurpose, value: string): string[];
  /** A signature over `purpose` and `payload`, so a token made for one thing is useless for another. */
  sign(purpose: string, payload: string): string;
  /** The signatures every known key gives, the current key's first (for tokens that keep only part of one). */
  signatures(purpose: string, payload: string): string[];
  /** Checks a signature made with any known key: links sent before a rotation keep working until they expire. */
  verify(purpose: string, payload: string, signature: string): boolean;
}

interface KeySet {
  id: string;
  enc: Buffer;
  mac: Buffer;
  lookups: Map<LookupPurpose, Buffer>;
}

function keySet(secret: string): KeySet {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), info, 32));
  const purposes: LookupPurpose[] = ['phone', 'phone_last4', 'name', 'name_word', 'email', 'sms_block', 'signin_place'];
  return {
    // Names the key inside each sealed value, so opening never has to try keys in turn.
    id: derive('permanence/key-id/v1').subarray(0, 6).toString('base64url'),
    enc: derive('permanence/fields/v1'),
    mac: derive('permanence/tokens/v1'),
    lookups: new Map(purposes.map((purpose) => [purpose, derive(`permanence/lookup/${purpose}/v1`)])),
  };
}

/** `secretKey` seals and signs; `previousKeys` only open, match and verify. */
export function createSealer(secretKey: string, previousKeys: readonly string[] = []): Sealer {
  const current = keySet(secretKey);
  const all = [current, ...previousKeys.map(keySet)];
  const byId = new Map(all.map((k) => [k.id, k]));
  const mac = (keys: KeySet, purpose: string, payload: string) => createHmac('sha256', keys.mac).update(`${purpose}\n${payload}`).digest('base64url');
  // 128 bits: collisions are out of reach, and the column stays short.
  const hash = (keys: KeySet, purpose: LookupPurpose, value: string) => createHmac('sha256', keys.lookups.get(purpose)!).update(value).digest().subarray(0, 16).toString('base64url');
  const decrypt = (keys: KeySet, raw: Buffer) => {
    const decipher = createDecipheriv('aes-256-gcm', keys.enc, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  };
  return {
    seal(plain) {
      const iv = randomPool(12);
      const cipher = createCipheriv('aes-256-gcm', current.enc, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v2.${current.id}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    open(sealed) {
      if (sealed.startsWith('v2.')) {
        const keys = byId.get(sealed.slice(3, 11));
        if (!keys) throw new Error('sealed with a key this service does not have (set SECRET_KEY_PREVIOUS)');
        return decrypt(keys, Buffer.from(sealed.slice(12), 'base64url'));
      }
      // v1 carried no key id: the keys are tried in turn (the authentication tag tells the right one).
      const raw = Buffer.from(sealed.slice(3), 'base64url');
      for (const keys of all) {
        try {
          return decrypt(keys, raw);
        } catch {
          // Not this key.
        }
      }
      throw new Error('sealed with a key this service does not have (set SECRET_KEY_PREVIOUS)');
    },
    isCurrent: (sealed) => sealed.startsWith(`v2.${current.id}.`),
    lookup: (purpose, value) => hash(current, purpose, value),
    lookups: (purpose, value) => all.map((keys) => hash(keys, purpose, value)),
    sign: (purpose, payload) => mac(current, purpose, payload),
    signatures: (purpose, payload) => all.map((keys) => mac(keys, purpose, payload)),
    verify: (purpose, payload, signature) => all.some((keys) => safeEqual(mac(keys, purpose, payload), signature)),
  };
}

/** Compares secrets in constant time. */
export function safeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `n` bytes from the system's secure generator, drawn 4 KB at a time: a draw costs the same for 12 bytes as
 * for 4,096, and a field's IV and a reference are needed at every request. Each byte is handed out once.
 */
export function randomPool(n: number): Buffer {
  if (poolOffset + n > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + n));
  poolOffset += n;
  return out;
}
const pool = Buffer.allocUnsafe(4096);
let poolOffset = pool.length;

/** 128 random bits and more, URL-safe. */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
