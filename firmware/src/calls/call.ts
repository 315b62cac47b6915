/**
 * One call: its legs and an explicit state machine. The engine drives it; every transition goes
 * through `to()`, which refuses moves the table does not allow, so a call can never jump from
 * ringing to talking without passing the states a CDR and the KPIs depend on.
 */
import type { Channel } from '../../../hal/src/channel.js';
import type { CallLegRecord, CallOutcome, CallRecord, CallState, LegRole } from '../service/types.js';

const TRANSITIONS: Record<CallState, readonly CallState[]> = {
  ringing: ['ivr', 'queued', 'ended'],
  ivr: ['ivr', 'queued', 'connecting', 'ended'],
  queued: ['connecting', 'ended'],
  connecting: ['talking', 'queued', 'ended'],
  talking: ['survey', 'queued', 'ivr', 'ended'], // queued again / back to the IVR: a transfer (transfer.ts)
  survey: ['ended'],
  ended: [],
};

export class IllegalTransition extends Error {
  constructor(id: string, from: CallState, to: CallState) {
    super(`call ${id}: illegal transition ${from} -> ${to}`);
  }
}

export interface Leg {
  channel: Channel;
  record: CallLegRecord;
}

export class Call {
  readonly record: CallRecord;
  readonly legs: Leg[] = [];

  constructor(id: string, direction: CallRecord['direction'], nowMs: number) {
    this.record = {
      id,
      direction,
      state: 'ringing',
      callerId: null,
      callerName: null,
      startedAt: iso(nowMs),
      answeredAt: null,
      endedAt: null,
      outcome: null,
      ivrPath: '',
      queue: null,
      agent: null,
      legs: [],
      disposition: null,
    };
  }

  get id(): string {
    return this.record.id;
  }

  get state(): CallState {
    return this.record.state;
  }

  get ended(): boolean {
    return this.record.state === 'ended';
  }

  can(next: CallState): boolean {
    return TRANSITIONS[this.record.state].includes(next);
  }

  to(next: CallState): void {
    if (!this.can(next)) throw new IllegalTransition(this.id, this.record.state, next);
    this.record.state = next;
  }

  end(outcome: CallOutcome, nowMs: number): void {
    this.to('ended');
    this.record.outcome = outcome;
    this.record.endedAt = iso(nowMs);
    for (const leg of this.legs) leg.record.endedAt ??= iso(nowMs);
  }

  addLeg(channel: Channel, role: LegRole, nowMs: number): Leg {
    const record: CallLegRecord = {
      channel: channel.id,
      kind: channel.kind,
      role,
      startedAt: iso(nowMs),
      answeredAt: null,
      endedAt: null,
    };
    const leg = { channel, record };
    this.legs.push(leg);
    this.record.legs.push(record);
    return leg;
  }

  leg(role: LegRole): Leg | undefined {
    for (let i = this.legs.length - 1; i >= 0; i--) {
      const leg = this.legs[i] as Leg;
      if (leg.record.role === role && leg.record.endedAt === null) return leg;
    }
    return undefined;
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
