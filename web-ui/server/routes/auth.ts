/**
 * Auth: POST /api/v1/auth/token (login), POST /api/v1/auth/logout (bearer), POST /api/v1/auth/setup
 * (first boot, no auth), GET /api/v1/me (bearer).
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type { TokenGrant } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { objectBody, requiredString } from '../validate.js';

const FIELD = { max: 128 } as const;

/** Only the grant's two fields leave the box, whatever else the service returns. */
function grantBody(g: TokenGrant): TokenGrant {
  return { token: g.token, expiresAt: g.expiresAt };
}

export function authRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const body = jsonBody({ limit: jsonLimit });

  router.post('/api/v1/auth/token', body, async (ctx) => {
    const b = objectBody(ctx.state.body, ['username', 'password']);
    const username = requiredString(b, 'username', FIELD);
    const password = requiredString(b, 'password', FIELD);
    ctx.body = grantBody(await service.auth.login(username, password));
  });

  router.post('/api/v1/auth/logout', bearerAuth(service), (ctx) => {
    const token = ctx.state.token;
    if (token !== undefined) service.auth.logout(token);
    ctx.status = 204;
  });

  router.post('/api/v1/auth/setup', body, async (ctx) => {
    const b = objectBody(ctx.state.body, ['code', 'password']);
    const code = requiredString(b, 'code', FIELD);
    const password = requiredString(b, 'password', FIELD);
    if (service.auth.hasOwner()) throw new CallboxError('CONFLICT', 'the owner account is already set up');
    ctx.body = grantBody(await service.auth.setupOwner(code, password));
  });

  router.get('/api/v1/me', bearerAuth(service), (ctx) => {
    const p = principalOf(ctx);
    ctx.body = { username: p.username, role: p.role };
  });
}
