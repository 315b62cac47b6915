/**
 * Recording a bridged call: started when the agent answers (if the queue records), fed by the
 * call audio's tap (caller frame + agent frame each tick), paused and resumed by the agent with
 * *1 / *2 on the phone (e.g. while the caller reads out a card number), stopped when the call
 * ends or the agent leaves for the survey.
 */
import type { Recording, RecordingOptions } from '../recorder/types.js';
import type { Ctx } from './engine-types.js';

export function startRecording(ctx: Ctx, recorder: { start(o: RecordingOptions): Recording | null } | undefined, now: number): void {
  const media = ctx.media;
  const going = ctx.recording;
  if (going && media) {
    // a transferred call: the same recording goes on with the new agent's side
    media.tap = (caller, agent) => going.frame(caller, agent);
    return;
  }
  if (!media || !recorder) return;
  const rec = recorder.start({ callId: ctx.call.id, queue: ctx.call.record.queue, startedAt: now });
  if (!rec) return;
  ctx.recording = rec;
  media.tap = (caller, agent) => rec.frame(caller, agent);
}

export function stopRecording(ctx: Ctx, now: number): void {
  const rec = ctx.recording;
  if (!rec) return;
  ctx.recording = null;
  if (ctx.media) ctx.media.tap = null;
  void rec.stop(now); // never rejects: a failure is logged and the file repaired at the next start
}

/** A key the agent pressed during the call: *1 pauses the recording, *2 resumes it. */
export function recordingKey(ctx: Ctx, digit: string): void {
  ctx.agentDigits = (ctx.agentDigits + digit).slice(-2);
  if (ctx.agentDigits === '*1') ctx.recording?.pause('agent *1');
  else if (ctx.agentDigits === '*2') ctx.recording?.resume();
}

/** Pause or resume a live call's recording (API); false when the call has none. */
export function setRecordingPaused(ctx: Ctx | undefined, paused: boolean): boolean {
  const rec = ctx?.recording;
  if (!rec) return false;
  if (paused) rec.pause('api');
  else rec.resume();
  return true;
}
