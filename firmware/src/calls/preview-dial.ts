/**
 * Agent-first outbound calls (preview dialling, for follow-up lists 回访): the agent is reserved in
 * the ACD (busy: no queue calls), their phone rings showing the customer's number; when they pick
 * up, the box dials the customer on a free line (shop lines first, the GSM modem last) and, when
 * the customer answers, bridges them through the engine's normal connect path (recording, events).
 * The call is an ordinary outbound call record. The engine hands this desk its channel events
 * (offHook, onHook, answered, lineGone, ended) before its own handling; each hook returns true when
 * the event was a preview call's and is fully handled here.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Channel } from '../../../hal/src/channel.js';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import type { Acd } from '../acd/acd.js';
import type { AgentDef } from '../acd/types.js';
import type { CallEndReason } from '../events/catalog.js';
import { CallMedia } from '../media/leg-media.js';
import type { CallOutcome } from '../service/types.js';
import { iso } from './call.js';
import type { Ctx, EngineConfig } from './engine-types.js';

/** How long the agent's phone rings before the attempt is given up (not counted against the customer). */
export const PREVIEW_AGENT_RING_MS = 30_000;
/** How long the customer's phone may ring. */
export const PREVIEW_DIAL_TIMEOUT_MS = 40_000;

export type PreviewResult = 'answered' | 'noAnswer' | 'noLine' | 'agentNoAnswer' | 'agentHangup' | 'failed';

export interface PreviewRequest {
  agentId: string;
  number: string;
  displayName: string | null;
  /** The customer's number is being dialled: the call record `callId` exists on `line`. */
  onDialling(callId: string, line: string): void;
  /** Once, when the attempt is over. */
  onEnd(result: PreviewResult, callId: string | null): void;
}

export interface PreviewHost {
  clock: Clock;
  log: Logger;
  acd: Acd;
  config: EngineConfig;
  phone(channelId: string): Channel | undefined;
  /** The channel is part of a call. */
  inCall(channelId: string): boolean;
  /** Lines to dial out on, FXO first, GSM last. */
  outboundLines(): Channel[];
  /** A new outbound call (record, `call.ringing` event) on `line` to `number`. */
  startOutbound(id: string, line: Channel, number: string): Ctx;
  /** The agent's phone becomes the call's agent leg. */
  claimPhone(ctx: Ctx, phone: Channel): void;
  /** The customer answered: bridge the (off-hook) agent phone — the engine's connect path. */
  connect(ctx: Ctx, phone: Channel): void;
  finish(ctx: Ctx, outcome: CallOutcome, reason: CallEndReason): void;
}

interface Attempt {
  req: PreviewRequest;
  agent: AgentDef;
  phone: Channel;
  stage: 'ringingAgent' | 'dialling' | 'talking';
  ctx: Ctx | null;
  timer: TimerHandle | null;
  /** Why the call ended, when the desk ended it. */
  result: PreviewResult | null;
  /** The agent dialled from their own phone (a SIP phone's call is answered when the customer answers; an analog phone is already off hook). */
  fromPhone?: boolean;
}

const NO_REPORT: Pick<PreviewRequest, 'onDialling' | 'onEnd'> = { onDialling: () => {}, onEnd: () => {} };

export class PreviewDial {
  private readonly byPhone = new Map<string, Attempt>();
  private readonly byCall = new Map<string, Attempt>();

  constructor(private readonly h: PreviewHost) {}

  /** Agents logged in and available whose phone is idle, longest idle first. */
  availableAgents(): string[] {
    return this.h.acd
      .agentsView()
      .filter((a) => a.state === 'available' && this.phoneFree(a.extension))
      .sort((a, b) => a.since.localeCompare(b.since))
      .map((a) => a.id);
  }

  lineFree(): boolean {
    return this.h.outboundLines().some((l) => l.state === 'idle' && !this.h.inCall(l.id));
  }

  /** Reserve the agent and ring their phone. Null when started, else why not. */
  dial(req: PreviewRequest): 'agentBusy' | 'noLine' | null {
    const agent = this.h.config.agents.find((a) => a.id === req.agentId);
    const view = this.h.acd.agentsView().find((a) => a.id === req.agentId);
    const phone = agent ? this.h.phone(agent.extension) : undefined;
    if (!agent || !phone || view?.state !== 'available' || !this.phoneFree(phone.id)) return 'agentBusy';
    if (!this.lineFree()) return 'noLine';
    this.h.acd.phoneBusy(agent.id);
    const a: Attempt = { req, agent, phone, stage: 'ringingAgent', ctx: null, timer: null, result: null };
    this.byPhone.set(phone.id, a);
    a.timer = this.h.clock.setTimeout(() => this.endEarly(a, 'agentNoAnswer'), PREVIEW_AGENT_RING_MS);
    phone
      .ring({ cadence: { pattern: this.h.config.ringCadence }, callerId: { number: req.number, name: req.displayName } })
      .catch((err: unknown) => {
        this.h.log.warn({ agent: agent.id, err: String(err) }, 'ringing the agent for a follow-up failed');
        this.endEarly(a, 'failed');
      });
    return null;
  }

  /** FXS off hook: the agent picked up a preview ring → dial the customer. */
  offHook(phone: Channel): boolean {
    const a = this.byPhone.get(phone.id);
    if (a?.stage !== 'ringingAgent') return false;
    a.timer?.cancel();
    const line = this.freeLine();
    if (!line) {
      this.endEarly(a, 'noLine');
      return true;
    }
    this.dialOn(a, line);
    return true;
  }

  /**
   * An agent dialled `number` on their own phone (a SIP phone's INVITE): the customer is dialled on
   * a free line (FXO first, GSM last) and bridged at once, so the phone hears the line's early media
   * (ringback, the provider's announcements); the phone's call is answered when the customer answers.
   */
  fromPhone(phone: Channel, agent: AgentDef, number: string): 'noLine' | null {
    const line = this.freeLine();
    if (!line) return 'noLine';
    this.h.acd.phoneBusy(agent.id);
    const req = { agentId: agent.id, number, displayName: null, ...NO_REPORT };
    const a: Attempt = { req, agent, phone, stage: 'ringingAgent', ctx: null, timer: null, result: null, fromPhone: true };
    this.byPhone.set(phone.id, a);
    const ctx = this.dialOn(a, line);
    ctx.media = new CallMedia(line);
    ctx.media.bridge(phone);
    return null;
  }

  private freeLine(): Channel | undefined {
    return this.h.outboundLines().find((l) => l.state === 'idle' && !this.h.inCall(l.id));
  }

  private dialOn(a: Attempt, line: Channel): Ctx {
    const phone = a.phone;
    const ctx = this.h.startOutbound(randomUUID(), line, a.req.number);
    ctx.call.record.queue = null;
    this.h.claimPhone(ctx, phone);
    const now = this.h.clock.now();
    const leg = ctx.call.legs.find((l) => l.channel === phone);
    if (leg) leg.record.answeredAt = iso(now);
    a.ctx = ctx;
    a.stage = 'dialling';
    this.byCall.set(ctx.call.id, a);
    this.notify(() => a.req.onDialling(ctx.call.id, line.id));
    a.timer = this.h.clock.setTimeout(() => this.endCall(a, 'noAnswer'), PREVIEW_DIAL_TIMEOUT_MS);
    line.dial(a.req.number).catch((err: unknown) => {
      this.h.log.warn({ call: ctx.call.id, line: line.id, err: String(err) }, 'dialling the follow-up customer failed');
      this.endCall(a, 'failed');
    });
    return ctx;
  }

  /** The line's outbound call was answered: bridge the agent. */
  answered(ctx: Ctx | undefined): boolean {
    const a = ctx ? this.byCall.get(ctx.call.id) : undefined;
    if (!ctx || !a) return false;
    if (a.stage !== 'dialling') return true;
    a.timer?.cancel();
    a.timer = null;
    a.stage = 'talking';
    const now = this.h.clock.now();
    ctx.call.record.answeredAt = iso(now);
    const leg = ctx.call.leg('caller');
    if (leg) leg.record.answeredAt = iso(now);
    ctx.media = new CallMedia(ctx.line);
    ctx.call.to('queued');
    ctx.call.to('connecting');
    if (a.fromPhone && a.phone.kind !== 'fxs')
      a.phone.answer().catch((err: unknown) => this.h.log.warn({ call: ctx.call.id, err: String(err) }, 'answering the phone failed'));
    this.h.connect(ctx, a.phone);
    return true;
  }

  /** FXS on hook: the agent gave up while the customer's phone rang. */
  onHook(phone: Channel): boolean {
    const a = this.byPhone.get(phone.id);
    if (a?.stage !== 'dialling') return false;
    this.endCall(a, 'agentHangup');
    return true;
  }

  /** The line dropped before the customer answered (busy, rejected). */
  lineGone(ctx: Ctx): boolean {
    const a = this.byCall.get(ctx.call.id);
    if (a?.stage !== 'dialling') return false;
    this.endCall(a, 'noAnswer');
    return true;
  }

  /** The engine finished a call: report the attempt's result. */
  ended(ctx: Ctx, talked: boolean): void {
    const a = this.byCall.get(ctx.call.id);
    if (!a) return;
    a.timer?.cancel();
    this.byCall.delete(ctx.call.id);
    this.byPhone.delete(a.phone.id);
    const result = talked ? 'answered' : (a.result ?? 'failed');
    this.notify(() => a.req.onEnd(result, ctx.call.id));
  }

  stop(): void {
    for (const a of this.byPhone.values()) a.timer?.cancel();
    this.byPhone.clear();
    this.byCall.clear();
  }

  private phoneFree(channelId: string): boolean {
    const phone = this.h.phone(channelId);
    return !!phone && phone.state === 'idle' && !this.h.inCall(channelId) && !this.byPhone.has(channelId);
  }

  /** End a call already dialling, through the engine (the CDR says notAccepted / failed). */
  private endCall(a: Attempt, result: PreviewResult): void {
    if (!a.ctx || a.result) return;
    a.result = result;
    this.h.finish(a.ctx, result === 'failed' ? 'failed' : 'notAccepted', 'dialFailed');
  }

  /** End before the customer was dialled: stop ringing / release the agent's phone; the ACD frees the agent when it is idle. */
  private endEarly(a: Attempt, result: PreviewResult): void {
    if (this.byPhone.get(a.phone.id) !== a || a.ctx) return;
    a.timer?.cancel();
    this.byPhone.delete(a.phone.id);
    a.phone.hangup().catch((err: unknown) => this.h.log.warn({ channel: a.phone.id, err: String(err) }, 'hangup failed'));
    if (a.phone.state === 'idle') this.h.acd.phoneIdle(a.agent.id);
    this.notify(() => a.req.onEnd(result, null));
  }

  private notify(fn: () => void): void {
    queueMicrotask(() => {
      try {
        fn();
      } catch (err) {
        this.h.log.error({ err: err instanceof Error ? err.stack : String(err) }, 'follow-up attempt callback failed');
      }
    });
  }
}
