/** Accounts (admin): `GET|POST /v1/users`, `PUT /v1/users/:email` (role, practices, disabled: disabling ends every session at once). */
import * as z from 'zod/mini';
import type { AppEnv, Deps } from '../../context.js';
import type { User } from '../../store/store.js';
import { createAccount, ROLES, updateAccount, userCreateSchema, userUpdateSchema } from '../../domain/users.js';
import { instantSchema } from '../../../shared/schemas.js';
import { component, declareRoutes } from '../define.js';

component('UserCreate', userCreateSchema);
component('UserUpdate', userUpdateSchema);

const userItemSchema = component(
  'User',
  z.object({
    id: z.int(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    /** The practices an operator or practitioner holds; none for admins, who see all. */
    practices: z.array(z.string()),
    disabled: z.boolean(),
    createdAt: instantSchema,
    /** The password is a temporary one an admin set, not yet replaced by its holder. */
    mustChangePassword: z.boolean(),
  }),
);
export type UserItem = z.infer<typeof userItemSchema>;
const userListSchema = component('UserList', z.object({ items: z.array(userItemSchema) }));

export const userItem = (u: User): UserItem => ({ id: u.id, email: u.email, name: u.name, role: u.role, practices: u.practices, disabled: u.disabled, createdAt: u.createdAt, mustChangePassword: u.mustChangePassword });

export function userRoutes(deps: Deps) {
  const { app, route } = declareRoutes<AppEnv>(deps);

  route({ method: 'get', path: '/v1/users', summary: 'Accounts', session: ['admin'], responses: { 200: { description: 'Every account', schema: userListSchema } } }, async (c) =>
    c.json({ items: (await deps.store.listUsers()).map(userItem) }),
  );

  // The accounts' bodies are validated by domain/users.ts, which `user add` shares.
  route(
    {
      method: 'post',
      path: '/v1/users',
      summary: 'Create an account',
      session: ['admin'],
      body: { schema: userCreateSchema, maxBytes: 8 * 1024, validate: false },
      responses: { 201: { description: 'Created', schema: userItemSchema } },
      errors: [409],
    },
    async (c) => {
      const user = await createAccount(deps.store, deps.passwords, c.req.valid('json'), c.get('user').email, deps.now());
      return c.json(userItem(user), 201);
    },
  );

  route(
    {
      method: 'put',
      path: '/v1/users/:email',
      summary: 'Change an account’s name, role, practices, password, or disable it',
      description:
        'Disabling an account, changing its role or its password ends its sessions at once. A password set here is temporary: its holder must choose their own (`POST /v1/me/password`) before anything else.',
      session: ['admin'],
      body: { schema: userUpdateSchema, maxBytes: 8 * 1024, validate: false },
      responses: { 200: { description: 'Saved', schema: userItemSchema } },
      errors: [404, 409],
    },
    async (c) => {
      const user = await updateAccount(deps.store, deps.passwords, c.req.param('email'), c.req.valid('json'), c.get('user').email, deps.now());
      return c.json(userItem(user));
    },
  );

  return app;
}
