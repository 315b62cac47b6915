import { SAMPLE_RATE } from '../audio.js';
import { dbm0ToPower } from './level.js';
import { CadenceTracker, OFF } from './progress-cadence.js';
import type { ProgressEventName, ProgressProfile } from './progress-profiles.js';
import { PROGRESS_PROFILES } from './progress-profiles.js';
import type { ToneRegion } from './tone-presets.js';

/*
 * Call-progress tone detector: dial, ringback, busy, congestion / reorder, fax CNG and CED, plus
 * silence and voice, for outbound call progress and disconnect supervision.
 *
 * Every PROGRESS_BLOCK_SIZE samples (25 ms; 200 samples put 440 and 480 Hz on exact bins) a
 * block is classified:
 *   - a tone class, when the class's frequencies (each above minToneDbm0, within MAX_SPREAD_DB
 *     of each other) hold TONE_PURITY of the block's power (Goertzel bank over the profile);
 *   - silence, when its energy is under minLevelDbm0 or within FLOOR_MARGIN_DB of the line's
 *     noise floor (the quietest of the last FLOOR_BLOCKS non-tone blocks), so steady line noise
 *     is silence, not voice. Blocks under minLevelDbm0 skip the Goertzel filters;
 *   - voice: any other sound.
 * A new state counts after DEBOUNCE_BLOCKS blocks in a row (one odd block, e.g. a phase reversal,
 * does not break a tone). Tone edges are then placed to the half block (12.5 ms, half the beat
 * period of 440+480 Hz) from half-block energies, so cadences are measured to about ±25 ms.
 * On/off segments go to the cadence tracker (progress-cadence.ts).
 *
 * Events: onEvent({tone, startMs, endMs: null}) when recognised, startMs being where the tone (or
 * silence, or voice) began; onEventEnd with endMs when it stops. A voice event ends a ringing
 * tone (the callee answered); a tone ends voice. Times are ms of audio since construction or
 * reset(). Nothing is allocated per frame (events, which are rare, are objects).
 */

export const PROGRESS_BLOCK_SIZE = 200;
export const PROGRESS_BLOCK_MS = (PROGRESS_BLOCK_SIZE * 1000) / SAMPLE_RATE;
export const DEFAULT_TONE_MIN_DBM0 = -40;
export const DEFAULT_LINE_MIN_DBM0 = -45;
export const TONE_PURITY = 0.7;
export const MAX_SPREAD_DB = 10;
export const FLOOR_MARGIN_DB = 6;
/** The noise floor is the minimum energy of this many recent non-tone blocks (1 s). */
export const FLOOR_BLOCKS = 40;
export const DEBOUNCE_BLOCKS = 2;
/** Silence is reported after this long (longer than any tone's pause). */
export const DEFAULT_SILENCE_MS = 5000;
/** Voice is reported once a stretch of non-tone sound lasts this long. */
export const DEFAULT_VOICE_MS = 150;
/** A voice run ends after this long without voice. */
export const VOICE_GAP_MS = 800;

export interface ProgressEvent {
  tone: ProgressEventName;
  startMs: number;
  endMs: number | null;
}

export interface CallProgressOptions {
  profile: ToneRegion | ProgressProfile;
  onEvent: (e: ProgressEvent) => void;
  onEventEnd?: (e: ProgressEvent) => void;
  minToneDbm0?: number;
  minLevelDbm0?: number;
  silenceMs?: number;
  voiceMs?: number;
}

const SILENCE = -2;
const VOICE = -1;
const N = PROGRESS_BLOCK_SIZE;
const HALF_MS = PROGRESS_BLOCK_MS / 2;
const SPREAD = 10 ** (MAX_SPREAD_DB / 10);
const FLOOR_MARGIN = 10 ** (FLOOR_MARGIN_DB / 10);

export class CallProgressDetector {
  readonly profile: ProgressProfile;
  private readonly onEvent: (e: ProgressEvent) => void;
  private readonly onEventEnd: ((e: ProgressEvent) => void) | undefined;
  private readonly coefs: Float64Array;
  private readonly power: Float64Array;
  /** Per class: two bin indices into `power` (-1 for a one-frequency class). */
  private readonly members: Int32Array;
  private readonly minTonePower: number;
  private readonly minBlockEnergy: number;
  private readonly silenceMs: number;
  private readonly voiceMs: number;
  private readonly cadence: CadenceTracker;
  private readonly buf = new Float64Array(N);
  /** Half-block energies of the last 4 blocks, by block index mod 4. */
  private readonly halves = new Float64Array(8);
  private n = 0;
  private block = 0;
  /** Energies of the last FLOOR_BLOCKS non-tone blocks (ring). */
  private readonly floorRing = new Float64Array(FLOOR_BLOCKS).fill(Number.POSITIVE_INFINITY);
  private floorAt = 0;
  private stable = SILENCE;
  private stableStart = 0;
  private pend = SILENCE;
  private pendCount = 0;
  private pendStart = 0;
  private toneEvent: ProgressEvent | null = null;
  private silenceEvent: ProgressEvent | null = null;
  private voiceEvent: ProgressEvent | null = null;
  private voiceLastEnd = 0;

  constructor(opts: CallProgressOptions) {
    this.profile = typeof opts.profile === 'string' ? PROGRESS_PROFILES[opts.profile] : opts.profile;
    this.onEvent = opts.onEvent;
    this.onEventEnd = opts.onEventEnd;
    const { freqs, classes } = this.profile;
    this.coefs = Float64Array.from(freqs, (f) => 2 * Math.cos((2 * Math.PI * f) / SAMPLE_RATE));
    this.power = new Float64Array(freqs.length);
    this.members = new Int32Array(classes.length * 2).fill(-1);
    classes.forEach((c, k) => {
      c.freqs.forEach((f, j) => {
        this.members[k * 2 + j] = freqs.indexOf(f);
      });
    });
    this.minTonePower = dbm0ToPower(opts.minToneDbm0 ?? DEFAULT_TONE_MIN_DBM0);
    this.minBlockEnergy = dbm0ToPower(opts.minLevelDbm0 ?? DEFAULT_LINE_MIN_DBM0) * N;
    this.silenceMs = opts.silenceMs ?? DEFAULT_SILENCE_MS;
    this.voiceMs = opts.voiceMs ?? DEFAULT_VOICE_MS;
    this.cadence = new CadenceTracker(this.profile, {
      start: (tone, startMs) => {
        this.close('voiceEvent', this.voiceLastEnd);
        this.toneEvent = { tone: (this.profile.tones[tone] as { name: ProgressEventName }).name, startMs, endMs: null };
        this.onEvent(this.toneEvent);
      },
      end: (endMs) => this.close('toneEvent', endMs),
    });
  }

  /** The tone currently recognised, or null. */
  get activeTone(): ProgressEventName | null {
    return this.toneEvent?.tone ?? null;
  }

  reset(): void {
    this.n = this.block = 0;
    this.floorRing.fill(Number.POSITIVE_INFINITY);
    this.stable = this.pend = SILENCE;
    this.stableStart = this.pendStart = this.pendCount = 0;
    this.cadence.reset();
    this.toneEvent = this.silenceEvent = this.voiceEvent = null;
  }

  process(frame: Int16Array): void {
    const buf = this.buf;
    for (let i = 0; i < frame.length; i++) {
      buf[this.n] = frame[i] as number;
      if (++this.n === N) {
        this.n = 0;
        this.step(this.classify());
        this.block++;
      }
    }
  }

  /** End of the audio: close every open event. */
  finish(): void {
    const now = this.block * PROGRESS_BLOCK_MS;
    const c = this.cadence;
    const tone = c.active >= 0 ? this.profile.tones[c.active] : undefined;
    c.stop(tone && tone.cycles >= 0 && c.sym === OFF ? c.lastBurstEnd : now);
    this.close('silenceEvent', now);
    this.close('voiceEvent', this.stable === VOICE ? now : this.voiceLastEnd);
  }

  /** The state of the block just filled: SILENCE, VOICE or a class index. */
  private classify(): number {
    const { buf, coefs, power, members } = this;
    let e1 = 0;
    let e2 = 0;
    for (let i = 0; i < N / 2; i++) e1 += (buf[i] as number) * (buf[i] as number);
    for (let i = N / 2; i < N; i++) e2 += (buf[i] as number) * (buf[i] as number);
    const slot = (this.block & 3) * 2;
    this.halves[slot] = e1;
    this.halves[slot + 1] = e2;
    const energy = e1 + e2;
    if (energy < this.minBlockEnergy) {
      this.noise(energy);
      return SILENCE;
    }
    const norm = 2 / (N * N);
    for (let k = 0; k < coefs.length; k++) {
      const c = coefs[k] as number;
      let a = 0;
      let b = 0;
      for (let i = 0; i < N; i++) {
        const t = c * a - b + (buf[i] as number);
        b = a;
        a = t;
      }
      power[k] = (a * a + b * b - c * a * b) * norm;
    }
    const mean = energy / N;
    let best = -1;
    let bestShare = TONE_PURITY;
    for (let cls = 0; cls * 2 < members.length; cls++) {
      const p1 = power[members[cls * 2] as number] as number;
      const j = members[cls * 2 + 1] as number;
      const p2 = j >= 0 ? (power[j] as number) : p1;
      if (p1 < this.minTonePower || p2 < this.minTonePower || p1 > p2 * SPREAD || p2 > p1 * SPREAD) continue;
      const share = (j >= 0 ? p1 + p2 : p1) / mean;
      if (share >= bestShare) {
        best = cls;
        bestShare = share;
      }
    }
    if (best >= 0) return best;
    return energy < this.noise(energy) * FLOOR_MARGIN ? SILENCE : VOICE;
  }

  /** Record a non-tone block's energy; the noise floor (minimum over the ring) with it. */
  private noise(energy: number): number {
    const ring = this.floorRing;
    ring[this.floorAt] = energy;
    this.floorAt = (this.floorAt + 1) % FLOOR_BLOCKS;
    let min = energy;
    for (let i = 0; i < FLOOR_BLOCKS; i++) if ((ring[i] as number) < min) min = ring[i] as number;
    return min;
  }

  private step(state: number): void {
    const b = this.block;
    if (state === this.stable) this.pendCount = 0;
    else if (state === this.pend && this.pendCount > 0) this.pendCount++;
    else {
      this.pend = state;
      this.pendCount = 1;
      this.pendStart = b;
    }
    if (this.pendCount >= DEBOUNCE_BLOCKS) {
      this.transition(this.pend, this.pendStart);
      this.pendCount = 0;
    }
    // While a change is pending, the current state is only certain up to where it began.
    this.tick((this.pendCount > 0 ? this.pendStart : b + 1) * PROGRESS_BLOCK_MS);
  }

  /** The debounced state becomes `state` from block `at` (blocks at and at+1 are in). */
  private transition(state: number, at: number): void {
    let atMs = at * PROGRESS_BLOCK_MS;
    if (state >= 0 && this.stable < 0) atMs = this.edge(at, true);
    else if (this.stable >= 0 && state < 0) atMs = this.edge(at, false);
    if (this.stable === VOICE) this.voiceLastEnd = atMs;
    if (this.stable === SILENCE) this.close('silenceEvent', atMs);
    this.stable = state;
    this.stableStart = atMs;
    this.cadence.segment(state >= 0 ? state : OFF, atMs);
  }

  /** Half-block energy; `idx` counts half blocks from the start. */
  private half(idx: number): number {
    return this.halves[((idx >> 1) & 3) * 2 + (idx & 1)] as number;
  }

  /** Mean half-block energy of block `b` (one of the last four). */
  private blockMean(b: number): number {
    return 0.5 * (this.half(2 * b) + this.half(2 * b + 1));
  }

  /**
   * Where a tone that is on from block `at` began, or that is off from block `at` stopped, to
   * the half block: scanning blocks at-1 and at, after the last (rising) or at the first
   * (falling) half holding under a quarter of the tone's energy; else the block boundary.
   */
  private edge(at: number, rising: boolean): number {
    const level = 0.25 * (rising ? this.blockMean(at + 1) : Math.max(this.blockMean(at - 1), this.blockMean(at - 2)));
    let edge = 2 * at;
    for (let idx = 2 * at - 2; idx < 2 * at + 2; idx++) {
      if (this.half(idx) >= level) continue;
      if (rising) edge = idx + 1;
      else {
        edge = idx;
        break;
      }
    }
    return Math.max(0, edge) * HALF_MS;
  }

  private tick(nowMs: number): void {
    this.cadence.tick(nowMs);
    const stableMs = nowMs - this.stableStart;
    if (this.stable === SILENCE && !this.silenceEvent && stableMs >= this.silenceMs) {
      this.silenceEvent = { tone: 'silence', startMs: this.stableStart, endMs: null };
      this.onEvent(this.silenceEvent);
    }
    if (this.stable === VOICE) {
      this.voiceLastEnd = nowMs;
      if (!this.voiceEvent && stableMs >= this.voiceMs) {
        // Someone speaks: a ringing or pausing tone is over.
        const c = this.cadence;
        if (c.active >= 0) c.stop(c.sym === OFF ? c.lastBurstEnd : this.stableStart);
        this.voiceEvent = { tone: 'voice', startMs: this.stableStart, endMs: null };
        this.onEvent(this.voiceEvent);
      }
    } else if (this.voiceEvent && nowMs - this.voiceLastEnd >= VOICE_GAP_MS) this.close('voiceEvent', this.voiceLastEnd);
  }

  private close(which: 'toneEvent' | 'silenceEvent' | 'voiceEvent', endMs: number): void {
    const e = this[which];
    if (e) {
      e.endMs = Math.max(endMs, e.startMs);
      this[which] = null;
      this.onEventEnd?.(e);
    }
  }
}
