/** A new call's context: the call, its line and nothing started yet. */
import type { Channel } from '../../../hal/src/channel.js';
import type { Call } from './call.js';
import type { Ctx, Language } from './engine-types.js';

export function newCtx(call: Call, line: Channel, language: Language): Ctx {
  return {
    call,
    line,
    media: null,
    ivr: null,
    answerTimer: null,
    answering: false,
    language,
    recording: null,
    callback: null,
    voicemail: null,
    stopFaxWatch: null,
    agentDigits: '',
  };
}
