/**
 * The widget's two public routes: the practice is read once per request (`c.get('practice')`), and
 * CORS answers each practice's own allowed origins. A browser request from any other origin is
 * refused outright, not only left unreadable.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Store } from '../store/store.js';
import type { PublicEnv } from '../context.js';
import { ApiProblem, notFound } from '../errors.js';

export function publicPractice(store: Store): MiddlewareHandler<PublicEnv> {
  const headers = cors({
    origin: (origin, c) => (c.get('practice')?.allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Content-Type', 'Idempotency-Key'],
    // The widget reads these cross-origin: how long to wait after a 429, and whether an answer was replayed.
    exposeHeaders: ['Retry-After', 'Idempotent-Replayed'],
    maxAge: 600,
  });
  return async function publicPracticeHandler(c, next) {
    const practice = await store.getPractice(c.req.param('slug') ?? '');
    if (practice) c.set('practice', practice);
    if (c.req.method !== 'OPTIONS') {
      if (!practice) throw notFound('Unknown practice');
      const origin = c.req.header('Origin');
      if (origin && !practice.allowedOrigins.includes(origin)) {
        throw new ApiProblem(403, 'origin_not_allowed', 'This website is not allowed to use this practice’s form');
      }
    }
    return headers(c, next);
  };
}
