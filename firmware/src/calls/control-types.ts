/**
 * The live state of call control on one call (call-control.ts): a hold, a consultation before an
 * attended transfer, a park, and an analog phone's flash dialling. Kept on the call's `Ctx`.
 */
import type { Channel } from '../../../hal/src/channel.js';
import type { TimerHandle } from '../../../hal/src/clock.js';
import type { AgentDef } from '../acd/types.js';
import type { CallMedia } from '../media/leg-media.js';
import type { Leg } from './call.js';

export interface HoldState {
  since: number;
  by: string;
  /** The agent phone that was bridged (it gets the caller back on unhold). */
  phone: Channel | null;
  why: 'hold' | 'consult' | 'park';
}

/** An attended transfer in progress: the caller on hold, the agent talking to `to`. */
export interface Consult {
  /** The consulting agent's phone. */
  from: Channel;
  /** The target's phone, or the line dialling an external number. */
  to: Channel;
  /** Agent id or number, as asked. */
  target: string;
  /** The target agent (null: an external number). */
  agent: AgentDef | null;
  leg: Leg;
  /** The agent phone's audio during the consultation: bridged to `to` once it answers. */
  media: CallMedia;
  answered: boolean;
  timer: TimerHandle | null;
  /** The agent hung up while the target rang (analog phone): the caller goes to the target when it answers. */
  completeOnAnswer: boolean;
  /**
   * The agent's SIP phone placed the consultation itself (its second call, HAL `secondCall`): that
   * call is answered when the target answers and ended with the consultation; a REFER with Replaces
   * naming it completes the transfer.
   */
  ownCall: boolean;
  by: string;
  off: (() => void)[];
}

export interface Parked {
  slot: number;
  by: string;
  /** The agent who parked the call: rung back at the park timeout. */
  agent: AgentDef | null;
  timer: TimerHandle | null;
}

/** An analog phone after a hook flash: dial tone, digits for the transfer target or *7 (park). */
export interface FlashDial {
  phone: Channel;
  digits: string;
  media: CallMedia;
  timer: TimerHandle | null;
}

export interface ControlState {
  hold: HoldState | null;
  consult: Consult | null;
  park: Parked | null;
  flash: FlashDial | null;
  /** An external party the call was transferred to (its line's listeners). */
  external: { line: Channel; off: (() => void)[]; timer: TimerHandle | null } | null;
}

export function controlOf(ctx: { control?: ControlState }): ControlState {
  ctx.control ??= { hold: null, consult: null, park: null, flash: null, external: null };
  return ctx.control;
}
