/** `GET /v1/audit` (admin): who did what and when, newest first; `before` pages back by id. Never holds a reason text. */
import * as z from 'zod/mini';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import type { AuditEntry } from '../../store/store.js';
import { instantSchema } from '../../../shared/schemas.js';
import { component, declareRoutes, queryInt, queryText } from '../define.js';

const auditEntrySchema = component(
  'AuditEntry',
  z.object({
    id: z.int(),
    at: instantSchema,
    /** The account's email; null for the patient or the system. */
    actor: z.nullable(z.string()),
    action: z.string(),
    practice: z.nullable(z.string()),
    /** What was acted on: a request's reference, an account's email, a practice's slug. */
    target: z.nullable(z.string()),
    /** Identifiers and counts, never a health detail. */
    details: z.nullable(z.record(z.string(), z.unknown())),
  }),
);
const auditPageSchema = component('AuditPage', z.object({ items: z.array(auditEntrySchema), next: z.nullable(z.int()) }));

const auditQuery = z.object({
  limit: z._default(queryInt(1, 1000, 'Entries per page: 1 to 1000, 200 when absent'), 200),
  before: z.optional(queryInt(0, Number.MAX_SAFE_INTEGER, 'Entries older than this id: the `next` of the previous page')),
  action: queryText('Only this action, such as `login_failed`'),
  actor: queryText('Only this account’s email'),
  practice: queryText('Only this practice'),
});

export function auditRoutes(deps: Deps) {
  const { app, route } = declareRoutes<AppEnv>(deps);

  route(
    {
      method: 'get',
      path: '/v1/audit',
      summary: 'Audit log',
      session: ['admin'],
      query: auditQuery,
      responses: { 200: { description: 'One page, newest first; `next` is the `before` of the following page, null on the last', schema: auditPageSchema } },
    },
    async (c) => {
      const { limit, ...filter } = c.req.valid('query');
      const items: AuditEntry[] = await deps.store.listAudit({ limit, ...filter });
      return c.json({ items, next: items.length === limit ? items.at(-1)!.id : null });
    },
  );

  return app;
}
