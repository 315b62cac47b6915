/**
 * Abandoned-call resume without the IVR: a caller who hung up while waiting in a queue with
 * `resume.skipIvr`, calling again within its window (and while the shop is open), goes straight
 * back to that queue; the ACD puts them at the place of their first entry (acd/resume.ts).
 */
import type { Acd } from '../acd/acd.js';
import type { QueueDef } from '../acd/types.js';
import { isOpen } from '../ivr/hours.js';
import type { CallMedia } from '../media/leg-media.js';
import type { Ctx, EngineConfig } from './engine-types.js';

/** True when the call went straight back to its queue (the IVR is not started). */
export function resumeWithoutIvr(
  ctx: Ctx,
  acd: Acd,
  config: EngineConfig,
  now: number,
  wait: (ctx: Ctx, media: CallMedia, queue: QueueDef) => void,
): boolean {
  const target = acd.resumeTarget(ctx.call.record.callerId);
  const queue = target ? config.queues.find((q) => q.id === target.queue) : undefined;
  if (!target || !queue || !ctx.media) return false;
  if (config.hours && !isOpen(config.hours, config.timezone ?? 'UTC', now)) return false;
  ctx.call.to('queued');
  ctx.call.record.queue = queue.id;
  wait(ctx, ctx.media, queue);
  acd.enqueue(ctx.call.id, queue.id, target.priority);
  return true;
}
