/**
 * Fax calls (传真): while a caller is in the IVR, the call-progress detector listens to the line;
 * a fax machine's CNG tone (1100 Hz, 0.5 s every 3 s) sends the call to the shop's fax extension
 * (an FXS port with a fax machine) instead of the menus. No allocation per frame: the detector
 * keeps its own buffers; the listener is removed as soon as the IVR is over.
 */
import type { Channel } from '../../../hal/src/channel.js';
import type { Clock } from '../../../hal/src/clock.js';
import { CallProgressDetector } from '../../../hal/src/dsp/progress-detect.js';
import type { ToneRegion } from '../../../hal/src/dsp/tone-presets.js';
import type { EventCatalog, EventType } from '../events/catalog.js';
import type { CallMedia } from '../media/leg-media.js';
import type { CallOutcome } from '../service/types.js';
import type { Ctx } from './engine-types.js';

/** Listen for CNG on the caller's audio; `onFax` runs once. Returns a function that stops listening. */
export function watchForFax(media: CallMedia, region: ToneRegion, onFax: () => void): () => void {
  let fired = false;
  const detector = new CallProgressDetector({
    profile: region,
    onEvent: (e) => {
      if (e.tone !== 'cng' || fired) return;
      fired = true;
      onFax();
    },
  });
  media.listen = (frame) => detector.process(frame);
  return () => {
    if (media.listen) media.listen = null;
  };
}

export interface FaxHost {
  clock: Clock;
  ringCadence: number[];
  phone(channelId: string): Channel | undefined;
  /** The phone becomes the call's second leg (role agent) and is known by its channel. */
  claim(ctx: Ctx, phone: Channel): void;
  save<K extends EventType>(ctx: Ctx, type: K, data: EventCatalog[K]): void;
  finish(ctx: Ctx, outcome: CallOutcome, reason: 'queueTimeout'): void;
}

/** How long the fax machine's port may ring before the call is given up. */
export const FAX_RING_TIMEOUT_MS = 60_000;

/** Leave the IVR and ring the fax extension; the usual bridge takes over when it answers. */
export function routeToFax(ctx: Ctx, extension: string, host: FaxHost): void {
  if (ctx.call.state !== 'ivr') return;
  ctx.ivr?.stop();
  ctx.ivr = null;
  ctx.media?.stopPlayback();
  const phone = host.phone(extension);
  if (phone?.state !== 'idle') {
    host.save(ctx, 'fax.detected', { extension });
    host.finish(ctx, 'noAgent', 'queueTimeout');
    return;
  }
  host.claim(ctx, phone);
  ctx.call.to('connecting');
  host.save(ctx, 'fax.detected', { extension });
  const { callerId, callerName } = ctx.call.record;
  phone.ring({ cadence: { pattern: host.ringCadence }, callerId: { number: callerId, name: callerName } }).catch(() => {
    host.finish(ctx, 'noAgent', 'queueTimeout');
  });
  host.clock.setTimeout(() => {
    if (ctx.call.state === 'connecting') host.finish(ctx, 'noAgent', 'queueTimeout');
  }, FAX_RING_TIMEOUT_MS);
}
