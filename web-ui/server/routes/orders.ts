/**
 * Orders (订单) under /api/v1/orders (bearer): orders.read (owner, supervisor, agent) lists,
 * searches (`?q=` over number, customer name/phone, ship name/phone, tracking number; `?status=`,
 * `?customerId=`, `?createdBy=` (who took it), `?from=`/`?to=` local days) and reads with history; orders.write takes orders
 * during a call and moves them through the workflow. Margins per day need reports.read (owner,
 * supervisor): they show the shop's costs.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type { OrderInput, OrderQuery, OrderStatus, OrderStatusChange } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, pageQuery } from '../validate.js';
import { queryString } from './products.js';

const STATUSES: readonly OrderStatus[] = ['new', 'paid', 'shipped', 'delivered', 'returned', 'cancelled'];
const FIELDS = ['customerId', 'phone', 'callId', 'sellerId', 'priceList', 'lines', 'shipName', 'shipPhone', 'shipAddress', 'note'];
const CHANGE_FIELDS = ['status', 'version', 'carrier', 'trackingNo', 'refundCents', 'note'];

export function ordersRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });

  router.get('/api/v1/orders', auth, permit('orders.read'), (ctx) => {
    const q: OrderQuery = pageQuery(ctx.query);
    const text = queryString(ctx.query.q, 'q');
    if (text !== undefined) q.q = text;
    const status = queryString(ctx.query.status, 'status');
    if (status !== undefined) {
      if (!STATUSES.includes(status as OrderStatus)) throw invalid('status', `must be one of ${STATUSES.join(', ')}`);
      q.status = status as OrderStatus;
    }
    const customerId = queryString(ctx.query.customerId, 'customerId', 64);
    if (customerId !== undefined) q.customerId = customerId;
    const createdBy = queryString(ctx.query.createdBy, 'createdBy', 64);
    if (createdBy !== undefined) q.createdBy = createdBy;
    const from = queryString(ctx.query.from, 'from', 10);
    if (from !== undefined) q.from = from;
    const to = queryString(ctx.query.to, 'to', 10);
    if (to !== undefined) q.to = to;
    ctx.body = service.orders.search(principalOf(ctx), q);
  });

  router.post('/api/v1/orders', auth, permit('orders.write'), body, (ctx) => {
    const b = objectBody(ctx.state.body, FIELDS);
    ctx.status = 201;
    ctx.body = service.orders.create(principalOf(ctx), b as unknown as OrderInput);
  });

  router.get('/api/v1/orders/margins', auth, permit('reports.read'), (ctx) => {
    const from = queryString(ctx.query.from, 'from', 10);
    const to = queryString(ctx.query.to, 'to', 10);
    if (from === undefined) throw invalid('from', 'is required (YYYY-MM-DD)');
    if (to === undefined) throw invalid('to', 'is required (YYYY-MM-DD)');
    ctx.body = service.orders.margins(principalOf(ctx), { from, to });
  });

  router.get('/api/v1/orders/:id', auth, permit('orders.read'), (ctx) => {
    const o = service.orders.get(principalOf(ctx), ctx.params.id ?? '');
    if (!o) throw new CallboxError('NOT_FOUND', `no order ${JSON.stringify(ctx.params.id)}`);
    ctx.body = o;
  });

  router.get('/api/v1/orders/:id/events', auth, permit('orders.read'), (ctx) => {
    ctx.body = { items: service.orders.events(principalOf(ctx), ctx.params.id ?? '') };
  });

  router.post('/api/v1/orders/:id/status', auth, permit('orders.write'), body, (ctx) => {
    const b = objectBody(ctx.state.body, CHANGE_FIELDS);
    ctx.body = service.orders.setStatus(principalOf(ctx), ctx.params.id ?? '', b as unknown as OrderStatusChange);
  });
}
