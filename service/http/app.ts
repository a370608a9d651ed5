/**
 * The Hono application: `createApp(deps)` wires the routes to what they need and
 * never listens (server.ts does), so tests call `app.request()` on an in-memory store.
 */
import { Hono } from 'hono';
import { ApiProblem } from '../errors.js';
import { publicPractice } from './cors.js';
import type { IntakeLimits } from '../domain/intake.js';
import { healthRoutes } from './routes/health.js';
import { widgetRoutes } from './routes/widget.js';
import { callbackRoutes } from './routes/callbacks.js';
import { sessionRoutes } from './routes/session.js';
import { queueRoutes } from './routes/queue.js';
import { workRoutes } from './routes/work.js';
import { eventRoutes } from './routes/events.js';
import { practiceRoutes } from './routes/practices.js';
import { userRoutes } from './routes/users.js';
import { reportRoutes } from './routes/reports.js';
import { auditRoutes } from './routes/audit.js';
import { cancelRoutes } from './routes/cancel.js';
import { outboxRoutes } from './routes/outbox.js';
import { patientRoutes } from './routes/patients.js';
import { assetRoutes } from './routes/assets.js';
import { openApiRoutes } from './routes/openapi.js';
import { consoleRoutes } from './routes/console.js';
import { messageRoutes } from './routes/messages.js';
import { hookRoutes } from './routes/hooks.js';
import type { AppEnv, Deps } from '../context.js';
import { secureHeaders } from 'hono/secure-headers';

/**
 * `options.intakeLimits` replaces the public form's rate limits and caps (tests of concurrency raise them);
 * `options.draining` tells `/healthz` the service is shutting down (server.ts).
 */
export function createApp(deps: Deps, options: { intakeLimits?: IntakeLimits; draining?: () => boolean } = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Every answer: nosniff, no referrer, no framing, same-origin resources (the widget's bundles say cross-origin
  // themselves, which `overwrite: false` keeps), and HSTS once the service is reached over https.
  app.use(
    '*',
    secureHeaders({
      overwrite: false,
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: 'same-origin',
      strictTransportSecurity: deps.config.publicUrl.startsWith('https:') ? 'max-age=31536000; includeSubDomains' : false,
    }),
  );
  app.route('/', healthRoutes(deps, { draining: options.draining }));
  app.route('/', assetRoutes());
  app.route('/', consoleRoutes());
  // Only the two routes the widget calls from practice websites answer CORS, each for its practice's allowed origins.
  const practice = publicPractice(deps.store);
  app.use('/v1/practices/:slug/widget', practice);
  app.use('/v1/practices/:slug/callbacks', practice);
  app.route('/', widgetRoutes(deps));
  app.route('/', callbackRoutes(deps, options.intakeLimits));
  app.route('/', sessionRoutes(deps));
  app.route('/', queueRoutes(deps));
  app.route('/', workRoutes(deps));
  app.route('/', eventRoutes(deps));
  app.route('/', practiceRoutes(deps));
  app.route('/', userRoutes(deps));
  app.route('/', reportRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', cancelRoutes(deps));
  app.route('/', outboxRoutes(deps));
  app.route('/', patientRoutes(deps));
  app.route('/', messageRoutes(deps));
  app.route('/', hookRoutes(deps));
  // Last: the document describes the routes mounted before it.
  app.route('/', openApiRoutes(app));

  // Answered, not thrown: an error thrown here would skip the middleware (and its security headers).
  app.notFound((c) => c.json(new ApiProblem(404, 'not_found', 'No such resource').body(), 404));

  app.onError((err, c) => {
    if (err instanceof ApiProblem) {
      return c.json(err.body(), err.status, err.headers);
    }
    // Never a stack trace to the client; the log line names the route, not the body.
    deps.log.error('unhandled_error', { method: c.req.method, path: c.req.routePath, error: err.message });
    return c.json({ error: { code: 'internal', message: 'Something went wrong on our side. Please try again or call the practice.' } }, 500);
  });

  return app;
}
