/**
 * The rest of phone sales (bearer): promotions (优惠政策) under /api/v1/promotions, stock requests
 * (要货) under /api/v1/stock-requests, monthly targets (销售目标) and the sales settings under
 * /api/v1/sales. products.read reads them all; products.write (owner, supervisor) changes them.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type {
  PromotionInput,
  PromotionPatch,
  SalesSettings,
  StockRequestChange,
  StockRequestStatus,
} from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, pageQuery } from '../validate.js';
import { queryString } from './products.js';

const PROMO_FIELDS = ['name', 'kind', 'rule', 'productId', 'startsAt', 'endsAt', 'active'];
const STOCK_STATUSES: readonly StockRequestStatus[] = ['requested', 'approved', 'rejected', 'shipped', 'received'];

export function salesRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const read = permit('products.read');
  const write = permit('products.write');

  router.get('/api/v1/promotions', auth, read, (ctx) => {
    const productId = queryString(ctx.query.productId, 'productId', 64);
    const at = queryString(ctx.query.activeAt, 'activeAt', 40);
    let activeAt: number | 'now' | undefined;
    if (at !== undefined) {
      activeAt = at === 'now' ? 'now' : Date.parse(at);
      if (activeAt !== 'now' && !Number.isFinite(activeAt)) throw invalid('activeAt', 'must be "now" or an ISO time');
    }
    ctx.body = service.products.promotions(principalOf(ctx), {
      ...pageQuery(ctx.query),
      ...(productId !== undefined ? { productId } : {}),
      ...(activeAt !== undefined ? { activeAt } : {}),
    });
  });

  router.post('/api/v1/promotions', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, PROMO_FIELDS);
    ctx.status = 201;
    ctx.body = service.products.createPromotion(principalOf(ctx), b as unknown as PromotionInput);
  });

  router.get('/api/v1/promotions/:id', auth, read, (ctx) => {
    const p = service.products.getPromotion(principalOf(ctx), ctx.params.id ?? '');
    if (!p) throw new CallboxError('NOT_FOUND', `no promotion ${JSON.stringify(ctx.params.id)}`);
    ctx.body = p;
  });

  router.patch('/api/v1/promotions/:id', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, [...PROMO_FIELDS, 'version']);
    ctx.body = service.products.updatePromotion(principalOf(ctx), ctx.params.id ?? '', b as PromotionPatch);
  });

  router.get('/api/v1/stock-requests', auth, read, (ctx) => {
    const status = queryString(ctx.query.status, 'status', 20);
    if (status !== undefined && !STOCK_STATUSES.includes(status as StockRequestStatus)) {
      throw invalid('status', `must be one of ${STOCK_STATUSES.join(', ')}`);
    }
    ctx.body = service.products.stockRequests(principalOf(ctx), {
      ...pageQuery(ctx.query),
      ...(status !== undefined ? { status: status as StockRequestStatus } : {}),
    });
  });

  router.post('/api/v1/stock-requests', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['productId', 'qty', 'note']);
    ctx.status = 201;
    ctx.body = service.products.requestStock(principalOf(ctx), b as { productId: string; qty: number; note?: string });
  });

  router.get('/api/v1/stock-requests/:id', auth, read, (ctx) => {
    const s = service.products.getStockRequest(principalOf(ctx), ctx.params.id ?? '');
    if (!s) throw new CallboxError('NOT_FOUND', `no stock request ${JSON.stringify(ctx.params.id)}`);
    ctx.body = s;
  });

  router.post('/api/v1/stock-requests/:id/status', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['status', 'version', 'carrier', 'trackingNo', 'note']);
    ctx.body = service.products.setStockRequestStatus(principalOf(ctx), ctx.params.id ?? '', b as unknown as StockRequestChange);
  });

  router.get('/api/v1/sales/targets', auth, read, (ctx) => {
    const month = queryString(ctx.query.month, 'month', 7);
    if (month === undefined) throw invalid('month', 'is required (YYYY-MM)');
    ctx.body = { items: service.products.targets(principalOf(ctx), month) };
  });

  router.put('/api/v1/sales/targets', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['month', 'personId', 'targetCents']);
    ctx.body = service.products.setTarget(principalOf(ctx), b as { month: string; personId?: string | null; targetCents: number });
  });

  router.get('/api/v1/sales/settings', auth, read, (ctx) => {
    ctx.body = service.products.settings();
  });

  router.patch('/api/v1/sales/settings', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['returnVisitDays']);
    ctx.body = service.products.updateSettings(principalOf(ctx), b as Partial<SalesSettings>);
  });
}
