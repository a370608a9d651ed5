/** Liveness for load balancers and `npm start` smoke checks. */
import * as z from 'zod/mini';
import { component, declareRoutes } from '../define.js';

const healthSchema = component('Health', z.object({ ok: z.literal(true) }));

export function healthRoutes() {
  const { app, route } = declareRoutes();
  route({ method: 'get', path: '/healthz', summary: 'Liveness', responses: { 200: { description: 'The service answers', schema: healthSchema } } }, (c) =>
    c.json({ ok: true }),
  );
  return app;
}
