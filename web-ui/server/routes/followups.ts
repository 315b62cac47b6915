/** followups routes under /api/v1 (bearer; permissions from firmware/src/service/permissions.ts). */
import type { AppRouter, RouteDeps } from '../state.js';

export function followupsRoutes(_router: AppRouter, _deps: RouteDeps): void {}
