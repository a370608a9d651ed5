/**
 * The widget's two public routes: the practice is read once per request (`c.get('practice')`), and
 * CORS answers each practice's own allowed origins. A browser request from any other origin is
 * refused outright, not only left unreadable; the refusal of the configuration is readable, naming
 * the origin, since a page that cannot read it sees only a network failure and its webmaster no fix.
 */
import type { MiddlewareHandler } from 'hono';
import type { Store } from '../store/store.js';
import type { PublicEnv } from '../context.js';
import { ApiProblem, notFound } from '../errors.js';

/**
 * CORS written out rather than Hono's `cors()`: that one edits the response's headers after the handler,
 * which makes Node build a full web Response for every answer (a tenth of an intake's time). These headers
 * are set before the handler, so they ride along with whatever it answers, errors included.
 */
const PREFLIGHT = {
  'Access-Control-Allow-Methods': 'GET,POST',
  'Access-Control-Allow-Headers': 'Content-Type,Idempotency-Key',
  'Access-Control-Max-Age': '600',
};
/** The widget reads these cross-origin: how long to wait after a 429, and whether an answer was replayed. */
const EXPOSED = 'Retry-After,Idempotent-Replayed';

export function publicPractice(store: Store): MiddlewareHandler<PublicEnv> {
  return async function publicPracticeHandler(c, next) {
    const practice = await store.getPractice(c.req.param('slug') ?? '');
    const origin = c.req.header('Origin');
    const allowed = origin !== undefined && !!practice?.allowedOrigins.includes(origin);
    c.header('Vary', 'Origin');
    // The configuration is a GET without preflight: any page may read its answer, which is the practice's only
    // for an allowed origin and otherwise the error saying what to fix. Nothing else is let through.
    if (allowed || (origin !== undefined && c.req.method === 'GET')) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', EXPOSED);
    }
    if (c.req.method === 'OPTIONS') {
      if (allowed) for (const [name, value] of Object.entries(PREFLIGHT)) c.header(name, value);
      return c.body(null, 204);
    }
    if (!practice) throw notFound(`No practice “${c.req.param('slug') ?? ''}”: check the widget’s practice attribute`);
    if (origin !== undefined && !allowed) {
      throw new ApiProblem(403, 'origin_not_allowed', `This website (${origin}) is not allowed to use this practice’s widget: add ${origin} to the practice’s allowed websites (allowedOrigins)`);
    }
    c.set('practice', practice);
    await next();
  };
}
