/**
 * Call parking (停车): the agent parks the caller in a free slot 71..79 (console, or `*7` after a
 * hook flash on an analog phone, where the slot is read out); the caller hears hold music; anyone
 * picks the call up by slot (`*8N` dialled on an idle analog phone: `*81` takes slot 71, or the
 * console, whose agent's phone rings first). After the park timeout the parking agent's phone
 * rings back (again every minute while it is busy) until someone answers or the caller hangs up.
 * A phone rung for a parked call rings `parkRingS` (config `callControl`); unanswered, the caller is
 * parked again. Both timers come from the live config (a change applies to the next park / ring).
 */
import type { Channel } from '../../../hal/src/channel.js';
import type { TimerHandle } from '../../../hal/src/clock.js';
import type { AgentDef } from '../acd/types.js';
import { CallboxError } from '../errors.js';
import { iso } from './call.js';
import { type ControlHost, agentPhone, connectAgent, notLive, releaseAgent, targetBusy } from './control-host.js';
import { controlOf } from './control-types.js';
import type { Ctx } from './engine-types.js';
import { putOnHold, takeOffHold } from './hold.js';

export const PARK_SLOTS = [71, 72, 73, 74, 75, 76, 77, 78, 79] as const;
/** A parked call rings back the parking agent after this long (default of `callControl.parkTimeoutS`). */
export const PARK_TIMEOUT_MS = 120_000;
/** A phone rung for a parked call rings this long (default of `callControl.parkRingS`). */
export const PARK_RING_MS = 30_000;
const RINGBACK_RETRY_MS = 60_000;
/** The ring timer of each phone rung for a parked call. */
const ringTimers = new WeakMap<Channel, TimerHandle>();

const parkTimeoutMs = (h: ControlHost): number => (h.c.o.config.callControl?.parkTimeoutS ?? PARK_TIMEOUT_MS / 1000) * 1000;
const parkRingMs = (h: ControlHost): number => (h.c.o.config.callControl?.parkRingS ?? PARK_RING_MS / 1000) * 1000;

/** Park the call; the agent's phone leaves the call (hung up unless `keepPhone`: it hears the slot first). Returns the slot. */
export function park(h: ControlHost, ctx: Ctx, by: string, keepPhone = false): number {
  const { c } = h;
  const st = controlOf(ctx);
  const phone = st.flash?.phone ?? agentPhone(ctx);
  if (!phone || !ctx.media || ctx.call.state !== 'talking' || st.consult || st.park) throw notLive(ctx.call.id);
  const slot = PARK_SLOTS.find((s) => !h.parks.has(s));
  if (slot === undefined) throw new CallboxError('CONFLICT', 'every park slot (71..79) is taken', { reason: 'noSlot' });
  const agent = c.acd.agentByExtension(phone.id) ?? null;
  putOnHold(c, ctx, by, 'park');
  releaseAgent(c, ctx, phone, !keepPhone);
  h.parks.set(slot, ctx);
  st.park = { slot, by, agent, timer: null };
  c.save(ctx, 'call.parked', { slot, by, agent: agent?.id ?? null });
  armTimeout(h, ctx);
  return slot;
}

function armTimeout(h: ControlHost, ctx: Ctx, ms = parkTimeoutMs(h)): void {
  const p = ctx.control?.park;
  if (!p) return;
  p.timer?.cancel();
  p.timer = h.c.o.clock.setTimeout(() => h.c.guard(ctx.line, 'park.timeout', () => timedOut(h, ctx)), ms);
}

/** The park timed out: ring the parking agent back (if their phone is free now; else try again later). */
function timedOut(h: ControlHost, ctx: Ctx): void {
  const p = ctx.control?.park;
  if (!p || ctx.call.ended) return;
  const phone = p.agent ? h.c.channels.get(p.agent.extension) : undefined;
  if (!phone || !p.agent || phone.state !== 'idle' || h.c.byChannel.has(phone.id)) {
    armTimeout(h, ctx, RINGBACK_RETRY_MS);
    return;
  }
  unpark(h, ctx, 'system', p.agent, 'timeout');
  ringFor(h, ctx, phone);
}

/** Pick up the call parked in `slot` on `phone`: `offHook` (an analog phone that dialled *8N) bridges now, else the phone rings first. */
export function pickup(h: ControlHost, slot: number, phone: Channel, agent: AgentDef, by: string, offHook: boolean): Ctx {
  const ctx = h.parks.get(slot);
  if (!ctx) throw new CallboxError('NOT_FOUND', `no call is parked in slot ${slot}`, { slot });
  if (!offHook && (phone.state !== 'idle' || h.c.byChannel.has(phone.id))) throw targetBusy(`the phone of ${agent.id}`);
  unpark(h, ctx, by, agent, 'pickup');
  if (offHook) {
    h.dropFeature(phone);
    bridgeTo(h, ctx, phone, by);
  } else ringFor(h, ctx, phone);
  return ctx;
}

function unpark(h: ControlHost, ctx: Ctx, by: string, agent: AgentDef, why: 'pickup' | 'timeout'): void {
  const p = ctx.control?.park;
  if (!p) return;
  p.timer?.cancel();
  h.parks.delete(p.slot);
  if (ctx.control) ctx.control.park = null;
  h.c.save(ctx, 'call.unparked', { slot: p.slot, by, agent: agent.id, why });
}

/** Ring `phone` for the held caller; its answer bridges them (call-control.ts offHook). */
function ringFor(h: ControlHost, ctx: Ctx, phone: Channel): void {
  const { c } = h;
  ctx.call.addLeg(phone, 'agent', c.o.clock.now());
  c.byChannel.set(phone.id, ctx);
  h.ringing.set(phone.id, ctx);
  const { callerId, callerName } = ctx.call.record;
  phone.ring({ cadence: { pattern: c.o.config.ringCadence }, callerId: { number: callerId, name: callerName } }).catch((err: unknown) => {
    c.o.log.warn({ call: ctx.call.id, phone: phone.id, err: String(err) }, 'ringing for a parked call failed');
  });
  ringTimers.get(phone)?.cancel();
  ringTimers.set(
    phone,
    c.o.clock.setTimeout(
      () =>
        c.guard(phone, 'park.ringTimeout', () => {
          if (h.ringing.get(phone.id) === ctx && !ctx.call.ended) ringFailed(h, ctx, phone);
        }),
      parkRingMs(h),
    ),
  );
}

function stopRingTimer(phone: Channel): void {
  ringTimers.get(phone)?.cancel();
  ringTimers.delete(phone);
}

/** The phone rung for a parked call was answered. */
export function ringAnswered(h: ControlHost, ctx: Ctx, phone: Channel): void {
  stopRingTimer(phone);
  h.ringing.delete(phone.id);
  const leg = ctx.call.legs.find((l) => l.channel === phone && l.record.endedAt === null);
  if (leg) leg.record.answeredAt = iso(h.c.o.clock.now());
  const agent = h.c.acd.agentByExtension(phone.id);
  if (agent) connectAgent(h, ctx, agent);
  takeOffHold(h.c, ctx, agent ? `phone:${agent.id}` : 'system', phone);
}

/** The phone rung for a parked call went down / stopped: the caller is parked again in a free slot. */
export function ringFailed(h: ControlHost, ctx: Ctx, phone: Channel): void {
  stopRingTimer(phone);
  h.ringing.delete(phone.id);
  h.c.releasePhone(ctx, phone);
  const slot = PARK_SLOTS.find((s) => !h.parks.has(s));
  if (slot === undefined || ctx.call.ended) return;
  const agent = h.c.acd.agentByExtension(phone.id) ?? null;
  h.parks.set(slot, ctx);
  controlOf(ctx).park = { slot, by: 'system', agent, timer: null };
  h.c.save(ctx, 'call.parked', { slot, by: 'system', agent: agent?.id ?? null });
  armTimeout(h, ctx, RINGBACK_RETRY_MS);
}

function bridgeTo(h: ControlHost, ctx: Ctx, phone: Channel, by: string): void {
  const { c } = h;
  const now = c.o.clock.now();
  const leg = ctx.call.addLeg(phone, 'agent', now);
  leg.record.answeredAt = iso(now);
  c.byChannel.set(phone.id, ctx);
  const agent = c.acd.agentByExtension(phone.id);
  if (agent) connectAgent(h, ctx, agent);
  takeOffHold(c, ctx, by, phone);
}
