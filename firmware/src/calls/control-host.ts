/** What call control (call-control.ts and its parts) uses of the engine, and its own registries. */
import type { Channel } from '../../../hal/src/channel.js';
import type { AgentDef } from '../acd/types.js';
import { CallboxError } from '../errors.js';
import { iso } from './call.js';
import type { EngineCore } from './engine-hosts.js';
import type { Ctx } from './engine-types.js';
import type { IvrFlowHost } from './ivr-flow.js';

export interface ControlHost {
  c: EngineCore;
  ivr: IvrFlowHost;
  /** End the engine's feature-code session on an off-hook phone without applying its code. */
  dropFeature(phone: Channel): void;
  /** Parked calls by slot. */
  parks: Map<number, Ctx>;
  /** Phones ringing to take a parked call (pickup, park timeout), by channel id. */
  ringing: Map<string, Ctx>;
  /** Consultation targets (phones or lines) by channel id. */
  consults: Map<string, Ctx>;
}

/** The call's current agent phone (the latest agent leg still up). */
export function agentPhone(ctx: Ctx): Channel | undefined {
  return ctx.call.leg('agent')?.channel;
}

/** Who acts from a phone, for the event log's `by`: `phone:<agent>` (`phone:<channel>` when no agent has it). */
export function phoneActor(c: EngineCore, phone: Channel): string {
  return `phone:${c.acd.agentByExtension(phone.id)?.id ?? phone.id}`;
}

/** A phone the box may ring now: idle, in no call, and registered (a SIP phone). */
export function phoneIdle(c: EngineCore, phone: Channel): boolean {
  return (phone as { registered?: boolean }).registered !== false && phone.state === 'idle' && !c.byChannel.has(phone.id);
}

/** A phone the box may ring now (phoneIdle), its agent logged in and available. */
export function phoneFree(c: EngineCore, phone: Channel, agent: AgentDef | undefined): boolean {
  const view = agent ? c.acd.agentsView().find((a) => a.id === agent.id) : undefined;
  return phoneIdle(c, phone) && view?.state === 'available';
}

export const notLive = (id: string) =>
  new CallboxError('CONFLICT', `call ${id} has no agent talking to the caller now`, { reason: 'notLive' });
export const targetBusy = (what: string) => new CallboxError('CONFLICT', `${what} is not free`, { reason: 'targetBusy' });

/** The ACD counts `agent` as talking on the call from now (a direct entry answered at once): talk time, wrap-up. */
export function connectAgent(h: ControlHost, ctx: Ctx, agent: AgentDef): void {
  const queue = ctx.call.record.queue;
  h.c.acd.enqueueDirect(ctx.call.id, agent.id);
  h.c.acd.answered(ctx.call.id, agent.id);
  ctx.call.record.queue = queue; // the direct entry is not the call's queue
  ctx.call.record.agent = agent.id;
}

/** The first agent leaves the call: talk completed in the ACD, their phone hung up and released. */
export function releaseAgent(c: EngineCore, ctx: Ctx, phone: Channel, hangup = true): void {
  c.acd.completed(ctx.callback?.id ?? ctx.call.id, 'agent');
  if (ctx.media?.bridgedTo === phone) ctx.media.unbridge();
  if (hangup) c.releasePhone(ctx, phone);
  else {
    c.byChannel.delete(phone.id);
    const leg = ctx.call.legs.find((l) => l.channel === phone && l.record.endedAt === null);
    if (leg) leg.record.endedAt = iso(c.o.clock.now());
  }
  c.phoneState(phone);
}
