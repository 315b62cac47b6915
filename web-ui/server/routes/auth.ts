/**
 * Auth: POST /api/v1/auth/token (login for API clients), POST /api/v1/auth/login (browser: session
 * cookie + CSRF token), GET /api/v1/auth/session, POST /api/v1/auth/logout, /logout-all,
 * /password, POST /api/v1/auth/setup (first boot, no auth), GET /api/v1/me. Both logins go
 * through the login limiter (429 RATE_LIMITED + Retry-After when locked out).
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { ROLE_PERMISSIONS } from '../../../firmware/src/service/permissions.js';
import type { TokenGrant, TokenKind } from '../../../firmware/src/service/types.js';
import { clearSessionCookie, csrfTokenFor, setSessionCookie } from '../auth/session.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { limitedSetupTry } from './setup.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { objectBody, requiredString } from '../validate.js';

const FIELD = { max: 128 } as const;

/** Only the grant's two fields leave the box, whatever else the service returns. */
function grantBody(g: TokenGrant): TokenGrant {
  return { token: g.token, expiresAt: g.expiresAt };
}

export function authRoutes(router: AppRouter, { service, jsonLimit, limiter }: RouteDeps): void {
  const body = jsonBody({ limit: jsonLimit });
  const auth = bearerAuth(service);

  /** Check the limiter, then the password; count the failure or clear the count. */
  async function limitedLogin(ctx: AppContext, kind: TokenKind): Promise<{ username: string; grant: TokenGrant }> {
    const b = objectBody(ctx.state.body, ['username', 'password']);
    const username = requiredString(b, 'username', FIELD);
    const password = requiredString(b, 'password', FIELD);
    try {
      limiter.check(username, ctx.ip);
    } catch (err) {
      const retry = (err as CallboxError).details as { retryAfterS?: number } | undefined;
      if (retry?.retryAfterS) ctx.set('Retry-After', String(retry.retryAfterS));
      throw err;
    }
    try {
      const grant = await service.auth.login(username, password, kind);
      limiter.succeeded(username);
      return { username, grant };
    } catch (err) {
      if (err instanceof CallboxError && err.code === 'BAD_CREDENTIALS') limiter.failed(username, ctx.ip);
      throw err;
    }
  }

  function sessionBody(ctx: AppContext, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const p = principalOf(ctx);
    const user = service.auth.getUser(p.username);
    return {
      username: p.username,
      role: p.role,
      agentId: user?.agentId ?? null,
      permissions: ROLE_PERMISSIONS[p.role],
      ...(ctx.state.via === 'session' && ctx.state.token ? { csrfToken: csrfTokenFor(ctx.state.token) } : {}),
      ...extra,
    };
  }

  router.post('/api/v1/auth/token', body, async (ctx) => {
    ctx.body = grantBody((await limitedLogin(ctx, 'bearer')).grant);
  });

  router.post('/api/v1/auth/login', body, async (ctx) => {
    const { username, grant } = await limitedLogin(ctx, 'session');
    const principal = service.auth.verify(grant.token, 'session');
    if (principal === null) throw new CallboxError('INTERNAL', `the new session of ${username} does not verify`);
    setSessionCookie(ctx, grant.token, grant.expiresAt);
    ctx.state.principal = principal;
    ctx.state.token = grant.token;
    ctx.state.via = 'session';
    ctx.body = sessionBody(ctx, { expiresAt: grant.expiresAt });
  });

  router.get('/api/v1/auth/session', auth, (ctx) => {
    ctx.body = sessionBody(ctx);
  });

  router.post('/api/v1/auth/logout', auth, (ctx) => {
    const token = ctx.state.token;
    if (token !== undefined) service.auth.logout(token);
    if (ctx.state.via === 'session') clearSessionCookie(ctx);
    ctx.status = 204;
  });

  router.post('/api/v1/auth/logout-all', auth, (ctx) => {
    const revoked = service.auth.logoutAll(principalOf(ctx).username);
    if (ctx.state.via === 'session') clearSessionCookie(ctx);
    ctx.body = { revoked };
  });

  router.post('/api/v1/auth/password', auth, body, async (ctx) => {
    const b = objectBody(ctx.state.body, ['oldPassword', 'newPassword']);
    const oldPassword = requiredString(b, 'oldPassword', FIELD);
    const newPassword = requiredString(b, 'newPassword', { max: 1024 });
    await service.auth.changePassword(principalOf(ctx).username, oldPassword, newPassword, ctx.state.token);
    ctx.status = 204;
  });

  router.post('/api/v1/auth/setup', body, async (ctx) => {
    const b = objectBody(ctx.state.body, ['code', 'password']);
    const code = requiredString(b, 'code', FIELD);
    const password = requiredString(b, 'password', FIELD);
    if (service.auth.hasOwner()) throw new CallboxError('CONFLICT', 'the owner account is already set up');
    // the same try counter as the wizard's POST /api/v1/setup/owner: no second door to guess the code
    ctx.body = grantBody(await limitedSetupTry(limiter, ctx, () => service.auth.setupOwner(code, password)));
  });

  router.get('/api/v1/me', auth, (ctx) => {
    const p = principalOf(ctx);
    ctx.body = { username: p.username, role: p.role };
  });
}
