/**
 * `GET /healthz`, for load balancers and process managers: whether this instance should be sent requests (its
 * database answers a trivial read, and it is not shutting down).
 */
import * as z from 'zod/mini';
import type { Deps } from '../../context.js';
import { component, declareRoutes } from '../define.js';

const healthSchema = component('Health', z.object({ ok: z.literal(true), database: z.literal('ok') }));

const unhealthySchema = component(
  'HealthUnavailable',
  z.object({
    ok: z.literal(false),
    database: z.enum(['ok', 'unavailable']),
    /** Shutting down: finishing the requests under way, taking no new ones. */
    draining: z.boolean(),
  }),
);

/** Under the few seconds proxies commonly wait for a check: a database that does not answer by then counts as down. */
const DATABASE_TIMEOUT_MS = 2_000;

export interface HealthOptions {
  /** True once the service has begun to shut down (server.ts): the answer turns 503 so that proxies stop sending. */
  draining?: () => boolean;
  databaseTimeoutMs?: number;
}

export function healthRoutes(deps: Pick<Deps, 'store' | 'log'>, options: HealthOptions = {}) {
  const timeoutMs = options.databaseTimeoutMs ?? DATABASE_TIMEOUT_MS;
  const { app, route } = declareRoutes();

  /** The cheapest read the store has, within `timeoutMs`. */
  const database = async (): Promise<'ok' | 'unavailable'> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([deps.store.countUsers(), late]);
      return 'ok';
    } catch (err) {
      deps.log.warn('health_database_unavailable', { error: err instanceof Error ? err.message : String(err) });
      return 'unavailable';
    } finally {
      clearTimeout(timer);
    }
  };

  route(
    {
      method: 'get',
      path: '/healthz',
      summary: 'Liveness and readiness',
      description: '200 while the database answers and the instance takes requests; 503 when the database does not answer, or once the instance has begun to shut down (`draining`).',
      responses: {
        200: { description: 'The service and its database answer', schema: healthSchema },
        503: { description: 'Send this instance nothing: its database does not answer, or it is shutting down', schema: unhealthySchema },
      },
    },
    async (c) => {
      // A cached answer would say nothing about now.
      c.header('Cache-Control', 'no-store');
      const draining = options.draining?.() ?? false;
      const state = await database();
      if (draining || state !== 'ok') return c.json({ ok: false as const, database: state, draining }, 503);
      return c.json({ ok: true as const, database: state }, 200);
    },
  );
  return app;
}
