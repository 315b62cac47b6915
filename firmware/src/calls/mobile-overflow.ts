/**
 * Overflow to the owner's mobile (转老板手机): a queue's overflow rule `{ action: 'mobile', number }`
 * dials the owner over the GSM channel while the caller keeps hearing hold music. The owner hears a
 * whisper ("call from the shop queue, press 1") and presses 1 to be bridged with the caller, who is
 * then talking to agent `mobile` (CONNECT with agent 'mobile', the GSM leg in the call record,
 * recorded like any bridged call, COMPLETE when either side hangs up). No GSM channel, a busy one
 * or a failed dial: the rule cannot be used (overflow.mobileUnavailable) and the ACD tries the
 * next rule at once. A refusal (any other key, no key), no answer within ringS, or the owner hanging
 * up before pressing 1 (overflow.mobileRefused): the caller goes on with the next rule, and after
 * the last one the queue gives up (voicemail.onTimeout or a hang-up), as for any timeout.
 */
import type { Logger } from 'pino';
import type { Channel } from '../../../hal/src/channel.js';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import type { Acd } from '../acd/acd.js';
import { MOBILE_RING_S } from '../acd/overflow.js';
import type { QueueDef } from '../acd/types.js';
import type { EventCatalog, EventType } from '../events/catalog.js';
import { CallMedia } from '../media/leg-media.js';
import { SequenceSource } from '../media/sequence.js';
import type { Ctx, EngineConfig, MobileLeg } from './engine-types.js';
import { iso } from './call.js';

/** The agent id a call answered on the owner's mobile carries (record.agent, queue.connect/complete). */
export const MOBILE_AGENT = 'mobile';
/** The whisper is played this many times; after each the owner has WHISPER_WAIT_MS to press a key. */
const WHISPER_PLAYS = 2;
const WHISPER_WAIT_MS = 6000;

export interface MobileHost {
  clock: Clock;
  log: Logger;
  config: EngineConfig;
  acd: Acd;
  channel(id: string): Channel | undefined;
  /** Whether a line channel carries no call. */
  free(ch: Channel): boolean;
  claim(ctx: Ctx, ch: Channel): void;
  /** Hang up a leg of the call (the owner's) and end it in the record. */
  release(ctx: Ctx, ch: Channel): void;
  prompt(name: string, language: Ctx['language']): Int16Array;
  save<K extends EventType>(ctx: Ctx, type: K, data: EventCatalog[K]): void;
  /** The owner took the caller: stop the hold music and start recording (the bridge is made). */
  bridged(ctx: Ctx): void;
  /** The owner hung up after talking. */
  ownerHungUp(ctx: Ctx): void;
}

/** Dial the owner for a caller the queue gave up on; false when the rule cannot be used now. */
export function dialMobile(ctx: Ctx, queue: QueueDef, number: string, ringS: number | undefined, h: MobileHost): boolean {
  const unavailable = (why: EventCatalog['overflow.mobileUnavailable']['why']): false => {
    h.log.warn({ call: ctx.call.id, queue: queue.id, number, why }, 'overflow to the owner mobile not possible');
    h.save(ctx, 'overflow.mobileUnavailable', { queue: queue.id, number, why });
    return false;
  };
  if (!ctx.media || ctx.call.ended) return unavailable('noAudio');
  const gsm = h.config.lines.map((l) => h.channel(l.channel)).filter((c): c is Channel => c?.kind === 'gsm');
  if (gsm.length === 0) return unavailable('noGsm');
  const line = gsm.find((c) => h.free(c));
  if (!line) return unavailable('gsmBusy');
  const now = h.clock.now();
  ctx.call.addLeg(line, 'agent', now);
  h.claim(ctx, line);
  const leg: MobileLeg = { channel: line, number, queue: queue.id, at: now, timer: null, whisper: null, connected: false };
  ctx.mobile = leg;
  h.save(ctx, 'overflow.mobileDialing', { queue: queue.id, number, channel: line.id });
  leg.timer = h.clock.setTimeout(() => refused(ctx, 'noAnswer', h), (ringS ?? MOBILE_RING_S) * 1000);
  line.dial(number).catch((err: unknown) => {
    h.log.warn({ call: ctx.call.id, channel: line.id, err: String(err) }, 'dialling the owner mobile failed');
    if (ctx.mobile !== leg || ctx.call.ended) return;
    dropLeg(ctx, h);
    unavailable('dialFailed');
    h.acd.overflowFailed(ctx.call.id);
  });
  return true;
}

/** The owner picked up: the whisper, then 1 to accept. */
export function mobileAnswered(ctx: Ctx, h: MobileHost): void {
  const leg = ctx.mobile;
  if (!leg || leg.connected || leg.whisper) return;
  leg.timer?.cancel();
  leg.timer = null;
  const rec = ctx.call.legs.find((l) => l.channel === leg.channel && l.record.endedAt === null);
  if (rec) rec.record.answeredAt = iso(h.clock.now());
  const media = new CallMedia(leg.channel);
  const prompt = h.prompt('mobile-whisper', h.config.language ?? 'zh-CN');
  let timer: TimerHandle | null = null;
  let plays = 0;
  const end = (accept: boolean): void => {
    timer?.cancel();
    leg.whisper = null;
    media.detach();
    if (ctx.call.ended || ctx.mobile !== leg) return;
    if (accept) connect(ctx, leg, h);
    else refused(ctx, 'refused', h);
  };
  const play = (): void => {
    plays++;
    media.play(new SequenceSource([prompt]), () => {
      timer = h.clock.setTimeout(() => (plays < WHISPER_PLAYS ? play() : end(false)), WHISPER_WAIT_MS);
    });
  };
  leg.whisper = {
    digit: (d) => end(d === '1'),
    stop: () => {
      timer?.cancel();
      leg.whisper = null;
      media.detach();
    },
  };
  play();
}

/** A key from the owner's phone (only the whisper listens). */
export function mobileDigit(ctx: Ctx, digit: string): void {
  ctx.mobile?.whisper?.digit(digit);
}

/** The owner's side is gone (hung up, or the network gave up ringing). */
export function mobileGone(ctx: Ctx, h: MobileHost): void {
  const leg = ctx.mobile;
  if (!leg) return;
  if (leg.connected) h.ownerHungUp(ctx);
  else refused(ctx, 'hungUp', h);
}

/** The caller's call ends: the mobile side is over too (COMPLETE when they talked). */
export function mobileEnded(ctx: Ctx, by: 'caller' | 'agent' | 'system', h: MobileHost): void {
  const leg = ctx.mobile;
  if (!leg) return;
  leg.timer?.cancel();
  leg.whisper?.stop();
  h.acd.overflowDone(ctx.call.id);
  if (leg.connected && leg.connectedAt !== undefined) {
    const talkMs = h.clock.now() - leg.connectedAt;
    h.save(ctx, 'queue.complete', { queue: leg.queue, agent: MOBILE_AGENT, waitMs: leg.waitMs ?? 0, talkMs, by });
  }
}

function connect(ctx: Ctx, leg: MobileLeg, h: MobileHost): void {
  const now = h.clock.now();
  leg.connected = true;
  leg.connectedAt = now;
  leg.waitMs = now - leg.at;
  h.acd.overflowDone(ctx.call.id);
  if (ctx.call.state === 'queued') ctx.call.to('connecting');
  ctx.call.to('talking');
  ctx.call.record.agent = MOBILE_AGENT;
  ctx.media?.bridge(leg.channel);
  h.bridged(ctx);
  // CONNECT: waitMs is the time since the caller left the queue (their wait there is in EXITWITHTIMEOUT);
  // ringMs how long the mobile rang before the owner picked up (the whisper is not ringing)
  const answeredAt = ctx.call.legs.find((l) => l.channel === leg.channel && l.record.endedAt === null)?.record.answeredAt;
  const ringMs = answeredAt ? Date.parse(answeredAt) - leg.at : leg.waitMs;
  h.save(ctx, 'queue.connect', { queue: leg.queue, agent: MOBILE_AGENT, waitMs: leg.waitMs, ringMs });
}

function refused(ctx: Ctx, why: EventCatalog['overflow.mobileRefused']['why'], h: MobileHost): void {
  const leg = ctx.mobile;
  if (!leg || leg.connected || ctx.call.ended) return;
  dropLeg(ctx, h);
  h.save(ctx, 'overflow.mobileRefused', { queue: leg.queue, number: leg.number, why, ringMs: h.clock.now() - leg.at });
  h.acd.overflowFailed(ctx.call.id);
}

/** Hang up the GSM leg and forget it; the caller goes on waiting for the next rule. */
function dropLeg(ctx: Ctx, h: MobileHost): void {
  const leg = ctx.mobile;
  if (!leg) return;
  ctx.mobile = undefined;
  leg.timer?.cancel();
  leg.whisper?.stop();
  h.release(ctx, leg.channel);
}
