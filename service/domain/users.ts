/** Accounts: who may sign in to the console, with which role and practices — created the same way by the admin API and `user add`. */
import * as z from 'zod/mini';
import { ApiProblem, invalid } from '../errors.js';
import { fieldErrors } from '../../shared/schemas.js';
import type { PasswordHasher } from '../auth/password.js';
import type { Role, Store, User } from '../store/store.js';

const ROLES = ['admin', 'operator', 'practitioner'] as const;
/** Long passphrases over complexity rules (NIST SP 800-63B); the upper bound keeps scrypt's input sane. */
const password = z.string().check(z.minLength(12), z.maxLength(1024));
const practices = z.array(z.string().check(z.maxLength(64))).check(z.maxLength(500));

export const userCreateSchema = z.strictObject({
  email: z.email().check(z.maxLength(254)),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  role: z.enum(ROLES),
  practices: z.optional(practices),
  password,
});

export const userUpdateSchema = z.strictObject({
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  role: z.optional(z.enum(ROLES)),
  practices: z.optional(practices),
  disabled: z.optional(z.boolean()),
  password: z.optional(password),
});

/** Practices an account of `role` holds: admins see all so hold none; a practitioner belongs to at least one. */
export function checkPractices(store: Store, role: Role, slugs: string[]): string[] {
  if (role === 'admin') return [];
  const unique = [...new Set(slugs)];
  if (unique.some((slug) => !store.getPractice(slug))) throw invalid({ practices: 'invalid' });
  if (role === 'practitioner' && unique.length === 0) throw invalid({ practices: 'required' });
  return unique;
}

/** Validates and creates an account, audited as `actor`'s doing; 400 for bad fields, 409 when the email is taken. */
export async function createAccount(store: Store, passwords: PasswordHasher, body: unknown, actor: string, now: Date): Promise<User> {
  const parsed = userCreateSchema.safeParse(body);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues, body));
  const input = parsed.data;
  const email = input.email.toLowerCase();
  const slugs = checkPractices(store, input.role, input.practices ?? []);
  const taken = () => new ApiProblem(409, 'exists', 'An account with this email already exists', { email: 'invalid' });
  if (store.findUserByEmail(email)) throw taken();
  const passwordHash = await passwords.hash(input.password);
  const at = now.toISOString();
  return store.transaction(() => {
    // Checked again inside the commit: hashing took time and someone may have taken the email meanwhile.
    if (store.findUserByEmail(email)) throw taken();
    const created = store.createUser({ email, name: input.name, role: input.role, practices: slugs, passwordHash }, at);
    store.audit({ at, actor, action: 'user_created', target: email, details: { role: input.role, practices: slugs } });
    return created;
  });
}
