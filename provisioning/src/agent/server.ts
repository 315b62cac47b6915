/**
 * The box's end of one link: frames in, answers out. Open ops run in the clear; every other op needs
 * the sealed session of a successful handshake (AUTH_REQUIRED otherwise). A frame that does not
 * parse, does not authenticate or replays an old counter gets no effect; a bad request gets an error.
 */
import { type Frame, MSG } from '../protocol/frame.js';
import { type ByteStream, FrameLink } from '../protocol/link.js';
import {
  type ErrorBody,
  PROTOCOL_VERSIONS,
  ProvisionError,
  asRequest,
  jsonBytes,
  negotiateVersion,
  parseJsonObject,
} from '../protocol/messages.js';
import {
  type Ephemeral,
  type HandshakeKeys,
  SecureSession,
  deriveKeys,
  ephemeral,
  parseKdf,
  proof,
  proofMatches,
} from '../protocol/session.js';
import type { PopStore } from './pop.js';

export type Handler = (args: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;

export interface Handlers {
  /** Answer without a session: identity, self-test. */
  open: Record<string, Handler>;
  /** Only in the sealed session. */
  secure: Record<string, Handler>;
}

type Outcome = [Record<string, unknown>] | [null, ErrorBody];

interface PendingHandshake {
  keys: HandshakeKeys;
  at: number;
}

export class LinkServer {
  private readonly link: FrameLink;
  private session: SecureSession | null = null;
  private handshake: PendingHandshake | null = null;
  /** Requests run one at a time, in arrival order (config writes never interleave). */
  private queue: Promise<void> = Promise.resolve();
  readonly stats = { requests: 0, refused: 0 };

  constructor(
    stream: ByteStream,
    private readonly handlers: Handlers,
    private readonly pop: PopStore,
    private readonly info: () => Record<string, unknown>,
    private readonly now: () => number,
  ) {
    this.link = new FrameLink(stream, (f) => {
      this.queue = this.queue.then(() => this.onFrame(f)).catch(() => undefined);
    });
  }

  get decoder() {
    return this.link.decoder;
  }

  get authenticated(): boolean {
    return this.session !== null;
  }

  detach(): void {
    this.link.detach();
    this.session = null;
  }

  /** Wait until every received frame has been handled (tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  private async onFrame(f: Frame): Promise<void> {
    if (f.type === MSG.REQUEST) {
      const req = asRequest(parseJsonObject(f.payload));
      if (!req) return this.reply(f.reqId, null, [null, { code: 'BAD_REQUEST', message: 'a request is a JSON object {op, args}' }]);
      this.stats.requests++;
      return this.reply(f.reqId, null, await this.runOpen(req.op, req.args ?? {}));
    }
    if (f.type === MSG.SEALED) {
      const session = this.session;
      const plain = session?.open(f.type, f.reqId, f.payload) ?? null;
      if (!session || !plain) {
        this.stats.refused++;
        return this.reply(f.reqId, null, [
          null,
          { code: 'AUTH_REQUIRED', message: 'no session, or a frame that is not authentic or replayed: authenticate again' },
        ]);
      }
      const inner = parseJsonObject(plain);
      const req = inner?.k === 'req' ? asRequest(inner) : null;
      if (!req) return this.reply(f.reqId, session, [null, { code: 'BAD_REQUEST', message: 'a request is {op, args}' }]);
      this.stats.requests++;
      const h = this.handlers.secure[req.op] ?? this.handlers.open[req.op];
      if (!h) return this.reply(f.reqId, session, [null, { code: 'UNKNOWN_OP', message: `unknown op "${req.op}"` }]);
      return this.reply(f.reqId, session, await run(h, req.args ?? {}));
    }
    // responses and errors are not for the box: ignore them
  }

  private async runOpen(op: string, args: Record<string, unknown>): Promise<Outcome> {
    switch (op) {
      case 'hello': {
        const version = negotiateVersion(args.versions);
        if (version === null) {
          return [
            null,
            {
              code: 'VERSION',
              message: `no common protocol version (the box speaks ${PROTOCOL_VERSIONS.join(', ')})`,
              details: { versions: PROTOCOL_VERSIONS },
            },
          ];
        }
        return [{ version, ...this.info() }];
      }
      case 'auth.start':
        return this.authStart(args);
      case 'auth.finish':
        return this.authFinish(args);
    }
    const h = this.handlers.open[op];
    if (h) return run(h, args);
    if (this.handlers.secure[op])
      return [null, { code: 'AUTH_REQUIRED', message: `"${op}" needs the code on the box's label: authenticate first` }];
    return [null, { code: 'UNKNOWN_OP', message: `unknown op "${op}"` }];
  }

  private authStart(args: Record<string, unknown>): Outcome {
    this.session = null;
    this.handshake = null;
    const stored = this.pop.stored();
    const kdf = stored ? parseKdf(stored) : null;
    if (!stored || !kdf?.hash)
      return [null, { code: 'CONFLICT', message: 'this box has no proof-of-possession code (factory step missing)' }];
    const wait = this.pop.waitMs();
    if (wait > 0) return [null, rateLimited(wait)];
    const clientPub = b64(args.clientPub);
    const clientNonce = b64(args.clientNonce);
    if (clientPub?.length !== 32 || clientNonce?.length !== 16) {
      return [
        null,
        { code: 'VALIDATION_FAILED', message: 'clientPub (32 bytes) and clientNonce (16 bytes), base64', details: { field: 'clientPub' } },
      ];
    }
    const own: Ephemeral = ephemeral();
    let keys: HandshakeKeys;
    try {
      keys = deriveKeys({ own, peerPub: clientPub, popKey: kdf.hash, clientPub, boxPub: own.pub, clientNonce, boxNonce: own.nonce });
    } catch (e) {
      return [null, { code: 'VALIDATION_FAILED', message: `clientPub: ${(e as Error).message}`, details: { field: 'clientPub' } }];
    }
    this.handshake = { keys, at: this.now() };
    const kdfText = stored.split('$').slice(0, 5).join('$');
    return [{ boxPub: own.pub.toString('base64'), boxNonce: own.nonce.toString('base64'), kdf: kdfText }];
  }

  private authFinish(args: Record<string, unknown>): Outcome {
    const hs = this.handshake;
    this.handshake = null;
    if (!hs || this.now() - hs.at > 60_000) return [null, { code: 'CONFLICT', message: 'no handshake in progress: send auth.start first' }];
    const wait = this.pop.waitMs();
    if (wait > 0) return [null, rateLimited(wait)];
    const given = b64(args.proof);
    if (!given || !proofMatches(hs.keys.clientConfirm, 'client', given)) {
      const a = this.pop.recordFailure();
      const retry = Math.max(0, a.notBefore - this.now());
      return [
        null,
        { code: 'AUTH_FAILED', message: 'wrong code (check the label on the box)', details: { failures: a.failures, retryAfterMs: retry } },
      ];
    }
    this.pop.recordSuccess();
    this.session = new SecureSession(hs.keys, 'box');
    return [{ proof: proof(hs.keys.boxConfirm, 'box').toString('base64') }];
  }

  private async reply(reqId: number, session: SecureSession | null, outcome: Outcome): Promise<void> {
    const [result, error] = outcome;
    try {
      if (session) {
        const inner = error ? { k: 'err', ...error } : { k: 'res', result };
        await this.link.send({ type: MSG.SEALED, reqId, payload: session.seal(MSG.SEALED, reqId, jsonBytes(inner)) });
      } else if (error) await this.link.send({ type: MSG.ERROR, reqId, payload: jsonBytes(error) });
      else await this.link.send({ type: MSG.RESPONSE, reqId, payload: jsonBytes(result) });
    } catch {
      // the cable is gone: the technician asks again after reconnecting
    }
  }
}

function rateLimited(waitMs: number): ErrorBody {
  return { code: 'RATE_LIMITED', message: `too many wrong codes: wait ${Math.ceil(waitMs / 1000)} s`, details: { retryAfterMs: waitMs } };
}

function b64(v: unknown): Buffer | null {
  return typeof v === 'string' && v.length <= 256 && /^[A-Za-z0-9+/=]*$/.test(v) ? Buffer.from(v, 'base64') : null;
}

async function run(h: Handler, args: Record<string, unknown>): Promise<Outcome> {
  try {
    return [await h(args)];
  } catch (e) {
    return [null, toErrorBody(e)];
  }
}

const WIRE_CODES = new Set([
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'CONFIG_INVALID',
  'NOT_FOUND',
  'CONFLICT',
  'INTEGRITY',
  'BUSY',
  'RATE_LIMITED',
]);

/** ProvisionError and CallboxError keep their code and details; anything else is INTERNAL. */
export function toErrorBody(e: unknown): ErrorBody {
  if (e instanceof ProvisionError || (e instanceof Error && e.name === 'CallboxError')) {
    const err = e as Error & { code: string; details?: unknown };
    const code = WIRE_CODES.has(err.code) ? (err.code as ErrorBody['code']) : 'INTERNAL';
    return err.details === undefined ? { code, message: err.message } : { code, message: err.message, details: err.details };
  }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
