/**
 * The patient's own view of a request, reached from the signed link in the confirmation:
 * `GET /c/:ref?t=…` (a small page in the patient's language), `POST /c/:ref` (its cancel button)
 * and `POST /v1/callbacks/:ref/cancel {token}` for API clients.
 */
import type { Context } from 'hono';
import * as z from 'zod/mini';
import type { Deps } from '../../context.js';
import { ApiProblem, notFound } from '../../errors.js';
import { cancelByPatient, findForToken } from '../../domain/cancel.js';
import { format, toLang, type Lang } from '../../../shared/i18n.js';
import { CALLBACK_STATES } from '../../../shared/callback.js';
import { cancelMessages } from '../../../shared/messages/cancel.js';
import { dueText } from '../../../shared/due-text.js';
import type { Callback } from '../../store/store.js';
import { escapeHtml } from '../../../shared/html.js';
import { formatPhoneNational, parsePhone } from '../../../shared/phone.js';
import { component, declareRoutes } from '../define.js';
import { LINK_PAGE_CSS, LINK_PAGE_CSS_PATH, linkPage } from '../link-page.js';
import { singleLineText } from '../../../shared/text.js';

const linkToken = singleLineText(64);
const cancelBodySchema = component('CancelRequest', z.strictObject({ token: linkToken }));
/** The page's cancel button; a missing or wrong token answers the "invalid link" page, not a JSON error. */
const cancelFormSchema = component('CancelForm', z.object({ t: linkToken }));
const cancelledSchema = component(
  'Cancelled',
  z.object({
    ref: z.string(),
    state: z.enum(CALLBACK_STATES),
    /** Cancelled before this request: nothing changed. */
    alreadyCancelled: z.optional(z.literal(true)),
  }),
);

const page = (description: string) => ({ description, media: ['text/html'] });

export function cancelRoutes(deps: Deps) {
  const { app, route } = declareRoutes();

  // The pages' stylesheet: a static asset, outside the API document.
  app.get(LINK_PAGE_CSS_PATH, (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(LINK_PAGE_CSS);
  });

  route(
    {
      method: 'get',
      path: '/c/:ref',
      summary: 'The patient’s page: see a request and cancel it',
      description: 'Reached from the signed link in the confirmation; in the patient’s language.',
      query: z.object({ t: z.optional(z.string().check(z.describe('The token of the confirmation link'))) }),
      responses: { 200: page('The request’s state, with a cancel button while it is open'), 404: page('The link is not valid (in the browser’s language)') },
    },
    async (c) => {
      const ref = c.req.param('ref');
      const token = c.req.valid('query').t ?? '';
      const callback = await findForToken(deps, ref, token);
      if (!callback) return invalidLinkPage(c);
      return requestPage(c, deps, callback, token);
    },
  );

  route(
    {
      method: 'post',
      path: '/c/:ref',
      summary: 'The patient’s page’s cancel button',
      body: { schema: cancelFormSchema, maxBytes: 2048, form: true, validate: false },
      responses: { 200: page('The request’s page, saying it is cancelled (or was already, or was already handled)'), 404: page('The link is not valid') },
    },
    async (c) => {
      const ref = c.req.param('ref');
      const { t } = c.req.valid('form');
      const token = typeof t === 'string' ? t : '';
      const done = await cancelByPatient(deps, ref, token);
      if (!done) return invalidLinkPage(c);
      const m = cancelMessages[done.callback.lang];
      const notice = done.result === 'cancelled' ? m.cancelledNow : done.result === 'already_cancelled' ? m.alreadyCancelled : m.alreadyClosed;
      return requestPage(c, deps, done.callback, token, notice);
    },
  );

  route(
    {
      method: 'post',
      path: '/v1/callbacks/:ref/cancel',
      summary: 'Cancel with the token of the confirmation link',
      body: { schema: cancelBodySchema, maxBytes: 1024 },
      responses: { 200: { description: 'Cancelled, or already cancelled', schema: cancelledSchema } },
      errors: [404, 409],
    },
    async (c) => {
      const done = await cancelByPatient(deps, c.req.param('ref'), c.req.valid('json').token);
      if (!done) throw notFound('No such request, or the link is not valid');
      if (done.result === 'already_closed') {
        throw new ApiProblem(409, 'already_closed', 'This request has already been handled and can no longer be cancelled');
      }
      const answer: z.infer<typeof cancelledSchema> = { ref: done.callback.ref, state: done.callback.state, ...(done.result === 'already_cancelled' ? { alreadyCancelled: true } : {}) };
      return c.json(answer, 200);
    },
  );

  return app;
}

// The page --------------------------------------------------------------------------------------


async function requestPage(c: Context, deps: Deps, callback: Callback, token: string, notice?: string) {
  const lang = callback.lang;
  const m = cancelMessages[lang];
  const practice = await deps.store.getPractice(callback.practice);
  const practiceName = practice?.name ?? callback.practice;
  const p = (text: string, cls?: string) => `<p${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</p>`;
  const parts = [p(format(m.reference, { ref: callback.ref, practice: practiceName }))];
  if (notice) parts.push(`<p class="notice" role="status">${escapeHtml(notice)}</p>`);
  const open = callback.state === 'queued' || callback.state === 'claimed';
  if (callback.state === 'queued') {
    const when = dueText(new Date(callback.dueAt), callback.preferredWindow, deps.now(), practice?.timezone ?? 'Europe/Paris', lang);
    parts.push(p(format(m.queued, { when })));
  } else if (callback.state === 'claimed') {
    parts.push(p(m.claimed));
  } else if (!notice) {
    parts.push(p(callback.state === 'cancelled' ? m.cancelled : m.done));
  }
  if (open) {
    parts.push(
      p(m.cancelQuestion),
      `<form method="post" action="/c/${escapeHtml(callback.ref)}"><input type="hidden" name="t" value="${escapeHtml(token)}"><button type="submit">${escapeHtml(m.cancelButton)}</button></form>`,
    );
  }
  parts.push(emergencyLine(lang));
  if (practice) parts.push(`<p>${withLinks(m.questions, { practicePhone: telLink(practice.phone) })}</p>`);
  return linkPage(c, lang, m.title, parts.join('\n'));
}

function invalidLinkPage(c: Context) {
  const lang = toLang(c.req.header('Accept-Language')) ?? 'fr';
  const m = cancelMessages[lang];
  return linkPage(c, lang, m.invalidTitle, `<p>${escapeHtml(m.invalidBody)}</p>\n${emergencyLine(lang)}`, 404);
}

/** A number a thumb can call: dialled as E.164 (or as is, for 15 and 112), read the French way. */
function telLink(phone: string): string {
  const dial = parsePhone(phone)?.e164 ?? phone.replace(/[^\d+]/g, '');
  return `<a href="tel:${escapeHtml(dial)}">${escapeHtml(dial.startsWith('+') ? formatPhoneNational(dial) : phone)}</a>`;
}

/** A catalogue sentence escaped, then its placeholders filled with ready-made HTML (the links). */
const withLinks = (template: string, links: Record<string, string>) => format(escapeHtml(template), links);

const emergencyLine = (lang: Lang) => `<p class="emergency">${withLinks(cancelMessages[lang].emergency, { 15: telLink('15'), 112: telLink('112') })}</p>`;
