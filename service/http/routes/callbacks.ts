/** Public intake: `POST /v1/practices/:slug/callbacks`, called by the widget from the practice's website. */
import { Hono } from 'hono';
import type { Deps } from '../../context.js';
import { notFound } from '../../errors.js';
import { jsonBodyLimit, readJson } from '../body.js';
import { clientIp } from '../client-ip.js';
import { IDEMPOTENCY_HEADER } from '../../domain/idempotency.js';
import { createIntake } from '../../domain/intake.js';

export function callbackRoutes(deps: Deps) {
  const app = new Hono();
  const takeCallback = createIntake(deps);
  app.post('/v1/practices/:slug/callbacks', jsonBodyLimit(16 * 1024), async (c) => {
    const practice = deps.store.getPractice(c.req.param('slug'));
    if (!practice) throw notFound('Unknown practice');
    const answer = takeCallback({
      practice,
      body: await readJson(c),
      ip: clientIp(c, deps.config.trustProxy),
      idempotencyKey: c.req.header(IDEMPOTENCY_HEADER),
    });
    // Stripe's header: lets a client tell a replayed answer from a fresh one.
    if (answer.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(answer.body, answer.status as 201);
  });
  return app;
}
