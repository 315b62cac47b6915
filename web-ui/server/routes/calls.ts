/**
 * Call history: GET /api/v1/calls?limit=N and GET /api/v1/calls/:id (live.read: owner, supervisor,
 * agent). Caller numbers are masked (138****5678) for roles without customers.phones.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { can } from '../../../firmware/src/service/permissions.js';
import { maskPhone } from '../live/snapshot.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid, queryInt } from '../validate.js';
import type { CallOutcome, CallRecord } from '../../../firmware/src/service/types.js';

export const CALLS_LIMIT_DEFAULT = 50;
export const CALLS_LIMIT_MAX = 500;

const OUTCOMES: readonly CallOutcome[] = [
  'answered',
  'abandoned',
  'missed',
  'ivrHangup',
  'noAgent',
  'callback',
  'notAccepted',
  'voicemail',
  'failed',
];

/** `outcome=missed,abandoned` → the list; absent → undefined; anything else names the field. */
export function parseOutcomes(value: unknown): CallOutcome[] | undefined {
  if (value === undefined) return undefined;
  const bad = invalid('outcome', `must be a comma-separated list of ${OUTCOMES.join(', ')}`);
  if (typeof value !== 'string' || value === '') throw bad;
  const list = value.split(',');
  if (!list.every((o) => (OUTCOMES as readonly string[]).includes(o))) throw bad;
  return [...new Set(list)] as CallOutcome[];
}

/** The call as the caller of the API may see it. */
function forViewer(ctx: AppContext): (c: CallRecord) => CallRecord {
  if (can(principalOf(ctx).role, 'customers.phones')) return (c) => c;
  return (c) => ({ ...c, callerId: maskPhone(c.callerId) });
}

export function callsRoutes(router: AppRouter, { service }: RouteDeps): void {
  const auth = bearerAuth(service);
  const read = permit('live.read');

  router.get('/api/v1/calls', auth, read, (ctx) => {
    const limit = queryInt(ctx.query.limit, 'limit', 1, CALLS_LIMIT_MAX, CALLS_LIMIT_DEFAULT);
    const outcomes = parseOutcomes(ctx.query.outcome);
    ctx.body = { calls: service.calls.list(outcomes ? { limit, outcomes } : { limit }).map(forViewer(ctx)) };
  });

  router.get('/api/v1/calls/:id', auth, read, (ctx) => {
    const id = ctx.params.id ?? '';
    const call = service.calls.get(id);
    if (call === null) throw new CallboxError('NOT_FOUND', `no call with id ${JSON.stringify(id)}`, { id });
    ctx.body = forViewer(ctx)(call);
  });
}
