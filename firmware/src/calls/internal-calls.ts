/**
 * Calls between extensions (内部通话: FXS↔FXS, FXS↔SIP, SIP↔SIP): an agent dials a colleague's
 * extension (`2` for fxs2, `101` for sip-101) or agent id. The callee's phone rings showing the
 * caller's extension and agent name; the caller hears ringback (an analog phone; a SIP phone plays
 * its own); the callee's answer bridges them through the engine's connect path (recorded per the
 * policy). One call record with direction `internal`: the caller's phone is its `caller` leg, the
 * callee's its `agent` leg; no queue, so no queue traffic in the KPIs. Both agents are busy for the
 * ACD while it lasts. Refused (busy tone / the SIP call rejected) when the callee is the caller,
 * not idle, in a call, or a SIP phone not registered. Ends: either side hangs up (the caller while
 * it rings: outcome `missed`), or nobody answers within 30 s (`notAccepted`).
 */
import { randomUUID } from 'node:crypto';
import type { Channel } from '../../../hal/src/channel.js';
import type { AgentDef } from '../acd/types.js';
import { CallMedia } from '../media/leg-media.js';
import { Call, iso } from './call.js';
import { newCtx } from './context.js';
import { phoneIdle } from './control-host.js';
import type { EngineCore } from './engine-hosts.js';
import { agentFor } from './transfer-target.js';

/** How long the callee's phone rings. */
export const INTERNAL_RING_MS = 30_000;

/** The agent and phone an extension number, channel id or agent id names. */
export function extensionOf(c: EngineCore, target: string): { agent: AgentDef; phone: Channel } | undefined {
  const agent = agentFor(target, c.o.config, (id) => c.channels.get(id));
  const phone = agent ? c.channels.get(agent.extension) : undefined;
  return agent && phone ? { agent, phone } : undefined;
}

/** The number a phone shows as caller ID for its extension (`2` for fxs2, `101` for sip-101). */
export function extensionNumber(phone: Channel): string {
  return phone.id.replace(/^sip-/, '').replace(/^fxs/, '');
}

/** Ring `target` for agent `from`'s phone; null when it rings, else why not (busy). */
export function callExtension(c: EngineCore, from: Channel, fromAgent: AgentDef, target: string): string | null {
  const to = extensionOf(c, target);
  if (!to) return `no extension ${target}`;
  const { phone, agent } = to;
  if (phone === from) return 'the caller\u2019s own extension';
  if (!phoneIdle(c, phone)) return `extension ${target} is busy`;
  const now = c.o.clock.now();
  const call = new Call(randomUUID(), 'internal', now);
  call.record.callerId = extensionNumber(from);
  call.record.callerName = fromAgent.name;
  call.addLeg(from, 'caller', now).record.answeredAt = iso(now);
  const ctx = newCtx(call, from, c.o.config.language ?? 'zh-CN');
  call.to('queued');
  call.to('connecting');
  call.addLeg(phone, 'agent', now);
  c.byChannel.set(phone.id, ctx);
  // saved (call.ringing) with both legs: the record shows who rings whom from the start
  c.track(ctx);
  c.acd.phoneBusy(fromAgent.id);
  c.acd.phoneBusy(agent.id);
  ctx.media = new CallMedia(from);
  if (from.kind === 'fxs') ctx.media.play(c.o.ringback());
  const timer = c.o.clock.setTimeout(
    () => c.guard(phone, 'internal.noAnswer', () => c.finish(ctx, 'notAccepted', 'dialFailed')),
    INTERNAL_RING_MS,
  );
  // each listener drops itself at the first event after the call ended
  const offs: (() => void)[] = [];
  const over = () => {
    if (!ctx.call.ended) return false;
    timer.cancel();
    for (const off of offs.splice(0)) off();
    return true;
  };
  offs.push(
    // a SIP caller's own call is answered when the callee answers (the engine bridges on the callee's off hook)
    phone.events.on('offHook', () => {
      if (over()) return;
      timer.cancel();
      if (from.kind !== 'fxs')
        from.answer().catch((err: unknown) => c.o.log.warn({ call: call.id, err: String(err) }, 'answering the caller failed'));
    }),
    // the caller gave up while it rang (the engine ends a talking call itself)
    from.events.on('onHook', () =>
      c.guard(from, 'internal.callerGone', () => {
        if (!over() && ctx.call.state === 'connecting') c.finish(ctx, 'missed', 'callerGaveUp');
        over();
      }),
    ),
  );
  phone
    .ring({ cadence: { pattern: c.o.config.ringCadence }, callerId: { number: call.record.callerId, name: fromAgent.name } })
    .catch((err: unknown) => {
      c.o.log.warn({ call: call.id, phone: phone.id, err: String(err) }, 'ringing the extension failed');
      c.guard(phone, 'internal.ring', () => c.finish(ctx, 'failed', 'dialFailed'));
    });
  return null;
}
