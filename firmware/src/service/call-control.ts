/**
 * Call control for the API (CallControlService): who may act on which call, then the engine's
 * call control (calls/call-control.ts). Agents act on their own calls (the call's agent is the
 * agent linked to their user) and their own phone; users with `agents.state` (supervisor, owner)
 * on any call and for any agent. Every action is in the event log by the engine; the records
 * returned are read back from the store.
 */
import type { CallEngine } from '../calls/engine.js';
import { CallboxError } from '../errors.js';
import type { CallControlService, ParkedCallView } from './call-control-types.js';
import { can } from './permissions.js';
import type { AgentDef } from '../acd/types.js';
import type { AuthService, CallRecord, Principal } from './types.js';

export interface CallControlDeps {
  engine: CallEngine;
  auth: Pick<AuthService, 'getUser'>;
  getCall(id: string): CallRecord | null;
  /** A customer's first phone number and name (unmasked), or null. */
  customer?(id: string): { phone: string | null; name: string | null } | null;
}

export class CallControlApi implements CallControlService {
  constructor(private readonly d: CallControlDeps) {}

  hold(callId: string, who: Principal): CallRecord {
    this.d.engine.control.hold(this.mine(callId, who), callId, who.username);
    return this.record(callId);
  }

  unhold(callId: string, who: Principal): CallRecord {
    this.d.engine.control.unhold(this.mine(callId, who), callId, who.username);
    return this.record(callId);
  }

  transfer(callId: string, to: unknown, mode: unknown, who: Principal): { call: CallRecord; state: 'transferred' | 'consulting' } {
    if (mode !== 'blind' && mode !== 'attended')
      throw new CallboxError('VALIDATION_FAILED', 'mode must be "blind" or "attended"', { field: 'mode' });
    this.d.engine.control.transfer(this.mine(callId, who), callId, to, mode, who.username);
    return { call: this.record(callId), state: mode === 'blind' ? 'transferred' : 'consulting' };
  }

  completeTransfer(callId: string, who: Principal): { call: CallRecord; state: 'completed' | 'ringing' } {
    const state = this.d.engine.control.completeTransfer(this.mine(callId, who), callId, who.username);
    return { call: this.record(callId), state };
  }

  cancelTransfer(callId: string, who: Principal): CallRecord {
    this.d.engine.control.cancelTransfer(this.mine(callId, who), callId, who.username);
    return this.record(callId);
  }

  park(callId: string, who: Principal): { slot: number; call: CallRecord } {
    const slot = this.d.engine.control.park(this.mine(callId, who), callId, who.username);
    return { slot, call: this.record(callId) };
  }

  parked(): ParkedCallView[] {
    return this.d.engine.control.parked();
  }

  transferTargets(): { menus: string[]; codes: Record<string, string> } {
    const codes = this.d.engine.control.menuCodes();
    return { menus: Object.keys(codes).sort(), codes };
  }

  pickup(slot: unknown, agent: unknown, who: Principal): { callId: string; agent: string } {
    if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 71 || slot > 79)
      throw new CallboxError('VALIDATION_FAILED', 'slot must be a park slot 71..79', { field: 'slot' });
    const a = this.agentFor(agent, who);
    return { callId: this.d.engine.control.pickup(slot, a, who.username), agent: a.id };
  }

  dial(
    req: { number?: unknown; customerId?: unknown; displayName?: unknown; agent?: unknown },
    who: Principal,
  ): { agent: string; number: string } {
    let { number, displayName } = req;
    if (req.customerId !== undefined) {
      if (number !== undefined) throw new CallboxError('VALIDATION_FAILED', 'give number or customerId, not both', { field: 'number' });
      const c = typeof req.customerId === 'string' ? (this.d.customer?.(req.customerId) ?? null) : null;
      if (!c) throw new CallboxError('VALIDATION_FAILED', `no customer ${JSON.stringify(req.customerId)}`, { field: 'customerId' });
      if (!c.phone) throw new CallboxError('VALIDATION_FAILED', 'the customer has no phone number', { field: 'customerId' });
      number = c.phone;
      displayName ??= c.name;
    }
    if (typeof number !== 'string' || !/^\+?[0-9]{3,20}$/.test(number))
      throw new CallboxError('VALIDATION_FAILED', 'number must be 3..20 digits (optional leading +)', { field: 'number' });
    const shown =
      req.customerId !== undefined && !can(who.role, 'customers.phones') ? `${number.slice(0, 3)}****${number.slice(-4)}` : number;
    if (displayName !== undefined && displayName !== null && (typeof displayName !== 'string' || displayName.length > 64))
      throw new CallboxError('VALIDATION_FAILED', 'displayName must be a text of up to 64 characters', { field: 'displayName' });
    const a = this.agentFor(req.agent, who);
    const refused = this.d.engine.preview.dial({
      agentId: a.id,
      number,
      displayName: (displayName as string | null | undefined) ?? null,
      onDialling: () => {},
      onEnd: () => {},
    });
    if (refused) {
      const why = refused === 'noLine' ? 'no line is free to dial out' : `agent ${a.id} is not free (phone busy or not available)`;
      throw new CallboxError('CONFLICT', why, { reason: refused === 'noLine' ? 'noLine' : 'targetBusy' });
    }
    return { agent: a.id, number: shown };
  }

  /** The live call, if `who` may act on it: NOT_FOUND unknown, CONFLICT ended, FORBIDDEN another agent's. */
  private mine(callId: string, who: Principal) {
    const ctx = this.d.engine.live(callId);
    if (!ctx) {
      if (this.d.getCall(callId)) throw new CallboxError('CONFLICT', `call ${callId} is not live`, { reason: 'notLive' });
      throw new CallboxError('NOT_FOUND', `no call with id ${JSON.stringify(callId)}`, { id: callId });
    }
    if (can(who.role, 'agents.state')) return ctx;
    const own = this.ownAgent(who);
    const phones = ctx.call.legs.filter((l) => l.record.endedAt === null).map((l) => l.channel.id);
    if (!own || (ctx.call.record.agent !== own.id && !phones.includes(own.extension)))
      throw new CallboxError('FORBIDDEN', 'an agent may control their own calls only', { permission: 'agents.state' });
    return ctx;
  }

  private ownAgent(who: Principal): AgentDef | undefined {
    const id = this.d.auth.getUser(who.username)?.agentId ?? null;
    return id ? this.d.engine.control.agent(id) : undefined;
  }

  /** The agent named (others than one's own need agents.state), or the user's own. */
  private agentFor(agent: unknown, who: Principal): AgentDef {
    if (agent !== undefined && agent !== null) {
      if (typeof agent !== 'string') throw new CallboxError('VALIDATION_FAILED', 'agent must be an agent id', { field: 'agent' });
      const a = this.d.engine.control.agent(agent);
      if (!a) throw new CallboxError('VALIDATION_FAILED', `no agent ${JSON.stringify(agent)}`, { field: 'agent' });
      if (a.id !== this.ownAgent(who)?.id && !can(who.role, 'agents.state'))
        throw new CallboxError('FORBIDDEN', "only supervisors act for another agent's phone", { permission: 'agents.state' });
      return a;
    }
    const own = this.ownAgent(who);
    if (!own) throw new CallboxError('CONFLICT', 'your user is not linked to an agent: name one in `agent`', { reason: 'noAgent' });
    return own;
  }

  private record(callId: string): CallRecord {
    const call = this.d.getCall(callId);
    if (!call) throw new CallboxError('NOT_FOUND', `no call with id ${JSON.stringify(callId)}`, { id: callId });
    return call;
  }
}
