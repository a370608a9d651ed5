// GET /healthz as a load balancer reads it: 200 while the database answers and the instance takes requests, 503 when
// the database fails or hangs, and once a shutdown has begun (readiness), each answer as the OpenAPI document says.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../service/http/app.js';
import { healthRoutes } from '../../service/http/routes/health.js';
import { declaredRoutes } from '../../service/http/define.js';
import { memoryLogger } from '../../service/log.js';
import type { Store } from '../../service/store/store.js';
import { testApp } from './helpers.js';

/** The answer and the schema the route declares for its status: the body parses whole (no undocumented field). */
async function documented(app: { routes: readonly { handler: unknown }[] }, res: Response) {
  const spec = declaredRoutes(app).find((r) => r.path === '/healthz')!;
  const body = await res.json();
  const schema = spec.responses[res.status]?.schema;
  expect(schema, `a schema for ${res.status}`).toBeDefined();
  expect(schema!.safeParse(body)).toMatchObject({ success: true, data: body });
  return body;
}

const storeWhose = (countUsers: () => Promise<number>) => ({ countUsers }) as unknown as Store;

describe('GET /healthz', () => {
  it('answers 200 with the database ok, never cached', async () => {
    const t = await testApp();
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await documented(t.app, res)).toEqual({ ok: true, database: 'ok' });
  });

  it('answers 503 database unavailable when the store fails a read, and logs why', async () => {
    const log = memoryLogger();
    const app = healthRoutes({ store: storeWhose(() => Promise.reject(new Error('connection refused'))), log });
    const res = await app.request('/healthz');
    expect(res.status).toBe(503);
    expect(await documented(app, res)).toEqual({ ok: false, database: 'unavailable', draining: false });
    expect(log.lines.join('\n')).toMatch(/health_database_unavailable.*connection refused/);
  });

  it('answers 503 within its time limit when the database does not answer at all', async () => {
    const app = healthRoutes({ store: storeWhose(() => new Promise(() => {})), log: memoryLogger() }, { databaseTimeoutMs: 50 });
    const started = Date.now();
    const res = await app.request('/healthz');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await res.json()).toEqual({ ok: false, database: 'unavailable', draining: false });
  });

  it('answers 503 draining once a shutdown has begun, the database still ok', async () => {
    const t = await testApp();
    let draining = false;
    const app = createApp(t.deps, { draining: () => draining });
    expect((await app.request('/healthz')).status).toBe(200);
    draining = true;
    const res = await app.request('/healthz');
    expect(res.status).toBe(503);
    expect(await documented(app, res)).toEqual({ ok: false, database: 'ok', draining: true });
  });

  it('is described in the OpenAPI document with both answers', async () => {
    const t = await testApp();
    const doc = await (await t.app.request('/openapi.json')).json();
    const responses = doc.paths['/healthz'].get.responses;
    expect(responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Health' });
    expect(responses['503'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/HealthUnavailable' });
  });
});
