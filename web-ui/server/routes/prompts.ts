/**
 * Voice prompts (语音提示) under /api/v1/prompts (setup.admin: owner, technician) — docs/api/prompts.md:
 * - GET    /prompts                         → { prompts: [{ language, name, custom, builtIn, durationS }] }
 * - GET    /prompts/:language/:name.wav     → the WAV in use (audio/wav), 404 when there is none
 * - PUT    /prompts/:language/:name         raw audio body (audio/* or application/octet-stream, at
 *                                            most 8 MiB; `?source=recording` for the browser
 *                                            microphone) → converted to 8 kHz mono WAV, in use at once
 * - POST   /prompts/:language/:name/tts     { text } → spoken by espeak-ng into the prompt
 * - DELETE /prompts/:language/:name         → back to the built-in prompt (404 without an own one)
 * Names and languages are checked by the service (patterns; never a path).
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import { rawBody } from '../middleware/raw-body.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { objectBody, requiredString } from '../validate.js';

const MAX_UPLOAD = 8 * 1024 * 1024;
const AUDIO_TYPES = ['audio/*', 'video/webm', 'video/ogg', 'application/octet-stream'];

export function promptsRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const admin = permit('setup.admin');
  const store = service.prompts;
  const key = (ctx: AppContext) => ({ language: ctx.params.language ?? '', name: ctx.params.name ?? '' });

  router.get('/api/v1/prompts', auth, admin, (ctx) => {
    ctx.body = { prompts: store.list() };
  });

  router.get('/api/v1/prompts/:language/:name.wav', auth, admin, (ctx) => {
    const { language, name } = key(ctx);
    const wav = store.audio(language, name);
    if (!wav) throw new CallboxError('NOT_FOUND', `no prompt ${language}/${name}`);
    ctx.type = 'audio/wav';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = wav;
  });

  router.put('/api/v1/prompts/:language/:name', auth, admin, async (ctx) => {
    if (!ctx.request.is(...AUDIO_TYPES))
      throw new CallboxError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be an audio type (got ${ctx.get('Content-Type') || 'none'})`);
    const source = ctx.query.source === 'recording' ? 'recording' : 'upload';
    const { language, name } = key(ctx);
    const data = await rawBody(ctx.req, MAX_UPLOAD, 'a prompt file');
    ctx.body = await store.upload(principalOf(ctx), language, name, data, source);
  });

  router.post('/api/v1/prompts/:language/:name/tts', auth, admin, jsonBody({ limit: jsonLimit }), async (ctx) => {
    const b = objectBody(ctx.state.body, ['text']);
    const text = requiredString(b, 'text', { max: 500 });
    const { language, name } = key(ctx);
    ctx.body = await store.tts(principalOf(ctx), language, name, text);
  });

  router.delete('/api/v1/prompts/:language/:name', auth, admin, (ctx) => {
    const { language, name } = key(ctx);
    const r = store.revert(principalOf(ctx), language, name);
    if (!r) throw new CallboxError('NOT_FOUND', `the shop has no own recording of ${language}/${name}`);
    ctx.body = r;
  });
}
