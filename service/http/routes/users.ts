/** Accounts (admin): `GET|POST /v1/users`, `PUT /v1/users/:email` (role, practices, disabled: disabling ends every session at once). */
import { Hono } from 'hono';
import type { AppEnv, Deps } from '../../context.js';
import { jsonBodyLimit, readJson } from '../body.js';
import { requireSession } from '../../auth/session.js';
import type { User } from '../../store/store.js';
import { createAccount, updateAccount } from '../../domain/users.js';

export const userItem = (u: User) => ({ id: u.id, email: u.email, name: u.name, role: u.role, practices: u.practices, disabled: u.disabled, createdAt: u.createdAt });

export function userRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const admins = requireSession(deps, ['admin']);

  app.get('/v1/users', admins, async (c) => c.json({ items: (await deps.store.listUsers()).map(userItem) }));

  app.post('/v1/users', admins, jsonBodyLimit(8 * 1024), async (c) => {
    const user = await createAccount(deps.store, deps.passwords, await readJson(c), c.get('user').email, deps.now());
    return c.json(userItem(user), 201);
  });

  app.put('/v1/users/:email', admins, jsonBodyLimit(8 * 1024), async (c) => {
    const user = await updateAccount(deps.store, deps.passwords, c.req.param('email'), await readJson(c), c.get('user').email, deps.now());
    return c.json(userItem(user));
  });

  return app;
}
