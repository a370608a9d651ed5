/** Working a request: `GET /v1/callbacks/:ref`, claim, release, attempts; the practitioners' `GET /v1/messages`. */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import { invalid, notFound } from '../../errors.js';
import { jsonBodyLimit, readJson } from '../body.js';
import { fieldErrors } from '../../../shared/schemas.js';
import { assertPracticeAccess, requireSession, visiblePractices } from '../../auth/session.js';
import { OUTCOMES } from '../../store/store.js';
import { callbackDetail, claimCallback, messageItem, practiceNameOf, readMessage, recordAttempt, releaseCallback, releaseIdleClaims, visibleCallback } from '../../domain/work.js';

const optionalText = (max: number) => z.optional(z.string().check(z.trim(), z.maxLength(max)));

export const attemptSchema = z.strictObject({
  outcome: z.enum(OUTCOMES),
  note: optionalText(2000),
  message: optionalText(4000),
  retryAt: z.optional(z.iso.datetime({ offset: true })),
});

export function workRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const operators = requireSession(deps, ['admin', 'operator']);

  app.get('/v1/callbacks/:ref', requireSession(deps), async (c) => {
    await releaseIdleClaims(deps);
    const user = c.get('user');
    return c.json(await callbackDetail(deps, user, await visibleCallback(deps.store, user, c.req.param('ref'))));
  });

  app.post('/v1/callbacks/:ref/claim', operators, async (c) => {
    const user = c.get('user');
    return c.json(await callbackDetail(deps, user, await claimCallback(deps, user, c.req.param('ref'))));
  });

  app.post('/v1/callbacks/:ref/release', operators, async (c) => {
    const user = c.get('user');
    return c.json(await callbackDetail(deps, user, await releaseCallback(deps, user, c.req.param('ref'))));
  });

  app.post('/v1/callbacks/:ref/attempts', operators, jsonBodyLimit(16 * 1024), async (c) => {
    const user = c.get('user');
    const body = await readJson(c);
    const parsed = attemptSchema.safeParse(body);
    if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues, body));
    const { outcome, note, message, retryAt } = parsed.data;
    // Blank text is no note and no message: the console sends empty fields as they are.
    const input = { outcome, note: note || undefined, message: message || undefined, retryAt };
    return c.json(await callbackDetail(deps, user, await recordAttempt(deps, user, c.req.param('ref'), input)));
  });

  app.get('/v1/messages', requireSession(deps), async (c) => {
    const user = c.get('user');
    const practice = c.req.query('practice') || undefined;
    if (practice) assertPracticeAccess(user, practice);
    const unread = c.req.query('unread') === '1' || c.req.query('unread') === 'true';
    const items = await deps.store.listMessages({ practices: visiblePractices(user), practice, unread });
    const slugs = [...new Set(items.map((m) => m.practice))];
    const names = new Map(await Promise.all(slugs.map(async (slug) => [slug, await practiceNameOf(deps, slug)] as const)));
    return c.json({ items: items.map((m) => messageItem(m, names.get(m.practice)!)) });
  });

  // Only the practitioner's reading counts: an operator looking at a message must not mark it read for them.
  app.post('/v1/messages/:id/read', requireSession(deps, ['practitioner']), async (c) => {
    const user = c.get('user');
    const id = Number(c.req.param('id'));
    const message = Number.isSafeInteger(id) ? await deps.store.getMessage(id) : undefined;
    if (!message) throw notFound('No such message');
    assertPracticeAccess(user, message.practice);
    const read = await deps.store.transaction(readMessage, { id, actor: user.email, now: deps.now().toISOString() });
    return c.json(messageItem(read, await practiceNameOf(deps, message.practice)));
  });

  return app;
}
