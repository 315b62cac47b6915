/**
 * The technician's end of the protocol: requests with timeouts, version negotiation, the
 * authenticated session, resumable uploads and downloads. Used by the CLI and the tests.
 */
import { randomInt } from 'node:crypto';
import { type Frame, MSG } from '../protocol/frame.js';
import { type ByteStream, FrameLink } from '../protocol/link.js';
import { type ErrorBody, PROTOCOL_VERSIONS, ProvisionError, jsonBytes, parseJsonObject } from '../protocol/messages.js';
import { SecureSession, deriveKeys, ephemeral, parseKdf, popKey, proof, proofMatches } from '../protocol/session.js';

export interface RequestOptions {
  timeoutMs?: number;
}

interface Pending {
  resolve: (v: Record<string, unknown>) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  sealed: boolean;
}

export class ProvisionClient {
  private readonly link: FrameLink;
  private readonly pending = new Map<number, Pending>();
  private nextId = randomInt(1, 0x7fffffff);
  private session: SecureSession | null = null;
  /** The version agreed by hello(). */
  version: number | null = null;
  readonly defaultTimeoutMs: number;

  constructor(stream: ByteStream, opts: { timeoutMs?: number } = {}) {
    this.defaultTimeoutMs = opts.timeoutMs ?? 5000;
    this.link = new FrameLink(stream, (f) => this.onFrame(f));
    stream.onClose?.(() => this.failAll(new ProvisionError('DISCONNECTED', 'the serial port closed (cable pulled?)')));
  }

  get authenticated(): boolean {
    return this.session !== null;
  }

  /** Frames the decoder dropped (garbage, CRC errors) so far. */
  get droppedFrames(): number {
    return this.link.decoder.droppedTotal;
  }

  /** Send a request (sealed once authenticated) and wait for its answer. */
  request(op: string, args: Record<string, unknown> = {}, opts: RequestOptions = {}): Promise<Record<string, unknown>> {
    const reqId = this.nextId;
    this.nextId = this.nextId >= 0xfffffffe ? 1 : this.nextId + 1;
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    const session = this.session;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(reqId);
        reject(
          new ProvisionError(
            'TIMEOUT',
            `the box did not answer "${op}" within ${timeoutMs} ms (wrong port, box not running the agent, cable?)`,
          ),
        );
      }, timeoutMs);
      this.pending.set(reqId, { resolve, reject, timer, sealed: session !== null });
      const payload = session ? session.seal(MSG.SEALED, reqId, jsonBytes({ k: 'req', op, args })) : jsonBytes({ op, args });
      this.link.send({ type: session ? MSG.SEALED : MSG.REQUEST, reqId, payload }).catch((err: Error) => {
        clearTimeout(timer);
        this.pending.delete(reqId);
        reject(new ProvisionError('PORT', `cannot write to the serial port: ${err.message}`));
      });
    });
  }

  /** Agree the protocol version; returns the box's identity summary. */
  async hello(opts: RequestOptions = {}): Promise<Record<string, unknown>> {
    const r = await this.request('hello', { versions: [...PROTOCOL_VERSIONS], client: 'callbox-cli' }, opts);
    this.version = typeof r.version === 'number' ? r.version : null;
    return r;
  }

  /** Prove the code from the box's label and open the sealed session. AUTH_FAILED / RATE_LIMITED. */
  async authenticate(code: string): Promise<void> {
    this.session = null;
    const own = ephemeral();
    const start = await this.request('auth.start', { clientPub: own.pub.toString('base64'), clientNonce: own.nonce.toString('base64') });
    const kdf = typeof start.kdf === 'string' ? parseKdf(start.kdf) : null;
    const boxPub = Buffer.from(String(start.boxPub ?? ''), 'base64');
    const boxNonce = Buffer.from(String(start.boxNonce ?? ''), 'base64');
    if (!kdf || boxPub.length !== 32 || boxNonce.length !== 16)
      throw new ProvisionError('BAD_REQUEST', 'the box sent a malformed handshake');
    const keys = deriveKeys({
      own,
      peerPub: boxPub,
      popKey: await popKey(code, kdf),
      clientPub: own.pub,
      boxPub,
      clientNonce: own.nonce,
      boxNonce,
    });
    const fin = await this.request('auth.finish', { proof: proof(keys.clientConfirm, 'client').toString('base64') });
    const boxProof = Buffer.from(String(fin.proof ?? ''), 'base64');
    if (!proofMatches(keys.boxConfirm, 'box', boxProof))
      throw new ProvisionError('AUTH_FAILED', 'the box could not prove it knows the code');
    this.session = new SecureSession(keys, 'client');
  }

  close(): void {
    this.link.detach();
    this.failAll(new ProvisionError('DISCONNECTED', 'client closed'));
  }

  private failAll(err: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(err);
    }
  }

  private onFrame(f: Frame): void {
    const p = this.pending.get(f.reqId);
    if (!p) return;
    let kind: 'res' | 'err';
    let body: Record<string, unknown> | null;
    if (f.type === MSG.SEALED) {
      if (!p.sealed || !this.session) return;
      const plain = this.session.open(f.type, f.reqId, f.payload);
      const inner = plain ? parseJsonObject(plain) : null;
      if (!inner || (inner.k !== 'res' && inner.k !== 'err')) return;
      kind = inner.k;
      body = (inner.k === 'res' ? inner.result : inner) as Record<string, unknown> | null;
    } else if (f.type === MSG.RESPONSE || f.type === MSG.ERROR) {
      body = parseJsonObject(f.payload);
      kind = f.type === MSG.RESPONSE ? 'res' : 'err';
      // a sealed request answered in the clear is only believable as an error (auth lost on the box)
      if (p.sealed && kind === 'res') return;
    } else return;
    if (!body) return;
    clearTimeout(p.timer);
    this.pending.delete(f.reqId);
    if (kind === 'res') p.resolve(body);
    else {
      const e = body as unknown as ErrorBody;
      if (e.code === 'AUTH_REQUIRED') this.session = null;
      p.reject(new ProvisionError(e.code ?? 'INTERNAL', String(e.message ?? 'error'), e.details));
    }
  }
}
