/**
 * Console sessions: an opaque cookie (256 random bits; only its hash is stored), new at
 * each login, idle timeout 30 minutes, absolute 8 hours, dead at logout or when the
 * account is disabled. State-changing requests also need the session's CSRF token.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createHash } from 'node:crypto';
import type { Deps } from '../context.js';
import type { AppEnv } from '../context.js';
import { ApiProblem } from '../errors.js';
import { randomToken, safeEqual } from '../crypto.js';
import type { Role, User } from '../store/store.js';

export const SESSION_COOKIE = 'permanence_session';
const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 8 * 60 * 60_000;
const TOUCH_EVERY_MS = 15_000;

const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');
const secure = (deps: Deps) => deps.config.publicUrl.startsWith('https:');

/** Starts a fresh session for `user` and sets its cookie; returns the CSRF token. */
export async function startSession(deps: Deps, c: Context, user: User): Promise<string> {
  const id = randomToken(32);
  const csrf = randomToken(24);
  await deps.store.createSession(hashId(id), user.id, csrf, deps.now().toISOString());
  setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Strict', secure: secure(deps), path: '/', maxAge: ABSOLUTE_MS / 1000 });
  return csrf;
}

export async function endSession(deps: Deps, c: Context): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) await deps.store.deleteSession(hashId(id));
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(deps) });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What a session whose account must change its password may still reach: who it is, signing out, and the change itself. */
const PASSWORD_CHANGE_PATHS = new Set(['/v1/me', '/v1/session', '/v1/me/password']);

/** The session behind this cookie value and its account, if both are alive (not idle, not too old, not disabled). */
async function liveSession(deps: Deps, id: string | undefined) {
  const session = id ? await deps.store.getSession(hashId(id)) : undefined;
  if (!session) return undefined;
  const now = deps.now().getTime();
  if (now - Date.parse(session.seenAt) > IDLE_MS || now - Date.parse(session.createdAt) > ABSOLUTE_MS) return undefined;
  const user = await deps.store.getUser(session.userId);
  return user && !user.disabled ? { session, user, now } : undefined;
}

/** Lets the request through only with a live session (and, for writes, the CSRF header); `roles` narrows further. */
export function requireSession(deps: Deps, roles?: Role[]): MiddlewareHandler<AppEnv> {
  return async function requireSessionHandler(c, next) {
    const id = getCookie(c, SESSION_COOKIE);
    const live = await liveSession(deps, id);
    if (!live) {
      if (id) await deps.store.deleteSession(hashId(id));
      throw new ApiProblem(401, 'unauthenticated', 'Please sign in');
    }
    const { session, user, now } = live;
    if (!SAFE_METHODS.has(c.req.method) && !safeEqual(session.csrf, c.req.header('X-CSRF-Token') ?? '')) {
      throw new ApiProblem(403, 'csrf', 'Missing or wrong CSRF token: reload the page');
    }
    // A temporary password (set by an admin) opens only what it takes to replace it.
    if (user.mustChangePassword && !PASSWORD_CHANGE_PATHS.has(c.req.path)) {
      throw new ApiProblem(403, 'password_change_required', 'Choose a new password first: POST /v1/me/password');
    }
    if (roles && !roles.includes(user.role)) throw new ApiProblem(403, 'forbidden', 'Your role does not allow this');
    // Renewed at most every 15 s: each renewal is a disk write (synchronous=FULL), and idle expiry needs no finer grain.
    if (now - Date.parse(session.seenAt) >= TOUCH_EVERY_MS) await deps.store.touchSession(hashId(id!), new Date(now).toISOString());
    c.set('user', user);
    c.set('csrf', session.csrf);
    // Answers behind a session hold patients' details: no browser or proxy cache may keep them.
    c.header('Cache-Control', 'no-store');
    await next();
  };
}

/**
 * The user behind this request's session if it is still alive, without renewing it: a stream
 * left open (Server-Sent Events) is not activity, so it must not keep an idle session alive.
 */
export async function liveSessionUser(deps: Deps, c: Context): Promise<User | undefined> {
  return (await liveSession(deps, getCookie(c, SESSION_COOKIE)))?.user;
}

/** Whether `user` may see the data of this practice. */
export function canSeePractice(user: User, practice: string): boolean {
  return user.role === 'admin' || user.practices.includes(practice);
}

/** Practices the user may see: admins all (undefined), others their assigned list. */
export function visiblePractices(user: User): string[] | undefined {
  return user.role === 'admin' ? undefined : user.practices;
}

/** Refuses access to a practice the user is not assigned to, with the same 404 as an unknown one. */
export function assertPracticeAccess(user: User, practice: string): void {
  if (!canSeePractice(user, practice)) throw new ApiProblem(404, 'not_found', 'No such resource');
}
