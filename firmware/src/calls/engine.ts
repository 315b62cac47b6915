/**
 * The call engine: channel events in, calls out. Lines ring → the box answers → IVR → ACD queue →
 * agent phone → bridged (recorded) → ended; callbacks, voicemail, surveys and feature codes hang
 * off the same path. Every change is saved with its event through the journal.
 */
import type { Channel } from '../../../hal/src/channel.js';
import { TypedEmitter } from '../../../hal/src/events.js';
import { Acd } from '../acd/acd.js';
import type { AcdPort, AgentDef, QueueDef } from '../acd/types.js';
import type { CallEndReason, EventCatalog, EventType } from '../events/catalog.js';
import type { IvrTerminal } from '../ivr/ivr-session.js';
import { type AfterIvrHost, afterIvr, type IvrFlowHost, startIvr } from './ivr-flow.js';
import { afterIvrHost, answerHost, callbackDesk, callControl, type EngineCore, ivrHost, mobileHost, previewDial } from './engine-hosts.js';
import { dispositionDesk, featureSession, startSurvey } from './engine-hosts.js';
import type { Ctx, EngineEvents, EngineOptions } from './engine-types.js';
import { CallMedia } from '../media/leg-media.js';
import { endFeatureSession, type FeatureSession } from './feature-session.js';
import { startRecording, stopRecording } from './recording-control.js';
import { takeVoicemail, type VoicemailFlowHost } from './voicemail-flow.js';
import type { AnswerHost } from './line-answer.js';
import { subscribeChannels } from './channel-events.js';
import { newCtx } from './context.js';
import type { CallbackDesk } from './callbacks.js';
import { WaitingRoom } from './waiting.js';
import type { CallOutcome } from '../service/types.js';
import { CallJournal } from './journal.js';
import { Call, iso } from './call.js';
import type { PortOverflowRule } from '../acd/overflow.js';
import { dialMobile, type MobileHost, mobileEnded } from './mobile-overflow.js';
import { resumeWithoutIvr } from './resume-flow.js';
import type { PreviewDial } from './preview-dial.js';
import { watchPhoneCalls } from './phone-calls.js';
import { CallRooms } from './rooms.js';

export class CallEngine implements AcdPort {
  readonly events = new TypedEmitter<EngineEvents>();
  readonly acd: Acd;
  /** Agent-first outbound calls (follow-up lists): see preview-dial.ts. */
  readonly preview: PreviewDial;
  readonly dispositions: ReturnType<typeof dispositionDesk>; // call results (通话小结): dispositions.ts
  readonly control: ReturnType<typeof callControl>; // hold, transfers, park, pickup: call-control.ts
  readonly rooms: CallRooms; // conferences and supervisor listen / whisper / barge: rooms.ts
  private readonly waiting: WaitingRoom;
  private readonly journal: CallJournal;
  private readonly callbacks: CallbackDesk;
  private readonly answering: AnswerHost;
  private readonly vmHost: VoicemailFlowHost;
  private readonly mobile: MobileHost;
  private readonly core: EngineCore;
  private readonly ivrHost: IvrFlowHost;
  private readonly afterIvrHost: AfterIvrHost;
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
      callerOf: (id) => this.active.get(id)?.call.record.callerId ?? null,
    });
    this.journal = new CallJournal(o.store, o.clock, o.log, this.events);
    this.waiting = new WaitingRoom({
      clock: o.clock,
      acd: this.acd,
      holdMusic: o.holdMusic,
      ringback: o.ringback,
      prompt: o.prompt,
    });
    const core: EngineCore = {
      o,
      acd: this.acd,
      waiting: this.waiting,
      channels: this.channels,
      byChannel: this.byChannel,
      save: (ctx, type, data) => this.save(ctx, type, data),
      append: (type, callId, data) => this.journal.append(type, callId, data),
      finish: (ctx, outcome, reason) => this.finish(ctx, outcome, reason),
      guard: (ch, what, fn) => this.guard(ch, what, fn),
      track: (ctx) => this.track(ctx),
      startOutbound: (id, line, number, queue) => this.startOutbound(id, line, number, queue),
      releasePhone: (ctx, phone) => this.releasePhone(ctx, phone),
      offer: (callId, agent, queue) => this.offer(callId, agent, queue),
      agentOffHook: (phone) => this.agentOffHook(phone),
      answered: (ctx) => this.answered(ctx),
      ivrDone: (ctx, result) => this.ivrDone(ctx, result),
      phoneState: (phone) => this.agentPhoneState(phone, phone.state),
    };
    this.core = core;
    this.answering = answerHost(core);
    this.mobile = mobileHost(core);
    this.vmHost = { voicemail: o.voicemail, finish: (ctx, outcome, reason) => this.finish(ctx, outcome, reason) };
    this.ivrHost = ivrHost(core);
    this.afterIvrHost = afterIvrHost(core, this.vmHost, (ctx, queue, media) => this.callbacks.request(ctx, queue, media));
    this.callbacks = callbackDesk(core);
    this.preview = previewDial(core);
    this.dispositions = dispositionDesk(core, (id) => this.active.get(id));
    this.control = callControl(core, (phone) => this.features.get(phone.id)?.end() && this.features.delete(phone.id));
    this.rooms = new CallRooms(core, (id) => this.active.get(id), this.control);
    this.attach(o.channels);
  }

  attach(channels: Channel[]): void {
    for (const ch of channels) this.channels.set(ch.id, ch);
  }

  start(): void {
    this.unsubscribe.push(
      ...subscribeChannels(this.channels.values(), {
        core: this.core,
        answering: this.answering,
        mobile: this.mobile,
        rooms: this.rooms,
        preview: this.preview,
        callbacks: this.callbacks,
        phone: {
          offHook: (ch) => this.agentOffHook(ch),
          onHook: (ch) => this.agentOnHook(ch),
          digit: (ch, d) => this.phoneDigit(ch, d),
          state: (ch, st) => this.agentPhoneState(ch, st),
        },
        toVoicemail: (ctx, box) => this.toVoicemail(ctx, box),
      }),
    );
    this.unsubscribe.push(...watchPhoneCalls(this.core, this.preview), ...this.control.watch()); // dial-out, REFER, flash, hold
    this.acd.agents.seedCounters(this.o.store.agentCounters(this.acd.agents.startOfToday()));
    this.acd.seedHandleTimes(this.o.store.queueHandleTimes());
    this.acd.start();
    this.callbacks.restore();
  }

  /** End every call (shutdown): lines on hook, calls saved as failed. */
  async stop(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    for (const ctx of [...this.active.values()]) this.finish(ctx, 'failed', 'shutdown');
    this.waiting.stop();
    this.callbacks.stop();
    this.preview.stop();
    this.acd.stop();
  }

  activeCount(): number {
    return this.active.size;
  }

  callIdOn(channelId: string): string | undefined {
    return this.byChannel.get(channelId)?.call.id;
  }

  live = (callId: string): Ctx | undefined => this.active.get(callId); // a live call's state (call control, recording pause)

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
    if (resumeWithoutIvr(ctx, this.acd, this.o.config, this.o.clock.now(), (c, m, q) => this.waiting.enter(c.call.id, m, q, c.language)))
      return;
    startIvr(ctx, ctx.media, lineDef?.ivr ?? 'main', this.ivrHost);
  }

  private ivrDone(ctx: Ctx, result: IvrTerminal): void {
    ctx.stopFaxWatch?.();
    afterIvr(ctx, result, this.afterIvrHost);
  }

  /** A key from an agent's phone: a feature code being dialled, or *1/*2 during a call. */
  private phoneDigit(phone: Channel, digit: string): void {
    const session = this.features.get(phone.id);
    const ctx = this.byChannel.get(phone.id);
    if (this.rooms.digit(phone, digit) || this.control.digit(phone, digit)) return;
    if (session) session.digit(digit);
    else if (ctx?.call.state === 'talking') this.dispositions.agentKey(ctx, digit);
  }

  private startOutbound(id: string, line: Channel, number: string, queue: string): Ctx {
    const now = this.o.clock.now();
    const call = new Call(id, 'outbound', now);
    call.addLeg(line, 'caller', now);
    call.record.callerId = number;
    call.record.queue = queue;
    const ctx = newCtx(call, line, this.o.config.language ?? 'zh-CN');
    ctx.answering = true;
    return this.track(ctx);
  }

  private track(ctx: Ctx): Ctx {
    this.active.set(ctx.call.id, ctx);
    this.byChannel.set(ctx.line.id, ctx);
    this.save(ctx, 'call.ringing', { channel: ctx.line.id, kind: ctx.line.kind, ...(ctx.line.phone ? { phone: true as const } : {}) });
    return ctx;
  }

  // ---- agents (AcdPort + FXS events) ----

  offer(callId: string, agent: AgentDef, queue: QueueDef): boolean {
    const ctx = this.ctxOf(callId);
    if (!ctx && this.callbacks.isPending(callId)) return this.callbacks.offer(callId, agent, queue);
    if (ctx?.callback && !ctx.callback.accepted) return this.callbacks.reserve(ctx, agent);
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
    const ctx = this.ctxOf(callId);
    const phone = this.channels.get(agent.extension);
    if (!ctx || !phone || this.byChannel.get(phone.id) !== ctx) return;
    this.releasePhone(ctx, phone);
    if (ctx.call.state === 'connecting' && !ctx.call.leg('agent')) ctx.call.to('queued');
  }

  expire(callId: string, queueId: string): void {
    const ctx = this.active.get(callId);
    const vm = this.o.config.queues.find((q) => q.id === queueId)?.voicemail;
    if (ctx && vm?.onTimeout && ctx.media) this.toVoicemail(ctx, vm.box);
    else if (ctx) this.finish(ctx, 'noAgent', 'queueTimeout');
  }

  overflow(callId: string, queue: QueueDef, rule: PortOverflowRule): boolean {
    const ctx = this.active.get(callId);
    if (!ctx) return false;
    if (rule.action === 'mobile') return dialMobile(ctx, queue, rule.number, rule.ringS, this.mobile);
    if (rule.action === 'callback') return this.callbacks.overflow(ctx, queue.id);
    const box = rule.box ?? queue.voicemail?.box;
    if (!box || !ctx.media || !this.o.voicemail) return false;
    this.toVoicemail(ctx, box);
    return true;
  }

  /** A call by the ACD's id: a live call, or the attempt in progress of a callback (the ACD knows it by the request's id). */
  private ctxOf(id: string): Ctx | undefined {
    return this.active.get(id) ?? this.callbacks.live(id);
  }

  private toVoicemail(ctx: Ctx, box: string): void {
    this.waiting.leave(ctx.call.id);
    if (ctx.media) takeVoicemail(ctx, box, ctx.media, this.vmHost);
  }

  record<K extends EventType>(type: K, callId: string | null, data: EventCatalog[K]): void {
    const ctx = callId ? this.ctxOf(callId) : undefined;
    if (type === 'queue.enter' && ctx) ({ queue: ctx.call.record.queue, priority: ctx.priority } = data as EventCatalog['queue.enter']);
    if (ctx) this.save(ctx, type, data);
    else this.journal.append(type, callId, data);
  }

  private agentOffHook(phone: Channel): void {
    if (this.preview.offHook(phone) || this.control.offHook(phone) || this.rooms.joined(phone)) return;
    const agent = this.acd.agentByExtension(phone.id);
    const ctx = this.byChannel.get(phone.id);
    if (ctx?.call.state !== 'connecting') {
      if (!agent) return;
      this.acd.phoneBusy(agent.id);
      if (!ctx)
        this.features.set(phone.id, featureSession(this.core, phone, this.dispositions, agent.id, this.control, this.preview, this.rooms));
      return;
    }
    const now = this.o.clock.now();
    const leg = ctx.call.legs.find((l) => l.channel === phone && l.record.endedAt === null);
    if (leg) leg.record.answeredAt = iso(now);
    ctx.call.to('talking');
    ctx.call.record.agent = agent?.id ?? phone.id;
    if (agent) this.dispositions.answered(agent.id, ctx.call.id);
    this.waiting.leave(ctx.call.id);
    ctx.media?.bridge(phone);
    startRecording(ctx, this.o.recorder, now);
    // not through a queue (a fax port): the bridge is its own event
    if (!agent || !this.acd.answered(ctx.callback?.id ?? ctx.call.id, agent.id)) this.save(ctx, 'call.bridged', { channel: phone.id });
  }

  private agentOnHook(phone: Channel): void {
    this.endFeatureSession(phone);
    if (this.control.onHook(phone) || this.rooms.onHook(phone)) return;
    const ctx = this.byChannel.get(phone.id);
    if (this.preview.onHook(phone) || ctx?.call.state !== 'talking') return;
    const queue = this.o.config.queues.find((q) => q.id === ctx.call.record.queue);
    if (queue?.survey && ctx.media) startSurvey(this.core, ctx, phone, ctx.media);
    else this.finish(ctx, 'answered', 'agentHangup');
  }

  private agentPhoneState(phone: Channel, state: string): void {
    if (state !== 'idle') return;
    const agent = this.acd.agentByExtension(phone.id);
    if (!agent) return;
    if (this.byChannel.has(phone.id)) return; // still part of a call; released by the call's end
    this.endFeatureSession(phone);
    this.acd.phoneIdle(agent.id);
  }

  private endFeatureSession(phone: Channel): void {
    endFeatureSession(phone, this.features, this.acd, this.o.log);
  }

  private releasePhone(ctx: Ctx, phone: Channel): void {
    this.byChannel.delete(phone.id);
    const leg = ctx.call.legs.find((l) => l.channel === phone && l.record.endedAt === null);
    if (leg) leg.record.endedAt = iso(this.o.clock.now());
    phone.hangup().catch((err: unknown) => this.o.log.warn({ channel: phone.id, err: String(err) }, 'hangup failed'));
  }

  private finish(ctx: Ctx, outcome: CallOutcome, reason: CallEndReason): void {
    if (ctx.call.ended) return;
    this.control.ending(ctx);
    this.rooms.ending(ctx);
    ctx.answerTimer?.cancel();
    ctx.ivr?.stop();
    ctx.stopFaxWatch?.();
    ctx.voicemail?.callerGone();
    this.waiting.leave(ctx.call.id);
    stopRecording(ctx, this.o.clock.now());
    ctx.media?.detach();
    const talked = ctx.call.state === 'talking';
    const by = reason === 'agentHangup' ? 'agent' : reason === 'callerHangup' ? 'caller' : 'system';
    if (talked) this.acd.completed(ctx.callback?.id ?? ctx.call.id, by);
    else if (!ctx.callback) this.acd.leave(ctx.call.id);
    mobileEnded(ctx, by, this.mobile);
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
    this.callbacks.ended(ctx, outcome, talked || ctx.call.record.agent !== null);
    this.preview.ended(ctx, talked);
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
