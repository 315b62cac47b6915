/**
 * GET /healthz: the box's health, no auth. 'degraded' is still 200; the body says so. With HTTPS on,
 * `https: { port, fingerprint256 }`: a technician compares the fingerprint with the browser's.
 */
import type { AppRouter, RouteDeps } from '../state.js';

export function healthRoutes(router: AppRouter, { service, https }: RouteDeps): void {
  router.get('/healthz', (ctx) => {
    const tls = https();
    ctx.body = { ...service.health(), ...(tls ? { https: { port: tls.port, fingerprint256: tls.fingerprint256 } } : {}) };
    ctx.set('Cache-Control', 'no-store');
  });
}
