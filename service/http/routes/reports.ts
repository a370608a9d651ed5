/** `GET /v1/reports/activity?month=YYYY-MM[&practice=][&format=csv]` (admin): the monthly activity and billing report. */
import { Hono } from 'hono';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import { invalid, notFound } from '../../errors.js';
import { requireSession } from '../../auth/session.js';
import { activityCsv, activityReport } from '../../domain/reports.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function reportRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();

  app.get('/v1/reports/activity', requireSession(deps, ['admin']), async (c) => {
    const month = c.req.query('month') ?? '';
    const format = c.req.query('format') ?? 'json';
    if (!MONTH.test(month)) throw invalid({ month: month ? 'invalid' : 'required' });
    if (format !== 'json' && format !== 'csv') throw invalid({ format: 'invalid' });
    const slug = c.req.query('practice') || undefined;
    let practices = await deps.store.listPractices();
    if (slug) {
      practices = practices.filter((p) => p.slug === slug);
      if (!practices.length) throw notFound('No such practice');
    }
    const report = await activityReport(deps.store, month, practices, deps.now());
    await deps.store.audit({ at: deps.now().toISOString(), actor: c.get('user').email, action: 'report_exported', practice: slug ?? null, details: { month, format } });
    if (format === 'json') return c.json(report);
    return c.body(activityCsv(report), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="activity-${month}${slug ? '-' + slug : ''}.csv"`,
    });
  });

  return app;
}
