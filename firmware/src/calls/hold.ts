/**
 * Hold and unhold: the caller hears hold music (QueueAudio over the configured music) while the
 * agent's phone is cut off; unhold bridges the caller back to a phone and the recording goes on in
 * the same file. The time on hold adds up on the call record (`holdSeconds`), with a `call.held` /
 * `call.unheld` event each (the record and the event in one transaction).
 */
import type { Channel } from '../../../hal/src/channel.js';
import { QueueAudio } from '../media/queue-audio.js';
import { controlOf, type HoldState } from './control-types.js';
import type { EngineCore } from './engine-hosts.js';
import type { Ctx } from './engine-types.js';
import { startRecording } from './recording-control.js';

/** Put the caller on hold (no-op when already held). Returns false when the call has no audio. */
export function putOnHold(c: EngineCore, ctx: Ctx, by: string, why: HoldState['why']): boolean {
  const st = controlOf(ctx);
  const media = ctx.media;
  if (!media) return false;
  if (st.hold) return true;
  const phone = media.bridgedTo;
  media.unbridge();
  media.play(new QueueAudio(c.o.holdMusic()));
  st.hold = { since: c.o.clock.now(), by, phone, why };
  c.save(ctx, 'call.held', { by, channel: phone?.id ?? null, why });
  return true;
}

/** End the hold: the caller is bridged to `phone` (null: the music stops, nobody is bridged yet). */
export function takeOffHold(c: EngineCore, ctx: Ctx, by: string, phone: Channel | null): void {
  const st = controlOf(ctx);
  const hold = st.hold;
  if (!hold || !ctx.media) return;
  const holdMs = addHoldTime(ctx, hold, c.o.clock.now());
  st.hold = null;
  if (phone) {
    ctx.media.bridge(phone);
    startRecording(ctx, c.o.recorder, c.o.clock.now());
  } else ctx.media.stopPlayback();
  c.save(ctx, 'call.unheld', { by, channel: phone?.id ?? null, holdMs });
}

/** The call ends while on hold: the time so far counts (saved with the call's end). */
export function settleHold(ctx: Ctx, now: number): void {
  const st = ctx.control;
  if (!st?.hold) return;
  addHoldTime(ctx, st.hold, now);
  st.hold = null;
}

function addHoldTime(ctx: Ctx, hold: HoldState, now: number): number {
  const ms = Math.max(0, now - hold.since);
  const total = Math.round((ctx.call.record.holdSeconds ?? 0) * 1000) + ms;
  ctx.call.record.holdSeconds = total / 1000;
  return ms;
}
