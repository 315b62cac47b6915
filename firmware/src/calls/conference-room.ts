/**
 * The room of a call with more than two parties: added parties (a conference) and supervisors
 * (monitoring), mixed in the box by `ConferenceMix` (media/conference-mix.ts) on the call's
 * `CallMedia`. A room opens when the first party, supervisor or browser listener comes, and folds
 * back into the plain two-way bridge when only the caller and the call's agent are left.
 *
 * Legs: the call's agent (the leader, who started it), parties (another extension, rung like an
 * offer; an external number dialled on a free shop line) and supervisors (listen / whisper /
 * barge). Each gets a call leg (roles `conference`, `monitor`) with its start, answer and end, and
 * events (`call.conference.*`, `call.monitor.*`) in the event log.
 *
 * Leaving (documented in docs/api/conference.md):
 * - the caller hangs up: the call ends, every leg is hung up (as any call);
 * - a party or supervisor hangs up or is dropped: only that leg ends;
 * - the leader hangs up: the caller stays with the remaining parties; leadership passes to the
 *   first remaining phone that talks (an agent's extension or a barging supervisor); the agent's
 *   talk is completed in the ACD (wrap-up starts);
 * - no phone that talks is left (only the caller, external numbers and silent supervisors): the
 *   call ends as when the agent hangs up (the CSAT survey, if the queue has one, then the end).
 */
import type { Channel } from '../../../hal/src/channel.js';
import type { TimerHandle } from '../../../hal/src/clock.js';
import { CallboxError } from '../errors.js';
import type { LegLeaveReason, MonitorModeName } from '../events/catalog.js';
import { ConferenceMix, type MixMode } from '../media/conference-mix.js';
import type { LegRole } from '../service/types.js';
import { iso, type Leg } from './call.js';
import type { EngineCore } from './engine-hosts.js';
import type { Ctx } from './engine-types.js';
import type { Consult } from './control-types.js';
import { takeOffHold } from './hold.js';

/** Ring an added party or a supervisor this long before giving up. */
export const INVITE_RING_MS = 30_000;
/** Caller, agent and up to three more talking parties. */
export const MAX_PARTIES = 5;
/** Supervisors on one call at once. */
export const MAX_MONITORS = 2;

export type RoomLegKind = 'agent' | 'party' | 'monitor';
export type LeaveWhy = LegLeaveReason;

export interface RoomLeg {
  leg: Leg;
  /** Index of the leg in the call record's `legs` (the id the API uses). */
  index: number;
  kind: RoomLegKind;
  mode: MixMode;
  target: string;
  by: string;
  joined: boolean;
  joinedAt: number | null;
  timer: TimerHandle | null;
}

export interface Room {
  ctx: Ctx;
  mix: ConferenceMix;
  legs: RoomLeg[];
  /** The phone channel leading the conference (may add and drop legs), or null. */
  leader: string | null;
  /** Browsers listening in: told when the call ends. */
  listenerEnds: Set<() => void>;
}

export class Rooms {
  private readonly rooms = new Map<string, Room>();
  private readonly legsByChannel = new Map<string, { room: Room; rl: RoomLeg }>();

  constructor(
    readonly c: EngineCore,
    private readonly live: (callId: string) => Ctx | undefined,
  ) {}

  /** A call a party or supervisor may join now: live, talking, bridged; else NOT_FOUND / CONFLICT. */
  talkingCall(callId: string): Ctx {
    const ctx = this.live(callId);
    if (!ctx || ctx.call.ended) throw new CallboxError('NOT_FOUND', `no live call ${JSON.stringify(callId)}`, { id: callId });
    const room = this.rooms.get(callId);
    if (ctx.call.state !== 'talking' || !ctx.media || (!room && !ctx.media.bridgedTo)) {
      throw new CallboxError('CONFLICT', `call ${callId} is not talking to an agent now (state ${ctx.call.state})`);
    }
    return ctx;
  }

  room(callId: string): Room | undefined {
    return this.rooms.get(callId);
  }

  /** The room of a talking call, opened (the mixer takes over from the bridge) if it has none. */
  open(ctx: Ctx): Room {
    const have = this.rooms.get(ctx.call.id);
    if (have) return have;
    const media = ctx.media;
    const phone = media?.bridgedTo;
    if (!media || !phone) throw new CallboxError('CONFLICT', `call ${ctx.call.id} is not bridged to an agent now`);
    const mix = new ConferenceMix(ctx.line);
    const room: Room = { ctx, mix, legs: [], leader: phone.id, listenerEnds: new Set() };
    const leg = ctx.call.legs.find((l) => l.channel === phone && l.record.endedAt === null);
    if (leg) {
      const rl: RoomLeg = {
        leg,
        index: ctx.call.legs.indexOf(leg),
        kind: 'agent',
        mode: 'talk',
        target: phone.id,
        by: 'call',
        joined: true,
        joinedAt: null,
        timer: null,
      };
      room.legs.push(rl);
      this.legsByChannel.set(phone.id, { room, rl });
    }
    mix.add(phone, 'talk', true);
    media.mixer = mix;
    this.rooms.set(ctx.call.id, room);
    return room;
  }

  /** A new leg for `ch`: rung (a phone), dialled (a line) or, for a phone already off hook (a feature code), joined at once. */
  invite(
    room: Room,
    ch: Channel,
    kind: 'party' | 'monitor',
    mode: MixMode,
    target: string,
    by: string,
    how: 'ring' | 'dial' | 'offHook',
  ): RoomLeg {
    const { c } = this;
    const ctx = room.ctx;
    const role: LegRole = kind === 'party' ? 'conference' : 'monitor';
    const leg = ctx.call.addLeg(ch, role, c.o.clock.now());
    const rl: RoomLeg = { leg, index: ctx.call.legs.length - 1, kind, mode, target, by, joined: false, joinedAt: null, timer: null };
    room.legs.push(rl);
    c.byChannel.set(ch.id, ctx);
    this.legsByChannel.set(ch.id, { room, rl });
    if (how === 'offHook') {
      this.joined(ch);
      return rl;
    }
    if (kind === 'party') c.save(ctx, 'call.conference.invited', { leg: rl.index, channel: ch.id, target, by });
    else c.save(ctx, 'call.monitor.ringing', { leg: rl.index, channel: ch.id, mode: modeName(mode), by });
    rl.timer = c.o.clock.setTimeout(() => c.guard(ch, 'invite timeout', () => this.leave(room, rl, 'noAnswer', null)), INVITE_RING_MS);
    const failed = (err: unknown) => {
      c.o.log.warn({ call: ctx.call.id, channel: ch.id, err: String(err) }, 'inviting a leg failed');
      c.guard(ch, 'invite failed', () => this.leave(room, rl, 'failed', null));
    };
    if (how === 'dial') ch.dial(target).catch(failed);
    else {
      const { callerId, callerName } = ctx.call.record;
      ch.ring({ cadence: { pattern: c.o.config.ringCadence }, callerId: { number: callerId, name: callerName } }).catch(failed);
    }
    return rl;
  }

  /**
   * An answered consultation becomes a conference (`*3`): the caller comes off hold to the agent,
   * the consulted party (its `consult` leg, now `conference`) joins the mix at once.
   */
  joinConsult(ctx: Ctx, consult: Consult, by: string): void {
    const { c } = this;
    takeOffHold(c, ctx, by, consult.from);
    const room = this.open(ctx);
    const now = c.o.clock.now();
    consult.leg.record.role = 'conference';
    const rl: RoomLeg = {
      leg: consult.leg,
      index: ctx.call.legs.indexOf(consult.leg),
      kind: 'party',
      mode: 'talk',
      target: consult.target,
      by,
      joined: true,
      joinedAt: now,
      timer: null,
    };
    room.legs.push(rl);
    this.legsByChannel.set(consult.to.id, { room, rl });
    c.byChannel.set(consult.to.id, ctx);
    room.mix.add(consult.to, 'talk', true);
    c.save(ctx, 'call.conference.joined', { leg: rl.index, channel: consult.to.id, leader: room.leader });
  }

  /** A room's phone went off hook (answering) or its line answered: it joins the mix. */
  joined(ch: Channel): boolean {
    const hit = this.legsByChannel.get(ch.id);
    if (!hit || hit.rl.joined) return !!hit;
    const { room, rl } = hit;
    const now = this.c.o.clock.now();
    rl.timer?.cancel();
    rl.timer = null;
    rl.joined = true;
    rl.joinedAt = now;
    rl.leg.record.answeredAt = iso(now);
    // the supervisor hears the agent's side and the caller; only the call's own staff hear a whisper
    room.mix.add(ch, rl.mode, rl.kind !== 'monitor');
    const agent = this.c.acd.agentByExtension(ch.id);
    if (agent && rl.kind !== 'agent') this.c.acd.phoneBusy(agent.id);
    if (rl.kind === 'party') {
      if (room.leader === null && talks(rl)) room.leader = ch.id;
      this.c.save(room.ctx, 'call.conference.joined', { leg: rl.index, channel: ch.id, leader: room.leader });
    } else this.c.save(room.ctx, 'call.monitor.started', { leg: rl.index, channel: ch.id, mode: modeName(rl.mode), by: rl.by });
    return true;
  }

  /**
   * A room's phone went on hook. True when the room handled it (only that leg ends); false when
   * the engine should go on as when the call's agent hangs up: this was the last phone talking
   * (the room is folded first, its other legs hung up).
   */
  onHook(phone: Channel): boolean {
    const hit = this.legsByChannel.get(phone.id);
    if (!hit) return false;
    const { room, rl } = hit;
    if (talkingPhone(rl) && !room.legs.some((o) => o !== rl && talkingPhone(o))) {
      this.close(room, 'callEnded', rl);
      return false;
    }
    this.leave(room, rl, rl.joined ? 'hungUp' : 'failed', null);
    return true;
  }

  /** A room's line (an external party) hung up or stopped: its leg ends. */
  lineGone(ch: Channel): boolean {
    const hit = this.legsByChannel.get(ch.id);
    if (!hit) return false;
    this.leave(hit.room, hit.rl, hit.rl.joined ? 'hungUp' : 'failed', null);
    return true;
  }

  /** End one leg; the call ends when no phone that talks is left, the room folds when only the agent is. */
  leave(room: Room, rl: RoomLeg, why: LeaveWhy, by: string | null): void {
    const { c } = this;
    const ctx = room.ctx;
    if (ctx.call.ended || rl.leg.record.endedAt !== null) return;
    this.dropLeg(room, rl);
    const ch = rl.leg.channel;
    if (rl.kind === 'agent') c.acd.completed(ctx.callback?.id ?? ctx.call.id, 'agent');
    c.releasePhone(ctx, ch);
    if (phoneLike(ch)) c.phoneState(ch);
    if (room.leader === ch.id) room.leader = room.legs.find(talkingPhone)?.leg.channel.id ?? null;
    this.saveLeft(room, rl, why, by);
    if (!room.legs.some(talkingPhone) && !room.legs.some((o) => !o.joined && o.kind === 'party')) {
      this.close(room, 'callEnded', null);
      c.finish(ctx, 'answered', 'agentHangup');
      return;
    }
    this.foldIfPlain(room);
  }

  /** The call is ending: every leg of its room ends with it (the engine hangs the channels up). */
  ending(ctx: Ctx): void {
    const room = this.rooms.get(ctx.call.id);
    if (room) this.close(room, 'callEnded', null, false);
  }

  /** Hear a live call's mix (caller + talking legs) each 20 ms; returns the unsubscriber. */
  listen(ctx: Ctx, fn: (frame: Int16Array) => void, ended: () => void): () => void {
    const room = this.open(ctx);
    const off = room.mix.listen(fn);
    room.listenerEnds.add(ended);
    return () => {
      off();
      room.listenerEnds.delete(ended);
      if (this.rooms.get(ctx.call.id) === room && !ctx.call.ended) this.foldIfPlain(room);
    };
  }

  /** Fold the room into the plain bridge when only the caller and the call's agent are left. */
  private foldIfPlain(room: Room): void {
    const only = room.legs.length === 1 ? room.legs[0] : undefined;
    const media = room.ctx.media;
    if (only?.kind !== 'agent' || room.mix.listening > 0 || !media) return;
    this.rooms.delete(room.ctx.call.id);
    this.legsByChannel.delete(only.leg.channel.id);
    media.mixer = null;
    room.mix.detach();
    media.bridge(only.leg.channel);
  }

  /** Close the room: its legs other than `keep` end (hung up when `hangUp`); the call's audio goes back to `CallMedia`. */
  private close(room: Room, why: LeaveWhy, keep: RoomLeg | null, hangUp = true): void {
    this.rooms.delete(room.ctx.call.id);
    for (const rl of [...room.legs]) {
      if (rl === keep || rl.kind === 'agent') {
        this.dropLeg(room, rl);
        continue;
      }
      this.dropLeg(room, rl);
      // when the call is ending, the engine ends the leg and hangs its channel up
      if (hangUp) {
        this.c.releasePhone(room.ctx, rl.leg.channel);
        if (phoneLike(rl.leg.channel)) this.c.phoneState(rl.leg.channel);
      }
      this.saveLeft(room, rl, why, null);
    }
    const media = room.ctx.media;
    if (media) media.mixer = null;
    room.mix.detach();
    for (const ended of [...room.listenerEnds]) ended();
    room.listenerEnds.clear();
    // a remaining agent phone talks to the caller again (the survey or the end follows)
    const phone = keep?.leg.channel;
    if (media && phone && !room.ctx.call.ended) media.bridge(phone);
  }

  private dropLeg(room: Room, rl: RoomLeg): void {
    rl.timer?.cancel();
    rl.timer = null;
    room.mix.remove(rl.leg.channel);
    room.legs.splice(room.legs.indexOf(rl), 1);
    if (this.legsByChannel.get(rl.leg.channel.id)?.rl === rl) this.legsByChannel.delete(rl.leg.channel.id);
  }

  private saveLeft(room: Room, rl: RoomLeg, why: LeaveWhy, by: string | null): void {
    const channel = rl.leg.channel.id;
    const durationMs = rl.joinedAt === null ? 0 : this.c.o.clock.now() - rl.joinedAt;
    if (rl.kind === 'monitor')
      this.c.save(room.ctx, 'call.monitor.ended', { leg: rl.index, channel, mode: modeName(rl.mode), why, by, durationMs });
    else this.c.save(room.ctx, 'call.conference.left', { leg: rl.index, channel, why, by, leader: room.leader });
  }
}

/** A supervisor's mix mode as the API and events name it (talk: barge). */
export function modeName(mode: MixMode): MonitorModeName {
  return mode === 'talk' ? 'barge' : mode;
}

/** A leg others hear (a party, the agent, a barging supervisor). */
export function talks(rl: RoomLeg): boolean {
  return rl.mode === 'talk';
}

/** A joined phone others hear: it may lead the room, and keeps the call going. */
function talkingPhone(rl: RoomLeg): boolean {
  return rl.joined && talks(rl) && phoneLike(rl.leg.channel);
}

/** An extension (analog or SIP phone), not a line. */
export function phoneLike(ch: Channel): boolean {
  return ch.kind === 'fxs' || ch.phone === true;
}

/** The phone an extension names: a channel id (`fxs2`, `sip-101`), an agent id, or a number (`101` → sip-101, `2` → fxs2). */
export function extensionPhone(c: EngineCore, target: string): Channel | undefined {
  const direct = c.channels.get(target);
  if (direct && phoneLike(direct)) return direct;
  const agent = c.o.config.agents.find((a) => a.id === target);
  if (agent) return c.channels.get(agent.extension);
  if (!/^[0-9]{1,6}$/.test(target)) return undefined;
  const sip = c.channels.get(`sip-${target}`);
  if (sip?.phone) return sip;
  const fxs = c.channels.get(`fxs${target}`);
  return fxs?.kind === 'fxs' ? fxs : undefined;
}
