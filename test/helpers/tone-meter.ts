/** What a party hears, measured per tone: Goertzel power at a frequency over collected 8 kHz audio (dBm0). */
import type { Frame } from '../../hal/src/audio.js';
import type { SimParty } from '../../hal/src/drivers/sim/sim-channel.js';
import { DBM0_REF_RMS } from '../../hal/src/dsp/level.js';

/** Level in dBm0 of the sine at `freq` Hz in `samples` (a Goertzel filter over all of them). */
export function toneDbm0(samples: Int16Array, freq: number, rate = 8000): number {
  const n = samples.length;
  if (n === 0) return -100;
  const k = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = (samples[i] as number) + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2; // |X|^2
  const amplitude = (2 * Math.sqrt(Math.max(power, 0))) / n;
  const rms = amplitude / Math.SQRT2;
  return rms > 0 ? 20 * Math.log10(rms / DBM0_REF_RMS) : -100;
}

/** Collects frames (copies) into one growing buffer. */
export class Collector {
  private chunks: Int16Array[] = [];
  add(frame: Int16Array): void {
    this.chunks.push(Int16Array.from(frame));
  }
  clear(): void {
    this.chunks = [];
  }
  samples(): Int16Array {
    const n = this.chunks.reduce((a, c) => a + c.length, 0);
    const out = new Int16Array(n);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** A sine of `freq` Hz at `dbm0`, `frames` 20 ms frames long, phase-continuous across calls of next(). */
export class Sine {
  private phase = 0;
  constructor(
    private readonly freq: number,
    private readonly amplitude: number,
  ) {}
  next(out: Int16Array): void {
    const step = (2 * Math.PI * this.freq) / 8000;
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.round(this.amplitude * Math.sin(this.phase));
      this.phase += step;
    }
    this.phase %= 2 * Math.PI;
  }
}

/** Share of the 20 ms frames of `samples` in which the tone at `freq` Hz is above `minDbm0`. */
export function toneShare(samples: Int16Array, freq: number, minDbm0: number): number {
  let on = 0;
  let n = 0;
  for (let i = 0; i + 160 <= samples.length; i += 160, n++) if (toneDbm0(samples.subarray(i, i + 160), freq) > minDbm0) on++;
  return n ? on / n : 0;
}

/** A person on a sim channel who sends one tone (`freq` Hz) and keeps what they hear. */
export class ToneParty implements SimParty {
  readonly heard = new Collector();
  private readonly sine: Sine;
  constructor(readonly freq: number) {
    this.sine = new Sine(freq, 5000);
  }
  hear(frame: Frame): void {
    this.heard.add(frame);
  }
  speak(out: Frame): void {
    this.sine.next(out);
  }
  dispose(): void {}
}
