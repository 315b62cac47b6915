/**
 * What the engine holds of conferences and monitoring: the conference desk, the monitor desk and
 * the channel events their legs need (answer, hang-up, a line gone, the call's end, a `*5/*6/*9`
 * feature code). See conference-room.ts for the rules.
 */
import type { Channel } from '../../../hal/src/channel.js';
import { phoneActor } from './control-host.js';
import type { Consult } from './control-types.js';
import { ConferenceDesk } from './conference.js';
import { Rooms } from './conference-room.js';
import type { EngineCore } from './engine-hosts.js';
import type { Ctx } from './engine-types.js';
import type { FeatureAction } from './feature-codes.js';
import { MonitorDesk } from './monitor.js';

export class CallRooms {
  readonly conference: ConferenceDesk;
  readonly monitor: MonitorDesk;
  private readonly rooms: Rooms;

  private readonly digits = new Map<string, string>();

  constructor(
    private readonly c: EngineCore,
    live: (callId: string) => Ctx | undefined,
    /** Call control: ends an answered consultation without ending its leg (`*3`). */
    private readonly control: { takeConsult(ctx: Ctx): Consult | null },
  ) {
    this.rooms = new Rooms(c, live);
    this.conference = new ConferenceDesk(this.rooms);
    this.monitor = new MonitorDesk(this.rooms, () => c.o.monitorPolicy);
  }

  /** A room's phone went off hook or its line answered (true: it was one of the room's). */
  joined(ch: Channel): boolean {
    return this.rooms.joined(ch);
  }

  /** A room's phone went on hook (false: the engine goes on as when the agent hangs up). */
  onHook(phone: Channel): boolean {
    return this.rooms.onHook(phone);
  }

  lineGone(ch: Channel): boolean {
    return this.rooms.lineGone(ch);
  }

  ending(ctx: Ctx): void {
    this.rooms.ending(ctx);
  }

  /**
   * A key from a phone in a call: `*3` from the agent of an answered consultation (after a hook
   * flash and the colleague's extension or a number, or a SIP phone's second call to either) joins
   * everyone: caller, agent and the consulted party talk together. True when taken.
   */
  digit(phone: Channel, d: string): boolean {
    const ctx = this.c.byChannel.get(phone.id);
    const consult = ctx?.control?.consult;
    if (!ctx || consult?.from !== phone || !consult.answered) {
      this.digits.delete(phone.id);
      return false;
    }
    const keys = ((this.digits.get(phone.id) ?? '') + d).slice(-2);
    this.digits.set(phone.id, keys);
    if (keys !== '*3') return false;
    this.digits.delete(phone.id);
    const by = phoneActor(this.c, phone);
    const taken = this.control.takeConsult(ctx);
    if (!taken) return false;
    this.rooms.joinConsult(ctx, taken, by);
    return true;
  }

  /** A feature code dialled on the idle phone of agent `agentId`: `*5/*6/*9<ext>` monitor at once. */
  featureCode(phone: Channel, agentId: string, a: FeatureAction): boolean {
    return a.kind === 'monitor' && this.monitor.fromPhone(phone, agentId, a.mode, a.target);
  }
}
