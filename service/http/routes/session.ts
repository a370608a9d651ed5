/** Console sign-in: `POST /v1/session`, `DELETE /v1/session`, `GET /v1/me`. */
import * as z from 'zod/mini';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import { ApiProblem } from '../../errors.js';
import { endSession, startSession } from '../../auth/session.js';
import { changeOwnPassword, passwordChangeSchema, ROLES } from '../../domain/users.js';
import { instantSchema } from '../../../shared/schemas.js';
import { component, declareRoutes } from '../define.js';
import { secretText, singleLineText } from '../../../shared/text.js';
import { clientIp } from '../client-ip.js';
import { rateLimitKey } from '../../domain/rate-limit.js';
import { storedRateLimiter, type RateLimitVerdict } from '../../domain/rate-limit.js';
import { alertOwner, signinPlaces } from '../../domain/signin.js';
import { getCookie, setCookie } from 'hono/cookie';
import { randomToken } from '../../crypto.js';

/**
 * Sign-in brakes over 15 minutes: 5 failures per account from one address, 20 per address, and 100 per
 * account from anywhere; then 429 until the oldest failure ages out. The per-account brake stops a guessing
 * run spread over many addresses, but never its owner: an address or device the account has signed in from
 * before passes it (docs/security.md), and the owner is told by email, once an hour at most.
 */
const LOGIN_LIMITS = { perEmailAndIp: 5, perIp: 20, perEmail: 100, windowMs: 15 * 60_000 };
/** A random id the browser keeps for a year, so the owner's device is known even on a new network. */
const DEVICE_COOKIE = 'permanence_device';
const DEVICE_MAX_AGE_S = 400 * 24 * 3600;

const loginSchema = component(
  'Login',
  z.strictObject({ email: singleLineText(254, 3), password: secretText(1024) }),
);

/** `GET /v1/me`: the account without its id, the CSRF token every write sends back, and where practices load the widget from. */
const meSchema = component(
  'Me',
  z.object({
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    disabled: z.boolean(),
    practices: z.array(z.string()),
    createdAt: instantSchema,
    csrfToken: z.string(),
    publicUrl: z.string(),
    /** The password was set by an admin: every other route answers 403 `password_change_required` until `POST /v1/me/password`. */
    mustChangePassword: z.boolean(),
  }),
);
export type Me = z.infer<typeof meSchema>;

export function sessionRoutes(deps: Deps) {
  const { app, route } = declareRoutes<AppEnv>(deps);
  // Made once, with the real parameters, and verified for unknown accounts so that timing does not reveal which emails exist.
  let dummyHash: Promise<string> | undefined;
  // Each attempt counts as a failure from the moment it starts (forgiven on success), so parallel guesses
  // racing the slow password check cannot slip past a brake; someone who signs in often is never braked. The
  // store counts them, so guesses spread over several instances meet the same brakes.
  const windowMs = LOGIN_LIMITS.windowMs;
  const brakes = [
    { limiter: storedRateLimiter(deps.store, 'signin.account_address', { limit: LOGIN_LIMITS.perEmailAndIp, windowMs }), key: (email: string, ip: string) => `${email} ${ip}` },
    { limiter: storedRateLimiter(deps.store, 'signin.address', { limit: LOGIN_LIMITS.perIp, windowMs }), key: (_email: string, ip: string) => ip },
    { limiter: storedRateLimiter(deps.store, 'signin.account', { limit: LOGIN_LIMITS.perEmail, windowMs }), key: (email: string) => email },
  ];

  route(
    {
      method: 'post',
      path: '/v1/session',
      summary: 'Sign in',
      body: { schema: loginSchema, maxBytes: 4 * 1024 },
      responses: { 204: { description: 'Signed in: the session cookie is set; `GET /v1/me` gives the CSRF token' } },
      errors: [401, 429],
    },
    async (c) => {
      const { email, password } = c.req.valid('json');
      const started = deps.now();
      const emailKey = email.toLowerCase();
      const ipKey = rateLimitKey(clientIp(c, deps.config.trustProxy));
      const keys = brakes.map((b) => b.key(emailKey, ipKey));
      const verdicts = await Promise.all(brakes.map((b, i) => b.limiter.hit(keys[i]!, started)));
      const forgive = () => Promise.all(verdicts.map((v, i) => v.ok && brakes[i]!.limiter.forgive(keys[i]!, started)));
      const user = await deps.store.findUserByEmail(email);
      // The audit names an account only if it exists: what someone typed in the email box may be a password.
      const actor = user?.email ?? null;
      const places = signinPlaces(deps.sealer, ipKey, getCookie(c, DEVICE_COOKIE));
      const [perPair, perIp, perAccount] = verdicts as [RateLimitVerdict, RateLimitVerdict, RateLimitVerdict];
      // Only the per-account brake can be set off by strangers; the owner's known places pass it.
      const ownerPasses = !perAccount.ok && perPair.ok && perIp.ok && !!user && (await deps.store.knowsSigninPlace(user.id, places.known));
      if (!perAccount.ok && user && !ownerPasses && (await deps.store.transaction(alertOwner, { email: user.email, now: started.getTime() }))) deps.wakeOutbox();
      const wait = Math.max(0, ...verdicts.map((v, i) => (v.ok || (i === 2 && ownerPasses) ? 0 : v.retryAfterS)));
      if (wait) {
        await forgive();
        await deps.store.audit({ at: started.toISOString(), actor, action: 'login_throttled' });
        throw new ApiProblem(429, 'rate_limited', 'Too many failed sign-ins: wait a few minutes and try again', undefined, { 'Retry-After': String(wait) });
      }
      const ok = await deps.passwords.verify(password, user?.passwordHash ?? (await (dummyHash ??= deps.passwords.hash('not-a-password'))));
      const now = deps.now().toISOString();
      if (!user || !ok || user.disabled) {
        await deps.store.audit({ at: now, actor, action: 'login_failed' });
        throw new ApiProblem(401, 'invalid_credentials', 'Wrong email or password');
      }
      await forgive();
      await startSession(deps, c, user);
      const device = getCookie(c, DEVICE_COOKIE) ?? randomToken(24);
      setCookie(c, DEVICE_COOKIE, device, { httpOnly: true, sameSite: 'Strict', secure: deps.config.publicUrl.startsWith('https:'), path: '/v1/session', maxAge: DEVICE_MAX_AGE_S });
      await deps.store.rememberSigninPlaces(user.id, signinPlaces(deps.sealer, ipKey, device).remember, now);
      await deps.store.audit({ at: now, actor: user.email, action: 'login', ...(ownerPasses ? { details: { knownPlace: true } } : {}) });
      return c.body(null, 204);
    },
  );

  route({ method: 'delete', path: '/v1/session', summary: 'Sign out', session: 'any', responses: { 204: { description: 'Signed out; the cookie is cleared' } } }, async (c) => {
    await deps.store.audit({ at: deps.now().toISOString(), actor: c.get('user').email, action: 'logout' });
    await endSession(deps, c);
    return c.body(null, 204);
  });

  route({ method: 'get', path: '/v1/me', summary: 'The signed-in account and its CSRF token', session: 'any', responses: { 200: { description: 'The account', schema: meSchema } } }, async (c) => {
    const { id: _id, ...user } = c.get('user');
    // publicUrl: the address practices embed the widget from, for the console's snippet.
    const answer: Me = { ...user, csrfToken: c.get('csrf'), publicUrl: deps.config.publicUrl };
    return c.json(answer);
  });

  component('PasswordChange', passwordChangeSchema);
  route(
    {
      method: 'post',
      path: '/v1/me/password',
      summary: 'Choose a new password',
      description:
        'The current password, then the new one (12 characters or more). Clears a temporary password an admin set; every session of the account ends, and this browser gets a fresh one (read its CSRF token again from `GET /v1/me`).',
      session: 'any',
      body: { schema: passwordChangeSchema, maxBytes: 4 * 1024, validate: false },
      responses: { 204: { description: 'Changed: a new session cookie is set' } },
    },
    async (c) => {
      const user = await changeOwnPassword(deps.store, deps.passwords, c.get('user'), c.req.valid('json'), deps.now());
      await startSession(deps, c, user);
      return c.body(null, 204);
    },
  );

  return app;
}
