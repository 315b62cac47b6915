/**
 * Conferences (三方通话 / 多方通话): the agent of a talking call adds parties — another extension
 * (rung like an offer, with the caller's number) or an external number dialled on a free shop line
 * (FXO first, SIP trunk, GSM last) — up to MAX_PARTIES legs with the caller, and drops them. The
 * mixing, joining and leaving rules are in conference-room.ts.
 */
import type { Channel } from '../../../hal/src/channel.js';
import { CallboxError } from '../errors.js';
import type { ConferenceLegView, ConferenceView } from '../service/call-rooms-types.js';
import { phoneIdle } from './control-host.js';
import { freeLine } from './transfer.js';
import { extensionPhone, MAX_PARTIES, type Room, type RoomLeg, type Rooms } from './conference-room.js';

export type { ConferenceLegView, ConferenceView };

export function roomView(room: Room): ConferenceView {
  return {
    callId: room.ctx.call.id,
    leader: room.leader,
    legs: room.legs.map((rl) => legView(rl)),
  };
}

export function legView(rl: RoomLeg): ConferenceLegView {
  return { leg: rl.index, channel: rl.leg.channel.id, kind: rl.kind, mode: rl.mode, target: rl.target, by: rl.by, joined: rl.joined };
}

export class ConferenceDesk {
  constructor(private readonly rooms: Rooms) {}

  /** Add `target` (an extension, agent id or external number) to a talking call; the leg rings. */
  add(callId: string, target: unknown, by: string): ConferenceLegView {
    if (typeof target !== 'string' || target.length === 0 || target.length > 32) {
      throw new CallboxError('VALIDATION_FAILED', 'add must be an extension, an agent id or a phone number', { field: 'add' });
    }
    const ctx = this.rooms.talkingCall(callId);
    const c = this.rooms.c;
    const existing = this.rooms.room(callId);
    const parties = 1 + (existing ? existing.legs.filter((l) => l.kind !== 'monitor').length : 1);
    if (parties >= MAX_PARTIES) throw new CallboxError('CONFLICT', `a conference has at most ${MAX_PARTIES} parties`);
    const phone = extensionPhone(c, target);
    let ch: Channel;
    let how: 'ring' | 'dial';
    if (phone) {
      if (!phoneIdle(c, phone)) {
        throw new CallboxError('CONFLICT', `extension ${phone.id} is busy or not reachable`, { field: 'add' });
      }
      ch = phone;
      how = 'ring';
    } else if (/^\+?[0-9]{3,20}$/.test(target)) {
      const line = freeLine(c);
      if (!line) throw new CallboxError('CONFLICT', 'no free line to dial out on');
      ch = line;
      how = 'dial';
    } else {
      throw new CallboxError('VALIDATION_FAILED', `no extension or agent ${JSON.stringify(target)}, and not a number of 3..20 digits`, {
        field: 'add',
      });
    }
    const room = this.rooms.open(ctx);
    return legView(this.rooms.invite(room, ch, 'party', 'talk', target, by, how));
  }

  /** Drop a leg (by its index in the call's legs) from the conference; the caller's leg cannot be dropped. */
  drop(callId: string, leg: number, by: string): void {
    const room = this.rooms.room(callId);
    const rl = room?.legs.find((l) => l.index === leg);
    if (!room || !rl) throw new CallboxError('NOT_FOUND', `call ${callId} has no conference leg ${leg}`, { leg });
    this.rooms.leave(room, rl, 'dropped', by);
  }

  /** The call's conference now, or null when it has none. */
  view(callId: string): ConferenceView | null {
    const room = this.rooms.room(callId);
    return room ? roomView(room) : null;
  }

  /** The phone leading the call now: the room's leader, or the agent phone of a plain bridged call. */
  leader(callId: string): string | null {
    const room = this.rooms.room(callId);
    if (room) return room.leader;
    try {
      return this.rooms.talkingCall(callId).media?.bridgedTo?.id ?? null;
    } catch {
      return null;
    }
  }
}
