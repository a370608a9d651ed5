/** Liveness for load balancers and `npm start` smoke checks. */
import { Hono } from 'hono';

export function healthRoutes() {
  return new Hono().get('/healthz', (c) => c.json({ ok: true }));
}
