/**
 * The Pi telephony HAT driver: FXO and FXS ports from the hardware description, their GPIO pins
 * behind the HAL's Gpio (onoff on the box, MemoryGpio in tests), their audio from one or more
 * multi-channel devices (arecord/aplay on the box, MemoryAudioDevice in tests), and the power-fail
 * bypass (bypass.ts): energised once the lines are up (lines go through the HAT), released when it
 * stops, so the first line rings straight through to a phone when the box is down; the heartbeat
 * of the HAT's hardware watchdog toggles while the driver runs. A failing audio device puts its
 * ports out of service (state 'error' with the device and the tool's reason) until it works again.
 */
import type { Frame } from '../../audio.js';
import type { Channel, Driver } from '../../channel.js';
import type { Clock } from '../../clock.js';
import type { Gpio } from '../../gpio.js';
import type { AudioDevice, AudioDeviceFactory, AudioDeviceStats } from './audio-device.js';
import { BypassControl } from './bypass.js';
import { FxoPort } from './fxo-port.js';
import { FxsPort } from './fxs-port.js';
import { type HatDescription, hatIssues, type LineCountry, type LineProfile, lineProfile } from './hat-types.js';
import type { HatPortChannel, PortDeps } from './port-base.js';

export interface PiHatOptions {
  hat: HatDescription;
  /** The line profile's country when the description does not name one (the shop's). */
  country?: LineCountry;
  clock: Clock;
  gpio: Gpio;
  audio: AudioDeviceFactory;
  log?: (msg: string, data?: Record<string, unknown>) => void;
}

export class PiHatDriver implements Driver {
  readonly name = 'pihat';
  readonly ports: HatPortChannel[];
  /** The line profile in force (country cadences and timing with the description's overrides). */
  readonly profile: LineProfile;
  private readonly devices: { dev: AudioDevice; slots: (HatPortChannel | null)[] }[] = [];
  private readonly bypass: BypassControl;
  private started = false;

  constructor(private readonly o: PiHatOptions) {
    const issues = hatIssues(o.hat);
    if (issues.length) throw new Error(`bad HAT description: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
    const profile = lineProfile(o.hat.profile?.country ?? o.country ?? 'cn', o.hat.profile ?? {});
    this.profile = profile;
    const deps: PortDeps = { clock: o.clock, gpio: o.gpio, profile, log: o.log ?? (() => {}) };
    this.ports = o.hat.ports.map((p) => (p.kind === 'fxo' ? new FxoPort(p, deps) : new FxsPort(p, deps)));
    this.bypass = new BypassControl(o.hat, o.gpio, o.clock, deps.log);
  }

  channels(): Channel[] {
    return this.ports;
  }

  port(id: string): HatPortChannel | undefined {
    return this.ports.find((p) => p.id === id);
  }

  async start(): Promise<void> {
    if (this.started) return;
    for (const p of this.ports) await p.open();
    const byDevice = new Map<string, HatPortChannel[]>();
    for (const p of this.ports) byDevice.set(p.spec.audio.device, [...(byDevice.get(p.spec.audio.device) ?? []), p]);
    for (const [device, ports] of byDevice) {
      const channels = Math.max(...ports.map((p) => p.spec.audio.channel)) + 1;
      const slots: (HatPortChannel | null)[] = Array.from({ length: channels }, () => null);
      for (const p of ports) slots[p.spec.audio.channel] = p;
      const dev = this.o.audio({ device, channels });
      this.devices.push({ dev, slots });
      await dev.start(
        (rx, tx) => {
          for (let c = 0; c < slots.length; c++) slots[c]?.audioTick(rx[c] as Frame, tx[c] as Frame);
        },
        // A failing device takes its ports out of service (CHANNEL_ERROR naming it and the reason).
        (fault) => {
          for (const p of ports) p.setAudioFault(fault ? `audio device ${device}: ${fault}` : null);
        },
      );
    }
    // The lines are up: the box goes into the line path (and the watchdog's heartbeat starts).
    await this.bypass.engage();
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const p of this.ports) if (p.state !== 'idle') await p.hangup().catch(() => {});
    await Promise.all(this.devices.map((d) => d.dev.stop()));
    this.devices.length = 0;
    for (const p of this.ports) await p.close();
    // Released: the line goes straight to the phone while the box is down.
    await this.bypass.release();
  }

  /** Put the box in the line path (true) or connect the line straight to the phone (false); selftest. */
  async setInLine(on: boolean): Promise<void> {
    await this.bypass.setInLine(on);
  }

  audioStats(): AudioDeviceStats[] {
    return this.devices.map((d) => d.dev.stats());
  }
}
