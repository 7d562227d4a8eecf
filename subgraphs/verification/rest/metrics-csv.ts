import { Router } from 'express';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { AppError } from '../../../lib/errors.js';
import { periodOf, type MetricsInterval } from '../domain/metrics.js';
import type { MetricsService } from '../services/metrics.js';

const COLUMNS = ['periodStart', 'issued', 'revoked', 'suspended', 'reinstated', 'delivered', 'claimed', 'shared', 'shareViewsByOthers', 'verifications', 'thirdPartyVerifications'] as const;

function dateParameter(value: unknown, name: string): Date | null {
  if (value === undefined) return null;
  const at = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new AppError('BAD_USER_INPUT', `"${name}" must be an ISO 8601 date or date-time`, { argument: name });
  return at;
}

/**
 * `GET /issuers/{id}/metrics.csv?from=&to=&interval=DAY|WEEK|MONTH`: the time series of `Issuer.metrics` as CSV, one
 * row per period (the same defaults: the last 365 days, by month). For the issuer's API keys and operators.
 */
export function createMetricsCsvRoute(metrics: MetricsService): Router {
  return Router().get('/issuers/:id/metrics.csv', async (req, res) => {
    const interval = String(req.query.interval ?? 'MONTH').toUpperCase();
    if (!['DAY', 'WEEK', 'MONTH'].includes(interval)) throw new AppError('BAD_USER_INPUT', '"interval" is DAY, WEEK or MONTH', { argument: 'interval' });
    const { from, to } = periodOf({ from: dateParameter(req.query.from, 'from'), to: dateParameter(req.query.to, 'to') });
    const result = await metrics.metrics(res.locals.viewer as Viewer, { scope: { kind: 'ISSUER', id: req.params.id.toLowerCase() }, from, to, interval: interval as MetricsInterval });
    const lines = [COLUMNS.join(','), ...(result.counts?.series ?? []).map((period) => COLUMNS.map((column) => period[column]).join(','))];
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="metrics-${req.params.id}-${interval.toLowerCase()}.csv"`)
      .send(`${lines.join('\r\n')}\r\n`);
  });
}
