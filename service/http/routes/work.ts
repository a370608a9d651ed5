/** Working a request: `GET /v1/callbacks/:ref`, claim, release, attempts; the practitioners' `GET /v1/messages`. */
import * as z from 'zod/mini';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import { notFound } from '../../errors.js';
import { assertPracticeAccess, canSeePractice, visiblePractices } from '../../auth/session.js';
import { acknowledgeMessage, replyToMessage } from '../../domain/messages.js';
import type { User } from '../../store/store.js';
import { RECORDABLE_OUTCOMES } from '../../../shared/callback.js';
import {
  callbackDetail,
  callbackDetailSchema,
  claimCallback,
  messageItems,
  messageItemSchema,
  readMessage,
  recordAttempt,
  releaseCallback,
  releaseIdleClaims,
  undoOutcome,
  visibleCallback,
} from '../../domain/work.js';
import { component, declareRoutes, queryFlag, queryText } from '../define.js';
import { multiLineText } from '../../../shared/text.js';

/** Blank is allowed (no note, no message); text with nothing visible counts as blank. */
const optionalText = (max: number) => z.optional(multiLineText(max, 0));

const attemptSchema = component(
  'Attempt',
  z.strictObject({
    outcome: z.enum(RECORDABLE_OUTCOMES),
    note: optionalText(2000),
    message: optionalText(4000),
    /** With `message`: at once to the contact on call by SMS and email, escalated until acknowledged. */
    messageUrgent: z.optional(z.boolean()),
    retryAt: z.optional(z.iso.datetime({ offset: true })),
  }),
);
const replySchema = component('MessageReply', z.strictObject({ text: multiLineText(2000) }));

// The domain's answers, under the names generated clients know them by.
component('CallbackDetail', callbackDetailSchema);
component('PractitionerMessage', messageItemSchema);
const undoResultSchema = component(
  'UndoResult',
  z.object({
    request: callbackDetailSchema,
    /** The newer open request of the same person the reopened one was merged into; null when it was reopened itself. */
    mergedInto: z.nullable(z.string()),
    /** A message for the practitioner recorded with the outcome: sent, and not recalled by the undo. */
    messageKept: z.boolean(),
  }),
);
const messageListSchema = component('PractitionerMessageList', z.object({ items: z.array(messageItemSchema) }));

const messagesQuery = z.object({
  practice: queryText('Only this practice'),
  unread: queryFlag('`1` or `true`: only the messages not read yet'),
});

export function workRoutes(deps: Deps) {
  const { app, route } = declareRoutes<AppEnv>(deps);
  const operators = ['admin', 'operator'] as const;
  const detail = (description: string) => ({ 200: { description, schema: callbackDetailSchema } });

  route(
    { method: 'get', path: '/v1/callbacks/:ref', summary: 'A request with its attempts and messages', session: 'any', responses: detail('The request'), errors: [404] },
    async (c) => {
      await releaseIdleClaims(deps);
      const user = c.get('user');
      return c.json(await callbackDetail(deps, user, await visibleCallback(deps.store, user, c.req.param('ref'))));
    },
  );

  route(
    {
      method: 'post',
      path: '/v1/callbacks/:ref/claim',
      summary: 'Claim a request (atomic); claiming one’s own claim again renews it',
      session: operators,
      responses: detail('The request, held by this operator'),
      errors: [404, 409],
    },
    async (c) => {
      const user = c.get('user');
      return c.json(await callbackDetail(deps, user, await claimCallback(deps, user, c.req.param('ref'))));
    },
  );

  route(
    { method: 'post', path: '/v1/callbacks/:ref/release', summary: 'Put a claimed request back', session: operators, responses: detail('The request, back in the queue'), errors: [404, 409] },
    async (c) => {
      const user = c.get('user');
      return c.json(await callbackDetail(deps, user, await releaseCallback(deps, user, c.req.param('ref'))));
    },
  );

  route(
    {
      method: 'post',
      path: '/v1/callbacks/:ref/attempts',
      summary: 'Record a call attempt and its outcome',
      description:
        '`no_answer` and `voicemail` keep the request open, due again at the `retryAt` sent (kept even while the practice is closed), else in 30 minutes, ' +
        'moved to the practice’s next opening if it is closed then, unless the request is urgent or has a red flag. The attempt’s `retryRule` says which. ' +
        'Any other outcome closes the request.',
      session: operators,
      body: { schema: attemptSchema, maxBytes: 16 * 1024 },
      responses: detail('The request after the call'),
      errors: [404, 409],
    },
    async (c) => {
      const user = c.get('user');
      const { outcome, note, message, messageUrgent, retryAt } = c.req.valid('json');
      // Blank text is no note and no message: the console sends empty fields as they are.
      const input = { outcome, note: note || undefined, message: message || undefined, messageUrgent, retryAt };
      return c.json(await callbackDetail(deps, user, await recordAttempt(deps, user, c.req.param('ref'), input)));
    },
  );

  route(
    {
      method: 'post',
      path: '/v1/callbacks/:ref/undo',
      summary: 'Undo the last closing outcome, within 10 seconds, by the operator who recorded it',
      description:
        'The request goes back to claimed by that operator. A message for the practitioner recorded with the outcome was sent and is not recalled ' +
        '(`messageKept`). When the patient has sent a new request since, the reopened one is merged into it (`mergedInto`, and `request` is that one). ' +
        '`403 not_yours` for another operator; `409 undo_expired` after 10 seconds, `409 nothing_to_undo` when the last outcome is not a closing one.',
      session: operators,
      responses: { 200: { description: 'The request to work now', schema: undoResultSchema } },
      errors: [403, 404, 409],
    },
    async (c) => {
      const user = c.get('user');
      const { callback, mergedInto, messageKept } = await undoOutcome(deps, user, c.req.param('ref'));
      return c.json({ request: await callbackDetail(deps, user, callback), mergedInto, messageKept });
    },
  );

  route(
    {
      method: 'get',
      path: '/v1/messages',
      summary: 'Messages taken for the practitioner',
      description: 'Newest first, with where each stands. A practitioner shown an urgent message not yet acknowledged acknowledges it by that (audited, `via: console`).',
      session: 'any',
      query: messagesQuery,
      responses: { 200: { description: 'The messages of the practices this account may see, newest first', schema: messageListSchema } },
      errors: [404],
    },
    async (c) => {
      const user = c.get('user');
      const { practice, unread } = c.req.valid('query');
      if (practice) assertPracticeAccess(user, practice);
      let items = await deps.store.listMessages({ practices: visiblePractices(user), practice, unread });
      // A practitioner who signs in and is shown an urgent message has received it: that acknowledges it.
      const seen = user.role === 'practitioner' ? items.filter((m) => m.urgent && !m.ackAt) : [];
      for (const m of seen) await acknowledgeMessage(deps, m.id, user.email, 'console');
      if (seen.length) items = await deps.store.listMessages({ practices: visiblePractices(user), practice, unread });
      return c.json({ items: await messageItems(deps, items) });
    },
  );

  /** The message if this practitioner may see it; another practice's answers the same 404 as an unknown id. */
  const practitionersMessage = async (user: User, raw: string) => {
    const id = Number(raw);
    const message = Number.isSafeInteger(id) ? await deps.store.getMessage(id) : undefined;
    if (!message || !canSeePractice(user, message.practice)) throw notFound('No such message');
    return message;
  };
  const answerMessage = async (id: number) => (await messageItems(deps, [(await deps.store.getMessage(id))!]))[0]!;

  route(
    {
      method: 'post',
      path: '/v1/messages/:id/ack',
      summary: 'Acknowledge an urgent message',
      description: 'Stops its escalation where it stands and closes the operators’ escalation item. Acknowledging twice changes nothing. Audited.',
      session: ['practitioner'],
      responses: { 200: { description: 'The message, acknowledged', schema: messageItemSchema } },
      errors: [404],
    },
    async (c) => {
      const user = c.get('user');
      const message = await practitionersMessage(user, c.req.param('id'));
      await deps.store.transaction(readMessage, { id: message.id, actor: user.email, now: deps.now().toISOString() });
      await acknowledgeMessage(deps, message.id, user.email, 'console');
      return c.json(await answerMessage(message.id));
    },
  );

  route(
    {
      method: 'post',
      path: '/v1/messages/:id/reply',
      summary: 'Reply to a message',
      description:
        'The reply shows on the request, which goes back to the queue due now for an operator to call the patient (or on the patient’s open request, ' +
        'if they have one). Replying also reads and acknowledges the message. Audited, without the text.',
      session: ['practitioner'],
      body: { schema: replySchema, maxBytes: 8 * 1024 },
      responses: { 200: { description: 'The message with its replies', schema: messageItemSchema } },
      errors: [404],
    },
    async (c) => {
      const user = c.get('user');
      const message = await practitionersMessage(user, c.req.param('id'));
      await replyToMessage(deps, user, message.id, c.req.valid('json').text);
      return c.json(await answerMessage(message.id));
    },
  );

  // Only the practitioner's reading counts: an operator looking at a message must not mark it read for them.
  route(
    { method: 'post', path: '/v1/messages/:id/read', summary: 'Mark a message read', session: ['practitioner'], responses: { 200: { description: 'The message, read', schema: messageItemSchema } }, errors: [404] },
    async (c) => {
      const user = c.get('user');
      const id = Number(c.req.param('id'));
      const message = Number.isSafeInteger(id) ? await deps.store.getMessage(id) : undefined;
      if (!message) throw notFound('No such message');
      assertPracticeAccess(user, message.practice);
      await deps.store.transaction(readMessage, { id, actor: user.email, now: deps.now().toISOString() });
      // Reading an urgent message in the console is receiving it.
      if (message.urgent) await acknowledgeMessage(deps, id, user.email, 'console');
      return c.json(await answerMessage(id));
    },
  );

  return app;
}
