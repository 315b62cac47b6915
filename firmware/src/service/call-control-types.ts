/** Call control on live calls for the API (service/call-control.ts over calls/call-control.ts): the service's view. */
import type { CallRecord, Principal } from './types.js';

export interface ParkedCallView {
  /** 71..79: `*8N` on an analog phone picks up slot 7N. */
  slot: number;
  callId: string;
  callerId: string | null;
  /** Who parked it (username or `phone:<agent>`). */
  by: string;
  /** The agent who parked it (rung back at the park timeout). */
  agent: string | null;
}

export interface CallControlService {
  /** Put the caller on hold (hold music). Agents: their own calls; `calls.control` + `agents.state`: any. */
  hold(callId: string, who: Principal): CallRecord;
  unhold(callId: string, who: Principal): CallRecord;
  /**
   * Transfer: `to` an agent id or extension, `queue:<id>`, `ivr:<menu>` / `ivr:survey`, or a number;
   * `mode` blind (done at once) or attended (the agent's phone talks to the target first; complete or cancel).
   */
  transfer(callId: string, to: unknown, mode: unknown, who: Principal): { call: CallRecord; state: 'transferred' | 'consulting' };
  /** Complete an attended transfer ('ringing': the caller goes to the target when it answers). */
  completeTransfer(callId: string, who: Principal): { call: CallRecord; state: 'completed' | 'ringing' };
  cancelTransfer(callId: string, who: Principal): CallRecord;
  park(callId: string, who: Principal): { slot: number; call: CallRecord };
  parked(): ParkedCallView[];
  /**
   * The IVR menus a caller may be transferred to (`to: "ivr:<menu>"`), sorted, and the code an agent's
   * phone dials for each (`*01` main, `*02` the next menu by id, …: FXS after a hook flash, SIP REFER).
   */
  transferTargets(): { menus: string[]; codes: Record<string, string> };
  /** The phone of `agent` (default: the user's own agent; others need agents.state) rings; its answer takes the parked call. */
  pickup(slot: unknown, agent: unknown, who: Principal): { callId: string; agent: string };
  /**
   * Click-to-dial: the agent's phone rings first; when it answers the box dials on a free line
   * `number`, or the first phone of customer `customerId` (the number stays hidden from masked roles).
   */
  dial(
    req: { number?: unknown; customerId?: unknown; displayName?: unknown; agent?: unknown },
    who: Principal,
  ): { agent: string; number: string };
}
