/**
 * GET /api/v1/firmware (setup.admin): the running version and the OTA state — current and confirmed
 * release, an install waiting for confirmation, the last rollback (docs/ota.md); `ota: null` when
 * the box does not run under the OTA launcher.
 */
import { bearerAuth } from '../middleware/bearer-auth.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';

export function firmwareRoutes(router: AppRouter, { service }: RouteDeps): void {
  router.get('/api/v1/firmware', bearerAuth(service), permit('setup.admin'), (ctx) => {
    ctx.body = service.firmware();
  });
}
