/**
 * Call results (通话小结): GET /api/v1/dispositions (live.read: the configured codes) and
 * POST /api/v1/calls/:id/disposition `{ code, note? }` (calls.disposition) → 201 with the call when
 * it had no result yet, 200 when it replaces one. Owner and supervisor (agents.state) may set any
 * call's result; an agent only that of a call they handled (the call's agent is the agent linked to
 * their account). 404 unknown call, 400 VALIDATION_FAILED naming `code` (not a configured code) or
 * `note` (text up to 500 characters). docs/api/dispositions.md.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { can } from '../../../firmware/src/service/permissions.js';
import type { CallRecord } from '../../../firmware/src/service/types.js';
import { maskPhone } from '../live/snapshot.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { objectBody } from '../validate.js';

export function dispositionsRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });

  router.get('/api/v1/dispositions', auth, permit('live.read'), (ctx) => {
    ctx.body = { dispositions: service.calls.dispositions() };
  });

  router.post('/api/v1/calls/:id/disposition', auth, permit('calls.disposition'), body, (ctx) => {
    const id = ctx.params.id ?? '';
    const req = objectBody(ctx.state.body, ['code', 'note']);
    const call = service.calls.get(id);
    if (call === null) throw new CallboxError('NOT_FOUND', `no call with id ${JSON.stringify(id)}`, { id });
    const who = principalOf(ctx);
    if (!can(who.role, 'agents.state')) {
      const agentId = service.auth.getUser(who.username)?.agentId ?? null;
      if (agentId === null || call.agent !== agentId) {
        throw new CallboxError('FORBIDDEN', 'an agent may set the result of their own calls only', { permission: 'agents.state' });
      }
    }
    const { call: saved, created } = service.calls.setDisposition(id, { code: req.code, note: req.note }, who.username);
    ctx.status = created ? 201 : 200;
    ctx.body = can(who.role, 'customers.phones') ? saved : ({ ...saved, callerId: maskPhone(saved.callerId) } satisfies CallRecord);
  });
}
