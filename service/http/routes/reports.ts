/** `GET /v1/reports/activity?month=YYYY-MM[&practice=][&format=csv|csv-fr]` (admin): the monthly activity and billing report. */
import * as z from 'zod/mini';
import type { Deps } from '../../context.js';
import type { AppEnv } from '../../context.js';
import { notFound } from '../../errors.js';
import { activityCsv, activityReport, activityReportSchema } from '../../domain/reports.js';
import { reportFileName } from '../../../shared/activity-report.js';
import { component, declareRoutes, queryChoice, queryText } from '../define.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

component('ActivityReport', activityReportSchema);

const reportQuery = z.object({
  month: z.string().check(z.minLength(1), z.regex(MONTH), z.describe('The month, `YYYY-MM`, in each practice’s own time zone')),
  practice: queryText('Only this practice'),
  format: queryChoice(
    ['json', 'csv', 'csv-fr'],
    'json',
    '`csv`: one line per practice and the total, comma-separated, English column keys; `csv-fr`: the same for French Excel (UTF-8 BOM, `;`-separated, French headings, decimal commas)',
  ),
});

export function reportRoutes(deps: Deps) {
  const { app, route } = declareRoutes<AppEnv>(deps);

  route(
    {
      method: 'get',
      path: '/v1/reports/activity',
      summary: 'Monthly activity and billing',
      description: 'Billable: handled requests. Duplicates, spam, wrong numbers, and requests cancelled or abandoned before any conversation are counted but not billable.',
      session: ['admin'],
      query: reportQuery,
      responses: { 200: { description: 'The report: JSON, or CSV with `format=csv` or `format=csv-fr`', schema: activityReportSchema, media: ['text/csv'] } },
      errors: [404],
    },
    async (c) => {
      const { month, format, practice: slug } = c.req.valid('query');
      let practices = await deps.store.listPractices();
      if (slug) {
        practices = practices.filter((p) => p.slug === slug);
        if (!practices.length) throw notFound('No such practice');
      }
      const report = await activityReport(deps.store, month, practices, deps.now());
      await deps.store.audit({ at: deps.now().toISOString(), actor: c.get('user').email, action: 'report_exported', practice: slug ?? null, details: { month, format } });
      if (format === 'json') return c.json(report);
      return c.body(activityCsv(report, format), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${reportFileName(month, slug, format)}"`,
      });
    },
  );

  return app;
}
