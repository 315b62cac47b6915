/**
 * Call recordings: list and details and the audio itself (recordings.read: owner, supervisor; with
 * Range requests so a browser's player can seek), the file as a download (`?download=1`,
 * recordings.download: owner), legal hold (owner), and pausing/resuming the recording of a live
 * call (e.g. while the caller reads out a card number).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CallboxError } from '../../../firmware/src/errors.js';
import type { Principal, Role } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit, requirePermission } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, queryInt } from '../validate.js';
import { contentDisposition } from '../content-disposition.js';

function requireRole(ctx: AppContext, roles: readonly Role[]): Principal {
  const who = principalOf(ctx);
  if (!roles.includes(who.role)) throw new CallboxError('FORBIDDEN', `role ${who.role} may not do this`);
  return who;
}

function booleanField(body: unknown, field: string): boolean {
  const b = objectBody(body, [field]);
  if (typeof b[field] !== 'boolean') throw invalid(field, 'must be true or false');
  return b[field] as boolean;
}

/** Parse a single `bytes=a-b` range against a size; null for none or unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

export function recordingsRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const listen = permit('recordings.read');

  router.get('/api/v1/recordings', auth, listen, (ctx) => {
    const limit = queryInt(ctx.query.limit, 'limit', 1, 500, 50);
    const callId = typeof ctx.query.callId === 'string' ? ctx.query.callId : undefined;
    ctx.body = { recordings: service.recordings.list(callId ? { callId, limit } : { limit }) };
  });

  router.get('/api/v1/recordings/:id', auth, listen, (ctx) => {
    const rec = service.recordings.get(ctx.params.id ?? '');
    if (!rec) throw new CallboxError('NOT_FOUND', `no recording ${JSON.stringify(ctx.params.id)}`);
    ctx.body = rec;
  });

  router.get('/api/v1/recordings/:id/audio', auth, listen, async (ctx) => {
    const download = ctx.query.download;
    if (download !== undefined && download !== '1' && download !== '0') throw invalid('download', 'must be 1 or 0');
    const attachment = download === '1';
    if (attachment) requirePermission(ctx, 'recordings.download');
    const id = ctx.params.id ?? '';
    const rec = service.recordings.get(id);
    const path = rec ? service.recordings.filePath(id) : null;
    if (!rec || !path) throw new CallboxError('NOT_FOUND', `no audio for recording ${JSON.stringify(id)}`);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw new CallboxError('NOT_FOUND', `the file of recording ${id} is missing`);
    }
    ctx.set('Accept-Ranges', 'bytes');
    ctx.type = rec.format === 'opus' ? 'audio/ogg' : 'audio/wav';
    ctx.set(
      'Content-Disposition',
      contentDisposition(attachment ? 'attachment' : 'inline', `${id}.${rec.format === 'opus' ? 'opus' : 'wav'}`),
    );
    const range = parseRange(ctx.get('Range') || undefined, size);
    if (range === 'invalid') {
      ctx.status = 416;
      ctx.set('Content-Range', `bytes */${size}`);
      ctx.body = { error: { code: 'BAD_REQUEST', message: 'unsatisfiable Range' } };
      return;
    }
    if (range) {
      ctx.status = 206;
      ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
      ctx.length = range.end - range.start + 1;
      ctx.body = createReadStream(path, { start: range.start, end: range.end });
      return;
    }
    ctx.length = size;
    ctx.body = createReadStream(path);
  });

  router.put('/api/v1/recordings/:id/legal-hold', auth, body, (ctx) => {
    requireRole(ctx, ['owner']);
    ctx.body = service.recordings.setLegalHold(ctx.params.id ?? '', booleanField(ctx.state.body, 'on'));
  });

  router.post('/api/v1/calls/:id/recording', auth, body, (ctx) => {
    requireRole(ctx, ['owner', 'supervisor', 'agent']);
    service.recordings.setPaused(ctx.params.id ?? '', booleanField(ctx.state.body, 'paused'));
    ctx.status = 204;
  });
}
