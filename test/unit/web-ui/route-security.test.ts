// Every REST route, enumerated from the Koa router (not a hand-kept list): without credentials →
// 401 UNAUTHORIZED (except the few public ones); with a role that lacks the route's permit()
// permission → 403 FORBIDDEN before the body is read; and every route either carries permit() or is
// in the short, reviewed list of routes that check the role inside the handler. A new route
// without either fails here.
import t from 'tap';
import type { Role } from '../../../firmware/src/service/types.js';
import { can } from '../../../firmware/src/service/permissions.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';
import { fillPath, listRoutes, type RouteInfo } from './fixtures/routes.js';

/** Routes anyone may call: health, metrics (auth per setting), sign-in, first-boot setup. */
const PUBLIC = new Set([
  'GET /healthz',
  'GET /metrics',
  'POST /api/v1/auth/token',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/setup',
  'GET /api/v1/setup/state',
  'POST /api/v1/setup/owner',
]);

/** Routes without permit() that check the role in the handler: the roles that get in (others 403). */
const INLINE: Record<string, readonly Role[]> = {
  // one's own session: every signed-in role
  'GET /api/v1/auth/session': ['owner', 'supervisor', 'agent', 'technician'],
  'POST /api/v1/auth/logout': ['owner', 'supervisor', 'agent', 'technician'],
  'POST /api/v1/auth/logout-all': ['owner', 'supervisor', 'agent', 'technician'],
  'POST /api/v1/auth/password': ['owner', 'supervisor', 'agent', 'technician'],
  'GET /api/v1/me': ['owner', 'supervisor', 'agent', 'technician'],
  // agents.state, or agents.own on one's own agent
  'POST /api/v1/agents/:id/state': ['owner', 'supervisor', 'agent'],
  'PATCH /api/v1/agents/:id/state': ['owner', 'supervisor', 'agent'],
  'PUT /api/v1/recordings/:id/legal-hold': ['owner'],
  'POST /api/v1/calls/:id/recording': ['owner', 'supervisor', 'agent'],
  'GET /api/v1/voicemail': ['owner', 'supervisor'],
  'GET /api/v1/voicemail/:id': ['owner', 'supervisor'],
  'GET /api/v1/voicemail/:id/audio': ['owner', 'supervisor'],
  'PATCH /api/v1/voicemail/:id': ['owner', 'supervisor'],
  // the simulator (only with the sim driver, 404 otherwise): any signed-in role — see docs/SECURITY.md
  'POST /api/v1/sim/calls': ['owner', 'supervisor', 'agent', 'technician'],
  'GET /api/v1/sim/agents': ['owner', 'supervisor', 'agent', 'technician'],
  'PATCH /api/v1/sim/agents': ['owner', 'supervisor', 'agent', 'technician'],
};

const ROLES: Role[] = ['owner', 'supervisor', 'agent', 'technician'];
const key = (r: RouteInfo) => `${r.method} ${r.path}`;
const PASSWORDS: Record<Role, string> = {
  owner: 'correct horse',
  supervisor: 'sup-password-1',
  agent: 'agent-password-1',
  technician: 'tech-password-1',
};

t.test('every route: 401 without credentials, 403 for a role without its permission', async (t) => {
  const s = await startTestServer(t, { withSim: true });
  const routes = listRoutes(s.fake);
  t.ok(routes.length > 100, `${routes.length} routes enumerated from the router`);
  for (const role of ['supervisor', 'agent', 'technician'] as const)
    s.fake.auth.users.set(role, { password: PASSWORDS[role], role, agentId: role === 'agent' ? 'a1' : null });
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const res = await s.call('/api/v1/auth/token', {
      method: 'POST',
      json: { username: role === 'owner' ? 'owner' : role, password: PASSWORDS[role] },
    });
    t.equal(res.status, 200, `${role} signs in`);
    tokens[role] = ((await res.json()) as { token: string }).token;
  }

  const unguarded = routes.filter((r) => !r.permission && !PUBLIC.has(key(r)) && !INLINE[key(r)]);
  t.same(unguarded.map(key), [], 'every route has permit() or is a reviewed public/inline-checked route');
  t.same(
    Object.keys(INLINE).filter((k) => !routes.some((r) => key(r) === k)),
    [],
    'the inline list names only routes that exist',
  );

  let checked401 = 0;
  let checked403 = 0;
  for (const r of routes) {
    if (PUBLIC.has(key(r))) continue;
    const path = fillPath(r.path, 'x1');
    const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : {};
    const anon = await s.call(path, { method: r.method, ...(body ? { json: body } : {}) });
    t.equal(anon.status, 401, `${key(r)} without credentials`);
    if (anon.status === 401) t.equal((await errorOf(anon)).code, 'UNAUTHORIZED');
    else await anon.body?.cancel();
    checked401++;
    const denied = ROLES.filter((role) => (r.permission ? !can(role, r.permission) : !(INLINE[key(r)] ?? []).includes(role)));
    for (const role of denied) {
      // agents.own on one's own agent is allowed by design: the agent's own id is not 'x1'
      const res = await s.call(path, { method: r.method, token: tokens[role], ...(body ? { json: body } : {}) });
      t.equal(res.status, 403, `${key(r)} as ${role}`);
      if (res.status === 403) t.equal((await errorOf(res)).code, 'FORBIDDEN');
      else await res.body?.cancel();
      checked403++;
    }
  }
  t.ok(checked401 > 100 && checked403 > 100, `${checked401} routes checked for 401, ${checked403} route × role pairs for 403`);
  t.comment(`${checked401} routes → 401 without credentials; ${checked403} route × role pairs → 403`);
});
