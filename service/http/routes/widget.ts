/** `GET /v1/practices/:slug/widget`: what the widget needs to render, with a fresh form token. */
import type { Deps, PublicEnv } from '../../context.js';
import { issueFormToken } from '../../domain/form-token.js';
import { openingState } from '../../domain/opening.js';
import { widgetConfigSchema, type WidgetConfig } from '../../../shared/schemas.js';
import { component, declareRoutes } from '../define.js';

component('WidgetConfig', widgetConfigSchema);

export function widgetRoutes(deps: Deps) {
  const { app, route } = declareRoutes<PublicEnv>();
  route(
    {
      method: 'get',
      path: '/v1/practices/:slug/widget',
      summary: 'What the widget shows, with a form token',
      description:
        'Answers CORS for the practice’s `allowedOrigins`; another origin gets 403 `origin_not_allowed`, readable by that page. `afterHours` is what the practice tells patients while it is closed (a number, a text by language), absent when it gave none.',
      responses: {
        200: { description: 'The practice, its hours and instructions, its after-hours guidance, its confirmation channels, whether it is open, and a form token', schema: widgetConfigSchema },
      },
      errors: [403, 404],
    },
    (c) => {
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
        ...(practice.afterHours ? { afterHours: practice.afterHours } : {}),
      };
      // The token is per load; a shared cache must not hand one patient's token to another.
      c.header('Cache-Control', 'no-store');
      return c.json(body);
    },
  );
  return app;
}
