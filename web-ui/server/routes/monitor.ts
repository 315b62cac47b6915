/**
 * Conferences, supervisor monitoring and browser listen-in on live calls (docs/api/conference.md):
 *
 * - `GET /api/v1/calls/:id/conference` (live.read): the call's conference and monitors, or null.
 * - `POST /api/v1/calls/:id/conference` `{ add }` (live.read; the call's leader or calls.monitor)
 *   → 201 the new leg (rings); `DELETE /api/v1/calls/:id/conference/:leg` → 204.
 * - `POST /api/v1/calls/:id/monitor` `{ mode: listen|whisper|barge, extension? }` (calls.monitor)
 *   → 201 the supervisor's leg (their phone rings); `PATCH …/monitor/:leg` `{ mode }` → 200;
 *   `DELETE …/monitor/:leg` → 204.
 * - `GET /api/v1/calls/:id/listen` (calls.monitor): the live mix as a never-ending `audio/wav`
 *   (8 kHz 16-bit mono PCM, sent every 100 ms), ending with the call; every listen is audited.
 */
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody } from '../validate.js';

/** Frames (20 ms) sent in one chunk of the listen stream. */
const FRAMES_PER_CHUNK = 5;

function legParam(ctx: AppContext): number {
  const v = ctx.params.leg ?? '';
  if (!/^[0-9]{1,3}$/.test(v)) throw invalid('leg', 'must be a leg number (its index in the call record legs)');
  return Number(v);
}

/** A WAV header for an open-ended stream: the sizes say "as long as it goes" (0xFFFFFFFF). */
export function streamingWavHeader(rate = 8000): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(0xffffffff, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(0xffffffff - 44, 40);
  return h;
}

export function monitorRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const rooms = service.rooms;

  router.get('/api/v1/calls/:id/conference', auth, permit('live.read'), (ctx) => {
    ctx.body = { conference: rooms.view(ctx.params.id ?? '') };
  });

  router.post('/api/v1/calls/:id/conference', auth, permit('live.read'), body, (ctx) => {
    const req = objectBody(ctx.state.body, ['add']);
    if (req.add === undefined) throw invalid('add', 'is required: an extension, an agent id or a phone number');
    ctx.status = 201;
    ctx.body = rooms.addParty(ctx.params.id ?? '', req.add, principalOf(ctx));
  });

  router.delete('/api/v1/calls/:id/conference/:leg', auth, permit('live.read'), (ctx) => {
    rooms.dropLeg(ctx.params.id ?? '', legParam(ctx), principalOf(ctx));
    ctx.status = 204;
  });

  const monitor = permit('calls.monitor');

  router.post('/api/v1/calls/:id/monitor', auth, monitor, body, (ctx) => {
    const req = objectBody(ctx.state.body, ['mode', 'extension']);
    ctx.status = 201;
    ctx.body = rooms.monitor(ctx.params.id ?? '', req.mode, req.extension, principalOf(ctx));
  });

  router.patch('/api/v1/calls/:id/monitor/:leg', auth, monitor, body, (ctx) => {
    const req = objectBody(ctx.state.body, ['mode']);
    ctx.body = rooms.setMonitorMode(ctx.params.id ?? '', legParam(ctx), req.mode, principalOf(ctx));
  });

  router.delete('/api/v1/calls/:id/monitor/:leg', auth, monitor, (ctx) => {
    rooms.endMonitor(ctx.params.id ?? '', legParam(ctx), principalOf(ctx));
    ctx.status = 204;
  });

  router.get('/api/v1/calls/:id/listen', auth, monitor, (ctx) => {
    const res = ctx.res;
    let chunk = Buffer.alloc(FRAMES_PER_CHUNK * 320);
    let frames = 0;
    let open = true;
    const finish = () => {
      if (!open) return;
      open = false;
      if (!res.destroyed) res.end();
    };
    // throws before anything is written (404 unknown call, 409 not talking): the error handler answers
    const stop = rooms.listen(
      ctx.params.id ?? '',
      principalOf(ctx),
      (pcm) => {
        if (!open || res.destroyed) return;
        for (let i = 0; i < pcm.length; i++) chunk.writeInt16LE(pcm[i] as number, (frames * pcm.length + i) * 2);
        if (++frames < FRAMES_PER_CHUNK) return;
        frames = 0;
        res.write(chunk);
        chunk = Buffer.alloc(FRAMES_PER_CHUNK * 320);
      },
      finish,
    );
    ctx.req.socket.setNoDelay(true);
    ctx.req.socket.setTimeout(0);
    ctx.respond = false;
    res.writeHead(200, {
      'Content-Type': 'audio/wav',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Accel-Buffering': 'no',
    });
    res.write(streamingWavHeader());
    res.on('close', () => {
      open = false;
      stop();
    });
  });
}
