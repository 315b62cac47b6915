/**
 * The post-call CSAT survey (满意度回访): after the agent hangs up, the caller hears the survey
 * prompt and presses 1-5; the score is recorded against the call, its queue and agent, then a
 * thank-you plays and the box hangs up. No answer within the wait (asked twice) is recorded too.
 */
import type { Clock } from '../../../hal/src/clock.js';
import type { EventCatalog, EventType } from '../events/catalog.js';
import type { IvrMenu } from '../ivr/ivr-session.js';
import { IvrSession } from '../ivr/ivr-session.js';
import type { CallMedia } from '../media/leg-media.js';
import { SequenceSource } from '../media/sequence.js';
import type { Ctx } from './engine-types.js';

const SURVEY: Record<string, IvrMenu> = {
  survey: {
    prompt: 'survey',
    timeoutS: 8,
    repeats: 1,
    options: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, { action: 'hangup' as const }])),
    onTimeout: { action: 'hangup' },
    onInvalid: { action: 'menu', menu: 'survey' },
    invalidPrompt: 'invalid',
  },
};

export interface SurveyHooks {
  prompt(name: string): Int16Array;
  /** A score 1-5, or null when the caller gave none. */
  result(score: number | null): void;
  /** The thank-you has played (or there was nothing to thank for): end the call. */
  done(): void;
}

export function runSurvey(clock: Clock, media: CallMedia, hooks: SurveyHooks): IvrSession {
  let score: number | null = null;
  const ivr = new IvrSession(SURVEY, clock, {
    play: (src, done) => media.play(src, done),
    stopPlayback: () => media.stopPlayback(),
    prompt: hooks.prompt,
    setLanguage: () => {},
    onMenu: () => {},
    onKey: (_menu, digit) => {
      score = Number(digit);
    },
    done: () => {
      hooks.result(score);
      if (score === null) {
        hooks.done();
        return;
      }
      media.play(new SequenceSource([hooks.prompt('survey-thanks')]), hooks.done);
    },
  });
  ivr.start('survey');
  return ivr;
}

export interface SurveyHost {
  clock: Clock;
  prompt(name: string): Int16Array;
  save<K extends EventType>(ctx: Ctx, type: K, data: EventCatalog[K]): void;
  done(): void;
}

/** The agent has left: the caller, still on the line, is asked for a score. */
export function beginSurvey(ctx: Ctx, media: CallMedia, host: SurveyHost): void {
  ctx.call.to('survey');
  const { queue, agent } = ctx.call.record;
  host.save(ctx, 'survey.start', { queue, agent });
  ctx.ivr = runSurvey(host.clock, media, {
    prompt: host.prompt,
    result: (score) => {
      if (score === null) host.save(ctx, 'survey.noAnswer', { queue, agent });
      else host.save(ctx, 'survey.score', { queue, agent, score });
    },
    done: host.done,
  });
}
