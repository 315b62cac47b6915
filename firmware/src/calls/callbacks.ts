/**
 * Callbacks (回拨) that keep the caller's place: a waiting caller presses the queue's callback key
 * (or an IVR node's `callback` action asks for one before waiting: `request()`),
 * hears a confirmation and hangs up — the shop line is free, the place in the queue is kept. When
 * the callback reaches an agent, the agent is reserved and the box dials the customer (shop lines
 * first, the GSM modem when they are busy); the customer must press 1 to be connected, which an
 * answering machine never does. A failed attempt is retried after retryS, up to maxAttempts.
 *
 * Every attempt is its own outbound call record, id `<callbackId>-<attempt>` (e.g. cb-<callId>-2),
 * with its outcome (answered, notAccepted, failed) and a callback_attempts row linking it to the
 * request and the original call; the request's resultCallId names the attempt that succeeded. The
 * ACD knows the callback by its request id: `live()` maps it to the attempt being dialled.
 */
import type { Logger } from 'pino';
import type { Channel } from '../../../hal/src/channel.js';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import type { Acd } from '../acd/acd.js';
import type { AgentDef, QueueDef } from '../acd/types.js';
import type { EventCatalog, EventType } from '../events/catalog.js';
import { IvrSession } from '../ivr/ivr-session.js';
import { CallMedia } from '../media/leg-media.js';
import { SequenceSource } from '../media/sequence.js';
import type { CallOutcome } from '../service/types.js';
import type { CallbackStore } from '../store/callback-store.js';
import { iso } from './call.js';
import type { EngineConfig, Ctx } from './engine-types.js';

/** How long the customer's phone may ring. */
export const CALLBACK_DIAL_TIMEOUT_MS = 40_000;
/** Wait before trying again when no line is free. */
const NO_LINE_RETRY_MS = 30_000;

export interface CallbackHost {
  clock: Clock;
  log: Logger;
  acd: Acd;
  store: CallbackStore;
  config: EngineConfig;
  /** Line channels the box may dial out on, in order of preference (FXO first, GSM last). */
  outboundLines(): Channel[];
  prompt(name: string): Int16Array;
  /** Create the outbound call's context on `line` (call id = the attempt's id). */
  startOutbound(id: string, line: Channel, number: string, queue: string): Ctx;
  save<K extends EventType>(ctx: Ctx, type: K, data: EventCatalog[K]): void;
  append<K extends EventType>(type: K, callId: string | null, data: EventCatalog[K]): void;
  finish(ctx: Ctx, outcome: CallOutcome, reason: 'callbackRequested' | 'callbackNotAccepted' | 'dialFailed'): void;
  /** Ring the reserved agent's phone for the accepted callback. */
  ringAgent(ctx: Ctx, agent: AgentDef, queue: QueueDef): boolean;
}

export class CallbackDesk {
  private readonly timers = new Map<string, TimerHandle>();
  /** The attempt being dialled or talking, by callback id. */
  private readonly attempts = new Map<string, Ctx>();
  /** Calls whose caller asked for a callback and hears the confirmation. */
  private readonly confirming = new Set<string>();

  constructor(private readonly h: CallbackHost) {}

  /** At start: waiting callbacks rejoin their queues (ahead of new callers). */
  restore(): void {
    for (const cb of [...this.h.store.list({ state: 'waiting', limit: 500 }), ...this.h.store.list({ state: 'dialing', limit: 500 })]) {
      if (!this.h.acd.hasQueue(cb.queue)) continue;
      // an attempt cut short by the restart: its call record is closed at start, the attempt failed
      for (const a of this.h.store.attempts(cb.id)) if (a.endedAt === null) this.h.store.endAttempt(a.callId, 'failed', this.h.clock.now());
      this.h.store.set(cb.id, 'waiting', cb.attempts, null, this.h.clock.now());
      this.h.acd.enqueueCallback(cb.id, cb.queue);
    }
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  /** A key pressed by a waiting caller: true when it was the callback key and the request is taken. */
  breakout(ctx: Ctx, digit: string, media: CallMedia): boolean {
    const queue = this.queueDef(ctx.call.record.queue);
    const number = ctx.call.record.callerId;
    if (!queue?.callback || queue.callback.key !== digit || !number) return false;
    const id = `cb-${ctx.call.id}`;
    if (!this.h.acd.toCallback(ctx.call.id, id)) return false;
    this.h.store.add(id, ctx.call.id, queue.id, number, this.h.clock.now());
    this.h.save(ctx, 'callback.requested', { callbackId: id, queue: queue.id, number });
    this.confirm(ctx, media, 'callback-confirm');
    return true;
  }

  /**
   * The IVR's callback action: the same request as the breakout key, made before the caller waited
   * (ENTERQUEUE at a new caller's place, kept without a line). False without the caller's number.
   */
  request(ctx: Ctx, queueId: string, media: CallMedia, priority = 0): boolean {
    const number = ctx.call.record.callerId;
    if (!number || !this.h.acd.hasQueue(queueId)) return false;
    const id = `cb-${ctx.call.id}`;
    ctx.call.record.queue = queueId;
    this.h.store.add(id, ctx.call.id, queueId, number, this.h.clock.now());
    this.h.save(ctx, 'callback.requested', { callbackId: id, queue: queueId, number });
    this.h.acd.requestCallback(ctx.call.id, id, queueId, priority);
    this.confirm(ctx, media, 'callback-booked');
    return true;
  }

  /**
   * Overflow rule `callback`: the caller who waited maxWaitS (no longer in the queue) is called back
   * ahead of the waiting callers, like a retried callback. False without the caller's number.
   */
  overflow(ctx: Ctx, queueId: string): boolean {
    const number = ctx.call.record.callerId;
    if (!number || !ctx.media || !this.h.acd.hasQueue(queueId)) return false;
    const id = `cb-${ctx.call.id}`;
    this.h.store.add(id, ctx.call.id, queueId, number, this.h.clock.now());
    this.h.save(ctx, 'callback.requested', { callbackId: id, queue: queueId, number });
    this.h.acd.enqueueCallback(id, queueId);
    this.confirm(ctx, ctx.media, 'callback-booked');
    return true;
  }

  /** The caller asked for a callback and hears the confirmation: hanging up now is no abandon. */
  requested(ctx: Ctx): boolean {
    return this.confirming.has(ctx.call.id);
  }

  private confirm(ctx: Ctx, media: CallMedia, prompt: string): void {
    this.confirming.add(ctx.call.id);
    media.play(new SequenceSource([this.h.prompt(prompt)]), () => this.h.finish(ctx, 'callback', 'callbackRequested'));
  }

  isPending(id: string): boolean {
    return this.h.acd.isCallback(id);
  }

  /** The attempt in progress of callback `id` (the ACD's id for it), if any. */
  live(id: string): Ctx | undefined {
    return this.attempts.get(id);
  }

  /** The ACD reserved `agent` for a callback with no call yet: dial the customer. */
  offer(id: string, agent: AgentDef, queue: QueueDef): boolean {
    const cb = this.h.store.get(id);
    if (!cb) return false;
    const line = this.h.outboundLines().find((l) => l.state === 'idle');
    if (!line) {
      this.later(id, NO_LINE_RETRY_MS, queue.id, 'noLineFree');
      return true;
    }
    const attempt = cb.attempts + 1;
    const now = this.h.clock.now();
    const ctx = this.h.startOutbound(`${id}-${attempt}`, line, cb.number, queue.id);
    ctx.callback = { id, agent: agent.id, accepted: false };
    this.attempts.set(id, ctx);
    this.h.store.set(id, 'dialing', attempt, null, now);
    this.h.store.addAttempt({ callId: ctx.call.id, callbackId: id, attempt, originalCallId: cb.callId, channel: line.id }, now);
    this.h.save(ctx, 'callback.dialing', { callbackId: id, attempt, channel: line.id, agent: agent.id, originalCallId: cb.callId });
    this.timers.set(
      id,
      this.h.clock.setTimeout(() => this.h.finish(ctx, 'notAccepted', 'callbackNotAccepted'), CALLBACK_DIAL_TIMEOUT_MS),
    );
    line.dial(cb.number).catch((err: unknown) => {
      this.h.log.warn({ callback: id, line: line.id, err: String(err) }, 'dialling the callback failed');
      this.h.finish(ctx, 'failed', 'dialFailed');
    });
    return true;
  }

  /** Another agent is reserved for a callback already being dialled (the first one's hold ran out). */
  reserve(ctx: Ctx, agent: AgentDef): boolean {
    if (!ctx.callback || ctx.callback.accepted) return false;
    ctx.callback.agent = agent.id;
    return true;
  }

  /** The customer picked up (a line's outbound call answered): ask them to press 1. */
  answered(ctx: Ctx | undefined): void {
    const cb = ctx?.callback;
    if (!ctx || !cb) return;
    this.timers.get(cb.id)?.cancel();
    // the attempt's call record shows when the customer's phone was picked up
    const at = iso(this.h.clock.now());
    ctx.call.record.answeredAt = at;
    const leg = ctx.call.leg('caller');
    if (leg) leg.record.answeredAt = at;
    const media = new CallMedia(ctx.line);
    ctx.media = media;
    ctx.call.to('ivr');
    const ivr = new IvrSession(
      {
        accept: {
          prompt: 'callback-intro',
          timeoutS: 8,
          repeats: 1,
          options: { '1': { action: 'queue', queue: ctx.call.record.queue ?? '' } },
          onTimeout: { action: 'hangup' },
          onInvalid: { action: 'menu', menu: 'accept' },
        },
      },
      this.h.clock,
      {
        play: (src, done) => media.play(src, done),
        stopPlayback: () => media.stopPlayback(),
        prompt: (name) => this.h.prompt(name),
        setLanguage: () => {},
        onMenu: () => {},
        onKey: () => {},
        done: (result) => {
          ctx.ivr = null;
          if (result.action !== 'queue' || !cb.agent) {
            this.h.finish(ctx, 'notAccepted', 'callbackNotAccepted');
            return;
          }
          cb.accepted = true;
          this.h.save(ctx, 'callback.accepted', { callbackId: cb.id });
          ctx.call.to('queued');
          const agent = this.h.config.agents.find((a) => a.id === cb.agent);
          const queue = this.queueDef(ctx.call.record.queue);
          if (!agent || !queue || !this.h.ringAgent(ctx, agent, queue)) {
            this.h.log.warn({ callback: cb.id, agent: cb.agent }, 'the reserved agent could not be rung');
          }
        },
      },
    );
    ctx.ivr = ivr;
    ivr.start('accept');
  }

  /** The outbound call ended: done when the customer talked to an agent, else retry or give up. */
  ended(ctx: Ctx, outcome: CallOutcome, talked: boolean): void {
    this.confirming.delete(ctx.call.id);
    const cb = ctx.callback;
    if (!cb) return;
    this.timers.get(cb.id)?.cancel();
    this.timers.delete(cb.id);
    if (this.attempts.get(cb.id) === ctx) this.attempts.delete(cb.id);
    const now = this.h.clock.now();
    this.h.store.endAttempt(ctx.call.id, talked ? 'answered' : outcome, now);
    const rec = this.h.store.get(cb.id);
    if (!rec) return;
    if (talked) {
      this.h.store.set(cb.id, 'done', rec.attempts, ctx.call.id, now);
      return;
    }
    this.h.acd.release(cb.id);
    const queue = this.queueDef(rec.queue);
    const max = queue?.callback?.maxAttempts ?? 1;
    const final = rec.attempts >= max;
    this.h.save(ctx, 'callback.failed', { callbackId: cb.id, attempts: rec.attempts, why: outcome, final });
    this.h.store.set(cb.id, final ? 'failed' : 'waiting', rec.attempts, null, now);
    if (!final) this.later(cb.id, (queue?.callback?.retryS ?? 300) * 1000, rec.queue, null);
  }

  private later(id: string, ms: number, queue: string, why: string | null): void {
    if (why) {
      queueMicrotask(() => this.h.acd.release(id));
      this.h.append('callback.failed', id, { callbackId: id, attempts: this.h.store.get(id)?.attempts ?? 0, why, final: false });
    }
    this.timers.get(id)?.cancel();
    this.timers.set(
      id,
      this.h.clock.setTimeout(() => {
        this.timers.delete(id);
        this.h.acd.enqueueCallback(id, queue);
      }, ms),
    );
  }

  private queueDef(id: string | null): QueueDef | undefined {
    return id ? this.h.config.queues.find((q) => q.id === id) : undefined;
  }
}

/** Lines to dial out on: shop lines first, the GSM modem last. */
export function outboundLines(channels: (Channel | undefined)[]): Channel[] {
  const lines = channels.filter((c): c is Channel => !!c);
  return [...lines.filter((c) => c.kind !== 'gsm'), ...lines.filter((c) => c.kind === 'gsm')];
}
