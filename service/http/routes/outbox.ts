/**
 * Admins' view of the outbox: `GET /v1/outbox?state=dead` lists the messages that gave up, so someone can act on them;
 * `POST /v1/outbox/:id/retry` tries one again at once.
 */
import * as z from 'zod/mini';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import type { OutboxItem } from '../../store/store.js';
import { ApiProblem, notFound } from '../../errors.js';
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

const outboxRetrySchema = component(
  'OutboxRetry',
  z.object({
    id: z.int(),
    /** `sent`: delivered now; `failed`: the server refused again, `error` says why. */
    outcome: z.enum(['sent', 'failed']),
    /** Where the message is left: `sent`, `pending` (tried again on the schedule) or `dead`. */
    state: z.enum(['pending', 'sent', 'dead']),
    error: z.optional(z.string()),
  }),
);

export type OutboxRetry = z.infer<typeof outboxRetrySchema>;

/** Seconds to wait when every slot of the message's channel is taken: a slot frees within a send's timeout (10 s). */
const BUSY_RETRY_AFTER_S = 10;

// Sent messages are history, unbounded; the actionable states are the ones listed.
const outboxQuery = z.object({ state: queryChoice(['dead', 'pending'], 'dead', '`dead`: gave up after the last retry; `pending`: still to be sent') });

/** An outbox row as admins see it: where it was going and why it failed, not its text. */
export function outboxItem(item: OutboxItem): z.infer<typeof outboxItemSchema> {
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

  route(
    {
      method: 'post',
      path: '/v1/outbox/:id/retry',
      summary: 'Try an undelivered message again now',
      description:
        'Tries a pending or dead message at once, whatever its schedule, and answers once the try is over (bounded by the ' +
        'senders’ timeouts). A dead message that fails again stays dead with the new error. Audited as `outbox_retry` with ' +
        'the message’s id, never its recipient or text. 404: already sent, purged or unknown; 409 `in_flight`: being sent ' +
        'right now; 503 `busy`: every slot of its channel is taken by a slow server, nothing was tried (see `Retry-After`).',
      session: ['admin'],
      responses: { 200: { description: 'The try’s outcome and the state the message is left in', schema: outboxRetrySchema } },
      errors: [404, 409, 503],
    },
    async (c) => {
      const param = c.req.param('id');
      const gone = () => notFound('No pending or undelivered message has this id: already sent, purged, or unknown');
      if (!/^\d{1,15}$/.test(param)) throw gone();
      const id = Number(param);
      const result = await deps.retryOutbox(id);
      switch (result.outcome) {
        case 'not_found':
          throw gone();
        case 'in_flight':
          throw new ApiProblem(409, 'in_flight', 'This message is being sent right now');
        case 'busy':
          throw new ApiProblem(503, 'busy', 'Every slot of this channel is taken by a slow server; nothing was tried. Try again shortly.', undefined, {
            'Retry-After': String(BUSY_RETRY_AFTER_S),
          });
      }
      const answer: OutboxRetry =
        result.outcome === 'sent' ? { id, outcome: 'sent', state: 'sent' } : { id, outcome: 'failed', state: result.state, error: result.error };
      // Who tried which message and what came of it; the recipient and the text stay out of the audit.
      await deps.store.audit({
        at: deps.now().toISOString(),
        actor: c.get('user').email,
        action: 'outbox_retry',
        target: String(answer.id),
        details: { delivery: answer.outcome, messageState: answer.state },
      });
      return c.json(answer);
    },
  );
  return app;
}
