/** Accounts (admin): `GET|POST /v1/users`, `PUT /v1/users/:email` (role, practices, disabled: disabling ends every session at once). */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { Deps } from '../app.js';
import type { AppEnv } from '../context.js';
import { ApiProblem, invalid, notFound } from '../errors.js';
import { jsonBodyLimit, readJson } from '../body.js';
import { fieldErrors } from '../../shared/schemas.js';
import { requireSession } from '../auth/session.js';
import type { Role, User } from '../store/store.js';

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

export const userItem = (u: User) => ({ id: u.id, email: u.email, name: u.name, role: u.role, practices: u.practices, disabled: u.disabled, createdAt: u.createdAt });

/** Practices an account of `role` holds: admins see all so hold none; a practitioner belongs to at least one. */
function checkPractices(deps: Deps, role: Role, slugs: string[]): string[] {
  if (role === 'admin') return [];
  const unique = [...new Set(slugs)];
  if (unique.some((slug) => !deps.store.getPractice(slug))) throw invalid({ practices: 'invalid' });
  if (role === 'practitioner' && unique.length === 0) throw invalid({ practices: 'required' });
  return unique;
}

const activeAdmins = (deps: Deps) => deps.store.listUsers().filter((u) => u.role === 'admin' && !u.disabled).length;

export function userRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const admins = requireSession(deps, ['admin']);

  app.get('/v1/users', admins, (c) => c.json({ items: deps.store.listUsers().map(userItem) }));

  app.post('/v1/users', admins, jsonBodyLimit(8 * 1024), async (c) => {
    const parsed = userCreateSchema.safeParse(await readJson(c));
    if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues));
    const input = parsed.data;
    const email = input.email.toLowerCase();
    const slugs = checkPractices(deps, input.role, input.practices ?? []);
    if (deps.store.findUserByEmail(email)) throw new ApiProblem(409, 'exists', 'An account with this email already exists', { email: 'invalid' });
    const passwordHash = await deps.passwords.hash(input.password);
    const now = deps.now().toISOString();
    const user = deps.store.transaction(() => {
      // Checked again inside the commit: hashing took time and someone may have taken the email meanwhile.
      if (deps.store.findUserByEmail(email)) throw new ApiProblem(409, 'exists', 'An account with this email already exists', { email: 'invalid' });
      const created = deps.store.createUser({ email, name: input.name, role: input.role, practices: slugs, passwordHash }, now);
      deps.store.audit({ at: now, actor: c.get('user').email, action: 'user_created', target: email, details: { role: input.role, practices: slugs } });
      return created;
    });
    return c.json(userItem(user), 201);
  });

  app.put('/v1/users/:email', admins, jsonBodyLimit(8 * 1024), async (c) => {
    const target = deps.store.findUserByEmail(c.req.param('email'));
    if (!target) throw notFound('No such account');
    const parsed = userUpdateSchema.safeParse(await readJson(c));
    if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues));
    const change = parsed.data;
    const role = change.role ?? target.role;
    const slugs = change.practices !== undefined || change.role !== undefined ? checkPractices(deps, role, change.practices ?? target.practices) : undefined;
    const losesAdmin = target.role === 'admin' && !target.disabled && (role !== 'admin' || change.disabled === true);
    if (losesAdmin && activeAdmins(deps) <= 1) throw new ApiProblem(409, 'last_admin', 'This is the last active admin account');
    const passwordHash = change.password ? await deps.passwords.hash(change.password) : undefined;
    const now = deps.now().toISOString();
    const updated = deps.store.transaction(() => {
      const user = deps.store.updateUser(target.email, { name: change.name, role: change.role, practices: slugs, disabled: change.disabled, passwordHash })!;
      // A disabled account, a new password or a new role: whoever holds an old session must sign in again.
      if (change.disabled === true || passwordHash || (change.role && change.role !== target.role)) deps.store.deleteUserSessions(user.id);
      const changed = Object.keys(change).filter((k) => k !== 'password');
      deps.store.audit({
        at: now,
        actor: c.get('user').email,
        action: 'user_updated',
        target: user.email,
        details: { changed: passwordHash ? [...changed, 'password'] : changed, role: user.role, practices: user.practices, disabled: user.disabled },
      });
      return user;
    });
    return c.json(userItem(updated));
  });

  return app;
}
