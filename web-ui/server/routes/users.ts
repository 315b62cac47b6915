/**
 * Users and roles (owner only, permission users.admin): GET /api/v1/users, POST /api/v1/users
 * {username, role, password, agentId?} → 201, GET /api/v1/users/:username, PATCH
 * /api/v1/users/:username {role?, disabled?, agentId?, password?}. Disabling a user or setting
 * their password revokes their sessions and tokens; the last enabled owner cannot be demoted or
 * disabled (409 CONFLICT).
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type { Role, UserPatch } from '../../../firmware/src/service/types.js';
import { bearerAuth } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { type JsonObject, invalid, objectBody, optionalString, requiredString } from '../validate.js';

const ROLES: readonly Role[] = ['owner', 'supervisor', 'agent', 'technician'];

function role(o: JsonObject, required: boolean): Role | undefined {
  const v = o.role;
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || !(ROLES as readonly string[]).includes(v)) throw invalid('role', `must be one of ${ROLES.join(', ')}`);
  return v as Role;
}

function agentId(o: JsonObject): string | null | undefined {
  const v = optionalString(o, 'agentId', { max: 64, nullable: true });
  if (typeof v === 'string' && !/^[A-Za-z0-9_.-]{1,64}$/.test(v)) throw invalid('agentId', 'must be an agent id (letters, digits, _ . -)');
  return v;
}

export function usersRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const admin = permit('users.admin');
  const body = jsonBody({ limit: jsonLimit });

  router.get('/api/v1/users', auth, admin, (ctx) => {
    const items = service.auth.listUsers();
    ctx.body = { items, total: items.length };
  });

  router.post('/api/v1/users', auth, admin, body, async (ctx) => {
    const b = objectBody(ctx.state.body, ['username', 'role', 'password', 'agentId']);
    const username = requiredString(b, 'username', { max: 32 });
    if (!/^[a-z][a-z0-9_.-]{0,31}$/.test(username))
      throw invalid('username', 'must be lowercase letters, digits, _ . - (starting with a letter)');
    const password = requiredString(b, 'password', { max: 1024 });
    if ([...password].length < 8) throw invalid('password', 'must be at least 8 characters');
    const a = agentId(b);
    const user = await service.auth.addUser({
      username,
      role: role(b, true) as Role,
      password,
      ...(a !== undefined ? { agentId: a } : {}),
    });
    ctx.status = 201;
    ctx.body = { id: user.username, ...user };
  });

  router.get('/api/v1/users/:username', auth, admin, (ctx) => {
    const user = service.auth.getUser(ctx.params.username ?? '');
    if (!user) throw new CallboxError('NOT_FOUND', `no user ${JSON.stringify(ctx.params.username)}`);
    ctx.body = { id: user.username, ...user };
  });

  router.patch('/api/v1/users/:username', auth, admin, body, async (ctx) => {
    const b = objectBody(ctx.state.body, ['role', 'disabled', 'agentId', 'password']);
    const patch: UserPatch = {};
    const r = role(b, false);
    if (r !== undefined) patch.role = r;
    if (b.disabled !== undefined) {
      if (typeof b.disabled !== 'boolean') throw invalid('disabled', 'must be true or false');
      patch.disabled = b.disabled;
    }
    const a = agentId(b);
    if (a !== undefined) patch.agentId = a;
    const password = optionalString(b, 'password', { max: 1024 });
    if (typeof password === 'string') {
      if ([...password].length < 8) throw invalid('password', 'must be at least 8 characters');
      patch.password = password;
    }
    const user = await service.auth.updateUser(ctx.params.username ?? '', patch);
    ctx.body = { id: user.username, ...user };
  });
}
