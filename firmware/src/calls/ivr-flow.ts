/**
 * Starting a caller's IVR once the box has answered: the session wired to the call's audio and
 * records (keys and menus are events), and the business-hours decision (outside hours the call
 * takes the after-hours action instead of the line's menu).
 */
import type { Clock } from '../../../hal/src/clock.js';
import type { EventCatalog, EventType } from '../events/catalog.js';
import { isOpen } from '../ivr/hours.js';
import { type IvrAction, IvrSession, type IvrTerminal } from '../ivr/ivr-session.js';
import type { Acd } from '../acd/acd.js';
import type { QueueDef } from '../acd/types.js';
import type { CallMedia } from '../media/leg-media.js';
import type { CallOutcome } from '../service/types.js';
import { type FaxHost, routeToFax, watchForFax } from './fax.js';
import type { Ctx, EngineConfig, Language } from './engine-types.js';
import { answerLookup, type CallLookups, entryPriority } from './lookups.js';

export interface IvrFlowHost {
  clock: Clock;
  config: EngineConfig;
  prompt(name: string, language: Language): Int16Array;
  save<K extends EventType>(ctx: Ctx, type: K, data: EventCatalog[K]): void;
  done(ctx: Ctx, result: IvrTerminal): void;
  /** Where a fax call goes (config `fax`), when one is configured. */
  fax: FaxHost;
  /** The shop's data for self-service lookups (absent: lookups answer "unavailable"). */
  lookups?: CallLookups;
  /** A lookup failed (logged; the caller goes on to the queue). */
  lookupError(ctx: Ctx, what: string, err: unknown): void;
}

export interface AfterIvrHost {
  config: EngineConfig;
  acd: Acd;
  save<K extends EventType>(ctx: Ctx, type: K, data: EventCatalog[K]): void;
  finish(ctx: Ctx, outcome: CallOutcome, reason: 'ivrHangup'): void;
  voicemail(ctx: Ctx, box: string, media: CallMedia): void;
  wait(ctx: Ctx, media: CallMedia, queue: QueueDef | null): void;
  /** A callback request from the IVR (callbacks.ts): false when it cannot be taken (no caller number). */
  callback(ctx: Ctx, queue: string, media: CallMedia): boolean;
  /** For a VIP caller's priority. */
  lookups?: CallLookups;
  lookupError(ctx: Ctx, what: string, err: unknown): void;
}

/**
 * The IVR handed the call on: hang up, voicemail, a callback request, or a queue / an agent (the
 * caller waits with music). A callback request without the caller's number waits in the queue.
 */
export function afterIvr(ctx: Ctx, done: IvrTerminal, host: AfterIvrHost): void {
  let result = done;
  if (ctx.call.ended) return;
  const menu = ctx.ivr?.currentMenu ?? '';
  ctx.ivr = null;
  const target =
    result.action === 'queue'
      ? result.queue
      : result.action === 'extension'
        ? result.agent
        : result.action === 'callback'
          ? result.queue
          : result.action === 'voicemail'
            ? result.box
            : null;
  host.save(ctx, 'ivr.done', { menu, action: result.action, target, reason: result.reason });
  if (result.action === 'hangup') {
    host.finish(ctx, 'ivrHangup', 'ivrHangup');
    return;
  }
  if (result.action === 'voicemail') {
    if (ctx.media) host.voicemail(ctx, result.box, ctx.media);
    return;
  }
  if (result.action === 'callback') {
    if (ctx.media && host.callback(ctx, result.queue, ctx.media)) return;
    result = { action: 'queue', queue: result.queue, reason: result.reason };
  }
  ctx.call.to('queued');
  if (ctx.media) {
    const queue = result.action === 'queue' ? host.config.queues.find((q) => q.id === result.queue) : undefined;
    host.wait(ctx, ctx.media, queue ?? null);
  }
  if (result.action === 'queue') {
    ctx.call.record.queue = result.queue;
    const priority = entryPriority(result.priority, host.lookups, ctx.call.record.callerId, (err) =>
      host.lookupError(ctx, 'callerPriority', err),
    );
    host.acd.enqueue(ctx.call.id, result.queue, priority);
  } else {
    host.acd.enqueueDirect(ctx.call.id, result.agent);
  }
}

export function startIvr(ctx: Ctx, media: CallMedia, lineMenu: string, host: IvrFlowHost): void {
  const ivr = new IvrSession(host.config.menus, host.clock, {
    play: (src, done) => media.play(src, done),
    stopPlayback: () => media.stopPlayback(),
    prompt: (name) => host.prompt(name, ctx.language),
    setLanguage: (language) => {
      ctx.language = language;
    },
    onKey: (menu, digit) => {
      ctx.call.record.ivrPath += digit;
      host.save(ctx, 'ivr.key', { menu, digit });
    },
    onMenu: (menu) => host.save(ctx, 'ivr.menu', { menu }),
    done: (result) => host.done(ctx, result),
    lookup: (kind, digits) =>
      answerLookup(host.lookups, kind, digits, {
        callId: ctx.call.id,
        callerId: ctx.call.record.callerId,
        language: ctx.language,
        timeZone: host.config.timezone ?? 'UTC',
        prompt: (name) => host.prompt(name, ctx.language),
        onError: (k, err) => host.lookupError(ctx, k, err),
      }),
    onCollect: (menu, r) => host.save(ctx, 'ivr.collect', { menu, result: r.ok ? r.end : r.why, digits: r.digits.length }),
    onLookup: (menu, outcome) => host.save(ctx, 'ivr.lookup', { menu, outcome }),
  });
  ctx.ivr = ivr;
  const fax = host.config.fax;
  if (fax) ctx.stopFaxWatch = watchForFax(media, host.config.toneRegion ?? 'cn', () => routeToFax(ctx, fax.extension, host.fax));
  const hours = host.config.hours;
  if (hours && !isOpen(hours, host.config.timezone ?? 'UTC', host.clock.now())) {
    host.save(ctx, 'ivr.menu', { menu: '_afterHours' });
    startAt(ctx, ivr, hours.afterHours, host);
    return;
  }
  ivr.start(lineMenu);
}

/** Start at an action: a menu (or a language choice, a lookup) runs the IVR, anything else is final. */
function startAt(ctx: Ctx, ivr: IvrSession, action: IvrAction, host: IvrFlowHost): void {
  if (action.action === 'menu') ivr.start(action.menu);
  else if (action.action === 'language') {
    ctx.language = action.language;
    ivr.start(action.menu);
  } else if (action.action === 'lookup') ivr.startWith(action);
  else host.done(ctx, { ...action, reason: 'selected' });
}
