/**
 * Supervisor monitoring (班长监听): listen (silent), whisper (the agent hears the supervisor, the
 * caller does not) and barge (三方: everyone hears everyone) on a live call.
 *
 * - From the console: the box rings the supervisor's phone and joins it in that mode on answer;
 *   the mode can be switched while it lasts; ending it hangs the supervisor's phone up.
 * - From an idle phone (a feature code, feature-codes.ts): `*5<ext>` listen, `*6<ext>` whisper,
 *   `*9<ext>` barge on the call of extension `<ext>` (its number: `101` for sip-101, `2` for fxs2);
 *   the supervisor is joined at once. Only phones of agents whose account may monitor (the
 *   engine's `monitorPolicy`: supervisor or owner) may; every use is written to the audit trail.
 *
 * The recording keeps the caller and the call's talking parties: a barging supervisor is recorded,
 * a listening or whispering one is not.
 */
import type { Channel } from '../../../hal/src/channel.js';
import { CallboxError } from '../errors.js';
import type { MixMode } from '../media/conference-mix.js';
import { type ConferenceLegView, legView } from './conference.js';
import { extensionPhone, MAX_MONITORS, type Rooms } from './conference-room.js';
import { phoneIdle } from './control-host.js';

export type MonitorMode = 'listen' | 'whisper' | 'barge';
export const MONITOR_MODES: readonly MonitorMode[] = ['listen', 'whisper', 'barge'];

/** Who may monitor from a phone, and where their use is written down (wired by the box). */
export interface MonitorPolicy {
  /** Whether the agent `agentId` (the phone's) may monitor: linked to a supervisor or owner account. */
  allowed(agentId: string): boolean;
  /** One audit trail entry. */
  audit(actor: string, action: string, callId: string, detail: Record<string, unknown>): void;
}

export function mixMode(mode: MonitorMode): MixMode {
  return mode === 'barge' ? 'talk' : mode;
}

export function checkMode(mode: unknown): MonitorMode {
  if (typeof mode !== 'string' || !(MONITOR_MODES as readonly string[]).includes(mode)) {
    throw new CallboxError('VALIDATION_FAILED', `mode must be one of ${MONITOR_MODES.join(', ')}`, { field: 'mode' });
  }
  return mode as MonitorMode;
}

export class MonitorDesk {
  constructor(
    private readonly rooms: Rooms,
    private readonly policy: () => MonitorPolicy | undefined,
  ) {}

  /** Ring `extension` (the supervisor's phone) to monitor `callId` in `mode` once answered. */
  start(callId: string, mode: MonitorMode, extension: string, by: string): ConferenceLegView {
    const ctx = this.rooms.talkingCall(callId);
    const c = this.rooms.c;
    const phone = extensionPhone(c, extension);
    if (!phone) throw new CallboxError('VALIDATION_FAILED', `no extension ${JSON.stringify(extension)}`, { field: 'extension' });
    if (ctx.call.legs.some((l) => l.channel === phone && l.record.endedAt === null)) {
      throw new CallboxError('CONFLICT', `extension ${phone.id} is already on this call`, { field: 'extension' });
    }
    if (!phoneIdle(c, phone)) {
      throw new CallboxError('CONFLICT', `extension ${phone.id} is busy or not reachable`, { field: 'extension' });
    }
    this.roomWithSpace(callId);
    const room = this.rooms.open(ctx);
    return legView(this.rooms.invite(room, phone, 'monitor', mixMode(mode), phone.id, by, 'ring'));
  }

  /** Switch a live monitor's mode. */
  setMode(callId: string, leg: number, mode: MonitorMode, by: string): ConferenceLegView {
    const { room, rl } = this.find(callId, leg);
    const next = mixMode(mode);
    if (rl.mode !== next) {
      rl.mode = next;
      room.mix.setMode(rl.leg.channel, next);
      this.rooms.c.save(room.ctx, 'call.monitor.mode', { leg, channel: rl.leg.channel.id, mode, by });
    }
    return legView(rl);
  }

  /** End a monitor: the supervisor's phone is hung up. */
  end(callId: string, leg: number, by: string): void {
    const { room, rl } = this.find(callId, leg);
    this.rooms.leave(room, rl, 'ended', by);
  }

  /**
   * A feature code from the idle phone `phone` (agent `agentId`): monitor the call of extension
   * `target` now. False (the phone hears the error prompt) when not allowed or there is no such call.
   */
  fromPhone(phone: Channel, agentId: string, mode: MonitorMode, target: string): boolean {
    const c = this.rooms.c;
    const policy = this.policy();
    const by = `phone:${agentId}`;
    const agentPhone = extensionPhone(c, target);
    const ctx = agentPhone ? c.byChannel.get(agentPhone.id) : undefined;
    const refuse = (why: string) => {
      c.o.log.info({ channel: phone.id, agent: agentId, target, why }, 'monitor feature code refused');
      policy?.audit(by, 'call.monitor.refused', ctx?.call.id ?? '', { mode, target, why });
      return false;
    };
    if (!policy?.allowed(agentId)) return refuse('not a supervisor');
    if (!ctx || !agentPhone || ctx.line === agentPhone || agentPhone === phone) return refuse('no call on that extension');
    try {
      this.rooms.talkingCall(ctx.call.id);
      this.roomWithSpace(ctx.call.id);
      const room = this.rooms.open(ctx);
      this.rooms.invite(room, phone, 'monitor', mixMode(mode), agentPhone.id, by, 'offHook');
    } catch (err) {
      return refuse(err instanceof Error ? err.message : String(err));
    }
    policy.audit(by, 'call.monitor', ctx.call.id, { mode, extension: phone.id, target: agentPhone.id, source: 'phone' });
    return true;
  }

  /**
   * A browser listening in (`by` a username): `fn` gets the call's live mix each 20 ms. The
   * returned function stops it; the call's end stops it too (then `ended` runs).
   */
  listen(callId: string, by: string, fn: (frame: Int16Array) => void, ended: () => void): () => void {
    const ctx = this.rooms.talkingCall(callId);
    const c = this.rooms.c;
    const at = c.o.clock.now();
    let open = true;
    const close = (why: 'callEnded' | 'ended') => {
      open = false;
      c.save(ctx, 'call.monitor.ended', { leg: null, channel: 'browser', mode: 'listen', why, by, durationMs: c.o.clock.now() - at });
    };
    const off = this.rooms.listen(ctx, fn, () => {
      close('callEnded');
      ended();
    });
    c.save(ctx, 'call.monitor.started', { leg: null, channel: 'browser', mode: 'listen', by });
    return () => {
      if (!open) return;
      off();
      close('ended');
    };
  }

  private roomWithSpace(callId: string): void {
    const monitors = this.rooms.room(callId)?.legs.filter((l) => l.kind === 'monitor').length ?? 0;
    if (monitors >= MAX_MONITORS) throw new CallboxError('CONFLICT', `at most ${MAX_MONITORS} supervisors on one call`);
  }

  private find(callId: string, leg: number) {
    const room = this.rooms.room(callId);
    const rl = room?.legs.find((l) => l.index === leg && l.kind === 'monitor');
    if (!room || !rl) throw new CallboxError('NOT_FOUND', `call ${callId} has no monitor leg ${leg}`, { leg });
    return { room, rl };
  }
}
