/** The operators' queue: `GET /v1/queue`, ordered red flags first, then urgency, due time and age. */
import { Hono } from 'hono';
import type { Deps } from '../app.js';
import type { AppEnv } from '../context.js';
import { invalid } from '../errors.js';
import { assertPracticeAccess, requireSession, visiblePractices } from '../auth/session.js';
import type { Callback } from '../store/store.js';

/** A queue row as the API shows it. */
export function queueItem(c: Callback) {
  return {
    ref: c.ref,
    practice: c.practice,
    name: c.name,
    phone: c.phone,
    reason: c.reason,
    urgency: c.urgency,
    redFlag: c.redFlag,
    state: c.state,
    dueAt: c.dueAt,
    createdAt: c.createdAt,
    claimedBy: c.claimedBy,
    attempts: c.attempts,
  };
}

export function queueRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.get('/v1/queue', requireSession(deps, ['admin', 'operator']), (c) => {
    const user = c.get('user');
    const state = c.req.query('state') ?? 'open';
    if (state !== 'open' && state !== 'done' && state !== 'all') throw invalid({ state: 'invalid' });
    const practice = c.req.query('practice') || undefined;
    if (practice) assertPracticeAccess(user, practice);
    const items = deps.store.listQueue({ practices: visiblePractices(user), practice, state });
    return c.json({ items: items.map(queueItem) });
  });
  return app;
}
