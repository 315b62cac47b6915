import { SAMPLE_RATE } from '../audio.js';
import { dbm0ToAmplitude } from './level.js';

/** Highest number of simultaneous sine components one oscillator renders. */
export const MAX_OSCILLATOR_TONES = 4;

/**
 * A sum of up to MAX_OSCILLATOR_TONES sines with phase accumulators, the sound source behind
 * ToneGenerator and DtmfGenerator. Phase is kept in cycles (0..1) as a float64, so it stays
 * continuous across any number of render calls of any length; `resetPhase()` restarts every
 * component at phase 0 (a sine starts at 0, so a burst starts without a click).
 */
export class SineOscillator {
  private readonly increments = new Float64Array(MAX_OSCILLATOR_TONES);
  private readonly amplitudes = new Float64Array(MAX_OSCILLATOR_TONES);
  private readonly phases = new Float64Array(MAX_OSCILLATOR_TONES);
  private count = 0;

  /** Set the components: frequencies in Hz and levels in dBm0 (one per frequency). */
  configure(freqsHz: readonly number[], levelsDbm0: readonly number[]): void {
    if (freqsHz.length < 1 || freqsHz.length > MAX_OSCILLATOR_TONES) {
      throw new RangeError(`oscillator: 1 to ${MAX_OSCILLATOR_TONES} frequencies, got ${freqsHz.length}`);
    }
    if (levelsDbm0.length !== freqsHz.length) {
      throw new RangeError(`oscillator: ${freqsHz.length} frequencies but ${levelsDbm0.length} levels`);
    }
    for (let k = 0; k < freqsHz.length; k++) {
      const f = freqsHz[k] as number;
      const level = levelsDbm0[k] as number;
      if (!(f > 0 && f < SAMPLE_RATE / 2)) {
        throw new RangeError(`oscillator: frequency ${f} Hz is outside (0, ${SAMPLE_RATE / 2})`);
      }
      if (Number.isNaN(level) || level > 3.2) {
        throw new RangeError(`oscillator: level ${level} dBm0 is above full scale (+3.15 dBm0)`);
      }
      this.increments[k] = f / SAMPLE_RATE;
      this.amplitudes[k] = dbm0ToAmplitude(level);
    }
    this.count = freqsHz.length;
    this.resetPhase();
  }

  resetPhase(): void {
    this.phases.fill(0);
  }

  /** Write `n` samples of the summed sines (rounded, saturated) to out[start .. start+n). */
  render(out: Int16Array, start: number, n: number): void {
    const twoPi = 2 * Math.PI;
    for (let i = start; i < start + n; i++) {
      let v = 0;
      for (let k = 0; k < this.count; k++) {
        const p = this.phases[k] as number;
        v += (this.amplitudes[k] as number) * Math.sin(twoPi * p);
        const next = p + (this.increments[k] as number);
        this.phases[k] = next >= 1 ? next - 1 : next;
      }
      out[i] = Math.min(32767, Math.max(-32768, Math.round(v)));
    }
  }
}
