/**
 * Call history: GET /api/v1/calls (filters: limit, offset, outcome, from, to, queue, agent, number)
 * and GET /api/v1/calls/:id (live.read: owner, supervisor, agent). Caller numbers are masked
 * (138****5678) for roles without customers.phones.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { can } from '../../../firmware/src/service/permissions.js';
import { maskPhone } from '../live/snapshot.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid, queryInt } from '../validate.js';
import type { CallListQuery, CallOutcome, CallRecord } from '../../../firmware/src/service/types.js';

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

/** `from`/`to`: an ISO 8601 date-time with a zone, or a date `YYYY-MM-DD` (UTC midnight). */
export function queryTime(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ok = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value);
  const t = ok ? Date.parse(value as string) : Number.NaN;
  if (!Number.isFinite(t)) throw invalid(field, 'must be an ISO 8601 date-time with a zone (2026-11-27T00:00:00+08:00) or a date');
  return t;
}

/** An id of 1..64 letters, digits, _ . - (undefined when absent). */
export function queryId(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(value))
    throw invalid(field, 'must be an id of 1..64 letters, digits, _ . -');
  return value;
}

/** The query of GET /api/v1/calls: limit, offset, outcome, from, to, queue, agent, number. */
export function callQuery(query: Record<string, unknown>): CallListQuery {
  const q: CallListQuery = {
    limit: queryInt(query.limit, 'limit', 1, CALLS_LIMIT_MAX, CALLS_LIMIT_DEFAULT),
  };
  const offset = queryInt(query.offset, 'offset', 0, 100_000_000, 0);
  if (offset > 0) q.offset = offset;
  const outcomes = parseOutcomes(query.outcome);
  if (outcomes) q.outcomes = outcomes;
  const from = queryTime(query.from, 'from');
  if (from !== undefined) q.from = from;
  const to = queryTime(query.to, 'to');
  if (to !== undefined) q.to = to;
  if (from !== undefined && to !== undefined && to <= from) throw invalid('to', 'must be after from');
  const queue = queryId(query.queue, 'queue');
  if (queue !== undefined) q.queue = queue;
  const agent = queryId(query.agent, 'agent');
  if (agent !== undefined) q.agent = agent;
  if (query.number !== undefined) {
    const n = query.number;
    if (typeof n !== 'string' || !/^\+?[0-9]{1,20}$/.test(n))
      throw invalid('number', 'must be 1..20 digits (a part of the number is enough)');
    q.number = n.replace(/^\+/, '');
  }
  return q;
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
    const q = callQuery(ctx.query);
    if (q.number !== undefined && !can(principalOf(ctx).role, 'customers.phones')) {
      // Masked viewers see the last 4 digits only: a longer search, or digits matched elsewhere in
      // the number, would reveal the hidden ones. Their search matches the end of the number.
      if (q.number.length > 4)
        throw new CallboxError('FORBIDDEN', 'number: your role may search by the last 4 digits only', { field: 'number' });
      q.numberAtEnd = true;
    }
    ctx.body = { calls: service.calls.list(q).map(forViewer(ctx)) };
  });

  router.get('/api/v1/calls/:id', auth, read, (ctx) => {
    const id = ctx.params.id ?? '';
    const call = service.calls.get(id);
    if (call === null) throw new CallboxError('NOT_FOUND', `no call with id ${JSON.stringify(id)}`, { id });
    ctx.body = forViewer(ctx)(call);
  });
}
