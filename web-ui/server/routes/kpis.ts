/**
 * KPIs from the event log (reports.read: owner, supervisor): GET /api/v1/kpis?from=ISO&to=ISO[&queue=ID&slThresholdS=N&shortAbandonS=N]
 * → KpiReport, and GET /api/v1/kpis/staffing?from=ISO&to=ISO[&queue&slThresholdS&targetSl=0.8]
 * → StaffingAdvice. `from`/`to` are ISO 8601 date-times with a zone (Z or ±hh:mm); the range is
 * [from, to), at most 400 days. Definitions: docs/kpis.md.
 */
import type { KpiQuery } from '../../../firmware/src/service/types.js';
import { bearerAuth } from '../middleware/bearer-auth.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { invalid, queryInt } from '../validate.js';

export const KPI_MAX_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;
const QUEUE_ID = /^[a-z][a-z0-9_-]{0,31}$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;
const FRACTION = /^0?\.[0-9]{1,6}$/;

type Query = Record<string, string | string[] | undefined>;

/** An ISO 8601 date-time with a zone, as ms since the epoch; 400 VALIDATION_FAILED naming `field` otherwise. */
export function queryInstant(value: unknown, field: string): number {
  const example = 'an ISO 8601 date-time with a zone, e.g. 2025-01-01T00:00:00+08:00';
  const problem = `must be ${example}`;
  if (value === undefined) throw invalid(field, `is required: ${example}`);
  const m = typeof value === 'string' ? ISO.exec(value) : null;
  if (m === null) throw invalid(field, problem);
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  const zone = m[8] as string;
  const day = new Date(Date.UTC(y, mo - 1, d));
  const dateOk = mo >= 1 && mo <= 12 && day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
  let offsetMin = 0;
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 14 || om > 59) throw invalid(field, problem);
    offsetMin = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  if (!dateOk || h > 23 || mi > 59 || s > 59) throw invalid(field, problem);
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
}

/** The KPI query of a request: from, to, queue, slThresholdS, shortAbandonS. */
export function parseKpiQuery(q: Query): KpiQuery {
  const from = queryInstant(q.from, 'from');
  const to = queryInstant(q.to, 'to');
  if (from >= to) throw invalid('to', 'must be after from');
  if (to - from > KPI_MAX_RANGE_DAYS * DAY_MS) throw invalid('to', `must be at most ${KPI_MAX_RANGE_DAYS} days after from`);
  const out: KpiQuery = { from, to };
  if (q.queue !== undefined) {
    if (typeof q.queue !== 'string' || !QUEUE_ID.test(q.queue)) throw invalid('queue', 'must be a queue id like main');
    out.queue = q.queue;
  }
  if (q.slThresholdS !== undefined) out.slThresholdS = queryInt(q.slThresholdS, 'slThresholdS', 1, 3600, 0);
  if (q.shortAbandonS !== undefined) out.shortAbandonS = queryInt(q.shortAbandonS, 'shortAbandonS', 0, 600, 0);
  return out;
}

/** A fraction strictly between 0 and 1 written as a decimal, e.g. 0.8. */
export function queryFraction(value: unknown, field: string): number {
  const n = typeof value === 'string' && FRACTION.test(value) ? Number(value) : Number.NaN;
  if (!(n > 0 && n < 1)) throw invalid(field, 'must be a decimal between 0 and 1, e.g. 0.8');
  return n;
}

export function kpiRoutes(router: AppRouter, { service }: RouteDeps): void {
  const auth = bearerAuth(service);
  const reports = permit('reports.read');

  router.get('/api/v1/kpis', auth, reports, (ctx) => {
    ctx.body = service.kpis.report(parseKpiQuery(ctx.query));
  });

  router.get('/api/v1/ivr/stats', auth, reports, (ctx) => {
    const { from, to } = parseKpiQuery(ctx.query);
    ctx.body = service.kpis.ivr({ from, to });
  });

  router.get('/api/v1/kpis/staffing', auth, reports, (ctx) => {
    const q = parseKpiQuery(ctx.query);
    const targetSl = ctx.query.targetSl === undefined ? undefined : queryFraction(ctx.query.targetSl, 'targetSl');
    ctx.body = service.kpis.staffing(targetSl === undefined ? q : { ...q, targetSl });
  });
}
