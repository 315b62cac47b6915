/**
 * A simulated customer calling a shop line. Listens to what the box plays: once a prompt has been
 * heard and has ended (audio then 400 ms of quiet), presses its digits as real DTMF audio. Talks
 * (speech frames) once its digits are pressed, and hangs up after hangupAfterS from the first ring.
 */
import { FRAME_SAMPLES, type Frame, type FrameSource } from '../../audio.js';
import type { Clock, TimerHandle } from '../../clock.js';
import { DtmfGenerator } from '../../dsp/dtmf-gen.js';
import { isSilent } from '../../dsp/level.js';
import { ToneGenerator } from '../../dsp/tone.js';
import type { SimChannel, SimParty } from './sim-channel.js';
import { SpeechSource } from './speech.js';

export interface SimCallerScript {
  digits: string;
  hangupAfterS: number;
  speech: Int16Array | null;
  seed: number;
  /** A fax machine calling: it sends CNG (1100 Hz, 0.5 s on, 3 s off) and never presses digits. */
  fax?: boolean;
}

const PROMPT_HEARD_MS = 300;
const PROMPT_ENDED_MS = 400;

export class SimCaller implements SimParty {
  private heardMs = 0;
  private quietMs = 0;
  private dtmf: DtmfGenerator | null = null;
  private pressed = false;
  /** Digits pressed while others still sound. */
  private queued = '';
  private readonly voice: FrameSource;
  private readonly hangupTimer: TimerHandle;

  constructor(
    private readonly channel: SimChannel,
    clock: Clock,
    private readonly script: SimCallerScript,
  ) {
    this.voice = script.fax
      ? new ToneGenerator({ freqs: [1100], levelDbm0: -10, cadenceMs: [500, 3000] })
      : new SpeechSource(script.speech, script.seed);
    this.hangupTimer = clock.setTimeout(() => this.channel.partyHangsUp(), script.hangupAfterS * 1000);
  }

  hear(frame: Frame): void {
    if (this.pressed || this.script.digits.length === 0) return;
    if (!isSilent(frame)) {
      this.heardMs += 20;
      this.quietMs = 0;
      return;
    }
    this.quietMs += 20;
    if (this.heardMs >= PROMPT_HEARD_MS && this.quietMs >= PROMPT_ENDED_MS) {
      this.pressed = true;
      this.dtmf = new DtmfGenerator(this.script.digits);
    }
  }

  speak(out: Frame): void {
    if (this.script.fax) {
      this.voice.read(out);
      return;
    }
    if (this.dtmf) {
      if (this.dtmf.read(out)) return;
      this.dtmf = null;
      if (this.queued) {
        this.dtmf = new DtmfGenerator(this.queued);
        this.queued = '';
        if (this.dtmf.read(out)) return;
        this.dtmf = null;
      }
    }
    if (this.pressed || this.script.digits.length === 0) {
      this.voice.read(out);
      return;
    }
    out.fill(0, 0, FRAME_SAMPLES);
  }

  /**
   * Press digits now (scripted), as DTMF audio. Digits pressed while earlier ones still sound wait
   * for them (each digit is 100 ms of tone then 100 ms of quiet), as on a real keypad: replacing a
   * tone mid-way with the same digit would sound as one long key.
   */
  press(digits: string): void {
    this.pressed = true;
    if (this.dtmf) this.queued += digits;
    else this.dtmf = new DtmfGenerator(digits);
  }

  dispose(): void {
    this.hangupTimer.cancel();
  }
}
