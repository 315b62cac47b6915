/** Call history: GET /api/v1/calls?limit=N and GET /api/v1/calls/:id (bearer). */
import { CallboxError } from '../../../firmware/src/errors.js';
import { bearerAuth } from '../middleware/bearer-auth.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { queryInt } from '../validate.js';

export const CALLS_LIMIT_DEFAULT = 50;
export const CALLS_LIMIT_MAX = 500;

export function callsRoutes(router: AppRouter, { service }: RouteDeps): void {
  const auth = bearerAuth(service);

  router.get('/api/v1/calls', auth, (ctx) => {
    const limit = queryInt(ctx.query.limit, 'limit', 1, CALLS_LIMIT_MAX, CALLS_LIMIT_DEFAULT);
    ctx.body = { calls: service.calls.list({ limit }) };
  });

  router.get('/api/v1/calls/:id', auth, (ctx) => {
    const id = ctx.params.id ?? '';
    const call = service.calls.get(id);
    if (call === null) throw new CallboxError('NOT_FOUND', `no call with id ${JSON.stringify(id)}`, { id });
    ctx.body = call;
  });
}
