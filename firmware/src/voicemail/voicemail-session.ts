/**
 * One caller leaving a message: the greeting, the beep, then the caller's frames (CallMedia.listen)
 * go to a file until '#', silence, the maximum length or a hang-up. Everything is counted in the
 * caller's 20 ms frames (the line's clock, as CallMedia is); the only timer is a watchdog for a
 * line that stops sending audio without hanging up.
 */
import type { Frame, FrameSource } from '../../../hal/src/audio.js';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import { isSilent } from '../../../hal/src/dsp/level.js';
import type { Logger } from 'pino';
import type { CallMedia } from '../media/leg-media.js';
import { SequenceSource } from '../media/sequence.js';
import type { Recording } from '../recorder/types.js';
import { type Kept, SpeechMarks } from './speech.js';
import type { StopCause, TakeOptions, TakeResult, VoicemailPhase, VoicemailSession } from './types.js';

/** Frames cut from the end when '#' ends a message: the key's tone began up to ~3 frames before it was reported. */
export const DIGIT_TRIM_FRAMES = 5;
/** A line that sends no audio this long past the maximum length ends the message ('stalled'). */
export const STALL_GRACE_MS = 10_000;

/** A box's settings in frames, as the session uses them. */
export interface SessionSettings {
  greeting: string;
  maxLengthS: number;
  /** Silent frames in a row that end the message. */
  silenceFrames: number;
  /** Speech frames a message needs to be kept. */
  minSpeechFrames: number;
  silenceDbm0: number;
}

/** What the session needs from VoicemailBox: prompts, the beep, and the file and row of the message. */
export interface SessionHost {
  readonly clock: Clock;
  readonly log: Logger;
  prompt(name: string, language: TakeOptions['language']): Int16Array;
  beep(): FrameSource;
  /** Insert the row and start the file (never throws: a failure shows in `error`). */
  begin(opts: TakeOptions, startedAt: number): Recording;
  /** Stop the file and keep or drop the message. Never rejects. */
  end(rec: Recording, opts: TakeOptions, kept: Kept, decision: Decision, cause: StopCause): Promise<TakeResult>;
  /** Nothing was recorded (hang-up before the beep ended): the discarded event only. */
  nothing(opts: TakeOptions, reason: 'callerHungUp'): void;
}

export type Decision = 'saved' | 'tooShort' | 'noMessage';

/** Keep a message with at least `minSpeechFrames` of speech. */
export function decide(kept: Kept, minSpeechFrames: number): Decision {
  if (kept.speechFrames === 0) return 'noMessage';
  return kept.speechFrames < minSpeechFrames ? 'tooShort' : 'saved';
}

export class VoicemailCall implements VoicemailSession {
  readonly finished: Promise<TakeResult>;
  private state: VoicemailPhase = 'greeting';
  private rec: Recording | null = null;
  private marks: SpeechMarks | null = null;
  private silentRun = 0;
  private watchdog: TimerHandle | null = null;
  private result: TakeResult | null = null;
  private resolve: (r: TakeResult) => void = () => {};
  private readonly maxFrames: number;
  private readonly listener = (f: Frame): void => this.frame(f);

  constructor(
    private readonly media: CallMedia,
    private readonly opts: TakeOptions,
    private readonly settings: SessionSettings,
    private readonly host: SessionHost,
    private readonly done: (result: TakeResult) => void,
  ) {
    this.maxFrames = settings.maxLengthS * 50;
    this.finished = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  get phase(): VoicemailPhase {
    return this.state;
  }

  get voicemailId(): string | null {
    if (this.result) return this.result.voicemailId;
    return this.rec?.id ?? null;
  }

  /** Play the greeting (called once by VoicemailBox.take). */
  start(): void {
    const greeting = this.host.prompt(this.settings.greeting, this.opts.language);
    this.media.play(new SequenceSource([greeting]), () => this.toBeep());
  }

  digit(d: string): void {
    if (d !== '#') return;
    if (this.state === 'greeting') this.toBeep();
    else if (this.state === 'recording') this.stop('hash', DIGIT_TRIM_FRAMES);
  }

  callerGone(): void {
    if (this.state === 'greeting' || this.state === 'beep') {
      this.state = 'saving';
      this.media.stopPlayback();
      this.host.nothing(this.opts, 'callerHungUp');
      const result: TakeResult = { voicemailId: null, reason: 'callerHungUp' };
      void Promise.resolve().then(() => this.settle(result));
      return;
    }
    this.stop('callerGone');
  }

  private toBeep(): void {
    if (this.state !== 'greeting') return;
    this.state = 'beep';
    this.media.play(this.host.beep(), () => this.startRecording());
  }

  private startRecording(): void {
    if (this.state !== 'beep') return;
    this.state = 'recording';
    this.marks = new SpeechMarks(this.maxFrames);
    this.rec = this.host.begin(this.opts, this.host.clock.now());
    this.watchdog = this.host.clock.setTimeout(() => this.stop('stalled'), this.settings.maxLengthS * 1000 + STALL_GRACE_MS);
    if (this.rec.error !== null) {
      this.stop('error');
      return;
    }
    this.media.listen = this.listener;
  }

  /** One caller frame while recording: to the file, marked speech or silence; stop when a limit is reached. */
  private frame(f: Frame): void {
    const rec = this.rec;
    const marks = this.marks;
    if (this.state !== 'recording' || rec === null || marks === null) return;
    if (rec.error !== null) {
      this.stop('error');
      return;
    }
    const speech = !isSilent(f, this.settings.silenceDbm0);
    rec.frame(f, null);
    marks.push(speech);
    this.silentRun = speech ? 0 : this.silentRun + 1;
    if (marks.frames >= this.maxFrames) this.stop('maxLength');
    else if (this.silentRun >= this.settings.silenceFrames) this.stop('silence');
  }

  private stop(cause: StopCause, drop = 0): void {
    if (this.state !== 'recording') return;
    this.state = 'saving';
    if (this.media.listen === this.listener) this.media.listen = null;
    this.watchdog?.cancel();
    this.watchdog = null;
    const rec = this.rec as Recording;
    const marks = this.marks as SpeechMarks;
    if (cause === 'stalled') this.host.log.warn({ voicemail: rec.id, callId: this.opts.callId }, 'voicemail: the caller’s audio stopped');
    const kept = marks.kept(drop);
    const decision = decide(kept, this.settings.minSpeechFrames);
    this.host.end(rec, this.opts, kept, decision, cause).then(
      (r) => this.settle(r),
      () => this.settle({ voicemailId: null, reason: 'failed' }),
    );
  }

  private settle(result: TakeResult): void {
    if (this.result) return;
    this.result = result;
    this.state = 'done';
    try {
      this.done(result);
    } catch (err) {
      this.host.log.error({ callId: this.opts.callId, err }, 'voicemail done callback failed');
    }
    this.resolve(result);
  }
}
