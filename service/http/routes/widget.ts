/** `GET /v1/practices/:slug/widget`: what the widget needs to render, with a fresh form token. */
import { Hono } from 'hono';
import type { Deps, PublicEnv } from '../../context.js';
import { issueFormToken } from '../../domain/form-token.js';
import { openingState } from '../../domain/opening.js';
import type { WidgetConfig } from '../../../shared/schemas.js';

export function widgetRoutes(deps: Deps) {
  const app = new Hono<PublicEnv>();
  app.get('/v1/practices/:slug/widget', (c) => {
    const practice = c.get('practice');
    const now = deps.now();
    const { open, nextChange } = openingState(practice.hours, now);
    const body: WidgetConfig = {
      practice: {
        slug: practice.slug,
        name: practice.name,
        phone: practice.phone,
        timezone: practice.timezone,
        ...(practice.privacyUrl ? { privacyUrl: practice.privacyUrl } : {}),
      },
      hours: practice.hours,
      instructions: practice.instructions,
      channels: practice.sms ? ['sms', 'email'] : ['email'],
      status: { open, nextChange: nextChange?.toISOString() ?? null },
      formToken: issueFormToken(deps.sealer, practice.slug, now),
    };
    // The token is per load; a shared cache must not hand one patient's token to another.
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  });
  return app;
}
