/** Call history: GET /api/v1/calls?limit=N and GET /api/v1/calls/:id (bearer). */
import { CallboxError } from '../../../firmware/src/errors.js';
import { bearerAuth } from '../middleware/bearer-auth.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { invalid, queryInt } from '../validate.js';
import type { CallOutcome } from '../../../firmware/src/service/types.js';

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

export function callsRoutes(router: AppRouter, { service }: RouteDeps): void {
  const auth = bearerAuth(service);

  router.get('/api/v1/calls', auth, (ctx) => {
    const limit = queryInt(ctx.query.limit, 'limit', 1, CALLS_LIMIT_MAX, CALLS_LIMIT_DEFAULT);
    const outcomes = parseOutcomes(ctx.query.outcome);
    ctx.body = { calls: service.calls.list(outcomes ? { limit, outcomes } : { limit }) };
  });

  router.get('/api/v1/calls/:id', auth, (ctx) => {
    const id = ctx.params.id ?? '';
    const call = service.calls.get(id);
    if (call === null) throw new CallboxError('NOT_FOUND', `no call with id ${JSON.stringify(id)}`, { id });
    ctx.body = call;
  });
}
