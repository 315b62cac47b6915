/**
 * Conferences, supervisor monitoring and browser listen-in for the API (CallRoomsService): who may
 * do what, the supervisor's extension, and the audit trail (every monitor and listen-in is written
 * there: who, which call, which mode, from where).
 *
 * - Monitoring and listen-in need `calls.monitor` (supervisor, owner); the routes check it.
 * - Adding and dropping conference legs: the call's leader (the agent linked to the user, whose
 *   phone leads the call), or anyone with `calls.monitor`.
 */
import type { CallEngine } from '../calls/engine.js';
import { checkMode } from '../calls/monitor.js';
import { CallboxError } from '../errors.js';
import type { CallRoomsService, ConferenceLegView, ConferenceView } from './call-rooms-types.js';
import { can } from './permissions.js';
import type { AuthService, Principal } from './types.js';

export interface CallRoomsDeps {
  engine: CallEngine;
  auth: Pick<AuthService, 'getUser'>;
  audit(actor: string, action: string, entity: string, entityId: string | null, detail: unknown): void;
}

export class CallRoomsControl implements CallRoomsService {
  constructor(private readonly d: CallRoomsDeps) {}

  view(callId: string): ConferenceView | null {
    this.live(callId);
    return this.d.engine.rooms.conference.view(callId);
  }

  addParty(callId: string, add: unknown, who: Principal): ConferenceLegView {
    this.mayLead(callId, who);
    const leg = this.d.engine.rooms.conference.add(callId, add, who.username);
    this.d.audit(who.username, 'call.conference.add', 'call', callId, { add, leg: leg.leg, channel: leg.channel });
    return leg;
  }

  dropLeg(callId: string, leg: number, who: Principal): void {
    this.mayLead(callId, who);
    this.d.engine.rooms.conference.drop(callId, leg, who.username);
    this.d.audit(who.username, 'call.conference.drop', 'call', callId, { leg });
  }

  monitor(callId: string, mode: unknown, extension: unknown, who: Principal): ConferenceLegView {
    const m = checkMode(mode);
    if (extension !== undefined && (typeof extension !== 'string' || extension.length === 0 || extension.length > 32)) {
      throw new CallboxError('VALIDATION_FAILED', 'extension must be an extension, e.g. fxs3, sip-103 or 103', { field: 'extension' });
    }
    const ext = (extension as string | undefined) ?? this.ownExtension(who);
    const leg = this.d.engine.rooms.monitor.start(callId, m, ext, who.username);
    this.d.audit(who.username, 'call.monitor', 'call', callId, { mode: m, extension: leg.channel, source: 'console' });
    return leg;
  }

  setMonitorMode(callId: string, leg: number, mode: unknown, who: Principal): ConferenceLegView {
    const m = checkMode(mode);
    const view = this.d.engine.rooms.monitor.setMode(callId, leg, m, who.username);
    this.d.audit(who.username, 'call.monitor.mode', 'call', callId, { leg, mode: m });
    return view;
  }

  endMonitor(callId: string, leg: number, who: Principal): void {
    this.d.engine.rooms.monitor.end(callId, leg, who.username);
    this.d.audit(who.username, 'call.monitor.end', 'call', callId, { leg });
  }

  listen(callId: string, who: Principal, frame: (pcm: Int16Array) => void, ended: () => void): () => void {
    const stop = this.d.engine.rooms.monitor.listen(callId, who.username, frame, ended);
    this.d.audit(who.username, 'call.listen', 'call', callId, { source: 'browser' });
    return stop;
  }

  private live(callId: string): void {
    if (!this.d.engine.live(callId)) throw new CallboxError('NOT_FOUND', `no live call ${JSON.stringify(callId)}`, { id: callId });
  }

  /** The phone channel of the agent linked to the user, if any. */
  private userExtension(who: Principal): string | undefined {
    const agentId = this.d.auth.getUser(who.username)?.agentId ?? null;
    return agentId ? this.d.engine.control.agent(agentId)?.extension : undefined;
  }

  /** The extension of the agent linked to the user; VALIDATION_FAILED (name it) when there is none. */
  private ownExtension(who: Principal): string {
    const ext = this.userExtension(who);
    if (!ext) throw new CallboxError('VALIDATION_FAILED', 'extension is required: your account has no agent phone', { field: 'extension' });
    return ext;
  }

  private mayLead(callId: string, who: Principal): void {
    this.live(callId);
    if (can(who.role, 'calls.monitor')) return;
    const ext = this.userExtension(who);
    const leader = this.d.engine.rooms.conference.leader(callId);
    if (!ext || ext !== leader) {
      throw new CallboxError('FORBIDDEN', 'only the agent leading the call (or a supervisor) may add or drop parties', {
        permission: 'calls.monitor',
      });
    }
  }
}
