/**
 * Live queues and agents: GET /api/v1/queues, GET /api/v1/agents (bearer), and
 * POST /api/v1/agents/:id/state {state, reason?} for owners and supervisors (403 for other roles).
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type { AgentStateRequest, CallbackState } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, optionalString, queryInt } from '../validate.js';

const STATES = ['available', 'paused', 'loggedOut'] as const;
const CALLBACK_STATES: readonly string[] = ['waiting', 'dialing', 'done', 'failed'];

export function parseAgentState(body: unknown): AgentStateRequest {
  const b = objectBody(body, ['state', 'reason']);
  const state = b.state;
  if (typeof state !== 'string' || !(STATES as readonly string[]).includes(state)) {
    throw invalid('state', `must be one of ${STATES.join(', ')}`);
  }
  const reason = optionalString(b, 'reason', { max: 80 });
  return { state: state as AgentStateRequest['state'], ...(reason ? { reason } : {}) };
}

export function acdRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });

  router.get('/api/v1/queues', auth, (ctx) => {
    ctx.body = { queues: service.acd.queues() };
  });

  router.get('/api/v1/callbacks', auth, (ctx) => {
    const state = ctx.query.state;
    if (state !== undefined && !(typeof state === 'string' && CALLBACK_STATES.includes(state))) {
      throw invalid('state', `must be one of ${CALLBACK_STATES.join(', ')}`);
    }
    const limit = queryInt(ctx.query.limit, 'limit', 1, 500, 100);
    ctx.body = { callbacks: service.callbacks.list(state ? { state: state as CallbackState, limit } : { limit }) };
  });

  router.get('/api/v1/agents', auth, (ctx) => {
    ctx.body = { agents: service.acd.agents() };
  });

  router.post('/api/v1/agents/:id/state', auth, body, (ctx) => {
    const who = principalOf(ctx);
    if (who.role !== 'owner' && who.role !== 'supervisor') {
      throw new CallboxError('FORBIDDEN', `role ${who.role} may not change agent states`);
    }
    ctx.body = service.acd.setAgentState(ctx.params.id ?? '', parseAgentState(ctx.state.body));
  });
}
