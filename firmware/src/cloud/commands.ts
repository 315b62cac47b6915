/**
 * `cmd/{name}` → a handler → the reply envelope on the MQTT 5 response topic (kept only when it is
 * inside this device's subtree, else `res/{name}`) with the request's correlation data. The request
 * id comes from the payload's `requestId` (3.1.1 brokers) or the correlation data. A redelivered
 * request id is answered from the cache (or `{duplicate:true}` after a restart) and never run twice;
 * `expiresAt` in the past is refused (MQTT 5 brokers also drop messages past their expiry).
 * A handler may answer in several messages (fetch logs): it returns a Chunks.
 */
import type { IPublishPacket } from 'mqtt';
import type { Logger } from 'pino';
import { CallboxError } from '../errors.js';
import { decodeObject, type Envelope, errorEnvelope, okEnvelope } from './envelope.js';
import type { CloudStateFile } from './state-file.js';
import type { DeviceTopics } from './topics.js';

export class Chunks {
  constructor(readonly parts: unknown[]) {}
}

export interface CommandRequest {
  requestId: string;
  args: Record<string, unknown>;
  /** Called after the reply was handed to the broker (reboot, rotate credentials act then). */
  after(fn: () => void): void;
}

export type CommandHandler = (req: CommandRequest) => unknown;

export interface DispatcherOptions {
  topics: DeviceTopics;
  state: CloudStateFile;
  log: Logger;
  now: () => number;
  publish: (topic: string, body: unknown, correlation: Buffer | undefined, done?: () => void) => void;
  handlers: Record<string, CommandHandler>;
}

const CACHE = 128;
const NAME = /^[a-z][a-z0-9-]{0,63}$/;

export class CommandDispatcher {
  private readonly cache = new Map<string, unknown[]>();
  handled = 0;

  constructor(private readonly o: DispatcherOptions) {}

  async onCommand(name: string, payload: Buffer, packet: IPublishPacket): Promise<void> {
    const props = packet.properties ?? {};
    const correlation = props.correlationData ? Buffer.from(props.correlationData) : undefined;
    const rt = props.responseTopic;
    const replyTo = rt?.startsWith(this.o.topics.prefix) && !/[+#]/.test(rt) ? rt : this.o.topics.res(NAME.test(name) ? name : 'invalid');
    const send = (bodies: unknown[], done?: () => void) => {
      bodies.forEach((b, i) => {
        this.o.publish(replyTo, b, correlation, i === bodies.length - 1 ? done : undefined);
      });
    };
    let requestId: string | null = correlation && correlation.length <= 128 ? correlation.toString('utf8') : null;
    let args: Record<string, unknown> = {};
    try {
      const doc = payload.length === 0 ? {} : decodeObject(payload, `cmd/${name}`);
      if (doc.requestId !== undefined) {
        if (typeof doc.requestId !== 'string' || doc.requestId.length < 1 || doc.requestId.length > 128) {
          throw new CallboxError('VALIDATION_FAILED', 'requestId: a string of 1 to 128 characters');
        }
        requestId = doc.requestId;
      }
      if (doc.args !== undefined) {
        if (typeof doc.args !== 'object' || doc.args === null || Array.isArray(doc.args))
          throw new CallboxError('VALIDATION_FAILED', 'args: must be an object');
        args = doc.args as Record<string, unknown>;
      }
      if (!requestId) throw new CallboxError('VALIDATION_FAILED', 'requestId: missing (payload requestId or MQTT 5 correlation data)');
      if (doc.expiresAt !== undefined) {
        const at = typeof doc.expiresAt === 'string' ? Date.parse(doc.expiresAt) : Number.NaN;
        if (Number.isNaN(at)) throw new CallboxError('VALIDATION_FAILED', 'expiresAt: an ISO 8601 time');
        if (at <= this.o.now()) throw new CallboxError('BAD_REQUEST', `command expired at ${doc.expiresAt}: not run`);
      }
    } catch (e) {
      this.o.log.warn({ name, err: (e as Error).message }, 'cloud: command refused');
      send([errorEnvelope(requestId, e)]);
      return;
    }
    const cached = this.cache.get(requestId);
    if (cached) return send(cached);
    if (this.o.state.seen(requestId)) return send([okEnvelope(requestId, { duplicate: true })]);
    const handler = NAME.test(name) ? this.o.handlers[name] : undefined;
    if (!handler) {
      send([
        errorEnvelope(
          requestId,
          new CallboxError('NOT_FOUND', `unknown command "${name}"; known: ${Object.keys(this.o.handlers).join(', ')}`),
        ),
      ]);
      return;
    }
    this.o.state.remember(requestId);
    const afters: (() => void)[] = [];
    let bodies: unknown[];
    try {
      const result = await handler({ requestId, args, after: (fn) => afters.push(fn) });
      bodies =
        result instanceof Chunks
          ? result.parts.map((part, i) => ({ ...(okEnvelope(requestId, part) as object), chunk: i, chunks: result.parts.length }))
          : [okEnvelope(requestId, result)];
    } catch (e) {
      bodies = [errorEnvelope(requestId, e) satisfies Envelope];
      afters.length = 0;
    }
    this.handled++;
    this.remember(requestId, bodies);
    send(bodies, () => {
      for (const fn of afters) fn();
    });
  }

  private remember(id: string, bodies: unknown[]): void {
    this.cache.set(id, bodies);
    if (this.cache.size > CACHE) this.cache.delete(this.cache.keys().next().value as string);
  }
}
