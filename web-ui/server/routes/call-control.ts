/**
 * Call control on live calls (calls.control: agents their own calls and phone, supervisor and
 * owner any call): hold / unhold, transfer (blind or attended, then complete / cancel), park and
 * pickup, click-to-dial. docs/api.md "Call control".
 *
 *   POST /api/v1/calls/:id/hold | /unhold                 → 200 the call
 *   POST /api/v1/calls/:id/transfer {to, mode}            → 200 {call, state: transferred | consulting}
 *   POST /api/v1/calls/:id/transfer/complete | /cancel    → 200 {call, state: completed | ringing} | the call
 *   POST /api/v1/calls/:id/park                           → 200 {slot, call}
 *   GET  /api/v1/parked                                   → 200 {parked: [...]} (live.read)
 *   GET  /api/v1/transfer-targets                         → 200 {menus: [...], codes: {menu: "*0N"}} the IVR menus a call may go back to, and their phone codes (live.read)
 *   POST /api/v1/parked/:slot/pickup {agent?}             → 202 {callId, agent} (the agent's phone rings)
 *   POST /api/v1/calls/dial {number | customerId, displayName?, agent?} → 202 {agent, number} (the agent's phone rings first)
 *
 * 404 unknown call or empty slot, 409 CONFLICT with details.reason (notLive, onHold, notOnHold,
 * targetBusy, noLine, noSlot, noTransfer, noAgent), 403 another agent's call, 400 naming the field.
 */
import { can } from '../../../firmware/src/service/permissions.js';
import type { CallRecord } from '../../../firmware/src/service/types.js';
import { maskPhone } from '../live/snapshot.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { objectBody } from '../validate.js';

export function callControlRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const act = permit('calls.control');
  const c = service.control;
  const shown = (ctx: AppContext) => (call: CallRecord) =>
    can(principalOf(ctx).role, 'customers.phones') ? call : { ...call, callerId: maskPhone(call.callerId) };
  const id = (ctx: AppContext) => ctx.params.id ?? '';

  router.post('/api/v1/calls/dial', auth, act, body, (ctx) => {
    const req = objectBody(ctx.state.body, ['number', 'customerId', 'displayName', 'agent']);
    ctx.status = 202;
    ctx.body = c.dial(req, principalOf(ctx));
  });

  router.post('/api/v1/calls/:id/hold', auth, act, (ctx) => {
    ctx.body = shown(ctx)(c.hold(id(ctx), principalOf(ctx)));
  });

  router.post('/api/v1/calls/:id/unhold', auth, act, (ctx) => {
    ctx.body = shown(ctx)(c.unhold(id(ctx), principalOf(ctx)));
  });

  router.post('/api/v1/calls/:id/transfer', auth, act, body, (ctx) => {
    const req = objectBody(ctx.state.body, ['to', 'mode']);
    const r = c.transfer(id(ctx), req.to, req.mode, principalOf(ctx));
    ctx.body = { call: shown(ctx)(r.call), state: r.state };
  });

  router.post('/api/v1/calls/:id/transfer/complete', auth, act, (ctx) => {
    const r = c.completeTransfer(id(ctx), principalOf(ctx));
    ctx.body = { call: shown(ctx)(r.call), state: r.state };
  });

  router.post('/api/v1/calls/:id/transfer/cancel', auth, act, (ctx) => {
    ctx.body = shown(ctx)(c.cancelTransfer(id(ctx), principalOf(ctx)));
  });

  router.post('/api/v1/calls/:id/park', auth, act, (ctx) => {
    const r = c.park(id(ctx), principalOf(ctx));
    ctx.body = { slot: r.slot, call: shown(ctx)(r.call) };
  });

  router.get('/api/v1/parked', auth, permit('live.read'), (ctx) => {
    const phones = can(principalOf(ctx).role, 'customers.phones');
    ctx.body = { parked: c.parked().map((p) => (phones ? p : { ...p, callerId: maskPhone(p.callerId) })) };
  });

  router.get('/api/v1/transfer-targets', auth, permit('live.read'), (ctx) => {
    ctx.body = c.transferTargets();
  });

  router.post('/api/v1/parked/:slot/pickup', auth, act, body, (ctx) => {
    const req = ctx.state.body === undefined ? {} : objectBody(ctx.state.body, ['agent']);
    const slot = /^[0-9]{1,3}$/.test(ctx.params.slot ?? '') ? Number(ctx.params.slot) : Number.NaN;
    ctx.status = 202;
    ctx.body = c.pickup(slot, req.agent, principalOf(ctx));
  });
}
