/** Public intake: `POST /v1/practices/:slug/callbacks`, called by the widget from the practice's website. */
import { Hono } from 'hono';
import type { Deps, PublicEnv } from '../../context.js';
import { jsonBodyLimit, readJson } from '../body.js';
import { clientIp } from '../client-ip.js';
import { IDEMPOTENCY_HEADER } from '../../domain/idempotency.js';
import { createIntake, type IntakeLimits } from '../../domain/intake.js';

export function callbackRoutes(deps: Deps, limits?: IntakeLimits) {
  const app = new Hono<PublicEnv>();
  const takeCallback = createIntake(deps, limits);
  app.post('/v1/practices/:slug/callbacks', jsonBodyLimit(16 * 1024), async (c) => {
    const answer = await takeCallback({
      practice: c.get('practice'),
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
