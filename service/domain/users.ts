/** Accounts: who may sign in to the console, with which role and practices — created and changed the same way by the admin API and `user add`. */
import * as z from 'zod/mini';
import { ApiProblem, invalid, notFound } from '../errors.js';
import { fieldErrors } from '../../shared/schemas.js';
import { tidyName } from '../../shared/names.js';
import { secretText, singleLineText } from '../../shared/text.js';
import type { PasswordHasher } from '../auth/password.js';
import { transaction, type NewUser, type Queries, type Role, type User, type UserChange, type Store } from '../store/store.js';

export const ROLES = ['admin', 'operator', 'practitioner'] as const;
/** Long passphrases over complexity rules (NIST SP 800-63B); the upper bound keeps scrypt's input sane. Taken as typed, as sign-in takes it. */
const password = secretText(1024, 12);
/** Shown beside what the account did (claims, notes, the audit log): a person's name, tidied as names are. */
const name = singleLineText(100, 1, tidyName);
const practices = z.array(z.string().check(z.maxLength(64))).check(z.maxLength(500));

export const userCreateSchema = z.strictObject({
  email: z.email().check(z.maxLength(254)),
  name,
  role: z.enum(ROLES),
  practices: z.optional(practices),
  password,
});

export const userUpdateSchema = z.strictObject({
  name: z.optional(name),
  role: z.optional(z.enum(ROLES)),
  practices: z.optional(practices),
  disabled: z.optional(z.boolean()),
  password: z.optional(password),
});

/** Practices an account of `role` holds: admins see all so hold none; a practitioner belongs to at least one. */
export async function checkPractices(store: Queries, role: Role, slugs: string[]): Promise<string[]> {
  if (role === 'admin') return [];
  const unique = [...new Set(slugs)];
  const known = await Promise.all(unique.map((slug) => store.getPractice(slug)));
  if (known.some((practice) => !practice)) throw invalid({ practices: 'invalid' });
  if (role === 'practitioner' && unique.length === 0) throw invalid({ practices: 'required' });
  return unique;
}

const taken = () => new ApiProblem(409, 'exists', 'An account with this email already exists', { email: 'taken' });

/** Validates and creates an account, audited as `actor`'s doing; 400 for bad fields, 409 when the email is taken. */
export async function createAccount(store: Store, passwords: PasswordHasher, body: unknown, actor: string, now: Date): Promise<User> {
  const parsed = userCreateSchema.safeParse(body);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues, body));
  const input = parsed.data;
  const email = input.email.toLowerCase();
  const practices = await checkPractices(store, input.role, input.practices ?? []);
  if (await store.findUserByEmail(email)) throw taken();
  const passwordHash = await passwords.hash(input.password);
  return store.transaction(insertAccount, { user: { email, name: input.name, role: input.role, practices, passwordHash }, actor, at: now.toISOString() });
}

const insertAccount = transaction('user.create', async (tx, { user, actor, at }: { user: NewUser; actor: string; at: string }) => {
  // Checked again inside the commit: hashing took time and someone may have taken the email meanwhile.
  if (await tx.findUserByEmail(user.email)) throw taken();
  const created = await tx.createUser(user, at);
  await tx.audit({ at, actor, action: 'user_created', target: user.email, details: { role: user.role, practices: user.practices } });
  return created;
});

/** Validates and applies an admin's change to the account `email`; ends its sessions when it loses access or changes password. */
export async function updateAccount(store: Store, passwords: PasswordHasher, email: string, body: unknown, actor: string, now: Date): Promise<User> {
  const target = await store.findUserByEmail(email);
  if (!target) throw notFound('No such account');
  const parsed = userUpdateSchema.safeParse(body);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues, body));
  const input = parsed.data;
  const role = input.role ?? target.role;
  const practices = input.practices !== undefined || input.role !== undefined ? await checkPractices(store, role, input.practices ?? target.practices) : undefined;
  const passwordHash = input.password ? await passwords.hash(input.password) : undefined;
  // A password an admin sets is known to the admin: temporary until its holder chooses their own.
  const change: UserChange = { name: input.name, role: input.role, practices, disabled: input.disabled, passwordHash, ...(passwordHash ? { mustChangePassword: true } : {}) };
  const changed = Object.keys(input).filter((k) => k !== 'password').concat(passwordHash ? ['password'] : []);
  return store.transaction(changeAccount, { email: target.email, change, changed, actor, at: now.toISOString() });
}

const changeAccount = transaction(
  'user.update',
  async (tx, { email, change, changed, actor, at }: { email: string; change: UserChange; changed: string[]; actor: string; at: string }) => {
    const target = (await tx.findUserByEmail(email))!;
    const role = change.role ?? target.role;
    const losesAdmin = target.role === 'admin' && !target.disabled && (role !== 'admin' || change.disabled === true);
    // Counted inside the commit, so two admins disabling each other cannot both succeed.
    if (losesAdmin && (await tx.listUsers()).filter((u) => u.role === 'admin' && !u.disabled).length <= 1) {
      throw new ApiProblem(409, 'last_admin', 'This is the last active admin account');
    }
    const user = (await tx.updateUser(email, change))!;
    // A disabled account, a new password or a new role: whoever holds an old session must sign in again.
    if (change.disabled === true || change.passwordHash || (change.role && change.role !== target.role)) await tx.deleteUserSessions(user.id);
    await tx.audit({ at, actor, action: 'user_updated', target: user.email, details: { changed, role: user.role, practices: user.practices, disabled: user.disabled } });
    return user;
  },
);

export const passwordChangeSchema = z.strictObject({ current: secretText(1024), next: password });

/**
 * The account holder replaces their password (a temporary one an admin set, or their own): the current one is checked,
 * the new one must differ, the temporary flag is cleared, and every session of the account ends (the caller starts a
 * fresh one for the browser that made the change).
 */
export async function changeOwnPassword(store: Store, passwords: PasswordHasher, user: User, body: unknown, now: Date): Promise<User> {
  const parsed = passwordChangeSchema.safeParse(body);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues, body));
  const { current, next } = parsed.data;
  const held = await store.findUserByEmail(user.email);
  if (!held || !(await passwords.verify(current, held.passwordHash))) throw invalid({ current: 'wrong_password' });
  if (current === next) throw invalid({ next: 'same_password' });
  const passwordHash = await passwords.hash(next);
  return store.transaction(setOwnPassword, { email: user.email, passwordHash, at: now.toISOString() });
}

const setOwnPassword = transaction(
  'user.password',
  async (tx, { email, passwordHash, at }: { email: string; passwordHash: string; at: string }) => {
    const user = (await tx.updateUser(email, { passwordHash, mustChangePassword: false }))!;
    await tx.deleteUserSessions(user.id);
    await tx.audit({ at, actor: email, action: 'password_changed', target: email });
    return user;
  },
);
