/**
 * Voicemails (bearer; owner and supervisor): the list (optionally by state), one voicemail, its
 * audio (with Range requests, as recordings), and moving it through the owner's task states
 * new → heard → handled with a note.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CallboxError } from '../../../firmware/src/errors.js';
import type { Principal, Role, VoicemailState } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, queryInt } from '../validate.js';
import { parseRange } from './recordings.js';
import { contentDisposition } from '../content-disposition.js';

const STATES: readonly VoicemailState[] = ['new', 'heard', 'handled'];
const MAX_NOTE = 2000;

function requireRole(ctx: AppContext, roles: readonly Role[]): Principal {
  const who = principalOf(ctx);
  if (!roles.includes(who.role)) throw new CallboxError('FORBIDDEN', `role ${who.role} may not do this`);
  return who;
}

function stateOf(value: unknown, field: string): VoicemailState {
  if (typeof value !== 'string' || !STATES.includes(value as VoicemailState)) {
    throw invalid(field, `must be one of ${STATES.join(', ')}`);
  }
  return value as VoicemailState;
}

export function voicemailRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const viewers: Role[] = ['owner', 'supervisor'];

  router.get('/api/v1/voicemail', auth, (ctx) => {
    requireRole(ctx, viewers);
    const limit = queryInt(ctx.query.limit, 'limit', 1, 500, 50);
    const state = ctx.query.state === undefined ? undefined : stateOf(ctx.query.state, 'state');
    ctx.body = { voicemails: service.voicemail.list(state ? { state, limit } : { limit }) };
  });

  router.get('/api/v1/voicemail/:id', auth, (ctx) => {
    requireRole(ctx, viewers);
    const vm = service.voicemail.get(ctx.params.id ?? '');
    if (!vm) throw new CallboxError('NOT_FOUND', `no voicemail ${JSON.stringify(ctx.params.id)}`);
    ctx.body = vm;
  });

  router.get('/api/v1/voicemail/:id/audio', auth, async (ctx) => {
    requireRole(ctx, viewers);
    const id = ctx.params.id ?? '';
    const path = service.voicemail.get(id) ? service.voicemail.filePath(id) : null;
    if (!path) throw new CallboxError('NOT_FOUND', `no audio for voicemail ${JSON.stringify(id)}`);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw new CallboxError('NOT_FOUND', `the file of voicemail ${id} is missing`);
    }
    ctx.set('Accept-Ranges', 'bytes');
    ctx.type = 'audio/wav';
    ctx.set('Content-Disposition', contentDisposition('inline', `${id}.wav`));
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

  router.patch('/api/v1/voicemail/:id', auth, body, (ctx) => {
    const who = requireRole(ctx, viewers);
    const b = objectBody(ctx.state.body, ['state', 'note']);
    const state = stateOf(b.state, 'state');
    const note = b.note;
    if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > MAX_NOTE)) {
      throw invalid('note', `must be a string of at most ${MAX_NOTE} characters, or null`);
    }
    ctx.body = service.voicemail.setState(ctx.params.id ?? '', state, who.username, note as string | null | undefined);
  });
}
