/**
 * Live queues and agents: GET /api/v1/queues, /api/v1/agents, /api/v1/callbacks (live.read), and
 * PATCH (or POST) /api/v1/agents/:id/state {state, reason?}: owners and supervisors for any agent
 * (agents.state); an agent user only for the agent linked to their account (agents.own, the agent
 * console's pause/available); 403 otherwise.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { can } from '../../../firmware/src/service/permissions.js';
import type { AgentStateRequest, CallbackState } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
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
  const read = permit('live.read');

  router.get('/api/v1/queues', auth, read, (ctx) => {
    ctx.body = { queues: service.acd.queues() };
  });

  router.get('/api/v1/callbacks', auth, read, (ctx) => {
    const state = ctx.query.state;
    if (state !== undefined && !(typeof state === 'string' && CALLBACK_STATES.includes(state))) {
      throw invalid('state', `must be one of ${CALLBACK_STATES.join(', ')}`);
    }
    const limit = queryInt(ctx.query.limit, 'limit', 1, 500, 100);
    ctx.body = { callbacks: service.callbacks.list(state ? { state: state as CallbackState, limit } : { limit }) };
  });

  router.get('/api/v1/agents', auth, read, (ctx) => {
    ctx.body = { agents: service.acd.agents() };
  });

  const setState = (ctx: AppContext): void => {
    const who = principalOf(ctx);
    const id = ctx.params.id ?? '';
    const own = can(who.role, 'agents.own') && service.auth.getUser(who.username)?.agentId === id;
    if (!can(who.role, 'agents.state') && !own) {
      throw new CallboxError('FORBIDDEN', `role ${who.role} may change only the state of its own linked agent`, {
        permission: 'agents.state',
      });
    }
    ctx.body = service.acd.setAgentState(id, parseAgentState(ctx.state.body));
  };
  router.post('/api/v1/agents/:id/state', auth, body, setState);
  router.patch('/api/v1/agents/:id/state', auth, body, setState);
}
