/**
 * The box config under /api/v1 (bearer or session + CSRF; setup.admin: owner and technician),
 * docs/api/config.md:
 * - GET /api/v1/config → { config (secrets redacted), version, restartRequired }, ETag "<version>";
 * - PUT /api/v1/config (the whole document) and PATCH /api/v1/config (JSON merge patch, RFC 7386)
 *   → applied live (box.applyConfig): { version, applied, restartRequired }; an invalid document is
 *   400 VALIDATION_FAILED with details.errors [{ path, message }]; If-Match with a stale version is
 *   409 CONFLICT (details.version is the current one);
 * - POST /api/v1/config/validate (?mode=patch for a merge patch) → { ok, errors }: a dry run.
 */
import type { ConfigApplyResult } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid } from '../validate.js';

/** A config with a large IVR is bigger than most bodies: at least 256 KiB. */
const CONFIG_BODY_LIMIT = 256 * 1024;

function document(ctx: AppContext): Record<string, unknown> {
  const b = ctx.state.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw invalid('body', 'must be a JSON object');
  return b as Record<string, unknown>;
}

function ifMatch(ctx: AppContext): string | undefined {
  const h = ctx.get('If-Match');
  return h === '' ? undefined : h;
}

function answer(ctx: AppContext, r: ConfigApplyResult): void {
  ctx.set('ETag', `"${r.version}"`);
  ctx.body = r;
}

export function configRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const setup = permit('setup.admin');
  const body = jsonBody({ limit: Math.max(jsonLimit, CONFIG_BODY_LIMIT) });

  router.get('/api/v1/config', auth, setup, (ctx) => {
    const snap = service.config.get();
    ctx.set('ETag', `"${snap.version}"`);
    ctx.body = snap;
  });

  router.put('/api/v1/config', auth, setup, body, async (ctx) => {
    const doc = document(ctx);
    const opts = { actor: principalOf(ctx).username, source: 'api' as const, ...optional(ifMatch(ctx)) };
    answer(ctx, await service.config.replace(doc, opts));
  });

  router.patch('/api/v1/config', auth, setup, body, async (ctx) => {
    const patch = document(ctx);
    const opts = { actor: principalOf(ctx).username, source: 'api' as const, ...optional(ifMatch(ctx)) };
    answer(ctx, await service.config.patch(patch, opts));
  });

  router.post('/api/v1/config/validate', auth, setup, body, (ctx) => {
    const mode = ctx.query.mode ?? 'full';
    if (mode !== 'full' && mode !== 'patch') throw invalid('mode', 'must be full or patch');
    const doc = document(ctx);
    ctx.body = mode === 'patch' ? service.config.validatePatch(doc) : service.config.validate(doc);
  });
}

function optional(v: string | undefined): { ifMatch?: string } {
  return v === undefined ? {} : { ifMatch: v };
}
