/**
 * Firmware (setup.admin: owner, technician) — docs/ota.md "On the dashboard":
 * - GET  /api/v1/firmware        → the running version, the OTA state (current/confirmed release,
 *   pending install, last rollback; null without the launcher), whether an upload can work here,
 *   and the recent OTA jobs with their last update (the page polls it for an install's progress);
 * - POST /api/v1/firmware/upload → a signed bundle as the raw body (application/octet-stream,
 *   at most 128 MiB: 413), streamed to the box, verified and installed by the OTA job runner:
 *   202 { jobId, status, version, bytes, sha256 }; 400 BAD_BUNDLE (details.reason: BAD_SIGNATURE,
 *   HASH_MISMATCH, …), 409 DOWNGRADE, 409 CONFLICT (a job running, an install pending), 409
 *   OTA_UNAVAILABLE (no CALLBOX_OTA_ROOT). Audited (firmware.upload / firmware.upload.refused).
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';

const TYPES = ['application/octet-stream', 'application/gzip', 'application/x-gzip'];

export function firmwareRoutes(router: AppRouter, { service }: RouteDeps): void {
  const auth = bearerAuth(service);
  const setup = permit('setup.admin');

  router.get('/api/v1/firmware', auth, setup, (ctx) => {
    ctx.body = service.firmware();
  });

  router.post('/api/v1/firmware/upload', auth, setup, async (ctx) => {
    if (!ctx.request.is(...TYPES))
      throw new CallboxError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Type must be application/octet-stream (got ${ctx.get('Content-Type') || 'none'})`,
      );
    const length = ctx.get('Content-Length');
    const declared = length === '' ? null : Number(length);
    ctx.body = await service.firmwareUpload(principalOf(ctx).username, ctx.req, Number.isFinite(declared) ? declared : null);
    ctx.status = 202;
  });
}
