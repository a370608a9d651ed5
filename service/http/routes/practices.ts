/** Practice administration: `GET|POST /v1/practices`, `GET|PUT /v1/practices/:slug` (the SPEC practice record, hours validated, operators assigned). */
import { Hono } from 'hono';
import type { AppEnv, Deps } from '../../context.js';
import { notFound } from '../../errors.js';
import { jsonBodyLimit, readJson } from '../body.js';
import { operatorsOf, parsePractice, savePractice } from '../../domain/practices.js';
import { assertPracticeAccess, requireSession, visiblePractices } from '../../auth/session.js';

export function practiceRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const admins = requireSession(deps, ['admin']);

  app.get('/v1/practices', requireSession(deps), async (c) => {
    const visible = visiblePractices(c.get('user'));
    const items = (await deps.store.listPractices()).filter((p) => !visible || visible.includes(p.slug));
    return c.json({ items });
  });

  app.post('/v1/practices', admins, jsonBodyLimit(64 * 1024), async (c) => {
    const { practice, operators } = await parsePractice(deps.store, await readJson(c));
    const saved = await deps.store.transaction(savePractice, { practice, operators, mode: 'create', actor: c.get('user').email, now: deps.now().toISOString() });
    return c.json(saved, 201);
  });

  app.get('/v1/practices/:slug', requireSession(deps), async (c) => {
    const user = c.get('user');
    const slug = c.req.param('slug');
    assertPracticeAccess(user, slug);
    const practice = await deps.store.getPractice(slug);
    if (!practice) throw notFound('No such practice');
    return c.json(user.role === 'admin' ? { ...practice, operators: await operatorsOf(deps.store, slug) } : practice);
  });

  app.put('/v1/practices/:slug', admins, jsonBodyLimit(64 * 1024), async (c) => {
    const slug = c.req.param('slug');
    if (!(await deps.store.getPractice(slug))) throw notFound('No such practice');
    const { practice, operators } = await parsePractice(deps.store, await readJson(c), slug);
    const saved = await deps.store.transaction(savePractice, { practice, operators, mode: 'update', actor: c.get('user').email, now: deps.now().toISOString() });
    return c.json(saved);
  });

  return app;
}
