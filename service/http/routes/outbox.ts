/** Admins' view of the outbox: `GET /v1/outbox?state=dead` lists the messages that gave up, so someone can act on them. */
import { Hono } from 'hono';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import { invalid } from '../../errors.js';
import { requireSession } from '../../auth/session.js';
import type { OutboxItem } from '../../store/store.js';

/** An outbox row as admins see it: where it was going and why it failed, not its text. */
function outboxItem(item: OutboxItem) {
  return {
    id: item.id,
    channel: item.channel,
    recipient: item.recipient,
    purpose: item.purpose,
    practice: item.practice ?? null,
    callbackId: item.callbackId ?? null,
    state: item.state,
    tries: item.tries,
    lastError: item.lastError,
    nextAttemptAt: item.nextAttemptAt,
    createdAt: item.createdAt,
  };
}

export function outboxRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.get('/v1/outbox', requireSession(deps, ['admin']), async (c) => {
    const state = c.req.query('state') ?? 'dead';
    // Sent messages are history, unbounded; the actionable states are the ones listed.
    if (state !== 'dead' && state !== 'pending') throw invalid({ state: 'invalid' });
    return c.json({ items: (await deps.store.listOutbox(state)).map(outboxItem) });
  });
  return app;
}
