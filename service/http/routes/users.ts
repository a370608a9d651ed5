/** Accounts (admin): `GET|POST /v1/users`, `PUT /v1/users/:email` (role, practices, disabled: disabling ends every session at once). */
import { Hono } from 'hono';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import { ApiProblem, invalid, notFound } from '../../errors.js';
import { jsonBodyLimit, readJson } from '../body.js';
import { fieldErrors } from '../../../shared/schemas.js';
import { requireSession } from '../../auth/session.js';
import type { User } from '../../store/store.js';
import { checkPractices, createAccount, userUpdateSchema } from '../../domain/users.js';

export const userItem = (u: User) => ({ id: u.id, email: u.email, name: u.name, role: u.role, practices: u.practices, disabled: u.disabled, createdAt: u.createdAt });

const activeAdmins = (deps: Deps) => deps.store.listUsers().filter((u) => u.role === 'admin' && !u.disabled).length;

export function userRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const admins = requireSession(deps, ['admin']);

  app.get('/v1/users', admins, (c) => c.json({ items: deps.store.listUsers().map(userItem) }));

  app.post('/v1/users', admins, jsonBodyLimit(8 * 1024), async (c) => {
    const user = await createAccount(deps.store, deps.passwords, await readJson(c), c.get('user').email, deps.now());
    return c.json(userItem(user), 201);
  });

  app.put('/v1/users/:email', admins, jsonBodyLimit(8 * 1024), async (c) => {
    const target = deps.store.findUserByEmail(c.req.param('email'));
    if (!target) throw notFound('No such account');
    const body = await readJson(c);
    const parsed = userUpdateSchema.safeParse(body);
    if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues, body));
    const change = parsed.data;
    const role = change.role ?? target.role;
    const slugs = change.practices !== undefined || change.role !== undefined ? checkPractices(deps.store, role, change.practices ?? target.practices) : undefined;
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
