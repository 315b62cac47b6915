/**
 * Reports (报表) under /api/v1/reports (bearer): the day / week / month report as JSON, CSV, XLSX
 * or printable HTML, ad attribution and attendance over a date range (reports.read: owner,
 * supervisor); the advertising schedule (campaigns, airings), ad spend and staff shifts (read with
 * reports.read, written with reports.admin). docs/api/reports.md.
 */
import type { ReportPeriod } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid, type JsonObject, objectBody, optionalPageQuery, pageOf } from '../validate.js';
import { contentDisposition } from '../content-disposition.js';

const FORMATS = ['json', 'csv', 'xlsx', 'html'] as const;
type Format = (typeof FORMATS)[number];

/** A single query parameter as a string (repeated or absent: undefined, the service names the field). */
function param(ctx: AppContext, name: string): string | undefined {
  const v = ctx.query[name];
  if (Array.isArray(v)) throw invalid(name, 'must be given once');
  return v;
}

function required(ctx: AppContext, name: string, hint: string): string {
  const v = param(ctx, name);
  if (v === undefined || v === '') throw invalid(name, `is required (${hint})`);
  return v;
}

function formatOf(ctx: AppContext): Format {
  const f = param(ctx, 'format') ?? 'json';
  if (!(FORMATS as readonly string[]).includes(f)) throw invalid('format', `must be one of ${FORMATS.join(', ')}`);
  return f as Format;
}

/** An optional `version` must be a positive integer. */
function withVersion(b: JsonObject): JsonObject {
  const v = b.version;
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) throw invalid('version', 'must be a positive integer');
  return b;
}

function range(ctx: AppContext): { from: string; to: string } {
  return { from: required(ctx, 'from', 'YYYY-MM-DD'), to: required(ctx, 'to', 'YYYY-MM-DD') };
}

function optionalRange(ctx: AppContext): { from?: string; to?: string } {
  const from = param(ctx, 'from');
  const to = param(ctx, 'to');
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

const CAMPAIGN = ['name', 'media', 'line', 'phone', 'responseMin', 'note'];
const AIRING = ['startsAt', 'endsAt', 'responseMin', 'costCents'];
const SPEND = ['date', 'amountCents', 'note'];
const SHIFT = ['agent', 'date', 'start', 'end', 'note'];

export function reportsRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const read = permit('reports.read');
  const admin = permit('reports.admin');
  const reports = () => service.reports;
  const id = (ctx: AppContext): string => ctx.params.id ?? '';
  const list = <T>(items: T[]) => ({ items, total: items.length });
  /** A schedule list: whole, or one page with `?limit=&offset=`. */
  const paged = <T>(ctx: AppContext, items: T[]) => pageOf(items, optionalPageQuery(ctx.query));

  for (const period of ['day', 'week', 'month'] as const satisfies readonly ReportPeriod[]) {
    router.get(`/api/v1/reports/${period}`, auth, read, async (ctx) => {
      const who = principalOf(ctx);
      const date = required(ctx, 'date', 'YYYY-MM-DD');
      const format = formatOf(ctx);
      if (format === 'json') {
        ctx.body = reports().report(who, { period, date });
        return;
      }
      const file = await reports().exportReport(who, { period, date, format });
      ctx.type = file.contentType;
      const disposition = format === 'html' ? 'inline' : 'attachment';
      ctx.set('Content-Disposition', contentDisposition(disposition, file.filename));
      if (file.contentSecurityPolicy) ctx.set('Content-Security-Policy', file.contentSecurityPolicy);
      ctx.body = file.body;
    });
  }

  router.get('/api/v1/reports/ads', auth, read, (ctx) => {
    ctx.body = reports().ads(principalOf(ctx), range(ctx));
  });

  router.get('/api/v1/reports/attendance', auth, read, (ctx) => {
    ctx.body = list(reports().attendance(principalOf(ctx), range(ctx)));
  });

  // ---- campaigns ----
  router.get('/api/v1/reports/ad-campaigns', auth, read, (ctx) => {
    ctx.body = paged(ctx, reports().listCampaigns(principalOf(ctx)));
  });
  router.post('/api/v1/reports/ad-campaigns', auth, admin, body, (ctx) => {
    const b = objectBody(ctx.state.body, CAMPAIGN);
    ctx.status = 201;
    ctx.body = reports().createCampaign(principalOf(ctx), b as never);
  });
  router.get('/api/v1/reports/ad-campaigns/:id', auth, read, (ctx) => {
    ctx.body = reports().getCampaign(principalOf(ctx), id(ctx));
  });
  router.patch('/api/v1/reports/ad-campaigns/:id', auth, admin, body, (ctx) => {
    const b = withVersion(objectBody(ctx.state.body, [...CAMPAIGN, 'version']));
    ctx.body = reports().updateCampaign(principalOf(ctx), id(ctx), b as never);
  });
  router.delete('/api/v1/reports/ad-campaigns/:id', auth, admin, (ctx) => {
    reports().deleteCampaign(principalOf(ctx), id(ctx));
    ctx.status = 204;
  });

  // ---- airings ----
  router.get('/api/v1/reports/ad-airings', auth, read, (ctx) => {
    const campaignId = param(ctx, 'campaignId');
    ctx.body = paged(ctx, reports().listAirings(principalOf(ctx), { ...optionalRange(ctx), ...(campaignId ? { campaignId } : {}) }));
  });
  router.post('/api/v1/reports/ad-airings', auth, admin, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['campaignId', ...AIRING]);
    ctx.status = 201;
    ctx.body = reports().createAiring(principalOf(ctx), b as never);
  });
  router.get('/api/v1/reports/ad-airings/:id', auth, read, (ctx) => {
    ctx.body = reports().getAiring(principalOf(ctx), id(ctx));
  });
  router.patch('/api/v1/reports/ad-airings/:id', auth, admin, body, (ctx) => {
    const b = withVersion(objectBody(ctx.state.body, [...AIRING, 'version']));
    ctx.body = reports().updateAiring(principalOf(ctx), id(ctx), b as never);
  });
  router.delete('/api/v1/reports/ad-airings/:id', auth, admin, (ctx) => {
    reports().deleteAiring(principalOf(ctx), id(ctx));
    ctx.status = 204;
  });

  // ---- spend ----
  router.get('/api/v1/reports/ad-spend', auth, read, (ctx) => {
    const campaignId = param(ctx, 'campaignId');
    ctx.body = paged(ctx, reports().listSpend(principalOf(ctx), { ...optionalRange(ctx), ...(campaignId ? { campaignId } : {}) }));
  });
  router.post('/api/v1/reports/ad-spend', auth, admin, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['campaignId', ...SPEND]);
    ctx.status = 201;
    ctx.body = reports().createSpend(principalOf(ctx), b as never);
  });
  router.get('/api/v1/reports/ad-spend/:id', auth, read, (ctx) => {
    ctx.body = reports().getSpend(principalOf(ctx), id(ctx));
  });
  router.patch('/api/v1/reports/ad-spend/:id', auth, admin, body, (ctx) => {
    const b = withVersion(objectBody(ctx.state.body, [...SPEND, 'version']));
    ctx.body = reports().updateSpend(principalOf(ctx), id(ctx), b as never);
  });
  router.delete('/api/v1/reports/ad-spend/:id', auth, admin, (ctx) => {
    reports().deleteSpend(principalOf(ctx), id(ctx));
    ctx.status = 204;
  });

  // ---- shifts ----
  router.get('/api/v1/reports/shifts', auth, read, (ctx) => {
    const agent = param(ctx, 'agent');
    ctx.body = paged(ctx, reports().listShifts(principalOf(ctx), { ...optionalRange(ctx), ...(agent ? { agent } : {}) }));
  });
  router.post('/api/v1/reports/shifts', auth, admin, body, (ctx) => {
    const b = objectBody(ctx.state.body, SHIFT);
    ctx.status = 201;
    ctx.body = reports().createShift(principalOf(ctx), b as never);
  });
  router.get('/api/v1/reports/shifts/:id', auth, read, (ctx) => {
    ctx.body = reports().getShift(principalOf(ctx), id(ctx));
  });
  router.patch('/api/v1/reports/shifts/:id', auth, admin, body, (ctx) => {
    const b = withVersion(objectBody(ctx.state.body, [...SHIFT, 'version']));
    ctx.body = reports().updateShift(principalOf(ctx), id(ctx), b as never);
  });
  router.delete('/api/v1/reports/shifts/:id', auth, admin, (ctx) => {
    reports().deleteShift(principalOf(ctx), id(ctx));
    ctx.status = 204;
  });
}
