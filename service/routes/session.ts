/** Console sign-in: `POST /v1/session`, `DELETE /v1/session`, `GET /v1/me`. */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { Deps } from '../app.js';
import type { AppEnv } from '../context.js';
import { ApiProblem, invalid } from '../errors.js';
import { jsonBodyLimit, readJson } from '../body.js';
import { fieldErrors } from '../../shared/schemas.js';
import { endSession, requireSession, startSession } from '../auth/session.js';

export const loginSchema = z.strictObject({ email: z.string().check(z.trim(), z.minLength(3), z.maxLength(254)), password: z.string().check(z.minLength(1), z.maxLength(1024)) });

export function sessionRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  // Made once, with the real parameters, and verified for unknown accounts so that timing does not reveal which emails exist.
  let dummyHash: Promise<string> | undefined;

  app.post('/v1/session', jsonBodyLimit(4 * 1024), async (c) => {
    const parsed = loginSchema.safeParse(await readJson(c));
    if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues));
    const { email, password } = parsed.data;
    const user = deps.store.findUserByEmail(email);
    const ok = await deps.passwords.verify(password, user?.passwordHash ?? (await (dummyHash ??= deps.passwords.hash('not-a-password'))));
    const now = deps.now().toISOString();
    if (!user || !ok || user.disabled) {
      deps.store.audit({ at: now, actor: email.toLowerCase(), action: 'login_failed' });
      throw new ApiProblem(401, 'invalid_credentials', 'Wrong email or password');
    }
    startSession(deps, c, user);
    deps.store.audit({ at: now, actor: user.email, action: 'login' });
    return c.body(null, 204);
  });

  app.delete('/v1/session', requireSession(deps), (c) => {
    deps.store.audit({ at: deps.now().toISOString(), actor: c.get('user').email, action: 'logout' });
    endSession(deps, c);
    return c.body(null, 204);
  });

  app.get('/v1/me', requireSession(deps), (c) => {
    const { id: _id, ...user } = c.get('user');
    return c.json({ ...user, csrfToken: c.get('csrf') });
  });

  return app;
}
