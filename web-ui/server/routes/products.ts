/**
 * The catalog (商品) under /api/v1/products (bearer): products.read (owner, supervisor, agent)
 * lists, searches (`?q=` over name, spec and sku; `?active=`, `?featured=`) and reads;
 * products.write (owner, supervisor) creates and edits (prices, 主推 featured, on sale).
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type { ProductInput, ProductPatch } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, pageQuery } from '../validate.js';

const FIELDS = ['sku', 'name', 'spec', 'costCents', 'priceCents', 'active', 'featured'];

/** `?name=true|false`, undefined when absent. */
export function queryBool(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(field, 'must be true or false');
}

/** `?name=` as one string of at most `max` characters, undefined when absent. */
export function queryString(value: unknown, field: string, max = 200): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > max) throw invalid(field, `must be one string of at most ${max} characters`);
  return value;
}

export function productsRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });

  router.get('/api/v1/products', auth, permit('products.read'), (ctx) => {
    const q = ctx.query;
    const active = queryBool(q.active, 'active');
    const featured = queryBool(q.featured, 'featured');
    const text = queryString(q.q, 'q');
    ctx.body = service.products.search(principalOf(ctx), {
      ...pageQuery(q),
      ...(text !== undefined ? { q: text } : {}),
      ...(active !== undefined ? { active } : {}),
      ...(featured !== undefined ? { featured } : {}),
    });
  });

  router.post('/api/v1/products', auth, permit('products.write'), body, (ctx) => {
    const b = objectBody(ctx.state.body, FIELDS);
    ctx.status = 201;
    ctx.body = service.products.create(principalOf(ctx), b as unknown as ProductInput);
  });

  router.get('/api/v1/products/:id', auth, permit('products.read'), (ctx) => {
    const p = service.products.get(principalOf(ctx), ctx.params.id ?? '');
    if (!p) throw new CallboxError('NOT_FOUND', `no product ${JSON.stringify(ctx.params.id)}`);
    ctx.body = p;
  });

  router.patch('/api/v1/products/:id', auth, permit('products.write'), body, (ctx) => {
    const b = objectBody(ctx.state.body, [...FIELDS, 'version']);
    ctx.body = service.products.update(principalOf(ctx), ctx.params.id ?? '', b as ProductPatch);
  });
}
