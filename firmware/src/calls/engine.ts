/**
 * The call engine: turns channel events into calls. An inbound ring on a line creates a call; the
 * box answers after the configured rings (waiting briefly for caller ID), runs the line's IVR,
 * queues the caller with the ACD, rings the chosen agent's phone, bridges the two legs, and ends
 * the call when either side hangs up. Every state change is saved with its event in one
 * transaction through the CallStore.
 */
import { randomUUID } from 'node:crypto';
import type { Channel, ChannelEvents } from '../../../hal/src/channel.js';
import { TypedEmitter } from '../../../hal/src/events.js';
import { Acd } from '../acd/acd.js';
import type { AcdPort, AgentDef, QueueDef } from '../acd/types.js';
import type { EventCatalog, EventType } from '../events/catalog.js';
import type { IvrTerminal } from '../ivr/ivr-session.js';
import { startIvr } from './ivr-flow.js';
import type { Ctx, EngineEvents, EngineOptions } from './engine-types.js';
import { CallMedia } from '../media/leg-media.js';
import { FeatureSession, applyFeatureAction } from './feature-session.js';
import { recordingKey, startRecording, stopRecording } from './recording-control.js';
import { runSurvey } from './survey.js';
import { WaitingRoom } from './waiting.js';
import type { CallEndReason } from '../events/catalog.js';
import type { CallOutcome } from '../service/types.js';
import { CallJournal } from './journal.js';
import { Call, iso } from './call.js';

/** How long to wait for caller ID after the answering ring before answering without it. */
export const CALLER_ID_WAIT_MS = 2500;

export class CallEngine implements AcdPort {
  readonly events = new TypedEmitter<EngineEvents>();
  readonly acd: Acd;
  private readonly waiting: WaitingRoom;
  private readonly journal: CallJournal;
  /** Agents dialling a feature code on an idle analog phone, by channel. */
  private readonly features = new Map<string, FeatureSession>();
  private readonly active = new Map<string, Ctx>();
  private readonly byChannel = new Map<string, Ctx>();
  private readonly channels = new Map<string, Channel>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly o: EngineOptions) {
    this.acd = new Acd({
      queues: o.config.queues,
      agents: o.config.agents,
      clock: o.clock,
      port: this,
      ...(o.config.pauseReasons ? { pauseReasons: o.config.pauseReasons } : {}),
      ...(o.config.timezone ? { timezone: o.config.timezone } : {}),
    });
    this.journal = new CallJournal(o.store, o.clock, o.log, this.events);
    this.waiting = new WaitingRoom({
      clock: o.clock,
      acd: this.acd,
      holdMusic: o.holdMusic,
      ringback: o.ringback,
      prompt: o.prompt,
    });
    this.attach(o.channels);
  }

  /** Add channels (a driver's, once it has started). Call before start(). */
  attach(channels: Channel[]): void {
    for (const ch of channels) this.channels.set(ch.id, ch);
  }

  start(): void {
    for (const ch of this.channels.values()) {
      const on = <K extends keyof ChannelEvents>(ev: K, fn: (p: ChannelEvents[K]) => void) =>
        this.unsubscribe.push(ch.events.on(ev, (p) => this.guard(ch, String(ev), () => fn(p))));
      if (ch.kind === 'fxs') {
        on('offHook', () => this.agentOffHook(ch));
        on('onHook', () => this.agentOnHook(ch));
        on('digit', (d) => {
          const session = this.features.get(ch.id);
          if (session) session.digit(d.digit);
          else {
            const ctx = this.byChannel.get(ch.id);
            if (ctx?.call.state === 'talking') recordingKey(ctx, d.digit);
          }
        });
        on('state', (s) => this.agentPhoneState(ch, s.state));
      } else {
        on('ring', (r) => this.lineRing(ch, r.count));
        on('callerId', (c) => this.lineCallerId(ch, c.number, c.name ?? null));
        on('ringStopped', () => this.lineGone(ch));
        on('hangup', () => this.lineGone(ch));
        on('digit', (d) => this.byChannel.get(ch.id)?.ivr?.digit(d.digit));
      }
    }
    this.acd.agents.seedCounters(this.o.store.agentCounters(this.acd.agents.startOfToday()));
    this.acd.seedHandleTimes(this.o.store.queueHandleTimes());
    this.acd.start();
  }

  /** End every call (shutdown): lines on hook, calls saved as failed. */
  async stop(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    for (const ctx of [...this.active.values()]) this.finish(ctx, 'failed', 'shutdown');
    this.waiting.stop();
    this.acd.stop();
  }

  activeCount(): number {
    return this.active.size;
  }

  /** The id of the call a channel is part of, if any. */
  callIdOn(channelId: string): string | undefined {
    return this.byChannel.get(channelId)?.call.id;
  }

  // ---- lines ----

  private lineRing(ch: Channel, count: number): void {
    let ctx = this.byChannel.get(ch.id);
    const line = this.o.config.lines.find((l) => l.channel === ch.id);
    if (!ctx) {
      if (!line) {
        this.o.log.warn({ channel: ch.id }, 'ring on a channel with no line configured: ignored');
        return;
      }
      const call = new Call(randomUUID(), 'inbound', this.o.clock.now());
      call.addLeg(ch, 'caller', this.o.clock.now());
      ctx = {
        call,
        line: ch,
        media: null,
        ivr: null,
        answerTimer: null,
        answering: false,
        language: this.o.config.language ?? 'zh-CN',
        recording: null,
        agentDigits: '',
      };
      this.active.set(call.id, ctx);
      this.byChannel.set(ch.id, ctx);
      this.save(ctx, 'call.ringing', { channel: ch.id, kind: ch.kind });
    }
    if (ctx.call.state !== 'ringing' || ctx.answerTimer || ctx.answering) return;
    if (line && count >= line.answerAfterRings) {
      const c = ctx;
      if (c.call.record.callerId !== null) this.answer(c);
      else c.answerTimer = this.o.clock.setTimeout(() => this.answer(c), CALLER_ID_WAIT_MS);
    }
  }

  private lineCallerId(ch: Channel, number: string | null, name: string | null): void {
    const ctx = this.byChannel.get(ch.id);
    if (!ctx || ctx.line !== ch) return;
    ctx.call.record.callerId = number;
    ctx.call.record.callerName = name;
    this.save(ctx, 'call.callerId', { number, name });
    if (ctx.answerTimer) this.answer(ctx);
  }

  private answer(ctx: Ctx): void {
    ctx.answerTimer?.cancel();
    ctx.answerTimer = null;
    if (ctx.call.state !== 'ringing' || ctx.answering) return;
    ctx.answering = true;
    ctx.line.answer().then(
      () => this.guard(ctx.line, 'answered', () => this.answered(ctx)),
      (err: unknown) => {
        this.o.log.error({ call: ctx.call.id, err: String(err) }, 'answer failed');
        this.finish(ctx, 'failed', 'answerFailed');
      },
    );
  }

  private answered(ctx: Ctx): void {
    if (ctx.call.ended) return;
    const now = this.o.clock.now();
    ctx.call.record.answeredAt = iso(now);
    const leg = ctx.call.leg('caller');
    if (leg) leg.record.answeredAt = iso(now);
    ctx.media = new CallMedia(ctx.line);
    const lineDef = this.o.config.lines.find((l) => l.channel === ctx.line.id);
    ctx.call.to('ivr');
    this.save(ctx, 'call.answered', { channel: ctx.line.id });
    startIvr(ctx, ctx.media, lineDef?.ivr ?? 'main', {
      clock: this.o.clock,
      config: this.o.config,
      prompt: this.o.prompt,
      save: (c, type, data) => this.save(c, type, data),
      done: (c, result) => this.guard(c.line, 'ivr.done', () => this.ivrDone(c, result)),
    });
  }

  private ivrDone(ctx: Ctx, result: IvrTerminal): void {
    if (ctx.call.ended) return;
    const menu = ctx.ivr?.currentMenu ?? '';
    ctx.ivr = null;
    const target = result.action === 'queue' ? result.queue : result.action === 'extension' ? result.agent : null;
    this.save(ctx, 'ivr.done', { menu, action: result.action, target, reason: result.reason });
    if (result.action === 'hangup') {
      this.finish(ctx, 'ivrHangup', 'ivrHangup');
      return;
    }
    ctx.call.to('queued');
    if (ctx.media) {
      const queue = result.action === 'queue' ? this.o.config.queues.find((q) => q.id === result.queue) : undefined;
      this.waiting.enter(ctx.call.id, ctx.media, queue ?? null, ctx.language);
    }
    if (result.action === 'queue') {
      ctx.call.record.queue = result.queue;
      this.acd.enqueue(ctx.call.id, result.queue, result.priority ?? 0);
    } else {
      this.acd.enqueueDirect(ctx.call.id, result.agent);
    }
  }

  /** The caller's side is gone: hung up, stopped ringing, or the line dropped. */
  private lineGone(ch: Channel): void {
    const ctx = this.byChannel.get(ch.id);
    if (!ctx || ctx.line !== ch) return;
    const s = ctx.call.state;
    if (s === 'ringing') this.finish(ctx, 'missed', 'callerGaveUp');
    else if (s === 'talking' || s === 'survey') this.finish(ctx, 'answered', 'callerHangup');
    else this.finish(ctx, 'abandoned', 'callerHangup');
  }

  // ---- agents (AcdPort + FXS events) ----

  offer(callId: string, agent: AgentDef, queue: QueueDef): boolean {
    const ctx = this.active.get(callId);
    const phone = this.channels.get(agent.extension);
    if (!ctx || !phone || phone.state !== 'idle' || this.byChannel.has(phone.id)) return false;
    ctx.call.addLeg(phone, 'agent', this.o.clock.now());
    this.byChannel.set(phone.id, ctx);
    if (ctx.call.state === 'queued') ctx.call.to('connecting');
    this.save(ctx, 'queue.offer', { queue: queue.id, agent: agent.id, channel: phone.id });
    const { callerId, callerName } = ctx.call.record;
    phone
      .ring({ cadence: { pattern: this.o.config.ringCadence }, callerId: { number: callerId, name: callerName } })
      .catch((err: unknown) => {
        this.o.log.warn({ call: callId, agent: agent.id, err: String(err) }, 'ringing the agent failed');
      });
    return true;
  }

  withdraw(callId: string, agent: AgentDef): void {
    const ctx = this.active.get(callId);
    const phone = this.channels.get(agent.extension);
    if (!ctx || !phone || this.byChannel.get(phone.id) !== ctx) return;
    this.releasePhone(ctx, phone);
    if (ctx.call.state === 'connecting' && !ctx.call.leg('agent')) ctx.call.to('queued');
  }

  expire(callId: string, _queueId: string): void {
    const ctx = this.active.get(callId);
    if (ctx) this.finish(ctx, 'noAgent', 'queueTimeout');
  }

  record<K extends EventType>(type: K, callId: string | null, data: EventCatalog[K]): void {
    const ctx = callId ? this.active.get(callId) : undefined;
    if (type === 'queue.enter' && ctx) ctx.call.record.queue = (data as EventCatalog['queue.enter']).queue;
    if (ctx) this.save(ctx, type, data);
    else this.journal.append(type, callId, data);
  }

  private agentOffHook(phone: Channel): void {
    const agent = this.acd.agentByExtension(phone.id);
    const ctx = this.byChannel.get(phone.id);
    if (ctx?.call.state !== 'connecting') {
      if (!agent) return;
      this.acd.phoneBusy(agent.id);
      if (!ctx) {
        const region = this.o.dialTone();
        this.features.set(
          phone.id,
          new FeatureSession(phone, this.o.clock, region, (name) => this.o.prompt(name, this.o.config.language ?? 'zh-CN')),
        );
      }
      return;
    }
    const now = this.o.clock.now();
    const leg = ctx.call.legs.find((l) => l.channel === phone && l.record.endedAt === null);
    if (leg) leg.record.answeredAt = iso(now);
    ctx.call.to('talking');
    ctx.call.record.agent = agent?.id ?? phone.id;
    this.waiting.leave(ctx.call.id);
    ctx.media?.bridge(phone);
    startRecording(ctx, this.o.recorder, now);
    if (agent) this.acd.answered(ctx.call.id, agent.id);
  }

  /** Pause or resume the recording of a live call (API). False when the call has no recording. */
  setRecordingPaused(callId: string, paused: boolean): boolean {
    const rec = this.active.get(callId)?.recording;
    if (!rec) return false;
    if (paused) rec.pause('api');
    else rec.resume();
    return true;
  }

  private agentOnHook(phone: Channel): void {
    this.endFeatureSession(phone);
    const ctx = this.byChannel.get(phone.id);
    if (ctx?.call.state !== 'talking') return;
    const queue = this.o.config.queues.find((q) => q.id === ctx.call.record.queue);
    if (queue?.survey && ctx.media) this.startSurvey(ctx, phone, ctx.media);
    else this.finish(ctx, 'answered', 'agentHangup');
  }

  /** The agent is done; the caller stays on the line for the CSAT survey. */
  private startSurvey(ctx: Ctx, phone: Channel, media: CallMedia): void {
    this.acd.completed(ctx.call.id, 'agent');
    stopRecording(ctx, this.o.clock.now());
    media.unbridge();
    this.releasePhone(ctx, phone);
    ctx.call.to('survey');
    this.agentPhoneState(phone, phone.state);
    const { queue, agent } = ctx.call.record;
    this.save(ctx, 'survey.start', { queue, agent });
    ctx.ivr = runSurvey(this.o.clock, media, {
      prompt: (name) => this.o.prompt(name, ctx.language),
      result: (score) => {
        if (score === null) this.save(ctx, 'survey.noAnswer', { queue, agent });
        else this.save(ctx, 'survey.score', { queue, agent, score });
      },
      done: () => this.guard(ctx.line, 'survey.done', () => this.finish(ctx, 'answered', 'agentHangup')),
    });
  }

  private agentPhoneState(phone: Channel, state: string): void {
    if (state !== 'idle') return;
    const agent = this.acd.agentByExtension(phone.id);
    if (!agent) return;
    if (this.byChannel.has(phone.id)) return; // still part of a call; released by the call's end
    this.endFeatureSession(phone);
    this.acd.phoneIdle(agent.id);
  }

  /** The handset went down after dialling a feature code: apply it (before the phone counts as idle). */
  private endFeatureSession(phone: Channel): void {
    const session = this.features.get(phone.id);
    const agent = this.acd.agentByExtension(phone.id);
    if (!session || !agent) return;
    this.features.delete(phone.id);
    const action = session.end();
    if (!action) {
      if (session.digits) this.o.log.info({ agent: agent.id, dialled: session.digits }, 'unknown feature code');
      return;
    }
    applyFeatureAction(this.acd, agent.id, action, this.o.log);
  }

  // ---- common ----

  private releasePhone(ctx: Ctx, phone: Channel): void {
    this.byChannel.delete(phone.id);
    const leg = ctx.call.legs.find((l) => l.channel === phone && l.record.endedAt === null);
    if (leg) leg.record.endedAt = iso(this.o.clock.now());
    phone.hangup().catch((err: unknown) => this.o.log.warn({ channel: phone.id, err: String(err) }, 'hangup failed'));
  }

  private finish(ctx: Ctx, outcome: CallOutcome, reason: CallEndReason): void {
    if (ctx.call.ended) return;
    ctx.answerTimer?.cancel();
    ctx.ivr?.stop();
    this.waiting.leave(ctx.call.id);
    stopRecording(ctx, this.o.clock.now());
    ctx.media?.detach();
    if (ctx.call.state === 'talking') {
      this.acd.completed(ctx.call.id, reason === 'agentHangup' ? 'agent' : reason === 'callerHangup' ? 'caller' : 'system');
    } else {
      this.acd.leave(ctx.call.id);
    }
    const now = this.o.clock.now();
    const agentPhones: Channel[] = [];
    for (const leg of ctx.call.legs) {
      if (leg.record.endedAt !== null) continue;
      if (this.byChannel.get(leg.channel.id) === ctx) this.byChannel.delete(leg.channel.id);
      leg.record.endedAt = iso(now);
      if (leg.channel.state !== 'idle') {
        leg.channel.hangup().catch((err: unknown) => this.o.log.warn({ channel: leg.channel.id, err: String(err) }, 'hangup failed'));
      }
      if (leg.record.role === 'agent') agentPhones.push(leg.channel);
    }
    ctx.call.end(outcome, now);
    this.active.delete(ctx.call.id);
    this.save(ctx, 'call.ended', { outcome, reason, durationMs: now - Date.parse(ctx.call.record.startedAt) });
    // after call.ended: an agent whose phone is already down goes to wrap-up now
    for (const phone of agentPhones) this.agentPhoneState(phone, phone.state);
  }

  private save<K extends EventType>(ctx: Ctx, type: K, data: EventCatalog[K]): void {
    this.journal.saveCall(ctx.call.record, type, data);
  }

  /** Run a handler; a throw is logged against the channel and never escapes into the driver. */
  private guard(ch: Channel, what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.o.log.error({ channel: ch.id, what, err: err instanceof Error ? err.stack : String(err) }, 'call engine handler failed');
    }
  }
}
