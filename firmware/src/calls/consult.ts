/**
 * Attended transfer: the caller is held (hold music) while the agent's phone rings the target (an
 * agent's phone, or an external number over a shop line) and talks to it; `complete` hands the
 * caller to the target (the first agent leaves, the recording goes on in the same file), `cancel`
 * (or the target hanging up / not answering) brings the caller back to the agent. A complete while
 * the target still rings (semi-attended: an analog phone hung up, a SIP phone's REFER) releases the
 * agent at once; the caller hears ringback and is handed over when the target answers; if it does
 * not answer within the ring time, the caller goes back to the queue the call came through (the
 * agent has moved on; the next free agent takes it, with the caller's priority), or the call ends
 * (`transferFailed`) when it came through none. The target is a `consult` leg of the call until it
 * takes the caller (then `agent` or `external`).
 *
 * A SIP phone starts one by placing a second call to an extension (SIP or analog) or a number while its call waits
 * (`ownCall`: the phone's audio is that call, answered when the target answers); its REFER with
 * Replaces naming the second call completes it. When it ends without a transfer and the phone
 * itself held the call (its hold key), the caller stays on hold until the phone resumes, as the
 * phone shows it. `*3` on it joins everyone (rooms.ts): the phone goes on talking on that call.
 */
import type { Channel } from '../../../hal/src/channel.js';
import { CallboxError } from '../errors.js';
import { CallMedia } from '../media/leg-media.js';
import { iso } from './call.js';
import { type ControlHost, agentPhone, connectAgent, notLive, phoneFree, releaseAgent, targetBusy } from './control-host.js';
import { type Consult, controlOf } from './control-types.js';
import type { Ctx } from './engine-types.js';
import { putOnHold, takeOffHold } from './hold.js';
import { EXTERNAL_RING_MS, freeLine } from './transfer.js';
import type { TransferTarget } from './transfer-target.js';

/** How long the target may ring before the consultation ends and the caller is back with the agent. */
export const CONSULT_RING_MS = 30_000;

/**
 * Start a consultation from the call's agent phone; `media`: the phone's audio already set up (after
 * a flash); `ownCall`: the phone placed it itself (a SIP phone's second call).
 */
export function startConsult(h: ControlHost, ctx: Ctx, target: TransferTarget, by: string, media?: CallMedia, ownCall = false): void {
  const { c } = h;
  const st = controlOf(ctx);
  const from = st.flash?.phone ?? agentPhone(ctx);
  if (!from || !ctx.media || ctx.call.state !== 'talking' || st.consult || st.park) throw notLive(ctx.call.id);
  if (target.kind !== 'agent' && target.kind !== 'external')
    throw new CallboxError(
      'VALIDATION_FAILED',
      'mode: an attended transfer goes to an agent or a number (queues and the IVR take blind transfers)',
      {
        field: 'mode',
      },
    );
  const to = target.kind === 'agent' ? target.phone : freeLine(c);
  if (!to) throw new CallboxError('CONFLICT', 'no shop line is free to dial out', { reason: 'noLine' });
  if (target.kind === 'agent' && (to === from || !phoneFree(c, to, target.agent))) throw targetBusy(`agent ${target.agent.id}`);
  putOnHold(c, ctx, by, 'consult');
  const phoneMedia = media ?? new CallMedia(from);
  phoneMedia.play(c.o.ringback());
  const leg = ctx.call.addLeg(to, 'consult', c.o.clock.now());
  c.byChannel.set(to.id, ctx);
  h.consults.set(to.id, ctx);
  const consult: Consult = {
    from,
    to,
    target: target.label,
    agent: target.kind === 'agent' ? target.agent : null,
    leg,
    media: phoneMedia,
    answered: false,
    timer: null,
    completeOnAnswer: false,
    ownCall,
    by,
    off: [],
  };
  st.consult = consult;
  consult.timer = c.o.clock.setTimeout(
    () => c.guard(to, 'consult.timeout', () => endConsult(h, ctx, 'noAnswer', 'system')),
    target.kind === 'agent' ? CONSULT_RING_MS : EXTERNAL_RING_MS,
  );
  c.save(ctx, 'call.consult', { from: from.id, to: to.id, target: target.label, by });
  if (target.kind === 'agent') {
    const { callerId, callerName } = ctx.call.record;
    to.ring({ cadence: { pattern: c.o.config.ringCadence }, callerId: { number: callerId, name: callerName } }).catch((err: unknown) => {
      c.o.log.warn({ call: ctx.call.id, phone: to.id, err: String(err) }, 'ringing the consultation target failed');
      c.guard(to, 'consult.ring', () => endConsult(h, ctx, 'failed', 'system'));
    });
    return;
  }
  consult.off.push(
    to.events.on('answered', () => c.guard(to, 'consult.answered', () => consultAnswered(h, ctx))),
    to.events.on('hangup', () => c.guard(to, 'consult.hangup', () => endConsult(h, ctx, 'hungUp', 'system'))),
  );
  to.dial(target.number).catch((err: unknown) => {
    c.o.log.warn({ call: ctx.call.id, line: to.id, err: String(err) }, 'dialling the consultation target failed');
    c.guard(to, 'consult.dial', () => endConsult(h, ctx, 'failed', 'system'));
  });
}

/** The target answered (its phone off hook, or the line answered): the agent talks to it. */
export function consultAnswered(h: ControlHost, ctx: Ctx): void {
  const { c } = h;
  const consult = ctx.control?.consult;
  if (!consult || consult.answered || ctx.call.ended) return;
  consult.answered = true;
  consult.timer?.cancel();
  consult.timer = null;
  consult.leg.record.answeredAt = iso(c.o.clock.now());
  if (consult.agent) c.acd.phoneBusy(consult.agent.id);
  if (consult.ownCall && !consult.completeOnAnswer)
    consult.from
      .answerSecond?.()
      .catch((err: unknown) => c.o.log.warn({ call: ctx.call.id, err: String(err) }, 'answering the phone failed'));
  c.save(ctx, 'call.consultAnswered', { to: consult.to.id, target: consult.target });
  if (consult.completeOnAnswer) handOver(h, ctx, consult);
  else consult.media.bridge(consult.to);
}

/** Complete the attended transfer: the caller goes to the target, the agent leaves. */
export function completeConsult(h: ControlHost, ctx: Ctx, by: string): 'completed' | 'ringing' {
  const consult = ctx.control?.consult;
  if (!consult || ctx.call.ended)
    throw new CallboxError('CONFLICT', `call ${ctx.call.id} has no transfer in progress`, { reason: 'noTransfer' });
  consult.by = by;
  consult.media.detach();
  if (ctx.call.legs.some((l) => l.channel === consult.from && l.record.endedAt === null)) releaseAgent(h.c, ctx, consult.from);
  if (!consult.answered) {
    // semi-attended: the caller hears the target ring (not hold music) until it answers
    consult.completeOnAnswer = true;
    ctx.media?.play(h.c.o.ringback());
    return 'ringing';
  }
  handOver(h, ctx, consult);
  return 'completed';
}

function handOver(h: ControlHost, ctx: Ctx, consult: Consult): void {
  const { c } = h;
  const st = controlOf(ctx);
  st.consult = null;
  h.consults.delete(consult.to.id);
  consult.leg.record.role = consult.agent ? 'agent' : 'external';
  c.save(ctx, 'call.transferred', {
    from: consult.from.id,
    to: consult.to.id,
    agent: consult.agent?.id ?? null,
    mode: 'attended',
    target: consult.target,
    by: consult.by,
  });
  if (consult.agent) connectAgent(h, ctx, consult.agent);
  else watchExternal(h, ctx, consult.to, consult.off);
  takeOffHold(c, ctx, consult.by, consult.to);
}

/** An external party that took the caller: their hang-up ends the call. */
function watchExternal(h: ControlHost, ctx: Ctx, line: Channel, off: (() => void)[]): void {
  const { c } = h;
  for (const o of off.splice(0)) o();
  off.push(line.events.on('hangup', () => c.guard(line, 'external.hangup', () => c.finish(ctx, 'answered', 'externalHangup'))));
  controlOf(ctx).external = { line, off, timer: null };
}

/** The consultation ends without a transfer: the target leg ends, the caller is back with the agent. */
export function endConsult(h: ControlHost, ctx: Ctx, why: 'cancelled' | 'hungUp' | 'noAnswer' | 'failed', by: string): void {
  const { c } = h;
  const st = ctx.control;
  const consult = st?.consult;
  if (!st || !consult || ctx.call.ended) return;
  dropConsult(h, ctx);
  c.releasePhone(ctx, consult.to);
  if (consult.agent) c.phoneState(consult.to);
  c.save(ctx, 'call.consultEnded', { to: consult.to.id, target: consult.target, why });
  const back = ctx.call.legs.find((l) => l.channel === consult.from && l.record.endedAt === null);
  if (back) {
    // a SIP phone holding the call itself (its hold key) takes the caller back when it resumes
    if (!consult.ownCall || st.hold?.why !== 'hold' || st.hold.phone !== consult.from) takeOffHold(c, ctx, by, consult.from);
    return;
  }
  // the agent already left (completed while ringing): the caller goes back to their queue
  const queue = c.o.config.queues.find((q) => q.id === ctx.call.record.queue);
  if (!queue || !ctx.media) {
    c.finish(ctx, 'answered', 'transferFailed');
    return;
  }
  takeOffHold(c, ctx, by, null);
  ctx.call.to('queued');
  c.waiting.enter(ctx.call.id, ctx.media, queue, ctx.language);
  c.acd.enqueue(ctx.call.id, queue.id, ctx.priority ?? 0);
}

/**
 * The consultation stops being one (ended, joined into a conference, or the call ending): its
 * timer, listeners and the agent phone's consultation audio go; the target's leg is left as it is,
 * and a SIP phone's own second call ends unless `keepCall` (joined: the phone talks on it).
 * Returns it, or null when there was none.
 */
export function dropConsult(h: ControlHost, ctx: Ctx, keepCall = false): Consult | null {
  const st = ctx.control;
  const consult = st?.consult;
  if (!st || !consult) return null;
  st.consult = null;
  h.consults.delete(consult.to.id);
  consult.timer?.cancel();
  for (const o of consult.off.splice(0)) o();
  consult.media.detach();
  if (consult.ownCall && !keepCall) consult.from.hangupSecond?.().catch(() => {});
  return consult;
}
