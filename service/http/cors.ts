/**
 * CORS for the public routes: each practice lists the origins its widget may call from.
 * A browser request from any other origin is refused outright, not only left unreadable.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Store } from '../store/store.js';
import { ApiProblem } from '../errors.js';

export function practiceCors(store: Store): MiddlewareHandler {
  const allowed = (origin: string, slug: string | undefined) => !!slug && !!store.getPractice(slug)?.allowedOrigins.includes(origin);
  const headers = cors({
    origin: (origin, c) => (allowed(origin, c.req.param('slug')) ? origin : null),
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Content-Type', 'Idempotency-Key'],
    // The widget reads these cross-origin: how long to wait after a 429, and whether an answer was replayed.
    exposeHeaders: ['Retry-After', 'Idempotent-Replayed'],
    maxAge: 600,
  });
  return async function practiceCorsHandler(c, next) {
    const origin = c.req.header('Origin');
    // An unknown practice answers 404 below; only a known practice can refuse an origin.
    if (origin && c.req.method !== 'OPTIONS' && store.getPractice(c.req.param('slug') ?? '') && !allowed(origin, c.req.param('slug'))) {
      throw new ApiProblem(403, 'origin_not_allowed', 'This website is not allowed to use this practice’s form');
    }
    return headers(c, next);
  };
}
