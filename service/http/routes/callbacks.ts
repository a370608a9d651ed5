/** Public intake: `POST /v1/practices/:slug/callbacks`, called by the widget from the practice's website. */
import * as z from 'zod/mini';
import type { Deps, PublicEnv } from '../../context.js';
import { clientIp } from '../client-ip.js';
import { IDEMPOTENCY_HEADER } from '../../domain/idempotency.js';
import { createIntake, type IntakeLimits } from '../../domain/intake.js';
import { callbackCreatedSchema, callbackRequestSchema } from '../../../shared/schemas.js';
import { component, declareRoutes } from '../define.js';

component('CallbackRequest', callbackRequestSchema);
component('CallbackCreated', callbackCreatedSchema);

export function callbackRoutes(deps: Deps, limits?: IntakeLimits) {
  const { app, route } = declareRoutes<PublicEnv>();
  const takeCallback = createIntake(deps, limits);
  route(
    {
      method: 'post',
      path: '/v1/practices/:slug/callbacks',
      summary: 'Ask to be called back',
      description: 'Answers CORS for the practice’s `allowedOrigins`. A bot is answered as a person would be, and nothing is stored.',
      // The intake validates the body itself: its idempotency fingerprint is taken of the body as sent.
      body: { schema: callbackRequestSchema, maxBytes: 16 * 1024, validate: false },
      headers: {
        [IDEMPOTENCY_HEADER]: {
          description: 'One key per form submission: a retry with the same key and body gets the first answer again (`Idempotent-Replayed: true`)',
          schema: z.string().check(z.minLength(1), z.maxLength(255)),
        },
      },
      responses: { 201: { description: 'Queued, or merged into the open request of the same person (`duplicate: true`)', schema: callbackCreatedSchema } },
      errors: [403, 404, 409, 422, 429],
    },
    async (c) => {
      const answer = await takeCallback({
        practice: c.get('practice'),
        body: c.req.valid('json'),
        ip: clientIp(c, deps.config.trustProxy),
        idempotencyKey: c.req.header(IDEMPOTENCY_HEADER),
      });
      // Stripe's header: lets a client tell a replayed answer from a fresh one.
      if (answer.replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(answer.body, answer.status as 201);
    },
  );
  return app;
}
