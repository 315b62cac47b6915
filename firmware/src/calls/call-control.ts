/**
 * Call control (issue 12): hold / unhold, blind and attended transfers, parking and pickup, from
 * the console (the service API), an analog phone's hook flash or a SIP phone's own hold, transfer
 * key and second call (a consultation it places itself). The
 * engine hands its phone events here first (flash, offHook, onHook, digit, hold); each hook returns
 * true when the event belonged to call control and is fully handled. `ending` runs as a call ends
 * (hold time settled, consultation / park / external listeners cleared).
 *
 * Who may act is checked by the caller (the route): agents their own calls, supervisors any.
 */
import type { Channel, ChannelEvents } from '../../../hal/src/channel.js';
import type { AgentDef } from '../acd/types.js';
import { CallboxError } from '../errors.js';
import { completeConsult, consultAnswered, dropConsult, endConsult, startConsult } from './consult.js';
import { type ControlHost, agentPhone, notLive, phoneActor } from './control-host.js';
import { type Consult, controlOf } from './control-types.js';
import type { EngineCore } from './engine-hosts.js';
import type { Ctx } from './engine-types.js';
import type { ParkedCallView } from '../service/call-control-types.js';
import { cancelFlash, flashDigit, startFlashDial } from './flash-dial.js';
import { putOnHold, settleHold, takeOffHold } from './hold.js';
import type { IvrFlowHost } from './ivr-flow.js';
import { PARK_SLOTS, park, pickup, ringAnswered, ringFailed } from './park.js';
import { blindTransfer } from './transfer.js';
import { phoneOf } from './phone-calls.js';
import { type TransferTarget, dialledTarget, menuCodes, resolveTarget } from './transfer-target.js';

export type TransferMode = 'blind' | 'attended';

const inRoom = (id: string) =>
  new CallboxError('CONFLICT', `call ${id} has a conference or a supervisor on it: end that first`, { reason: 'inConference' });

export class CallControl {
  private readonly h: ControlHost;

  constructor(c: EngineCore, ivr: IvrFlowHost, dropFeature: (phone: Channel) => void) {
    this.h = { c, ivr, dropFeature, parks: new Map(), ringing: new Map(), consults: new Map() };
  }

  // ---- the service API (callId: a live call) ----
  // (a call with a conference or a supervisor on it, rooms.ts, takes no hold, transfer or park: the mixer owns its audio)

  hold(ctx: Ctx | undefined, id: string, by: string): void {
    const phone = ctx && agentPhone(ctx);
    if (!ctx || !phone || ctx.call.state !== 'talking' || ctx.control?.park) throw notLive(id);
    if (ctx.control?.hold) throw new CallboxError('CONFLICT', `call ${id} is already on hold`, { reason: 'onHold' });
    if (ctx.media?.mixer) throw inRoom(id);
    putOnHold(this.h.c, ctx, by, 'hold');
  }

  unhold(ctx: Ctx | undefined, id: string, by: string): void {
    if (ctx?.call.state !== 'talking') throw notLive(id);
    const st = controlOf(ctx);
    if (st.hold?.why !== 'hold' || st.flash || st.consult)
      throw new CallboxError('CONFLICT', `call ${id} is not on hold (or a transfer is in progress)`, { reason: 'notOnHold' });
    takeOffHold(this.h.c, ctx, by, agentPhone(ctx) ?? null);
  }

  transfer(ctx: Ctx | undefined, id: string, to: unknown, mode: TransferMode, by: string): void {
    if (!ctx) throw notLive(id);
    if (ctx.media?.mixer) throw inRoom(id);
    const c = this.h.c;
    const target = resolveTarget(to, c.o.config, (ch) => c.channels.get(ch));
    if (mode === 'attended') startConsult(this.h, ctx, target, by);
    else blindTransfer(this.h, ctx, target, by);
  }

  completeTransfer(ctx: Ctx | undefined, id: string, by: string): 'completed' | 'ringing' {
    if (!ctx) throw notLive(id);
    return completeConsult(this.h, ctx, by);
  }

  cancelTransfer(ctx: Ctx | undefined, id: string, by: string): void {
    if (!ctx?.control?.consult) throw new CallboxError('CONFLICT', `call ${id} has no transfer in progress`, { reason: 'noTransfer' });
    endConsult(this.h, ctx, 'cancelled', by);
  }

  park(ctx: Ctx | undefined, id: string, by: string): number {
    if (!ctx) throw notLive(id);
    if (ctx.media?.mixer) throw inRoom(id);
    return park(this.h, ctx, by);
  }

  /** `agent`'s phone rings; its answer takes the call parked in `slot`. Returns the call id. */
  pickup(slot: number, agent: AgentDef, by: string): string {
    const phone = this.h.c.channels.get(agent.extension);
    if (!phone) throw new CallboxError('CONFLICT', `agent ${agent.id} has no phone`, { reason: 'targetBusy' });
    return pickup(this.h, slot, phone, agent, by, false).call.id;
  }

  /** The configured agent with this id. */
  agent(id: string): AgentDef | undefined {
    return this.h.c.o.config.agents.find((a) => a.id === id);
  }

  /** Each IVR menu of the config (live) and the code a phone dials to transfer a caller to it. */
  menuCodes(): Record<string, string> {
    return menuCodes(this.h.c.o.config.menus);
  }

  parked(): ParkedCallView[] {
    return PARK_SLOTS.flatMap((slot) => {
      const ctx = this.h.parks.get(slot);
      const p = ctx?.control?.park;
      return ctx && p ? [{ slot, callId: ctx.call.id, callerId: ctx.call.record.callerId, by: p.by, agent: p.agent?.id ?? null }] : [];
    });
  }

  // ---- phone events (true: handled here) ----

  /** Subscribe to the agent phones' hook flashes and SIP holds; returns the unsubscribers. */
  watch(): (() => void)[] {
    const { c } = this.h;
    return [...c.channels.values()]
      .filter((ch) => ch.kind === 'fxs' || ch.phone)
      .flatMap((ch) => [
        ch.events.on('flash', () => c.guard(ch, 'flash', () => this.flash(ch))),
        ch.events.on('hold', (e) => c.guard(ch, 'hold', () => this.phoneHold(ch, e.held))),
        ch.events.on('transfer', (e) => c.guard(ch, 'transfer', () => this.transferAsked(ch, e))),
        ch.events.on('secondCall', (e) => c.guard(ch, 'secondCall', () => this.secondCall(ch, e.number, e.extensionOnly))),
        ch.events.on('secondHangup', () => c.guard(ch, 'secondHangup', () => this.secondHangup(ch))),
      ]);
  }

  flash(phone: Channel): boolean {
    const ctx = this.h.c.byChannel.get(phone.id);
    const st = ctx?.control;
    const by = this.by(phone);
    if (!ctx) return false;
    if (st?.flash?.phone === phone) cancelFlash(this.h, ctx, by);
    else if (st?.consult?.from === phone) endConsult(this.h, ctx, 'cancelled', by);
    else if (agentPhone(ctx) === phone && ctx.call.state === 'talking' && !st?.hold && !ctx.media?.mixer)
      startFlashDial(this.h, ctx, phone, by);
    else return false;
    return true;
  }

  /** A SIP phone's REFER (HAL `transfer`); true when taken. A blind one naming an agent's phone is phone-calls.ts's. */
  private transferAsked(phone: Channel, e: ChannelEvents['transfer']): boolean {
    if (e.replacesSecond) return this.replaced(phone);
    if (phoneOf(this.h.c, e.target)) return false;
    return this.referred(phone, e.target);
  }

  /**
   * A SIP phone's blind REFER to what is not an agent's phone (phone-calls.ts takes those): a queue,
   * the IVR, the survey, an FXS agent or an outside number (dialledTarget). True when taken (the
   * phone's leg is hung up); refused (the call goes on, the phone gets NOTIFY 603) otherwise.
   */
  referred(phone: Channel, code: string): boolean {
    const ctx = this.h.c.byChannel.get(phone.id);
    if (!ctx || agentPhone(ctx) !== phone || ctx.media?.mixer) return false;
    try {
      blindTransfer(this.h, ctx, this.dialled(code), this.by(phone));
      return true;
    } catch (err) {
      this.h.c.o.log.info({ call: ctx.call.id, target: code, err: String(err) }, 'transfer refused');
      return false;
    }
  }

  /**
   * A SIP phone in a call placed a second call to `number` (desk phones: hold, dial, then transfer):
   * a consultation of the call, as an analog phone's flash and number — a colleague's extension
   * (SIP `102`, analog `2` for fxs2) rings that phone, an outside number goes over a free shop line. Refused (the second call ends, the call goes on) when the phone is
   * not the call's agent phone, the call takes no consultation now, the number names neither (a
   * code: `*61`; a number dialled without the outside-line prefix: `extensionOnly`), the colleague
   * is not free or no line is.
   */
  secondCall(phone: Channel, number: string, extensionOnly = false): void {
    const { c } = this.h;
    const ctx = c.byChannel.get(phone.id);
    try {
      if (!ctx || agentPhone(ctx) !== phone || ctx.media?.mixer) throw notLive(ctx?.call.id ?? phone.id);
      const target = this.dialled(number);
      if (target.kind !== 'agent' && (target.kind !== 'external' || extensionOnly))
        throw new CallboxError('VALIDATION_FAILED', `to: ${number} is neither an extension nor an outside number`, { field: 'to' });
      startConsult(this.h, ctx, target, this.by(phone), undefined, true);
    } catch (err) {
      c.o.log.info({ call: ctx?.call.id ?? null, phone: phone.id, number, err: String(err) }, 'second call from the phone refused');
      phone.hangupSecond?.().catch(() => {});
    }
  }

  /**
   * The phone hung up its second call: the consultation ends (the caller is back, or held while the
   * phone holds). After `*3` joined it into a conference (the phone talks on that call), the phone
   * leaves the conference: the box ends its held call too, as an analog phone hanging up.
   */
  secondHangup(phone: Channel): void {
    const ctx = this.h.c.byChannel.get(phone.id);
    const consult = ctx?.control?.consult;
    if (ctx && consult?.ownCall && consult.from === phone) endConsult(this.h, ctx, 'cancelled', this.by(phone));
    else if (ctx?.media?.mixer && !consult && ctx.call.legs.some((l) => l.channel === phone && l.record.endedAt === null))
      phone.hangup().catch(() => {});
  }

  /**
   * A SIP phone's REFER with Replaces naming its second call: the consultation it placed is
   * completed — at once when the target answered, else (semi-attended: the target still rings) the
   * phone is released and the caller hears ringback until the target answers. True when taken.
   */
  replaced(phone: Channel): boolean {
    const ctx = this.h.c.byChannel.get(phone.id);
    const consult = ctx?.control?.consult;
    if (!ctx || !consult?.ownCall || consult.from !== phone) return false;
    completeConsult(this.h, ctx, this.by(phone));
    return true;
  }

  digit(phone: Channel, digit: string): boolean {
    const ctx = this.h.c.byChannel.get(phone.id);
    if (!ctx?.control?.flash || ctx.control.flash.phone !== phone) return ctx?.control?.consult?.from === phone;
    flashDigit(this.h, ctx, digit, this.by(phone));
    return true;
  }

  offHook(phone: Channel): boolean {
    const ringing = this.h.ringing.get(phone.id);
    if (ringing) {
      ringAnswered(this.h, ringing, phone);
      return true;
    }
    const consulted = this.h.consults.get(phone.id);
    if (!consulted) return false;
    consultAnswered(this.h, consulted);
    return true;
  }

  onHook(phone: Channel): boolean {
    const { h } = this;
    const ringing = h.ringing.get(phone.id);
    if (ringing) {
      ringFailed(h, ringing, phone);
      return true;
    }
    const consulted = h.consults.get(phone.id);
    if (consulted) {
      endConsult(h, consulted, 'hungUp', this.by(phone));
      return true;
    }
    const ctx = h.c.byChannel.get(phone.id);
    const st = ctx?.control;
    if (!ctx || !st) return false;
    // hang up = hand the caller over (blind while it rings); a SIP phone ending its held call during its own second call ends the call
    if (st.consult?.from === phone && !st.consult.ownCall) {
      completeConsult(h, ctx, this.by(phone));
      return true;
    }
    if (st.flash?.phone === phone)
      cancelFlash(h, ctx, this.by(phone)); // nothing dialled: the call ends as usual
    else if (st.hold?.why === 'hold' && st.hold.phone === phone) takeOffHold(h.c, ctx, this.by(phone), phone);
    return false;
  }

  /** A SIP phone put its call on hold (re-INVITE sendonly/inactive) or took it off. */
  phoneHold(phone: Channel, held: boolean): boolean {
    const ctx = this.h.c.byChannel.get(phone.id);
    if (!ctx || agentPhone(ctx) !== phone || ctx.call.state !== 'talking' || ctx.control?.consult || ctx.control?.park || ctx.media?.mixer)
      return false;
    if (held && !ctx.control?.hold) putOnHold(this.h.c, ctx, this.by(phone), 'hold');
    else if (!held && ctx.control?.hold?.why === 'hold') takeOffHold(this.h.c, ctx, this.by(phone), phone);
    return true;
  }

  /** A SIP phone dialled *8N on an idle line is not routed here; an analog phone's *8N (feature code) is. */
  pickupOnPhone(phone: Channel, slot: number): boolean {
    const agent = this.h.c.acd.agentByExtension(phone.id);
    if (!agent || !this.h.parks.has(slot)) return false;
    pickup(this.h, slot, phone, agent, `phone:${agent.id}`, true);
    return true;
  }

  /**
   * `*3` during an answered consultation (a conference, rooms.ts): the consultation stops being one
   * without ending its leg (the party stays on the call); returns it, or null when there is none.
   */
  takeConsult(ctx: Ctx): Consult | null {
    const consult = ctx.control?.consult;
    // a SIP phone's own second call stays up: the phone talks in the conference on it
    return consult?.answered ? dropConsult(this.h, ctx, true) : null;
  }

  /** The call is ending (engine.finish, before its record is saved). */
  ending(ctx: Ctx): void {
    const { h } = this;
    const st = ctx.control;
    if (!st) return;
    settleHold(ctx, h.c.o.clock.now());
    if (st.flash) {
      st.flash.timer?.cancel();
      st.flash.media.detach();
      st.flash = null;
    }
    dropConsult(h, ctx);
    if (st.park) {
      st.park.timer?.cancel();
      h.parks.delete(st.park.slot);
      h.c.save(ctx, 'call.unparked', { slot: st.park.slot, by: 'system', agent: null, why: 'callerGone' });
      st.park = null;
    }
    if (st.external) {
      st.external.timer?.cancel();
      for (const o of st.external.off.splice(0)) o();
      st.external = null;
    }
    for (const [id, c] of h.ringing) if (c === ctx) h.ringing.delete(id);
  }

  /** What a phone's dialled code or number names (transfer-target.ts dialledTarget). */
  private dialled(code: string): TransferTarget {
    return dialledTarget(code, this.h.c.o.config, (id) => this.h.c.channels.get(id));
  }

  private by(phone: Channel): string {
    return phoneActor(this.h.c, phone);
  }
}
