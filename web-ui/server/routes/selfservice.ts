/**
 * IVR self-service data under /api/v1/selfservice (bearer): the authenticity code table (防伪码) —
 * CSV import, a code's state, checks on behalf of a caller, the check log and stats — and the
 * where-to-buy message (a WAV upload, or text spoken by espeak-ng). selfservice.admin (owner,
 * supervisor) imports, reads the check log and sets the message; products.read (agents too) looks
 * a code up (`GET` does not count as a check) or checks it for a caller on the phone (`POST …/checks`).
 */
import type { IncomingMessage } from 'node:http';
import { CallboxError } from '../../../firmware/src/errors.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody, readJsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, optionalString, pageQuery, requiredString } from '../validate.js';
import { queryInstant } from './kpis.js';

export const MAX_CSV_BYTES = 8 * 1024 * 1024;
export const MAX_WAV_BYTES = 4 * 1024 * 1024;
type Language = 'zh-CN' | 'en';
const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];
const CODE = { max: 32, min: 4, pattern: /^[0-9A-Za-z-]+$/, hint: 'of letters, digits and dashes' };

function languageOf(ctx: AppContext): Language {
  const v = ctx.query.language ?? 'zh-CN';
  if (typeof v !== 'string' || !LANGUAGES.includes(v as Language)) throw invalid('language', `must be one of ${LANGUAGES.join(', ')}`);
  return v as Language;
}

function codeParam(ctx: AppContext): string {
  const code = ctx.params.code ?? '';
  return requiredString({ code }, 'code', CODE);
}

function range(ctx: AppContext): { from?: number; to?: number } {
  const out: { from?: number; to?: number } = {};
  if (ctx.query.from !== undefined) out.from = queryInstant(ctx.query.from, 'from');
  if (ctx.query.to !== undefined) out.to = queryInstant(ctx.query.to, 'to');
  if (out.from !== undefined && out.to !== undefined && out.to <= out.from) throw invalid('to', 'must be later than from');
  return out;
}

/** The raw request body, at most `limit` bytes (413 beyond). */
async function rawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new CallboxError('PAYLOAD_TOO_LARGE', `request body is larger than ${limit} bytes`, { limit });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new CallboxError('PAYLOAD_TOO_LARGE', `request body is larger than ${limit} bytes`, { limit });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

export function selfServiceRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const admin = permit('selfservice.admin');
  const body = jsonBody({ limit: jsonLimit });
  const ss = () => service.selfService;

  router.post('/api/v1/selfservice/codes/import', auth, admin, async (ctx) => {
    if (!ctx.request.is('text/csv', 'text/plain', 'application/octet-stream')) {
      throw new CallboxError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be text/csv (got ${ctx.get('Content-Type') || 'none'})`);
    }
    const csv = await rawBody(ctx.req, MAX_CSV_BYTES);
    ctx.status = 201;
    ctx.body = ss().importCodes(principalOf(ctx), csv);
  });

  router.get('/api/v1/selfservice/codes/:code', auth, permit('products.read'), (ctx) => {
    const code = codeParam(ctx);
    const found = ss().getCode(principalOf(ctx), code);
    if (!found) throw new CallboxError('NOT_FOUND', `no authenticity code ${JSON.stringify(code)}`);
    ctx.body = found;
  });

  router.post('/api/v1/selfservice/codes/:code/checks', auth, permit('products.read'), body, (ctx) => {
    const code = codeParam(ctx);
    const b = ctx.state.body === undefined ? {} : objectBody(ctx.state.body, ['caller', 'callId']);
    const caller = optionalString(b, 'caller', { max: 32, pattern: /^\+?[0-9]+$/, hint: 'of digits', nullable: true });
    const callId = optionalString(b, 'callId', { max: 64, nullable: true });
    const result = ss().checkCode(code, { source: 'api', caller: caller ?? null, callId: callId ?? null });
    ctx.status = 201;
    ctx.body = result;
  });

  router.get('/api/v1/selfservice/checks', auth, admin, (ctx) => {
    const q = { ...pageQuery(ctx.query), ...range(ctx) };
    const code = ctx.query.code;
    if (code !== undefined) {
      if (typeof code !== 'string') throw invalid('code', 'must be one code');
      ctx.body = ss().checks(principalOf(ctx), { ...q, code: requiredString({ code }, 'code', CODE) });
    } else ctx.body = ss().checks(principalOf(ctx), q);
  });

  router.get('/api/v1/selfservice/stats', auth, admin, (ctx) => {
    ctx.body = ss().stats(principalOf(ctx), range(ctx));
  });

  router.get('/api/v1/selfservice/where-to-buy', auth, admin, (ctx) => {
    const language = languageOf(ctx);
    const msg = ss().whereToBuy(principalOf(ctx), language);
    if (!msg) throw new CallboxError('NOT_FOUND', `no where-to-buy message in ${language}`);
    ctx.body = msg;
  });

  router.get('/api/v1/selfservice/where-to-buy/audio', auth, admin, (ctx) => {
    const language = languageOf(ctx);
    const wav = ss().whereToBuyWav(language);
    if (!wav) throw new CallboxError('NOT_FOUND', `no where-to-buy message in ${language}`);
    ctx.type = 'audio/wav';
    ctx.body = Buffer.from(wav);
  });

  router.put('/api/v1/selfservice/where-to-buy', auth, admin, async (ctx) => {
    const language = languageOf(ctx);
    if (ctx.request.is('audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave')) {
      ctx.body = ss().setWhereToBuyAudio(principalOf(ctx), language, await rawBody(ctx.req, MAX_WAV_BYTES));
      return;
    }
    if (!ctx.request.is('application/json')) {
      throw new CallboxError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Type must be audio/wav or application/json (got ${ctx.get('Content-Type') || 'none'})`,
      );
    }
    const b = objectBody(await readJsonBody(ctx, jsonLimit), ['text']);
    const text = requiredString(b, 'text', { max: 500 });
    ctx.body = await ss().setWhereToBuyText(principalOf(ctx), language, text);
  });

  router.delete('/api/v1/selfservice/where-to-buy', auth, admin, (ctx) => {
    const language = languageOf(ctx);
    if (!ss().clearWhereToBuy(principalOf(ctx), language)) throw new CallboxError('NOT_FOUND', `no where-to-buy message in ${language}`);
    ctx.status = 204;
  });
}
