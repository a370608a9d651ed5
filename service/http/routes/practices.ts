/** Practice administration: `GET|POST /v1/practices`, `GET|PUT /v1/practices/:slug` (the SPEC practice record, hours validated, operators assigned). */
import { Hono } from 'hono';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import { ApiProblem, notFound } from '../../errors.js';
import { jsonBodyLimit, readJson } from '../body.js';
import { parsePractice } from '../../domain/practices.js';
import { assertPracticeAccess, requireSession, visiblePractices } from '../../auth/session.js';
import type { Practice, User } from '../../store/store.js';

/** Gives the practice to exactly these operators (and takes it from the other operators). */
function assignOperators(deps: Deps, slug: string, operators: User[]): void {
  const chosen = new Set(operators.map((u) => u.id));
  for (const user of deps.store.listUsers()) {
    if (user.role !== 'operator') continue;
    const has = user.practices.includes(slug);
    if (chosen.has(user.id) && !has) deps.store.updateUser(user.email, { practices: [...user.practices, slug] });
    if (!chosen.has(user.id) && has) deps.store.updateUser(user.email, { practices: user.practices.filter((p) => p !== slug) });
  }
}

const operatorsOf = (deps: Deps, slug: string) =>
  deps.store
    .listUsers()
    .filter((u) => u.role === 'operator' && u.practices.includes(slug))
    .map((u) => u.email);

/** Top-level keys whose value changed: what the audit log records of an edit (never the values). */
function changedKeys(before: Practice, after: Practice): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k as keyof Practice]) !== JSON.stringify(after[k as keyof Practice])).sort();
}

export function practiceRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const admins = requireSession(deps, ['admin']);

  app.get('/v1/practices', requireSession(deps), (c) => {
    const visible = visiblePractices(c.get('user'));
    const items = deps.store.listPractices().filter((p) => !visible || visible.includes(p.slug));
    return c.json({ items });
  });

  app.post('/v1/practices', admins, jsonBodyLimit(64 * 1024), async (c) => {
    const { practice, operators } = parsePractice(deps.store, await readJson(c));
    const now = deps.now().toISOString();
    const actor = c.get('user').email;
    deps.store.transaction(() => {
      if (deps.store.getPractice(practice.slug)) throw new ApiProblem(409, 'exists', 'A practice with this slug already exists', { slug: 'invalid' });
      deps.store.savePractice(practice, now);
      if (operators) assignOperators(deps, practice.slug, operators);
      deps.store.audit({ at: now, actor, action: 'practice_created', practice: practice.slug, target: practice.slug });
    });
    return c.json({ ...practice, operators: operatorsOf(deps, practice.slug) }, 201);
  });

  app.get('/v1/practices/:slug', requireSession(deps), (c) => {
    const user = c.get('user');
    const slug = c.req.param('slug');
    assertPracticeAccess(user, slug);
    const practice = deps.store.getPractice(slug);
    if (!practice) throw notFound('No such practice');
    return c.json(user.role === 'admin' ? { ...practice, operators: operatorsOf(deps, slug) } : practice);
  });

  app.put('/v1/practices/:slug', admins, jsonBodyLimit(64 * 1024), async (c) => {
    const slug = c.req.param('slug');
    const before = deps.store.getPractice(slug);
    if (!before) throw notFound('No such practice');
    const { practice, operators } = parsePractice(deps.store, await readJson(c), slug);
    const now = deps.now().toISOString();
    deps.store.transaction(() => {
      const previousOperators = operatorsOf(deps, slug);
      deps.store.savePractice(practice, now);
      if (operators) assignOperators(deps, slug, operators);
      const changed = changedKeys(before, practice);
      const nowOperators = operatorsOf(deps, slug);
      if (JSON.stringify(previousOperators) !== JSON.stringify(nowOperators)) changed.push('operators');
      deps.store.audit({ at: now, actor: c.get('user').email, action: 'practice_updated', practice: slug, target: slug, details: { changed } });
    });
    return c.json({ ...practice, operators: operatorsOf(deps, slug) });
  });

  return app;
}
