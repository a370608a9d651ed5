/** Password hashing with scrypt at OWASP's parameters (N=2^17, r=8, p=1), parameters stored with each hash. */
import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { safeEqual } from '../crypto.js';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

export const OWASP_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is below what N=2^17 needs.
  const options: ScryptOptions = { ...params, maxmem: 256 * 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `params` other than OWASP's are for tests only, where hashing hundreds of passwords must stay fast. */
export function createPasswordHasher(params: { N: number; r: number; p: number } = OWASP_SCRYPT): PasswordHasher {
  return {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await derive(password, salt, params);
      return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
    },
    async verify(password, stored) {
      const [scheme, N, r, p, salt, key] = stored.split('$');
      if (scheme !== 'scrypt' || !salt || !key) return false;
      const derived = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(N), r: Number(r), p: Number(p) });
      return safeEqual(key, derived.toString('base64url'));
    },
  };
}
