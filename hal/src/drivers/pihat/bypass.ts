/**
 * The power-fail bypass: while the box runs its calls the relay is energised and the lines go
 * through the HAT; released, the first line goes straight to a phone. Released must also happen
 * when the box cannot run code (crash, `kill -9`, hung event loop, power cut), so two mechanisms,
 * whichever the HAT description names (docs/hardware.md "Power-fail bypass"):
 * - `bypassRelay`: a GPIO the box drives. The kernel keeps a sysfs GPIO's value after the process
 *   that wrote it dies, so something else must release it then: `releaseBypassSysfs` here, run by
 *   systemd's `ExecStopPost=` (`callbox hw bypass release`) or by the `callbox hw bypass guard`
 *   supervisor when its child exits, whatever the cause. A power cut drops the relay by itself.
 * - `bypassHeartbeat`: the HAT's hardware watchdog holds the relay only while this line toggles;
 *   `BypassControl` toggles it from a timer, so a dead or hung box stops the heartbeat and the chip
 *   drops the relay after its timeout, with no other process involved.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, TimerHandle } from '../../clock.js';
import type { Gpio, GpioPin } from '../../gpio.js';
import { gpioChips, SYSFS_GPIO, socChip, sysfsNumber } from '../../gpio-onoff.js';
import type { GpioRef, HatDescription } from './hat-types.js';

export const HEARTBEAT_PERIOD_MS = 100;

/** Drives the relay and the heartbeat while the driver runs. */
export class BypassControl {
  private relay: GpioPin | null = null;
  private beat: GpioPin | null = null;
  private beatTimer: TimerHandle | null = null;
  private beatLevel: 0 | 1 = 0;

  constructor(
    private readonly hat: Pick<HatDescription, 'bypassRelay' | 'bypassHeartbeat'>,
    private readonly gpio: Gpio,
    private readonly clock: Clock,
    private readonly log: (msg: string, data?: Record<string, unknown>) => void,
  ) {}

  /** Put the box in the line path: call once the lines are up (ports open, audio running); once per release(). */
  async engage(): Promise<void> {
    const hb = this.hat.bypassHeartbeat;
    if (hb) {
      const pin = await this.gpio.output(hb.line, { initial: 0, activeLow: hb.activeLow ?? false });
      this.beat = pin;
      this.beatTimer = this.clock.setInterval(() => {
        this.beatLevel = this.beatLevel ? 0 : 1;
        pin.write(this.beatLevel).catch((e: Error) => this.log('bypass heartbeat write failed', { line: pin.line, error: e.message }));
      }, hb.periodMs ?? HEARTBEAT_PERIOD_MS);
    }
    const ref = this.hat.bypassRelay;
    if (ref) this.relay = await this.gpio.output(ref.line, { initial: 1, activeLow: ref.activeLow ?? false });
  }

  /** Release: the line goes straight to the phone (clean stop). The heartbeat stops too. */
  async release(): Promise<void> {
    this.beatTimer?.cancel();
    this.beatTimer = null;
    for (const pin of [this.relay, this.beat]) {
      if (!pin) continue;
      await pin.write(0).catch(() => {});
      await pin.close().catch(() => {});
    }
    this.relay = this.beat = null;
  }

  /** The selftest's switch: in the line (true) or bypassed (false), heartbeat untouched. */
  async setInLine(on: boolean): Promise<void> {
    if (!this.relay) throw new Error('this HAT has no bypass relay');
    await this.relay.write(on ? 1 : 0);
  }
}

export interface SysfsRelease {
  /** The value file written. */
  path: string;
  /** The sysfs number (chip base + line). */
  number: number;
  /** The physical level written (released). */
  level: 0 | 1;
}

/**
 * Release the bypass relay straight through sysfs (no onoff, no box): export the line if no one
 * has, make it an output at the released level. For `ExecStopPost=` and the guard, after the box
 * is gone. `root` is /sys/class/gpio on the box (a test passes a tree of its own).
 */
export function releaseBypassSysfs(relay: GpioRef, o: { root?: string; chipLabel?: string } = {}): SysfsRelease {
  const root = o.root ?? SYSFS_GPIO;
  const number = sysfsNumber(socChip(gpioChips(root), o.chipLabel), relay.line);
  const dir = join(root, `gpio${number}`);
  const level: 0 | 1 = relay.activeLow ? 1 : 0;
  if (!existsSync(dir)) {
    writeFileSync(join(root, 'export'), String(number));
    // 'low'/'high' sets the direction and the level in one step (no glitch to the other level).
    writeFileSync(join(dir, 'direction'), level ? 'high' : 'low');
  }
  // The value file is logical when active_low is set (onoff sets it for activeLow lines).
  const activeLowFile = join(dir, 'active_low');
  const inverted = existsSync(activeLowFile) && readFileSync(activeLowFile, 'utf8').trim() === '1';
  const path = join(dir, 'value');
  writeFileSync(path, String(inverted ? 1 - level : level));
  return { path, number, level };
}
