/** Admins' view of the outbox: `GET /v1/outbox?state=dead` lists the messages that gave up, so someone can act on them. */
import * as z from 'zod/mini';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import type { OutboxItem } from '../../store/store.js';
import { instantSchema } from '../../../shared/schemas.js';
import { component, declareRoutes, queryChoice } from '../define.js';

const outboxItemSchema = component(
  'OutboxItem',
  z.object({
    id: z.int(),
    channel: z.enum(['email', 'sms']),
    recipient: z.string(),
    /** Why it was written: `confirmation`, `practitioner_message`, `tried_to_reach`… */
    purpose: z.string(),
    practice: z.nullable(z.string()),
    callbackId: z.nullable(z.int()),
    state: z.enum(['pending', 'sent', 'dead']),
    tries: z.int(),
    lastError: z.nullable(z.string()),
    nextAttemptAt: instantSchema,
    createdAt: instantSchema,
  }),
);
const outboxListSchema = component('OutboxList', z.object({ items: z.array(outboxItemSchema) }));

// Sent messages are history, unbounded; the actionable states are the ones listed.
const outboxQuery = z.object({ state: queryChoice(['dead', 'pending'], 'dead', '`dead`: gave up after the last retry; `pending`: still to be sent') });

/** An outbox row as admins see it: where it was going and why it failed, not its text. */
function outboxItem(item: OutboxItem): z.infer<typeof outboxItemSchema> {
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
  const { app, route } = declareRoutes<AppEnv>(deps);
  route(
    {
      method: 'get',
      path: '/v1/outbox',
      summary: 'Undelivered messages',
      session: ['admin'],
      query: outboxQuery,
      responses: { 200: { description: 'The messages in that state, without their text', schema: outboxListSchema } },
    },
    async (c) => c.json({ items: (await deps.store.listOutbox(c.req.valid('query').state)).map(outboxItem) }),
  );
  return app;
}
