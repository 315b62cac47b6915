/**
 * Starting a caller's IVR once the box has answered: the session wired to the call's audio and
 * records (keys and menus are events), and the business-hours decision (outside hours the call
 * takes the after-hours action instead of the line's menu).
 */
import type { Clock } from '../../../hal/src/clock.js';
import type { EventCatalog, EventType } from '../events/catalog.js';
import { isOpen } from '../ivr/hours.js';
import { type IvrAction, IvrSession, type IvrTerminal } from '../ivr/ivr-session.js';
import type { CallMedia } from '../media/leg-media.js';
import type { Ctx, EngineConfig, Language } from './engine-types.js';

export interface IvrFlowHost {
  clock: Clock;
  config: EngineConfig;
  prompt(name: string, language: Language): Int16Array;
  save<K extends EventType>(ctx: Ctx, type: K, data: EventCatalog[K]): void;
  done(ctx: Ctx, result: IvrTerminal): void;
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
  });
  ctx.ivr = ivr;
  const hours = host.config.hours;
  if (hours && !isOpen(hours, host.config.timezone ?? 'UTC', host.clock.now())) {
    host.save(ctx, 'ivr.menu', { menu: '_afterHours' });
    startAt(ctx, ivr, hours.afterHours, host);
    return;
  }
  ivr.start(lineMenu);
}

/** Start at an action: a menu (or a language choice) runs the IVR, anything else is final. */
function startAt(ctx: Ctx, ivr: IvrSession, action: IvrAction, host: IvrFlowHost): void {
  if (action.action === 'menu') ivr.start(action.menu);
  else if (action.action === 'language') {
    ctx.language = action.language;
    ivr.start(action.menu);
  } else host.done(ctx, { ...action, reason: 'selected' });
}
