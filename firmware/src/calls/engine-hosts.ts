/**
 * How the engine's collaborators reach back into it: each host (the answer path, the IVR, the
 * owner's-mobile overflow, callbacks, the preview dialler) is built here from one `EngineCore`,
 * the narrow set of engine internals they may use. engine.ts keeps the call lifecycle.
 */
import type { Logger } from 'pino';
import type { Channel } from '../../../hal/src/channel.js';
import type { Acd } from '../acd/acd.js';
import { reconfigureAcd } from '../acd/reconfigure.js';
import type { AcdPort } from '../acd/types.js';
import type { EventCatalog, EventType } from '../events/catalog.js';
import type { CallEndReason } from '../events/catalog.js';
import type { IvrTerminal } from '../ivr/ivr-session.js';
import type { CallOutcome } from '../service/types.js';
import { CallbackDesk, outboundLines } from './callbacks.js';
import { DispositionDesk } from './dispositions.js';
import { CallControl } from './call-control.js';
import { type DialOut, FeatureSession } from './feature-session.js';
import { busyTone, dialFromAnalogPhone, interDigitMs } from './phone-dial.js';
import type { FeatureAction } from './feature-codes.js';
import type { Ctx, EngineConfig, EngineOptions } from './engine-types.js';
import type { AfterIvrHost, IvrFlowHost } from './ivr-flow.js';
import type { AnswerHost } from './line-answer.js';
import type { MobileHost } from './mobile-overflow.js';
import { PreviewDial } from './preview-dial.js';
import { startRecording, stopRecording } from './recording-control.js';
import { beginSurvey } from './survey.js';
import type { CallMedia } from '../media/leg-media.js';
import { takeVoicemail, type VoicemailFlowHost } from './voicemail-flow.js';
import type { WaitingRoom } from './waiting.js';

/** The engine internals its collaborators use. */
export interface EngineCore {
  o: EngineOptions;
  acd: Acd;
  waiting: WaitingRoom;
  /** Channels by id. */
  channels: Map<string, Channel>;
  /** The call each busy channel belongs to. */
  byChannel: Map<string, Ctx>;
  save<K extends EventType>(ctx: Ctx, type: K, data: EventCatalog[K]): void;
  append<K extends EventType>(type: K, callId: string | null, data: EventCatalog[K]): void;
  finish(ctx: Ctx, outcome: CallOutcome, reason: CallEndReason): void;
  /** Run a handler; a throw is logged against the channel. */
  guard(ch: Channel, what: string, fn: () => void): void;
  track(ctx: Ctx): Ctx;
  startOutbound(id: string, line: Channel, number: string, queue: string): Ctx;
  releasePhone(ctx: Ctx, phone: Channel): void;
  offer: AcdPort['offer'];
  agentOffHook(phone: Channel): void;
  answered(ctx: Ctx): void;
  ivrDone(ctx: Ctx, result: IvrTerminal): void;
  /** An agent phone changed state (idle: wrap-up / available in the ACD). */
  phoneState(phone: Channel): void;
}

const lookupError = (log: Logger) => (ctx: Ctx, what: string, err: unknown) =>
  log.warn({ callId: ctx.call.id, lookup: what, err: String(err) }, 'lookup failed');

const language = (o: EngineOptions) => o.config.language ?? 'zh-CN';

export function answerHost(c: EngineCore): AnswerHost {
  const { o } = c;
  return {
    clock: o.clock,
    log: o.log,
    config: o.config,
    ctxOn: (id) => c.byChannel.get(id),
    track: (ctx) => c.track(ctx),
    saveCallerId: (ctx, data) => c.save(ctx, 'call.callerId', data),
    answered: (ctx) => c.guard(ctx.line, 'answered', () => c.answered(ctx)),
    failed: (ctx, err) => {
      o.log.error({ call: ctx.call.id, err: String(err) }, 'answer failed');
      c.finish(ctx, 'failed', 'answerFailed');
    },
  };
}

export function ivrHost(c: EngineCore): IvrFlowHost {
  const { o } = c;
  return {
    clock: o.clock,
    config: o.config,
    prompt: o.prompt,
    save: (ctx, type, data) => c.save(ctx, type, data),
    done: (ctx, result) => c.guard(ctx.line, 'ivr.done', () => c.ivrDone(ctx, result)),
    ...(o.lookups ? { lookups: o.lookups } : {}),
    lookupError: lookupError(o.log),
    fax: {
      clock: o.clock,
      ringCadence: o.config.ringCadence,
      phone: (id) => c.channels.get(id),
      claim: (ctx, phone) => {
        ctx.call.addLeg(phone, 'agent', o.clock.now());
        c.byChannel.set(phone.id, ctx);
      },
      save: (ctx, type, data) => c.save(ctx, type, data),
      finish: (ctx, outcome, reason) => c.finish(ctx, outcome, reason),
    },
  };
}

export function afterIvrHost(c: EngineCore, vm: VoicemailFlowHost, callback: AfterIvrHost['callback']): AfterIvrHost {
  const { o } = c;
  return {
    callback,
    config: o.config,
    acd: c.acd,
    save: (ctx, type, data) => c.save(ctx, type, data),
    finish: (ctx, outcome, reason) => c.finish(ctx, outcome, reason),
    voicemail: (ctx, box, media) => takeVoicemail(ctx, box, media, vm),
    wait: (ctx, media, queue) => c.waiting.enter(ctx.call.id, media, queue, ctx.language),
    ...(o.lookups ? { lookups: o.lookups } : {}),
    lookupError: lookupError(o.log),
  };
}

export function mobileHost(c: EngineCore): MobileHost {
  const { o } = c;
  return {
    clock: o.clock,
    log: o.log,
    config: o.config,
    acd: c.acd,
    channel: (id) => c.channels.get(id),
    free: (ch) => ch.state === 'idle' && !c.byChannel.has(ch.id),
    claim: (ctx, ch) => c.byChannel.set(ch.id, ctx),
    release: (ctx, ch) => c.releasePhone(ctx, ch),
    prompt: o.prompt,
    save: (ctx, type, data) => c.save(ctx, type, data),
    bridged: (ctx) => {
      c.waiting.leave(ctx.call.id);
      startRecording(ctx, o.recorder, o.clock.now());
    },
    ownerHungUp: (ctx) => c.finish(ctx, 'answered', 'agentHangup'),
  };
}

const lines = (c: EngineCore) => () => outboundLines(c.o.config.lines.map((l) => c.channels.get(l.channel)));

export function callbackDesk(c: EngineCore): CallbackDesk {
  const { o } = c;
  return new CallbackDesk({
    clock: o.clock,
    log: o.log,
    acd: c.acd,
    store: o.callbackStore,
    config: o.config,
    outboundLines: lines(c),
    prompt: (name) => o.prompt(name, language(o)),
    startOutbound: (id, line, number, queue) => c.startOutbound(id, line, number, queue),
    save: (ctx, type, data) => c.save(ctx, type, data),
    append: (type, callId, data) => c.append(type, callId, data),
    finish: (ctx, outcome, reason) => c.guard(ctx.line, 'callback', () => c.finish(ctx, outcome, reason)),
    ringAgent: (ctx, agent, queue) => c.offer(ctx.call.id, agent, queue),
  });
}

export function previewDial(c: EngineCore): PreviewDial {
  const { o } = c;
  return new PreviewDial({
    clock: o.clock,
    log: o.log,
    acd: c.acd,
    config: o.config,
    phone: (id) => c.channels.get(id),
    inCall: (id) => c.byChannel.has(id),
    outboundLines: lines(c),
    startOutbound: (id, line, number) => c.startOutbound(id, line, number, ''),
    claimPhone: (ctx, phone) => {
      ctx.call.addLeg(phone, 'agent', o.clock.now());
      c.byChannel.set(phone.id, ctx);
    },
    connect: (_ctx, phone) => c.agentOffHook(phone),
    finish: (ctx, outcome, reason) => c.guard(ctx.line, 'preview', () => c.finish(ctx, outcome, reason)),
  });
}

/** The agent is done; the caller stays on the line for the CSAT survey. */
export function startSurvey(c: EngineCore, ctx: Ctx, phone: Channel, media: CallMedia): void {
  const { o } = c;
  c.acd.completed(ctx.callback?.id ?? ctx.call.id, 'agent');
  stopRecording(ctx, o.clock.now());
  media.unbridge();
  c.releasePhone(ctx, phone);
  c.phoneState(phone);
  beginSurvey(ctx, media, {
    clock: o.clock,
    prompt: (name) => o.prompt(name, ctx.language),
    save: (cx, type, data) => c.save(cx, type, data),
    done: () => c.guard(ctx.line, 'survey.done', () => c.finish(ctx, 'answered', 'agentHangup')),
  });
}

/**
 * A live config change: the engine's config object is updated in place (every host reads it), so
 * the next call uses the new lines, menus, hours, queues and agents; a call in progress keeps the
 * menus it started with (its IVR session holds the old menus object).
 */
export function reconfigure(current: EngineConfig, next: EngineConfig, acd: Acd): void {
  const cur = current as unknown as Record<string, unknown>;
  for (const k of Object.keys(cur)) if (!(k in next)) delete cur[k];
  Object.assign(cur, next);
  reconfigureAcd(acd, next);
}

/** Call results (dispositions.ts): live calls through the journal, others through the store. */
export function dispositionDesk(c: EngineCore, active: (id: string) => Ctx | undefined): DispositionDesk {
  const { o } = c;
  const desk = new DispositionDesk({
    now: () => o.clock.now(),
    list: () => o.config.dispositions,
    active,
    save: (ctx, data) => c.save(ctx, 'call.disposition', data),
    sink: o.dispositionStore ?? {
      getCall: () => null,
      setDisposition: () => {
        throw new Error('no disposition store');
      },
    },
    settled: (agent) => c.acd.wrapUps.settle(agent),
    prompt: (name) => o.prompt(name, language(o)),
    log: o.log,
  });
  c.acd.wrapUps.onTimeout = (agent) => desk.timeout(agent);
  return desk;
}

/** Call control (hold, transfers, park): `dropFeature` ends a phone's feature-code session without applying it. */
export function callControl(c: EngineCore, dropFeature: (phone: Channel) => void): CallControl {
  return new CallControl(c, ivrHost(c), dropFeature);
}

/** Agent `agent` lifted an idle phone: dial tone, then a feature code; `*4N` sets a call result, `*8N` picks up a parked call at once. */
export function featureSession(
  c: EngineCore,
  phone: Channel,
  desk: DispositionDesk,
  agent: string,
  control: CallControl,
  /** Dial-out from an analog phone goes through the preview dialler's agent-first path. */
  preview: PreviewDial,
  /** Other codes taken at once (`*5/*6/*9<ext>`, rooms.ts). */
  more?: { featureCode(phone: Channel, agent: string, a: FeatureAction): boolean },
): FeatureSession {
  const { o } = c;
  return new FeatureSession(
    phone,
    o.clock,
    o.dialTone(),
    (name) => o.prompt(name, language(o)),
    (a) =>
      a.kind === 'disposition'
        ? desk.fromPhone(agent, a.code)
        : a.kind === 'pickup'
          ? control.pickupOnPhone(phone, a.slot)
          : (more?.featureCode(phone, agent, a) ?? false),
    analogDialOut(c, phone, desk, agent, preview),
  );
}

/** A number or an extension dialled on the idle analog phone (phone-dial.ts); SIP phones dial with their own INVITE. */
function analogDialOut(c: EngineCore, phone: Channel, desk: DispositionDesk, agent: string, preview: PreviewDial): DialOut | undefined {
  if (phone.kind !== 'fxs') return undefined;
  return {
    interDigitMs: interDigitMs(c.o.config.dialPlan),
    dial: (digits) => {
      const why = dialFromAnalogPhone(c, preview, phone, agent, digits);
      if (why) c.o.log.info({ channel: phone.id, agent, why }, 'call from an analog phone refused: busy tone');
      return why === null;
    },
    busyTone: () => busyTone(c),
    key: (d) => {
      const ctx = c.byChannel.get(phone.id);
      if (ctx?.call.state === 'talking') desk.agentKey(ctx, d);
    },
  };
}
