/**
 * GET /api/v1/setup/sip (setup.admin: owner, technician) — the setup page's SIP phones section
 * (docs/sip.md): the box's SIP address, port, transports and realm for a desk phone's settings, and
 * each SIP extension of the config with whether it runs now and its live registrations. Never a
 * password. The extensions themselves are edited through the config (`sip`, docs/api/config.md).
 */
import { bearerAuth } from '../middleware/bearer-auth.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';

export function setupSipRoutes(router: AppRouter, { service }: RouteDeps): void {
  router.get('/api/v1/setup/sip', bearerAuth(service), permit('setup.admin'), (ctx) => {
    ctx.body = service.sipStatus();
  });
}
