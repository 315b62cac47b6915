/**
 * Follow-up lists (回访) under /api/v1/followups (bearer): lists (followups.read / .write), items
 * added by hand or imported from customers by tag (followups.write), and the agent's preview
 * offer — see it, accept (the box rings the agent's phone, then dials the customer), skip, record
 * the outcome (followups.work); callbacks (回拨预约) an agent schedules for themself or the team on
 * the built-in 回拨 list, lists for the day and calls now (followups.work / .read). An agent works
 * as the ACD agent linked to their user (else the one named like the user); owner and supervisor
 * may act for any agent with `agent`.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { can } from '../../../firmware/src/service/permissions.js';
import type {
  FollowupItemState,
  FollowupOutcome,
  FollowupPurpose,
  ItemPatch,
  ItemQuery,
  ListInput,
  ListPatch,
  Principal,
} from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid, type JsonObject, objectBody, optionalPageQuery, optionalString, pageOf, pageQuery } from '../validate.js';

const PURPOSES: readonly FollowupPurpose[] = ['return_visit', 'satisfaction', 'order_confirmation', 'other'];
const STATES: readonly FollowupItemState[] = ['pending', 'offered', 'dialing', 'done', 'failed', 'skipped', 'cancelled'];
const OUTCOMES: readonly FollowupOutcome[] = ['reached', 'no_answer', 'busy', 'wrong_number', 'refused', 'callback_later'];
const LIST_FIELDS = ['name', 'purpose', 'callingHours', 'maxAttempts', 'retryDelayMin', 'script', 'active'];
const ID = { max: 64 };

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw invalid(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** An ISO 8601 time (e.g. "2026-11-27T02:00:00Z") → epoch ms. */
function isoTime(value: unknown, field: string): number {
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid(field, 'must be an ISO 8601 time like 2026-11-27T10:00:00+08:00');
  return ms;
}

function optionalIso(o: JsonObject, field: string): number | undefined {
  return o[field] === undefined ? undefined : isoTime(o[field], field);
}

function versionOf(o: JsonObject): number | undefined {
  const v = o.version;
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw invalid('version', 'must be a positive integer');
  return v;
}

/** The fields of a list body, passed on for the service to check ranges and calling hours. */
function listFields(b: JsonObject): ListPatch {
  const out: ListPatch = {};
  if (b.name !== undefined) out.name = b.name as string;
  if (b.purpose !== undefined) out.purpose = oneOf(b.purpose, 'purpose', PURPOSES);
  if (b.callingHours !== undefined) out.callingHours = b.callingHours as ListInput['callingHours'];
  if (b.maxAttempts !== undefined) out.maxAttempts = b.maxAttempts as number;
  if (b.retryDelayMin !== undefined) out.retryDelayMin = b.retryDelayMin as number;
  if (b.script !== undefined) out.script = b.script as string;
  if (b.active !== undefined) out.active = b.active as boolean;
  return out;
}

/**
 * The ACD agent the caller works as: the agent linked to their user (else their user name), or
 * `agent` for owner/supervisor.
 */
function agentOf(service: RouteDeps['service'], who: Principal, requested: unknown): string {
  const own = service.auth.getUser(who.username)?.agentId ?? who.username;
  if (requested === undefined || requested === own) return own;
  if (typeof requested !== 'string' || requested.length < 1 || requested.length > 64) throw invalid('agent', 'must be an agent id');
  if (who.role !== 'owner' && who.role !== 'supervisor') {
    throw new CallboxError('FORBIDDEN', `role ${who.role} may only work as themselves (agent ${own})`);
  }
  return requested;
}

/** A callback time: epoch ms, an ISO time with its zone, or the shop's wall time "2026-11-27T16:00" (passed on as is). */
function callbackTime(value: unknown, field = 'at'): number | string {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return value;
  if (typeof value === 'string' && /(Z|[+-]\d{2}:?\d{2})$/.test(value)) return isoTime(value, field);
  throw invalid(
    field,
    value === undefined ? 'is required' : 'must be a time like 2026-11-27T16:00 (the shop clock) or an ISO time with its zone',
  );
}

export function followupsRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const read = permit('followups.read');
  const write = permit('followups.write');
  const work = permit('followups.work');
  const f = () => service.followups;
  const id = (ctx: AppContext) => ctx.params.id ?? '';

  // ---- lists ----
  router.get('/api/v1/followups/lists', auth, read, (ctx) => {
    ctx.body = pageOf(f().lists(principalOf(ctx)), optionalPageQuery(ctx.query));
  });
  router.post('/api/v1/followups/lists', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, LIST_FIELDS);
    if (b.name === undefined) throw invalid('name', 'is required');
    const input = { ...listFields(b), purpose: oneOf(b.purpose, 'purpose', PURPOSES) } as ListInput;
    ctx.status = 201;
    ctx.body = f().createList(principalOf(ctx), input);
  });
  router.get('/api/v1/followups/lists/:id', auth, read, (ctx) => {
    const list = f().getList(principalOf(ctx), id(ctx));
    if (!list) throw new CallboxError('NOT_FOUND', `no follow-up list ${JSON.stringify(id(ctx))}`);
    ctx.body = list;
  });
  router.patch('/api/v1/followups/lists/:id', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, [...LIST_FIELDS, 'version']);
    const version = versionOf(b);
    ctx.body = f().updateList(principalOf(ctx), id(ctx), { ...listFields(b), ...(version ? { version } : {}) });
  });
  router.delete('/api/v1/followups/lists/:id', auth, write, (ctx) => {
    f().deleteList(principalOf(ctx), id(ctx));
    ctx.status = 204;
  });

  // ---- items ----
  router.post('/api/v1/followups/lists/:id/items', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['phone', 'customerId', 'dueAt', 'ticketId', 'orderId', 'assignee', 'note']);
    const phone = optionalString(b, 'phone', { max: 32 });
    const customerId = optionalString(b, 'customerId', { ...ID, nullable: true });
    const dueAt = optionalIso(b, 'dueAt');
    const input = {
      ...(phone ? { phone } : {}),
      customerId: customerId ?? null,
      ...(dueAt !== undefined ? { dueAt } : {}),
      ticketId: optionalString(b, 'ticketId', { ...ID, nullable: true }) ?? null,
      orderId: optionalString(b, 'orderId', { ...ID, nullable: true }) ?? null,
      assignee: optionalString(b, 'assignee', { ...ID, nullable: true }) ?? null,
      ...(b.note !== undefined ? { note: optionalString(b, 'note', { min: 0, max: 2000 }) as string } : {}),
    };
    ctx.status = 201;
    ctx.body = f().addItem(principalOf(ctx), id(ctx), input);
  });
  router.post('/api/v1/followups/lists/:id/import', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['tag', 'dueAt', 'note']);
    const tag = optionalString(b, 'tag', { max: 32 });
    if (!tag) throw invalid('tag', 'is required');
    const dueAt = optionalIso(b, 'dueAt');
    const note = optionalString(b, 'note', { min: 0, max: 2000 });
    ctx.body = f().importByTag(principalOf(ctx), id(ctx), {
      tag,
      ...(dueAt !== undefined ? { dueAt } : {}),
      ...(note != null ? { note } : {}),
    });
  });
  router.get('/api/v1/followups/items', auth, read, (ctx) => {
    const q: ItemQuery = pageQuery(ctx.query);
    for (const key of ['listId', 'customerId', 'ticketId', 'orderId'] as const) {
      const v = ctx.query[key];
      if (v === undefined) continue;
      if (typeof v !== 'string' || v.length < 1 || v.length > 64) throw invalid(key, 'must be an id');
      q[key] = v;
    }
    if (ctx.query.state !== undefined) q.state = oneOf(ctx.query.state, 'state', STATES);
    if (ctx.query.due !== undefined) q.due = oneOf(ctx.query.due, 'due', ['true', 'false']) === 'true';
    ctx.body = f().items(principalOf(ctx), q);
  });
  router.get('/api/v1/followups/items/:id', auth, read, (ctx) => {
    const item = f().getItem(principalOf(ctx), id(ctx));
    if (!item) throw new CallboxError('NOT_FOUND', `no follow-up item ${JSON.stringify(id(ctx))}`);
    ctx.body = item;
  });
  router.patch('/api/v1/followups/items/:id', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['dueAt', 'assignee', 'note', 'version']);
    const patch: ItemPatch = {};
    const dueAt = optionalIso(b, 'dueAt');
    if (dueAt !== undefined) patch.dueAt = dueAt;
    const assignee = optionalString(b, 'assignee', { ...ID, nullable: true });
    if (assignee !== undefined) patch.assignee = assignee;
    const note = optionalString(b, 'note', { min: 0, max: 2000 });
    if (note != null) patch.note = note;
    const version = versionOf(b);
    if (version) patch.version = version;
    ctx.body = f().updateItem(principalOf(ctx), id(ctx), patch);
  });
  router.post('/api/v1/followups/items/:id/cancel', auth, write, (ctx) => {
    ctx.body = f().cancelItem(principalOf(ctx), id(ctx));
  });
  router.get('/api/v1/followups/items/:id/attempts', auth, read, (ctx) => {
    const items = f().attempts(principalOf(ctx), id(ctx));
    ctx.body = { items, total: items.length };
  });

  // ---- callbacks (回拨预约): the built-in 回拨 list, worked from the console ----
  /** The caller's number of call `callId` (the screen pop's call: its number is masked for agents). */
  const callerOf = (callId: string | null | undefined): string | undefined => {
    if (!callId) return undefined;
    const rec = service.calls.get(callId);
    if (!rec)
      throw new CallboxError('VALIDATION_FAILED', `callId: no call ${JSON.stringify(callId)}`, { field: 'callId', reason: 'unknownCall' });
    if (!rec.callerId)
      throw new CallboxError('VALIDATION_FAILED', 'callId: the call has no caller number', { field: 'callId', reason: 'noNumber' });
    return rec.callerId;
  };
  router.get('/api/v1/followups/callbacks', auth, read, (ctx) => {
    const who = principalOf(ctx);
    ctx.body = f().callbacksFor(who, agentOf(service, who, ctx.query.agent));
  });
  router.post('/api/v1/followups/callbacks', auth, work, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['customerId', 'phone', 'callId', 'at', 'for', 'agent', 'note']);
    const who = principalOf(ctx);
    const forWhom = b.for === undefined ? 'me' : oneOf(b.for, 'for', ['me', 'team'] as const);
    const phone = optionalString(b, 'phone', { max: 32 }) ?? callerOf(optionalString(b, 'callId', ID));
    const note = optionalString(b, 'note', { min: 0, max: 2000 });
    const agent = forWhom === 'me' ? agentOf(service, who, b.agent) : null;
    if (agent !== null && !service.acd.agents().some((a) => a.id === agent))
      throw new CallboxError('CONFLICT', `${agent} is not an agent of the box: schedule for the team, or name one in agent`, {
        reason: 'noAgent',
      });
    ctx.status = 201;
    ctx.body = f().scheduleCallback(who, {
      customerId: optionalString(b, 'customerId', { ...ID, nullable: true }) ?? null,
      ...(phone ? { phone } : {}),
      at: callbackTime(b.at),
      assignee: agent,
      ...(note != null ? { note } : {}),
    });
  });
  router.post('/api/v1/followups/items/:id/call', auth, work, body, (ctx) => {
    const b = objectBody(ctx.state.body ?? {}, ['agent']);
    const who = principalOf(ctx);
    ctx.status = 201;
    ctx.body = f().callNow(who, agentOf(service, who, b.agent), id(ctx));
  });

  // ---- the agent's preview offer ----
  router.get('/api/v1/followups/offer', auth, work, (ctx) => {
    const who = principalOf(ctx);
    ctx.body = { offer: f().offerFor(who, agentOf(service, who, ctx.query.agent)) };
  });
  router.post('/api/v1/followups/items/:id/accept', auth, work, body, (ctx) => {
    const b = objectBody(ctx.state.body ?? {}, ['agent']);
    const who = principalOf(ctx);
    ctx.status = 201;
    ctx.body = f().accept(who, agentOf(service, who, b.agent), id(ctx));
  });
  router.post('/api/v1/followups/items/:id/skip', auth, work, body, (ctx) => {
    const b = objectBody(ctx.state.body ?? {}, ['agent', 'note']);
    const who = principalOf(ctx);
    const note = optionalString(b, 'note', { min: 0, max: 2000 });
    ctx.body = f().skip(who, agentOf(service, who, b.agent), id(ctx), note ?? undefined);
  });
  router.post('/api/v1/followups/items/:id/outcome', auth, work, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['outcome', 'note', 'callbackAt']);
    const who = principalOf(ctx);
    const item = f().getItem(who, id(ctx));
    if (!item) throw new CallboxError('NOT_FOUND', `no follow-up item ${JSON.stringify(id(ctx))}`);
    const me = agentOf(service, who, undefined);
    if (!can(who.role, 'followups.write') && item.offeredTo !== me && item.assignee !== me) {
      throw new CallboxError('FORBIDDEN', `item ${item.id} is not yours (offered to ${item.offeredTo ?? 'nobody'})`);
    }
    const outcome = oneOf(b.outcome, 'outcome', OUTCOMES);
    const note = optionalString(b, 'note', { min: 0, max: 2000 });
    const callbackAt = b.callbackAt === undefined ? undefined : callbackTime(b.callbackAt, 'callbackAt');
    ctx.body = f().recordOutcome(who, item.id, {
      outcome,
      ...(note != null ? { note } : {}),
      ...(callbackAt !== undefined ? { callbackAt } : {}),
    });
  });
}
