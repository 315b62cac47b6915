/**
 * The shop's money under /api/v1/finance (bearer). finance.read / finance.write (owner only):
 * people and their approval, commission rules, profit, settlements and closing a month, every
 * commission entry. finance.own (agents, supervisors, owner): file an application (申请) and see
 * one's own settlement and entries (`/me`, the principal's username = people.username).
 * Expenses and salaries: finance-ledger.ts.
 */
import type {
  CommissionQuery,
  CommissionRules,
  CommissionStatus,
  PeopleQuery,
  PersonApplication,
  PersonKind,
  PersonPatch,
  PersonStatus,
} from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, pageQuery } from '../validate.js';
import { financeLedgerRoutes, monthQuery } from './finance-ledger.js';

const KINDS: readonly PersonKind[] = ['staff', 'salesperson', 'distributor'];
const STATUSES: readonly PersonStatus[] = ['applied', 'approved', 'rejected', 'left'];
const ENTRY_STATUSES: readonly CommissionStatus[] = ['pending', 'settled', 'reversed'];
const PERSON_FIELDS = ['name', 'kind', 'phone', 'agentId', 'username', 'inviterId', 'note'];

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw invalid(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** The optional `{ version }` body of a workflow move. */
function versionOf(ctx: AppContext): number | undefined {
  if (ctx.state.body === undefined) return undefined;
  const b = objectBody(ctx.state.body, ['version']);
  if (b.version === undefined) return undefined;
  if (typeof b.version !== 'number' || !Number.isInteger(b.version)) throw invalid('version', 'must be an integer');
  return b.version;
}

export function financeRoutes(router: AppRouter, deps: RouteDeps): void {
  const { service, jsonLimit } = deps;
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const base = '/api/v1/finance';

  router.get(`${base}/people`, auth, permit('finance.read'), (ctx) => {
    const q: PeopleQuery = pageQuery(ctx.query);
    const kind = oneOf(ctx.query.kind, 'kind', KINDS);
    const status = oneOf(ctx.query.status, 'status', STATUSES);
    if (kind) q.kind = kind;
    if (status) q.status = status;
    if (ctx.query.q !== undefined) {
      if (typeof ctx.query.q !== 'string' || ctx.query.q.length > 100) throw invalid('q', 'must be a string of 0..100 characters');
      q.q = ctx.query.q;
    }
    ctx.body = service.finance.listPeople(principalOf(ctx), q);
  });

  router.get(`${base}/people/:id`, auth, permit('finance.read'), (ctx) => {
    ctx.body = service.finance.person(principalOf(ctx), ctx.params.id ?? '');
  });

  // An application: an agent (on the phone with a would-be 销售员) or the owner files it.
  router.post(`${base}/people`, auth, permit('finance.own'), body, (ctx) => {
    const b = objectBody(ctx.state.body, PERSON_FIELDS);
    ctx.status = 201;
    ctx.body = service.finance.apply(principalOf(ctx), b as unknown as PersonApplication);
  });

  router.patch(`${base}/people/:id`, auth, permit('finance.write'), body, (ctx) => {
    const b = objectBody(ctx.state.body, ['name', 'phone', 'agentId', 'username', 'inviterId', 'bonusCapCents', 'note', 'version']);
    ctx.body = service.finance.updatePerson(principalOf(ctx), ctx.params.id ?? '', b as PersonPatch);
  });

  for (const [action, move] of [
    ['approve', 'approve'],
    ['reject', 'reject'],
    ['leave', 'leave'],
  ] as const) {
    router.post(`${base}/people/:id/${action}`, auth, permit('finance.write'), body, (ctx) => {
      ctx.body = service.finance[move](principalOf(ctx), ctx.params.id ?? '', versionOf(ctx));
    });
  }

  router.get(`${base}/rules`, auth, permit('finance.read'), (ctx) => {
    ctx.body = service.finance.rules();
  });

  router.put(`${base}/rules`, auth, permit('finance.write'), body, (ctx) => {
    ctx.body = service.finance.setRules(principalOf(ctx), ctx.state.body as CommissionRules);
  });

  router.get(`${base}/profit`, auth, permit('finance.read'), (ctx) => {
    ctx.body = service.finance.profit(principalOf(ctx), monthQuery(ctx.query.month));
  });

  router.get(`${base}/settlements`, auth, permit('finance.read'), (ctx) => {
    ctx.body = service.finance.settlement(principalOf(ctx), monthQuery(ctx.query.month));
  });

  router.post(`${base}/settlements/:month/close`, auth, permit('finance.write'), (ctx) => {
    ctx.body = service.finance.closeMonth(principalOf(ctx), monthQuery(ctx.params.month));
  });

  router.get(`${base}/commissions`, auth, permit('finance.read'), (ctx) => {
    const q: CommissionQuery = pageQuery(ctx.query);
    if (ctx.query.month !== undefined) q.month = monthQuery(ctx.query.month);
    if (ctx.query.personId !== undefined) {
      if (typeof ctx.query.personId !== 'string') throw invalid('personId', 'must be a string');
      q.personId = ctx.query.personId;
    }
    const status = oneOf(ctx.query.status, 'status', ENTRY_STATUSES);
    if (status) q.status = status;
    ctx.body = service.finance.commissions(principalOf(ctx), q);
  });

  router.get(`${base}/me`, auth, permit('finance.own'), (ctx) => {
    ctx.body = service.finance.mine(principalOf(ctx), monthQuery(ctx.query.month));
  });

  financeLedgerRoutes(router, deps);
}
