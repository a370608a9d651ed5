/** Practice administration: `GET|POST /v1/practices`, `GET|PUT /v1/practices/:slug` (the SPEC practice record, hours validated, operators assigned). */
import * as z from 'zod/mini';
import type { AppEnv, Deps } from '../../context.js';
import { notFound } from '../../errors.js';
import { operatorsOf, parsePractice, practiceRecordSchema, practiceSchema, savePractice, type PracticeRecord } from '../../domain/practices.js';
import { hoursSchema } from '../../../shared/hours-schema.js';
import { assertPracticeAccess, visiblePractices } from '../../auth/session.js';
import { component, declareRoutes } from '../define.js';

component('Practice', practiceSchema);
component('PracticeRecord', practiceRecordSchema);
component('Hours', hoursSchema);
const practiceListSchema = component('PracticeList', z.object({ items: z.array(practiceRecordSchema) }));

/** The practice record is validated by `parsePractice`, shared with `practice import`: it also checks the hours and the operators. */
const practiceBody = { schema: practiceSchema, maxBytes: 64 * 1024, validate: false } as const;

export function practiceRoutes(deps: Deps) {
  const { app, route } = declareRoutes<AppEnv>(deps);

  route(
    {
      method: 'get',
      path: '/v1/practices',
      summary: 'Practices',
      session: 'any',
      responses: { 200: { description: 'The practices this account may see', schema: practiceListSchema } },
    },
    async (c) => {
      const visible = visiblePractices(c.get('user'));
      const items: PracticeRecord[] = (await deps.store.listPractices()).filter((p) => !visible || visible.includes(p.slug));
      return c.json({ items });
    },
  );

  route(
    {
      method: 'post',
      path: '/v1/practices',
      summary: 'Create a practice',
      session: ['admin'],
      body: practiceBody,
      responses: { 201: { description: 'Created, with its operators', schema: practiceRecordSchema } },
      errors: [409],
    },
    async (c) => {
      const { practice, operators } = await parsePractice(deps.store, c.req.valid('json'));
      const saved = await deps.store.transaction(savePractice, { practice, operators, mode: 'create', actor: c.get('user').email, now: deps.now().toISOString() });
      return c.json(saved, 201);
    },
  );

  route(
    {
      method: 'get',
      path: '/v1/practices/:slug',
      summary: 'A practice',
      session: 'any',
      responses: { 200: { description: 'The practice; with its operators for admins', schema: practiceRecordSchema } },
      errors: [404],
    },
    async (c) => {
      const user = c.get('user');
      const slug = c.req.param('slug');
      assertPracticeAccess(user, slug);
      const practice = await deps.store.getPractice(slug);
      if (!practice) throw notFound('No such practice');
      const record: PracticeRecord = user.role === 'admin' ? { ...practice, operators: await operatorsOf(deps.store, slug) } : practice;
      return c.json(record);
    },
  );

  route(
    {
      method: 'put',
      path: '/v1/practices/:slug',
      summary: 'Edit a practice',
      description: '`slug` may be left out; given, it must be the one in the path. Without `instructions` (or `operatorInstructions`) the practice keeps its own; without `operators` its assignments stay.',
      session: ['admin'],
      body: practiceBody,
      responses: { 200: { description: 'Saved, with its operators', schema: practiceRecordSchema } },
      errors: [404],
    },
    async (c) => {
      const slug = c.req.param('slug');
      if (!(await deps.store.getPractice(slug))) throw notFound('No such practice');
      const { practice, operators } = await parsePractice(deps.store, c.req.valid('json'), slug);
      const saved = await deps.store.transaction(savePractice, { practice, operators, mode: 'update', actor: c.get('user').email, now: deps.now().toISOString() });
      return c.json(saved);
    },
  );

  return app;
}
