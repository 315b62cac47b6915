/**
 * The channel events the call engine listens to (split out of engine.ts's `start()`): an agent
 * phone's hook, keys and state go to the engine's agent handlers; a line's ring, caller ID, keys,
 * answer and hang-up are handled here (the caller's side of a call). Every handler runs guarded:
 * a throw is logged against its channel and never reaches the driver.
 */
import type { Channel, ChannelEvents } from '../../../hal/src/channel.js';
import type { CallbackDesk } from './callbacks.js';
import type { EngineCore } from './engine-hosts.js';
import type { Ctx } from './engine-types.js';
import { type AnswerHost, onCallerId, onRing } from './line-answer.js';
import { type MobileHost, mobileAnswered, mobileDigit, mobileGone } from './mobile-overflow.js';
import type { PreviewDial } from './preview-dial.js';
import type { CallRooms } from './rooms.js';

/** What an agent phone's events go to (the engine's agent side). */
export interface PhoneHandlers {
  offHook(phone: Channel): void;
  onHook(phone: Channel): void;
  digit(phone: Channel, digit: string): void;
  state(phone: Channel, state: string): void;
}

export interface ChannelEventHost {
  core: EngineCore;
  answering: AnswerHost;
  mobile: MobileHost;
  rooms: CallRooms;
  preview: PreviewDial;
  callbacks: CallbackDesk;
  phone: PhoneHandlers;
  toVoicemail(ctx: Ctx, box: string): void;
}

/** Subscribe to every channel's events; returns the unsubscribers. */
export function subscribeChannels(channels: Iterable<Channel>, h: ChannelEventHost): (() => void)[] {
  const unsubscribe: (() => void)[] = [];
  for (const ch of channels) {
    const on = <K extends keyof ChannelEvents>(ev: K, fn: (p: ChannelEvents[K]) => void) =>
      unsubscribe.push(ch.events.on(ev, (p) => h.core.guard(ch, String(ev), () => fn(p))));
    if (ch.kind === 'fxs' || ch.phone) {
      on('offHook', () => h.phone.offHook(ch));
      on('onHook', () => h.phone.onHook(ch));
      on('digit', (d) => h.phone.digit(ch, d.digit));
      on('state', (s) => h.phone.state(ch, s.state));
    } else {
      on('ring', (r) => onRing(ch, r.count, h.answering));
      on('callerId', (c) => onCallerId(ch, c.number, c.name ?? null, h.answering));
      on('ringStopped', () => lineGone(ch, h));
      on('hangup', () => lineGone(ch, h));
      on('digit', (d) => lineDigit(ch, d.digit, h));
      on('answered', () => lineAnswered(ch, h));
    }
  }
  return unsubscribe;
}

/** A line we dialled answered: an added conference party, the owner's mobile, a preview call or a callback. */
function lineAnswered(ch: Channel, h: ChannelEventHost): void {
  if (h.rooms.joined(ch)) return;
  const ctx = h.core.byChannel.get(ch.id);
  if (ctx?.mobile?.channel === ch) mobileAnswered(ctx, h.mobile);
  else if (!h.preview.answered(ctx)) h.callbacks.answered(ctx);
}

/** A key from a line: to the IVR, or a waiting caller's callback / voicemail key. */
function lineDigit(ch: Channel, digit: string, h: ChannelEventHost): void {
  const { core } = h;
  const ctx = core.byChannel.get(ch.id);
  if (ctx?.mobile?.channel === ch) mobileDigit(ctx, digit);
  if (!ctx || ctx.line !== ch) return;
  if (ctx.voicemail) ctx.voicemail.digit(digit);
  else if (ctx.ivr) ctx.ivr.digit(digit);
  else if ((ctx.call.state === 'queued' || ctx.call.state === 'connecting') && ctx.media && !ctx.callback) {
    const queue = core.o.config.queues.find((q) => q.id === ctx.call.record.queue);
    if (h.callbacks.breakout(ctx, digit, ctx.media)) core.waiting.leave(ctx.call.id);
    else if (queue?.voicemail?.key === digit && core.acd.exitWithKey(ctx.call.id, digit)) h.toVoicemail(ctx, queue.voicemail.box);
  }
}

/** The caller's side is gone: hung up, stopped ringing, or the line dropped. */
function lineGone(ch: Channel, h: ChannelEventHost): void {
  if (h.rooms.lineGone(ch)) return; // an added party's line
  const { core } = h;
  const ctx = core.byChannel.get(ch.id);
  if (ctx?.mobile?.channel === ch) mobileGone(ctx, h.mobile);
  if (!ctx || ctx.line !== ch || h.preview.lineGone(ctx)) return;
  const s = ctx.call.state;
  if (ctx.voicemail)
    ctx.voicemail.callerGone(); // the message is kept if long enough; its end finishes the call
  else if (ctx.callback && s !== 'talking' && s !== 'survey') core.finish(ctx, 'notAccepted', 'callbackNotAccepted');
  else if (h.callbacks.requested(ctx)) core.finish(ctx, 'callback', 'callbackRequested');
  else if (s === 'ringing') core.finish(ctx, 'missed', 'callerGaveUp');
  else if (s === 'talking' || s === 'survey') core.finish(ctx, 'answered', 'callerHangup');
  else core.finish(ctx, 'abandoned', 'callerHangup');
}
