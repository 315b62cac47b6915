/**
 * Blind transfers (the agent hands the caller on and leaves): to another agent (the ACD rings that
 * agent alone, the caller hears ringback), to a queue (the caller keeps their priority; the call
 * keeps its record and recording), back to the IVR (a menu, or `ivr:survey` for the CSAT survey),
 * or to an external number over a free shop line (the caller hears ringback; the call is bridged
 * to the line when it answers and ends when either side hangs up). One `call.transferred` event
 * tells which; the queue / IVR / line events follow as for any call.
 */
import type { Channel } from '../../../hal/src/channel.js';
import type { AgentDef } from '../acd/types.js';
import { CallboxError } from '../errors.js';
import type { CallMedia } from '../media/leg-media.js';
import { iso } from './call.js';
import { outboundLines } from './callbacks.js';
import { controlOf } from './control-types.js';
import { type ControlHost, agentPhone, notLive, phoneFree, releaseAgent, targetBusy } from './control-host.js';
import { type EngineCore, startSurvey } from './engine-hosts.js';
import type { Ctx } from './engine-types.js';
import { takeOffHold } from './hold.js';
import { startIvr } from './ivr-flow.js';
import type { TransferTarget } from './transfer-target.js';

/** How long an external number may ring before the transfer fails. */
export const EXTERNAL_RING_MS = 40_000;

export function blindTransfer(h: ControlHost, ctx: Ctx, target: TransferTarget, by: string): void {
  const { c } = h;
  const from = agentPhone(ctx);
  const media = ctx.media;
  if (!from || !media || ctx.call.state !== 'talking' || controlOf(ctx).consult || controlOf(ctx).park) throw notLive(ctx.call.id);
  const line = target.kind === 'external' ? freeLine(c) : null;
  if (target.kind === 'agent' && (target.phone === from || !phoneFree(c, target.phone, target.agent)))
    throw targetBusy(`agent ${target.agent.id}`);
  if (target.kind === 'external' && !line) throw new CallboxError('CONFLICT', 'no shop line is free to dial out', { reason: 'noLine' });
  const to = target.kind === 'agent' ? target.phone.id : (line?.id ?? target.label);
  c.save(ctx, 'call.transferred', {
    from: from.id,
    to,
    agent: target.kind === 'agent' ? target.agent.id : null,
    mode: 'blind',
    target: target.label,
    by,
  });
  if (controlOf(ctx).hold) takeOffHold(c, ctx, by, null);
  if (target.kind === 'survey') {
    startSurvey(c, ctx, from, media);
    return;
  }
  releaseAgent(c, ctx, from);
  switch (target.kind) {
    case 'agent':
      ringAgentFor(c, ctx, media, target.agent);
      return;
    case 'queue':
      ctx.call.to('queued');
      c.waiting.enter(ctx.call.id, media, target.queue, ctx.language);
      c.acd.enqueue(ctx.call.id, target.queue.id, ctx.priority ?? 0);
      return;
    case 'ivr':
      ctx.call.to('ivr');
      startIvr(ctx, media, target.menu, h.ivr);
      return;
    case 'external':
      if (line) dialExternal(h, ctx, line, target.number);
  }
}

/** The caller waits (hold music) while the ACD rings `agent` alone (a direct entry); the record keeps the queue the call came through. */
export function ringAgentFor(c: EngineCore, ctx: Ctx, media: CallMedia, agent: AgentDef): void {
  const queue = ctx.call.record.queue;
  ctx.call.to('queued');
  c.waiting.enter(ctx.call.id, media, null, ctx.language);
  c.acd.enqueueDirect(ctx.call.id, agent.id);
  ctx.call.record.queue = queue; // the direct entry is not the call's queue
}

/** A shop line free to dial out (FXO first, GSM last). */
export function freeLine(c: EngineCore): Channel | undefined {
  const lines = outboundLines(c.o.config.lines.map((l) => c.channels.get(l.channel)));
  return lines.find((l) => l.state === 'idle' && !c.byChannel.has(l.id));
}

/** Dial `number` on `line` for the caller (blind): ringback, bridged on answer, the call ends with either side. */
function dialExternal(h: ControlHost, ctx: Ctx, line: Channel, number: string): void {
  const { c } = h;
  const media = ctx.media;
  if (!media) return;
  media.play(c.o.ringback());
  const leg = ctx.call.addLeg(line, 'external', c.o.clock.now());
  c.byChannel.set(line.id, ctx);
  const st = controlOf(ctx);
  const fail = () => {
    if (!ctx.call.ended) c.finish(ctx, 'answered', 'transferFailed');
  };
  const timer = c.o.clock.setTimeout(() => c.guard(line, 'external.timeout', fail), EXTERNAL_RING_MS);
  const off = [
    line.events.on('answered', () =>
      c.guard(line, 'external.answered', () => {
        if (ctx.call.ended) return;
        timer.cancel();
        leg.record.answeredAt = iso(c.o.clock.now());
        media.bridge(line);
        c.save(ctx, 'call.bridged', { channel: line.id });
      }),
    ),
    line.events.on('hangup', () =>
      c.guard(line, 'external.hangup', () => {
        if (ctx.call.ended) return;
        if (leg.record.answeredAt) c.finish(ctx, 'answered', 'externalHangup');
        else fail();
      }),
    ),
  ];
  st.external = { line, off, timer };
  line.dial(number).catch((err: unknown) => {
    c.o.log.warn({ call: ctx.call.id, line: line.id, err: String(err) }, 'dialling the transfer target failed');
    c.guard(line, 'external.dial', fail);
  });
}
