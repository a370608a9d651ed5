/** `GET /v1/audit` (admin): who did what and when, newest first; `before` pages back by id. Never holds a reason text. */
import { Hono } from 'hono';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import { invalid } from '../../errors.js';
import { requireSession } from '../../auth/session.js';

export function auditRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();

  app.get('/v1/audit', requireSession(deps, ['admin']), async (c) => {
    const limit = Number(c.req.query('limit') ?? 200);
    const before = c.req.query('before');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalid({ limit: 'invalid' });
    if (before !== undefined && !/^\d+$/.test(before)) throw invalid({ before: 'invalid' });
    const items = await deps.store.listAudit({
      limit,
      before: before === undefined ? undefined : Number(before),
      action: c.req.query('action') || undefined,
      actor: c.req.query('actor') || undefined,
      practice: c.req.query('practice') || undefined,
    });
    return c.json({ items, next: items.length === limit ? items.at(-1)!.id : null });
  });

  return app;
}
