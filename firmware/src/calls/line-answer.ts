/**
 * Answering an inbound call on a line: a call starts at the first ring; the box takes the line
 * after the line's `answerAfterRings`, as soon as caller ID has arrived, or CALLER_ID_WAIT_MS
 * after that ring without it (in mainland China and on Bell 202 lines caller ID comes between the
 * first and second ring).
 */
import type { Logger } from 'pino';
import type { Channel } from '../../../hal/src/channel.js';
import type { Clock } from '../../../hal/src/clock.js';
import type { EventCatalog } from '../events/catalog.js';
import { Call } from './call.js';
import { newCtx } from './context.js';
import type { Ctx, EngineConfig } from './engine-types.js';
import { ulidFactory } from '../backoffice/common/ulid.js';

/** How long to wait for caller ID after the answering ring before answering without it. */
export const CALLER_ID_WAIT_MS = 2500;

export interface AnswerHost {
  clock: Clock;
  log: Logger;
  config: EngineConfig;
  ctxOn(channelId: string): Ctx | undefined;
  track(ctx: Ctx): Ctx;
  saveCallerId(ctx: Ctx, data: EventCatalog['call.callerId']): void;
  /** The line is ours (answer() resolved). */
  answered(ctx: Ctx): void;
  failed(ctx: Ctx, err: unknown): void;
}

/** Call ids: ULIDs at the box's clock (26 characters, sortable by start), one factory per clock. */
const callIds = new WeakMap<object, () => string>();
function newCallId(clock: { now(): number }): string {
  let make = callIds.get(clock);
  if (!make) {
    make = ulidFactory(() => clock.now());
    callIds.set(clock, make);
  }
  return make();
}

export function onRing(ch: Channel, count: number, h: AnswerHost): void {
  let ctx = h.ctxOn(ch.id);
  const line = h.config.lines.find((l) => l.channel === ch.id);
  if (!ctx) {
    if (!line) {
      h.log.warn({ channel: ch.id }, 'ring on a channel with no line configured: ignored');
      return;
    }
    const call = new Call(newCallId(h.clock), 'inbound', h.clock.now());
    call.addLeg(ch, 'caller', h.clock.now());
    ctx = h.track(newCtx(call, ch, h.config.language ?? 'zh-CN'));
  }
  if (ctx.call.state !== 'ringing' || ctx.answerTimer || ctx.answering) return;
  if (line && count >= line.answerAfterRings) {
    const c = ctx;
    if (c.call.record.callerId !== null) answer(c, h);
    else c.answerTimer = h.clock.setTimeout(() => answer(c, h), CALLER_ID_WAIT_MS);
  }
}

export function onCallerId(ch: Channel, number: string | null, name: string | null, h: AnswerHost): void {
  const ctx = h.ctxOn(ch.id);
  if (!ctx || ctx.line !== ch) return;
  ctx.call.record.callerId = number;
  ctx.call.record.callerName = name;
  h.saveCallerId(ctx, { number, name });
  if (ctx.answerTimer) answer(ctx, h);
}

function answer(ctx: Ctx, h: AnswerHost): void {
  ctx.answerTimer?.cancel();
  ctx.answerTimer = null;
  if (ctx.call.state !== 'ringing' || ctx.answering) return;
  ctx.answering = true;
  ctx.line.answer().then(
    () => h.answered(ctx),
    (err: unknown) => h.failed(ctx, err),
  );
}
