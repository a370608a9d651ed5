/**
 * Secrets derived from SECRET_KEY: field encryption for health details at rest
 * (AES-256-GCM) and HMAC signatures for tokens handed to browsers.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

export interface Sealer {
  /** Encrypts a health field for storage; the output is opaque text. */
  seal(plain: string): string;
  open(sealed: string): string;
  /** A signature over `purpose` and `payload`, so a token made for one thing is useless for another. */
  sign(purpose: string, payload: string): string;
  verify(purpose: string, payload: string, signature: string): boolean;
}

export function createSealer(secretKey: string): Sealer {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), Buffer.alloc(0), info, 32));
  const encKey = derive('permanence/fields/v1');
  const macKey = derive('permanence/tokens/v1');
  const mac = (purpose: string, payload: string) => createHmac('sha256', macKey).update(`${purpose}\n${payload}`).digest('base64url');
  return {
    seal(plain) {
      const iv = randomPool(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    open(sealed) {
      const raw = Buffer.from(sealed.slice(3), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    sign: mac,
    verify: (purpose, payload, signature) => safeEqual(mac(purpose, payload), signature),
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
