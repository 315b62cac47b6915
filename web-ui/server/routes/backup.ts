/**
 * Backup and restore (owner: backup.admin) — docs/api/backup.md:
 * - GET  /api/v1/backup                        → the tar.gz (attachment; audited)
 * - POST /api/v1/backup/restore                raw tar.gz (application/gzip, at most 512 MiB)
 *                                              → the check: { token, expiresAt, manifest, summary }
 * - POST /api/v1/backup/restore/:token/confirm → 202 { restarting: true }: applied at the restart
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { permit } from '../middleware/permit.js';
import { rawBody } from '../middleware/raw-body.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { contentDisposition } from '../content-disposition.js';

const MAX_BACKUP = 512 * 1024 * 1024;
const TYPES = ['application/gzip', 'application/x-gzip', 'application/x-tar', 'application/octet-stream'];

export function backupRoutes(router: AppRouter, { service }: RouteDeps): void {
  const auth = bearerAuth(service);
  const owner = permit('backup.admin');
  const backup = service.backup;

  router.get('/api/v1/backup', auth, owner, async (ctx) => {
    const { name, data } = await backup.create(principalOf(ctx));
    ctx.type = 'application/gzip';
    ctx.set('Content-Disposition', contentDisposition('attachment', name));
    ctx.body = data;
  });

  router.post('/api/v1/backup/restore', auth, owner, async (ctx) => {
    if (!ctx.request.is(...TYPES))
      throw new CallboxError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/gzip (got ${ctx.get('Content-Type') || 'none'})`);
    const data = await rawBody(ctx.req, MAX_BACKUP, 'a backup');
    if (data.length === 0) throw new CallboxError('VALIDATION_FAILED', 'the file is empty', { field: 'file' });
    ctx.body = backup.stage(principalOf(ctx), data);
  });

  router.post('/api/v1/backup/restore/:token/confirm', auth, owner, (ctx) => {
    const token = ctx.params.token ?? '';
    if (!/^[0-9a-f]{32}$/.test(token)) throw new CallboxError('NOT_FOUND', 'no such restore', { field: 'token' });
    ctx.status = 202;
    ctx.body = backup.confirm(principalOf(ctx), token);
  });
}
