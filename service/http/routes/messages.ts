/**
 * Messages to the practice's people: the acknowledgement page an urgent message links to (`GET /m/:id`, its button
 * `POST /m/:id`), who is on call (`GET /v1/practices/:slug/on-call`) and an admin's test alert to a contact.
 */
import type { Context } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv, Deps } from '../../context.js';
import { notFound } from '../../errors.js';
import { assertPracticeAccess } from '../../auth/session.js';
import { acknowledgeMessage, sendTestAlert, verifyAckToken } from '../../domain/messages.js';
import { onCallAt } from '../../../shared/on-call.js';
import { format, toLang, type Lang } from '../../../shared/i18n.js';
import { escapeHtml } from '../../../shared/html.js';
import { practitionerMessages } from '../../../shared/messages/practitioner.js';
import { instantSchema } from '../../../shared/schemas.js';
import { singleLineText } from '../../../shared/text.js';
import { DAY_TIME, timeIn } from '../../notify/practitioner-templates.js';
import type { PractitionerMessage } from '../../store/store.js';
import { component, declareRoutes } from '../define.js';
import { linkPage } from '../link-page.js';

const onCallSchema = component(
  'OnCall',
  z.object({
    contact: z.nullable(z.object({ key: z.string(), name: z.string(), phone: z.optional(z.string()), email: z.optional(z.string()) })),
    /** When the answer changes: the end of the slot, or the start of the next one while the default contact stands in. */
    until: z.nullable(instantSchema),
    /** `slot`: a dated slot; `default`: the default contact, no slot covering now; `none`: nobody. */
    source: z.enum(['slot', 'default', 'none']),
  }),
);
const testAlertSchema = component('TestAlert', z.object({ channels: z.array(z.enum(['sms', 'email'])) }));
const ackQuery = z.object({ c: z.optional(z.string()), t: z.optional(z.string()) });
const ackFormSchema = component('AckForm', z.object({ c: singleLineText(64), t: singleLineText(64) }));
const page = (description: string) => ({ description, media: ['text/html'] });

export function messageRoutes(deps: Deps) {
  const { app, route } = declareRoutes<AppEnv>(deps);

  route(
    {
      method: 'get',
      path: '/v1/practices/:slug/on-call',
      summary: 'Who is on call now, and until when',
      session: 'any',
      responses: { 200: { description: 'The contact on call (a dated slot, else the default), or null', schema: onCallSchema } },
      errors: [404],
    },
    async (c) => {
      const slug = c.req.param('slug');
      assertPracticeAccess(c.get('user'), slug);
      const practice = await deps.store.getPractice(slug);
      if (!practice) throw notFound('No such practice');
      const { contact, until, source } = onCallAt(practice.contacts ?? [], practice.onCall, deps.now());
      const shown = contact && { key: contact.key, name: contact.name, ...(contact.phone ? { phone: contact.phone } : {}), ...(contact.email ? { email: contact.email } : {}) };
      return c.json({ contact: shown, until, source });
    },
  );

  route(
    {
      method: 'post',
      path: '/v1/practices/:slug/contacts/:key/test-alert',
      summary: 'Send a test alert to a contact',
      description: 'An SMS and an email, on the channels the contact has, saying it is a test; audited. Counts against the contacts’ own SMS budget.',
      session: ['admin'],
      responses: { 200: { description: 'The channels it was queued on', schema: testAlertSchema } },
      errors: [404, 429],
    },
    async (c) => c.json(await sendTestAlert(deps, c.get('user').email, c.req.param('slug'), c.req.param('key'))),
  );

  route(
    {
      method: 'get',
      path: '/m/:id',
      summary: 'The page an urgent message links to: confirm receipt',
      description: 'Signed for one message and one contact; shows no health detail. In the browser’s language.',
      query: ackQuery,
      responses: { 200: page('The message’s practice and time, with a button to confirm receipt'), 404: page('The link is not valid') },
    },
    async (c) => {
      const { c: key = '', t = '' } = c.req.valid('query');
      const message = await linkedMessage(deps, c.req.param('id'), key, t);
      if (!message) return invalidPage(c);
      return ackPage(c, deps, message, key, t);
    },
  );

  route(
    {
      method: 'post',
      path: '/m/:id',
      summary: 'The acknowledgement page’s button',
      body: { schema: ackFormSchema, maxBytes: 1024, form: true, validate: false },
      responses: { 200: page('The page, saying receipt is confirmed (or already was)'), 404: page('The link is not valid') },
    },
    async (c) => {
      const { c: key, t } = c.req.valid('form');
      const message = await linkedMessage(deps, c.req.param('id'), typeof key === 'string' ? key : '', typeof t === 'string' ? t : '');
      if (!message) return invalidPage(c);
      const result = await acknowledgeMessage(deps, message.id, `link:${key}`, 'link');
      return ackPage(c, deps, result?.message ?? message, String(key), String(t), result?.acknowledged ? 'done' : 'already');
    },
  );

  return app;
}

async function linkedMessage(deps: Deps, rawId: string, key: string, token: string): Promise<PractitionerMessage | undefined> {
  const id = Number(rawId);
  if (!Number.isSafeInteger(id) || !key || !token || !verifyAckToken(deps.sealer, id, key, token)) return undefined;
  const message = await deps.store.getMessage(id);
  return message?.urgent ? message : undefined;
}

// The page ----------------------------------------------------------------------------------------

const pageLang = (c: Context): Lang => toLang(c.req.header('Accept-Language')) ?? 'fr';

async function ackPage(c: Context, deps: Deps, message: PractitionerMessage, key: string, token: string, result?: 'done' | 'already') {
  const lang = pageLang(c);
  const m = practitionerMessages[lang];
  const practice = await deps.store.getPractice(message.practice);
  const zone = { timezone: practice?.timezone ?? 'Europe/Paris' };
  const when = (iso: string) => timeIn(zone, new Date(iso), DAY_TIME)[lang];
  const p = (text: string, cls?: string) => `<p${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</p>`;
  const parts = [p(format(m.ackIntro, { practice: practice?.name ?? message.practice, time: when(message.createdAt) }))];
  if (message.ackAt) {
    parts.push(`<p class="notice" role="status">${escapeHtml(format(result === 'done' ? m.ackDone : m.ackAlready, { time: when(message.ackAt) }))}</p>`);
  } else {
    parts.push(
      `<form method="post" action="/m/${message.id}"><input type="hidden" name="c" value="${escapeHtml(key)}"><input type="hidden" name="t" value="${escapeHtml(token)}"><button type="submit">${escapeHtml(m.ackButton)}</button></form>`,
    );
  }
  parts.push(`<p><a href="/console/#/messages">${escapeHtml(m.ackConsole)}</a></p>`);
  return linkPage(c, lang, m.ackTitle, parts.join('\n'));
}

function invalidPage(c: Context) {
  const lang = pageLang(c);
  const m = practitionerMessages[lang];
  return linkPage(c, lang, m.ackTitle, `<p>${escapeHtml(m.ackInvalid)}</p>\n<p><a href="/console/">${escapeHtml(m.ackConsole)}</a></p>`, 404);
}
