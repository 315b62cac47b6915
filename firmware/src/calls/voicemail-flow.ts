/**
 * A caller leaving a voicemail (留言): from the IVR's voicemail action or a waiting caller's
 * voicemail key. The voicemail module plays the greeting and the beep and records; the call ends
 * with outcome `voicemail` (saved) or `ivrHangup` (nothing worth keeping).
 */
import type { CallMedia } from '../media/leg-media.js';
import type { CallOutcome } from '../service/types.js';
import type { TakeOptions, TakeResult, VoicemailSession } from '../voicemail/types.js';
import type { Ctx } from './engine-types.js';

export interface VoicemailTaker {
  take(media: CallMedia, opts: TakeOptions, done: (result: TakeResult) => void): VoicemailSession;
}

export interface VoicemailFlowHost {
  voicemail: VoicemailTaker | undefined;
  finish(ctx: Ctx, outcome: CallOutcome, reason: 'voicemail' | 'ivrHangup' | 'callerHangup'): void;
}

export function takeVoicemail(ctx: Ctx, box: string, media: CallMedia, host: VoicemailFlowHost): void {
  if (!host.voicemail) {
    host.finish(ctx, 'ivrHangup', 'ivrHangup');
    return;
  }
  ctx.voicemail = host.voicemail.take(
    media,
    { callId: ctx.call.id, box, callerId: ctx.call.record.callerId, language: ctx.language },
    (result) => {
      // the voicemail module records voicemail.saved / voicemail.discarded itself
      ctx.voicemail = null;
      if (result.reason === 'saved') host.finish(ctx, 'voicemail', 'voicemail');
      else if (result.reason === 'callerHungUp') host.finish(ctx, 'abandoned', 'callerHangup');
      else host.finish(ctx, 'ivrHangup', 'ivrHangup');
    },
  );
}
