/** Public intake: `POST /v1/practices/:slug/callbacks`, called by the widget from the practice's website. */
import { Hono } from 'hono';
import type { Deps } from '../app.js';
import { invalid, notFound } from '../errors.js';
import { jsonBodyLimit, readJson } from '../body.js';
import { callbackRequestSchema, fieldErrors } from '../../shared/schemas.js';
import { checkFormToken } from '../form-token.js';
import { createCallback, decoyAnswer } from '../intake.js';

export function callbackRoutes(deps: Deps) {
  const app = new Hono();
  app.post('/v1/practices/:slug/callbacks', jsonBodyLimit(16 * 1024), async (c) => {
    const practice = deps.store.getPractice(c.req.param('slug'));
    if (!practice) throw notFound('Unknown practice');
    const raw = await readJson(c);
    const parsed = callbackRequestSchema.safeParse(raw);
    if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues));
    const input = parsed.data;
    const now = deps.now();

    const bot = !!input.website || (input.formToken !== undefined && checkFormToken(deps.sealer, input.formToken, practice.slug, now) === 'bot');
    if (bot) {
      deps.log.info('callback_decoy', { practice: practice.slug });
      return c.json(decoyAnswer(practice, input, now), 201);
    }
    return c.json(createCallback(deps, practice, input, now).body, 201);
  });
  return app;
}
