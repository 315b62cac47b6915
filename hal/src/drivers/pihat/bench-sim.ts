/**
 * A simulated bench for `callbox hw selftest --sim`: the pihat driver on GPIO and audio in memory,
 * and a technician with an exchange line and analog phones who does what the selftest asks — the
 * exchange rings the line (ring-detect pulses at 25 Hz in the country cadence, Bell 202 caller ID
 * between the first two rings) until the box seizes it, digits are pressed as DTMF audio, the far
 * end hangs up with a polarity reversal, phones are lifted, flashed and put down on the
 * hook-detect lines. It runs on any clock (virtual time in the CLI's --sim mode and in tests).
 */
import type { Clock, TimerHandle } from '../../clock.js';
import { CallerIdGenerator } from '../../dsp/cid-gen.js';
import { DtmfGenerator } from '../../dsp/dtmf-gen.js';
import { MemoryGpio } from '../../gpio-memory.js';
import { exampleHat } from './example-hat.js';
import type { AudioDeviceFactory } from './audio-device.js';
import type { GpioRef, HatDescription, HatFxoPort, HatFxsPort } from './hat-types.js';
import { MemoryAudioDevice } from './memory-audio.js';
import { PiHatDriver } from './pihat-driver.js';
import type { SelftestAction } from './selftest.js';

export const BENCH_CALLER = { number: '13800138000', name: '测试' };

export class SimBench {
  readonly gpio = new MemoryGpio();
  readonly driver: PiHatDriver;
  /** The bench's audio devices as a factory: a driver built elsewhere (the whole box) on this bench. */
  readonly audio: AudioDeviceFactory;
  private readonly devices = new Map<string, MemoryAudioDevice>();
  private readonly timers = new Set<TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly hat: HatDescription = exampleHat(),
  ) {
    // Idle levels: no ring voltage (ring detect inactive), phones on hook, line polarity normal.
    for (const p of hat.ports) {
      if (p.kind === 'fxo') this.gpio.preset(p.ringDetect.line, this.level(p.ringDetect, false));
      else this.gpio.preset(p.hookDetect.line, this.level(p.hookDetect, false));
    }
    this.audio = ({ device, channels }) => {
      const dev = new MemoryAudioDevice(device, channels, clock);
      this.devices.set(device, dev);
      return dev;
    };
    this.driver = new PiHatDriver({ hat, clock, gpio: this.gpio, audio: this.audio });
  }

  /** The technician does what the selftest asks. */
  act(action: SelftestAction, portId: string, digits = ''): void {
    const port = this.hat.ports.find((p) => p.id === portId);
    if (!port) throw new Error(`no port ${portId} on the bench`);
    if (port.kind === 'fxo') this.onLine(action, port, digits);
    else this.onPhone(action, port, digits);
  }

  dispose(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private onLine(action: SelftestAction, p: HatFxoPort, digits: string): void {
    if (action === 'callLine') this.ring(p, 0);
    else if (action === 'pressDigits') this.after(300, () => this.feed(p, digits));
    else if (action === 'hangUpCaller') {
      this.after(500, () => {
        if (p.polarity) this.gpio.drive(p.polarity.line, (1 - (this.gpio.level(p.polarity.line) ?? 0)) as 0 | 1);
      });
    }
  }

  private onPhone(action: SelftestAction, p: HatFxsPort, digits: string): void {
    const hook = (off: boolean) => this.gpio.drive(p.hookDetect.line, this.level(p.hookDetect, off));
    if (action === 'liftPhone') this.after(1500, () => hook(true));
    else if (action === 'pressDigitsOnPhone') this.after(500, () => this.feed(p, digits));
    else if (action === 'flashHook') {
      this.after(300, () => hook(false));
      this.after(800, () => hook(true));
    } else if (action === 'hangUpPhone') this.after(300, () => hook(false));
  }

  /** Ring bursts in the profile's cadence until the box seizes the line; caller ID in the first pause. */
  private ring(p: HatFxoPort, burst: number): void {
    const [on = 1000, off = 4000] = this.driver.profile.ringCadence.pattern;
    if (this.seized(p) || burst >= 6) return;
    for (let t = 0; t < on; t += 40) {
      this.after(t, () => !this.seized(p) && this.gpio.drive(p.ringDetect.line, this.level(p.ringDetect, true)));
      this.after(t + 20, () => this.gpio.drive(p.ringDetect.line, this.level(p.ringDetect, false)));
    }
    if (burst === 0) {
      this.after(on + 700, () => {
        if (!this.seized(p)) this.device(p).feed(p.audio.channel, new CallerIdGenerator(BENCH_CALLER).samples);
      });
    }
    this.after(on + off, () => this.ring(p, burst + 1));
  }

  private seized(p: HatFxoPort): boolean {
    return this.gpio.value(p.hookRelay.line) === 1;
  }

  private feed(p: HatFxoPort | HatFxsPort, digits: string): void {
    const gen = new DtmfGenerator(digits, { onMs: 100, offMs: 100 });
    const out = new Int16Array(Math.ceil((digits.length * 200) / 20) * 160 + 160);
    for (let i = 0; i + 160 <= out.length; i += 160) gen.read(out.subarray(i, i + 160));
    this.device(p).feed(p.audio.channel, out);
  }

  private device(p: HatFxoPort | HatFxsPort): MemoryAudioDevice {
    const d = this.devices.get(p.audio.device);
    if (!d) throw new Error(`audio device ${p.audio.device} is not running`);
    return d;
  }

  /** The physical level of an input for a logical state. */
  private level(ref: GpioRef, active: boolean): 0 | 1 {
    return (active !== (ref.activeLow ?? false) ? 1 : 0) as 0 | 1;
  }

  private after(ms: number, fn: () => void): void {
    const t = this.clock.setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}
