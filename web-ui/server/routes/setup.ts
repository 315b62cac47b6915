/**
 * First-run setup wizard (设置向导):
 * - GET /api/v1/setup/state (no auth): `{ needed }` — true while the box has no owner account;
 * - POST /api/v1/setup/owner (no auth; the one-time setup code is the credential, counted by the
 *   login limiter): `{ code, password }` → the owner account, signed in with a session cookie
 *   (the answer is that of /auth/login: username, role, permissions, csrfToken);
 * - GET /api/v1/setup/hardware (setup.admin): shop name, the driver's lines and extensions, agents;
 * - POST /api/v1/setup/apply (setup.admin): `{ shopName, lines, agents }` → written through
 *   service.config (validated, live where it can be; `restartRequired` lists the rest);
 * - GET /api/v1/setup/time (setup.admin): the box's clock, zones and NTP (setup-time.ts).
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { ROLE_PERMISSIONS } from '../../../firmware/src/service/permissions.js';
import { csrfTokenFor, setSessionCookie } from '../auth/session.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import { parseWizardInput, WIZARD_LINE_KINDS, wizardConfig } from '../setup/wizard-config.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { setupTimeRoutes } from './setup-time.js';
import { objectBody, requiredString } from '../validate.js';

/** The limiter's key for setup-code tries (one counter for the whole box, plus per address). */
const SETUP_KEY = '#setup-code';

/**
 * Run a setup-code check under the login limiter (shared by this route and POST /api/v1/auth/setup):
 * 429 RATE_LIMITED + Retry-After while locked, a wrong code (BAD_CREDENTIALS) counted.
 */
export async function limitedSetupTry<T>(limiter: RouteDeps['limiter'], ctx: AppContext, fn: () => Promise<T>): Promise<T> {
  try {
    limiter.check(SETUP_KEY, ctx.ip);
  } catch (err) {
    const retry = (err as CallboxError).details as { retryAfterS?: number } | undefined;
    if (retry?.retryAfterS) ctx.set('Retry-After', String(retry.retryAfterS));
    throw err;
  }
  try {
    const result = await fn();
    limiter.succeeded(SETUP_KEY);
    return result;
  } catch (err) {
    if (err instanceof CallboxError && err.code === 'BAD_CREDENTIALS') limiter.failed(SETUP_KEY, ctx.ip);
    throw err;
  }
}

export function setupRoutes(router: AppRouter, deps: RouteDeps): void {
  const { service, jsonLimit, limiter } = deps;
  const body = jsonBody({ limit: jsonLimit });
  const auth = bearerAuth(service);
  setupTimeRoutes(router, deps);

  router.get('/api/v1/setup/state', (ctx) => {
    ctx.body = { needed: !service.auth.hasOwner() };
  });

  router.post('/api/v1/setup/owner', body, async (ctx: AppContext) => {
    const b = objectBody(ctx.state.body, ['code', 'password']);
    const code = requiredString(b, 'code', { max: 32 });
    const password = requiredString(b, 'password', { max: 128 });
    if (service.auth.hasOwner()) throw new CallboxError('CONFLICT', 'the owner account is already set up; sign in instead');
    const bearer = (await limitedSetupTry(limiter, ctx, () => service.auth.setupOwner(code.trim(), password))).token;
    const owner = service.auth.verify(bearer);
    service.auth.logout(bearer); // the browser gets a session instead
    if (owner === null) throw new CallboxError('INTERNAL', 'the new owner account does not verify');
    const grant = await service.auth.login(owner.username, password, 'session');
    setSessionCookie(ctx, grant.token, grant.expiresAt);
    ctx.body = {
      username: owner.username,
      role: owner.role,
      agentId: null,
      permissions: ROLE_PERMISSIONS[owner.role],
      csrfToken: csrfTokenFor(grant.token),
      expiresAt: grant.expiresAt,
    };
  });

  router.get('/api/v1/setup/hardware', auth, permit('setup.admin'), (ctx) => {
    const config = service.config.get().config;
    const channels = service.health().channels;
    ctx.body = {
      shopName: config.shop.name,
      lines: channels
        .filter((c) => WIZARD_LINE_KINDS.includes(c.kind))
        .map((c) => ({ channel: c.id, kind: c.kind, state: c.state, inUse: config.lines.some((l) => l.channel === c.id) })),
      extensions: channels.filter((c) => c.kind === 'fxs').map((c) => ({ channel: c.id, state: c.state })),
      agents: config.agents.map((a) => ({ id: a.id, name: a.name, extension: a.extension })),
    };
  });

  router.post('/api/v1/setup/apply', auth, permit('setup.admin'), body, async (ctx) => {
    const input = parseWizardInput(ctx.state.body);
    const snapshot = service.config.get();
    const next = wizardConfig(snapshot.config, service.health().channels, input);
    const result = await service.config.replace(next, { actor: principalOf(ctx).username, source: 'api', ifMatch: snapshot.version });
    ctx.body = { applied: result.applied, restartRequired: result.restartRequired, version: result.version };
  });
}
