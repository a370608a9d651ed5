/** The operators' queue: `GET /v1/queue`, ordered red flags first, then urgency, due time and age. */
import { Hono } from 'hono';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import { invalid } from '../../errors.js';
import { assertPracticeAccess, requireSession, visiblePractices } from '../../auth/session.js';
import { releaseIdleClaims } from '../../domain/work.js';
import type { Callback, User } from '../../store/store.js';

/** Rows per answer: a screenful an operator works through, and a read that stays fast with 100,000 stored requests. */
const QUEUE_PAGE = 100;
const QUEUE_PAGE_MAX = 500;

/** A queue row as the API shows it; `claimedByName`/`claimedByMe` let the console say who holds it. */
export function queueItem(c: Callback, viewer: User, names: Map<number, string>) {
  return {
    ref: c.ref,
    practice: c.practice,
    name: c.name,
    phone: c.phone,
    reason: c.reason,
    urgency: c.urgency,
    redFlag: c.redFlag,
    suspect: c.suspect,
    state: c.state,
    dueAt: c.dueAt,
    createdAt: c.createdAt,
    closedAt: c.closedAt,
    claimedBy: c.claimedBy,
    claimedByName: c.claimedBy === null ? null : (names.get(c.claimedBy) ?? null),
    claimedByMe: c.claimedBy === viewer.id,
    attempts: c.attempts,
  };
}

export function queueRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.get('/v1/queue', requireSession(deps, ['admin', 'operator']), async (c) => {
    const user = c.get('user');
    const state = c.req.query('state') ?? 'open';
    if (state !== 'open' && state !== 'done' && state !== 'all') throw invalid({ state: 'invalid' });
    const limit = Number(c.req.query('limit') ?? QUEUE_PAGE);
    if (!Number.isInteger(limit) || limit < 1 || limit > QUEUE_PAGE_MAX) throw invalid({ limit: 'invalid' });
    const practice = c.req.query('practice') || undefined;
    if (practice) assertPracticeAccess(user, practice);
    // Claims idle for 10 minutes go back to the queue before anyone reads it (a sweep in server.ts covers quiet times).
    await releaseIdleClaims(deps);
    // One row more than asked tells whether there are more, without counting them all.
    const rows = await deps.store.listQueue({ practices: visiblePractices(user), practice, state, limit: limit + 1 });
    const holders = [...new Set(rows.map((r) => r.claimedBy).filter((id): id is number => id !== null))];
    const names = new Map(await Promise.all(holders.map(async (id) => [id, (await deps.store.getUser(id))?.name ?? ''] as const)));
    return c.json({ items: rows.slice(0, limit).map((r) => queueItem(r, user, names)), more: rows.length > limit });
  });
  return app;
}
