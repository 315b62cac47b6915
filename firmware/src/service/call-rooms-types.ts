/** Conferences, supervisor monitoring and browser listen-in on live calls (calls/conference*.ts, calls/monitor.ts): the service's view. */
import type { Principal } from './types.js';

export type MonitorMode = 'listen' | 'whisper' | 'barge';

export interface ConferenceLegView {
  /** The leg's index in the call record's `legs` (DELETE …/conference/{leg}, …/monitor/{leg}). */
  leg: number;
  /** Its phone or line channel. */
  channel: string;
  /** agent: the call's agent; party: an added extension or number; monitor: a supervisor. */
  kind: 'agent' | 'party' | 'monitor';
  /** talk: heard by all; listen: heard by nobody; whisper: heard by the agent only. */
  mode: 'talk' | 'listen' | 'whisper';
  /** What was asked: an extension, an agent id, a number. */
  target: string;
  /** Username or `phone:<agent>` who added it. */
  by: string;
  /** False while it still rings. */
  joined: boolean;
}

export interface ConferenceView {
  callId: string;
  /** The phone channel leading the conference (may add and drop legs), or null. */
  leader: string | null;
  legs: ConferenceLegView[];
}

export interface CallRoomsService {
  /** The call's conference and monitors now, or null when it has none (404 unknown / ended call). */
  view(callId: string): ConferenceView | null;
  /** Add an extension, agent or external number (rings; joins on answer). Agents: only as the call's leader. */
  addParty(callId: string, add: unknown, who: Principal): ConferenceLegView;
  /** Drop a leg (the leader, a supervisor or the owner). */
  dropLeg(callId: string, leg: number, who: Principal): void;
  /** Ring `extension` (default: the extension of the agent linked to `who`) to monitor in `mode` (calls.monitor). */
  monitor(callId: string, mode: unknown, extension: unknown, who: Principal): ConferenceLegView;
  setMonitorMode(callId: string, leg: number, mode: unknown, who: Principal): ConferenceLegView;
  endMonitor(callId: string, leg: number, who: Principal): void;
  /**
   * Listen in from the browser (calls.monitor): `frame` gets the live mix (caller + talking
   * parties, 8 kHz int16, 20 ms) until the returned function is called or the call ends (`ended`).
   */
  listen(callId: string, who: Principal, frame: (pcm: Int16Array) => void, ended: () => void): () => void;
}
