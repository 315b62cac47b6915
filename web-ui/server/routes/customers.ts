/**
 * Customers (客户) under /api/v1 (bearer; permissions from firmware/src/service/permissions.ts):
 * CRUD and search (customers.read / customers.write; numbers masked for roles without
 * customers.phones), the screen pop (来电弹屏) by customer, number or call, CSV import
 * (customers.import: a text/csv body, UTF-8 or GBK, ≤ 5 MB) and export (customers.export: UTF-8
 * with BOM), and personal data on request (customers.erase: JSON export and erasure).
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type { CustomerInput, CustomerQuery } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import { rawBody } from '../middleware/raw-body.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, optionalNumber, pageQuery, requiredString } from '../validate.js';
import { contentDisposition } from '../content-disposition.js';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const FIELDS = ['name', 'phones', 'tags', 'notes', 'consent', 'doNotCall'];
const CSV_TYPES = ['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel', 'application/octet-stream'];

/** A single-valued query string parameter, or undefined. */
function queryString(ctx: AppContext, field: string, max: number): string | undefined {
  const v = ctx.query[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > max) throw invalid(field, `must be one string of at most ${max} characters`);
  return v;
}

function idParam(ctx: AppContext): string {
  return requiredString({ id: ctx.params.id ?? '' }, 'id', { max: 64 });
}

export function customersRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const read = permit('customers.read');
  const write = permit('customers.write');
  const c = () => service.customers;

  router.get('/api/v1/customers', auth, read, (ctx) => {
    const q: CustomerQuery = pageQuery(ctx.query);
    const text = queryString(ctx, 'q', 100);
    const tag = queryString(ctx, 'tag', 32);
    if (text !== undefined) q.q = text;
    if (tag !== undefined) q.tag = tag;
    ctx.body = c().search(principalOf(ctx), q);
  });

  router.post('/api/v1/customers', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, FIELDS) as CustomerInput;
    ctx.status = 201;
    ctx.body = c().create(principalOf(ctx), b);
  });

  // before /customers/:id, which would take "export.csv" for an id
  router.get('/api/v1/customers/export.csv', auth, permit('customers.export'), (ctx) => {
    const tag = queryString(ctx, 'tag', 32);
    const csv = c().exportCsv(principalOf(ctx), tag ? { tag } : {});
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', contentDisposition('attachment', `customers-${day}.csv`));
    ctx.body = csv;
  });

  router.post('/api/v1/customers/import', auth, permit('customers.import'), async (ctx) => {
    if (!ctx.request.is(...CSV_TYPES)) {
      throw new CallboxError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be text/csv (got ${ctx.get('Content-Type') || 'none'})`);
    }
    const bytes = await rawBody(ctx.req, MAX_IMPORT_BYTES);
    if (bytes.length === 0) throw invalid('body', 'must be a CSV file (it is empty)');
    ctx.body = c().importCsv(principalOf(ctx), bytes);
  });

  router.get('/api/v1/customers/:id', auth, read, (ctx) => {
    const id = idParam(ctx);
    const found = c().get(principalOf(ctx), id);
    if (!found) throw new CallboxError('NOT_FOUND', `no customer ${JSON.stringify(id)}`);
    ctx.body = found;
  });

  router.patch('/api/v1/customers/:id', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, [...FIELDS, 'version']);
    const version = optionalNumber(b, 'version', 1, Number.MAX_SAFE_INTEGER);
    if (version !== undefined && !Number.isInteger(version)) throw invalid('version', 'must be an integer ≥ 1');
    ctx.body = c().update(principalOf(ctx), idParam(ctx), b as CustomerInput & { version?: number });
  });

  router.get('/api/v1/customers/:id/screen-pop', auth, read, (ctx) => {
    ctx.body = c().screenPop(principalOf(ctx), { customerId: idParam(ctx) });
  });

  router.get('/api/v1/screen-pop', auth, read, (ctx) => {
    const phone = queryString(ctx, 'phone', 40);
    const callId = queryString(ctx, 'callId', 64);
    if ((phone === undefined) === (callId === undefined)) throw invalid('phone', 'or callId is required (one of them)');
    ctx.body = c().screenPop(principalOf(ctx), phone !== undefined ? { phone } : { callId: callId as string });
  });

  router.get('/api/v1/customers/:id/personal-data', auth, permit('customers.erase'), (ctx) => {
    const id = idParam(ctx);
    ctx.body = c().personalData(principalOf(ctx), id); // an unknown id: 404 before any header
    ctx.set('Content-Disposition', contentDisposition('attachment', `customer-${id}.json`));
  });

  router.post('/api/v1/customers/:id/erase', auth, permit('customers.erase'), body, (ctx) => {
    const b = objectBody(ctx.state.body, ['reason']);
    const reason = requiredString(b, 'reason', { max: 500 });
    ctx.body = c().erase(principalOf(ctx), idParam(ctx), reason);
  });
}
