/** The operators' queue: `GET /v1/queue`, ordered red flags first, then urgency, due time and age. */
import * as z from 'zod/mini';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import { assertPracticeAccess, visiblePractices } from '../../auth/session.js';
import { reasonEntrySchema, releaseIdleClaims } from '../../domain/work.js';
import type { Callback, QueueSearch, User } from '../../store/store.js';
import { formatPhoneNational, parsePhone } from '../../../shared/phone.js';
import { CALLBACK_STATES, URGENCIES } from '../../../shared/callback.js';
import { instantSchema } from '../../../shared/schemas.js';
import { reasonEntries } from '../../../shared/merged-reason.js';
import { component, declareRoutes, queryChoice, queryFlag, queryInt, queryText } from '../define.js';

/** Rows per answer: a screenful an operator works through, and a read that stays fast with 100,000 stored requests. */
const QUEUE_PAGE = 100;
const QUEUE_PAGE_MAX = 500;

const queueItemSchema = component(
  'QueueItem',
  z.object({
    ref: z.string(),
    practice: z.string(),
    name: z.string(),
    /** E.164. */
    phone: z.string(),
    /** As an operator reads it aloud: `06 12 34 56 78`. */
    phoneNational: z.string(),
    /** As stored, repeats under separator lines; `reasonEntries` to show it. */
    reason: z.string(),
    reasonEntries: z.array(reasonEntrySchema),
    urgency: z.enum(URGENCIES),
    redFlag: z.boolean(),
    /** `escalation`: a practitioner to call about an unacknowledged urgent message; shown above every patient. */
    kind: z.enum(['patient', 'escalation']),
    /** Sent back faster than a person fills the form: queued only because it read as an emergency. */
    suspect: z.boolean(),
    state: z.enum(CALLBACK_STATES),
    dueAt: instantSchema,
    createdAt: instantSchema,
    closedAt: z.nullable(instantSchema),
    /** The holder's account id, and `claimedByName`/`claimedByMe` so the console can say who holds it. */
    claimedBy: z.nullable(z.int()),
    claimedByName: z.nullable(z.string()),
    claimedByMe: z.boolean(),
    attempts: z.int(),
  }),
);
export type QueueItem = z.infer<typeof queueItemSchema>;

const queuePageSchema = component('QueuePage', z.object({ items: z.array(queueItemSchema), more: z.boolean() }));

const queueQuery = z.object({
  state: queryChoice(['open', 'done', 'all'], 'open', 'Open (queued or claimed), closed, or both'),
  limit: z._default(queryInt(1, QUEUE_PAGE_MAX, `Rows per page: 1 to ${QUEUE_PAGE_MAX}, ${QUEUE_PAGE} when absent`), QUEUE_PAGE),
  practice: queryText('Only this practice'),
  q: queryText('A reference (`CB-7K3F9Q`), a phone number, its last four digits, or words of the name (each must match); exact matches only'),
  urgency: z.optional(z.enum(URGENCIES).check(z.describe('Only this urgency'))),
  mine: queryFlag('`1` or `true`: only the requests this account holds'),
});

/**
 * What the search box holds, read as one kind: a reference, a whole number, four digits (the end of a number), else
 * the words of a name. Identities are sealed at rest, so each kind is an exact match on a keyed hash.
 */
export function parseQueueSearch(q: string): QueueSearch {
  const text = q.trim();
  if (/^cb-[0-9a-z]{6}$/i.test(text)) return { ref: text.toUpperCase() };
  if (/^\d{4}$/.test(text)) return { last4: text };
  if (/\d/.test(text)) {
    const phone = parsePhone(text);
    // Digits that are no number: nothing matches, rather than a name search on digits.
    return phone ? { phone: phone.e164 } : { words: [] };
  }
  return { words: text.split(/\s+/).filter(Boolean) };
}

/** A queue row as the API shows it. */
export function queueItem(c: Callback, viewer: User, names: Map<number, string>): QueueItem {
  return {
    ref: c.ref,
    practice: c.practice,
    name: c.name,
    phone: c.phone,
    phoneNational: formatPhoneNational(c.phone),
    reason: c.reason,
    reasonEntries: reasonEntries(c.reason, c.createdAt),
    urgency: c.urgency,
    redFlag: c.redFlag,
    kind: c.kind,
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
  const { app, route } = declareRoutes<AppEnv>(deps);
  route(
    {
      method: 'get',
      path: '/v1/queue',
      summary: 'The queue: red flags, urgency, due time, age',
      session: ['admin', 'operator'],
      query: queueQuery,
      responses: { 200: { description: 'One page of the queue; `more` says there are rows beyond it', schema: queuePageSchema } },
      errors: [404],
    },
    async (c) => {
      const user = c.get('user');
      const { state, limit, practice, q, urgency, mine } = c.req.valid('query');
      if (practice) assertPracticeAccess(user, practice);
      // Claims idle for 10 minutes go back to the queue before anyone reads it (a sweep in server.ts covers quiet times).
      await releaseIdleClaims(deps);
      // One row more than asked tells whether there are more, without counting them all.
      const rows = await deps.store.listQueue({
        practices: visiblePractices(user),
        practice,
        state,
        limit: limit + 1,
        ...(urgency ? { urgency } : {}),
        ...(mine ? { mine: user.id } : {}),
        ...(q ? { search: parseQueueSearch(q) } : {}),
      });
      const holders = [...new Set(rows.map((r) => r.claimedBy).filter((id): id is number => id !== null))];
      const names = new Map(await Promise.all(holders.map(async (id) => [id, (await deps.store.getUser(id))?.name ?? ''] as const)));
      return c.json({ items: rows.slice(0, limit).map((r) => queueItem(r, user, names)), more: rows.length > limit });
    },
  );
  return app;
}
