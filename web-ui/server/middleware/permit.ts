/**
 * Role checks for routes: `permit('customers.write')` after bearerAuth() answers 403 FORBIDDEN
 * when the caller's role lacks the permission (firmware/src/service/permissions.ts).
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { can, type Permission } from '../../../firmware/src/service/permissions.js';
import type { Principal } from '../../../firmware/src/service/types.js';
import type { AppContext, AppMiddleware } from '../state.js';
import { principalOf } from './bearer-auth.js';

/** The caller, if their role has `permission`; else 403. */
export function requirePermission(ctx: AppContext, permission: Permission): Principal {
  const who = principalOf(ctx);
  if (!can(who.role, permission)) {
    throw new CallboxError('FORBIDDEN', `role ${who.role} may not do this (needs ${permission})`, { permission });
  }
  return who;
}

/** The middleware carries its permission (`.permission`): the route-security test reads it off the router. */
export function permit(permission: Permission): AppMiddleware & { permission: Permission } {
  const mw: AppMiddleware = async (ctx, next) => {
    requirePermission(ctx, permission);
    await next();
  };
  return Object.assign(mw, { permission });
}
