/**
 * The audit trail (审计日志) under /api/v1 (bearer; audit.read: the owner): who exported, erased,
 * imported or viewed personal data, newest first, filtered by entity, entity id, actor and action,
 * paged backwards with `before` (the last `seq` of the previous page).
 */
import type { AuditQuery } from '../../../firmware/src/service/types.js';
import { bearerAuth } from '../middleware/bearer-auth.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { invalid, queryInt } from '../validate.js';

const FILTERS = ['entity', 'entityId', 'actor', 'action'] as const;

export function auditRoutes(router: AppRouter, { service }: RouteDeps): void {
  router.get('/api/v1/audit', bearerAuth(service), permit('audit.read'), (ctx) => {
    const q: AuditQuery = { limit: queryInt(ctx.query.limit, 'limit', 1, 1000, 100) };
    for (const f of FILTERS) {
      const v = ctx.query[f];
      if (v === undefined) continue;
      if (typeof v !== 'string' || v === '' || v.length > 64) throw invalid(f, 'must be one string of 1..64 characters');
      q[f] = v;
    }
    if (ctx.query.before !== undefined) q.beforeSeq = queryInt(ctx.query.before, 'before', 1, Number.MAX_SAFE_INTEGER, 1);
    const items = service.audit.list(q);
    ctx.body = { items, next: items.length === q.limit ? (items[items.length - 1]?.seq ?? null) : null };
  });
}
