/** GET /healthz: the box's health, no auth. 'degraded' is still 200; the body says so. */
import type { AppRouter, RouteDeps } from '../state.js';

export function healthRoutes(router: AppRouter, { service }: RouteDeps): void {
  router.get('/healthz', (ctx) => {
    ctx.body = service.health();
    ctx.set('Cache-Control', 'no-store');
  });
}
