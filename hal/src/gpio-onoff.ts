/**
 * The box's GPIO: onoff (sysfs /sys/class/gpio) behind the HAL's Gpio interface. The HAT
 * description names lines by their offset on the SoC's GPIO chip (BCM 17); sysfs numbers them
 * from the chip's base, which recent Pi OS kernels put at 512 (Pi 4: pinctrl-bcm2711) or 571
 * (Pi 5: pinctrl-rp1) — so the base is read from /sys/class/gpio/gpiochip*\/base, never assumed.
 * onoff is loaded on the first open (a box without a HAT never loads it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Edge, Gpio, GpioPin } from './gpio.js';

export interface GpioChipInfo {
  /** The sysfs directory name, e.g. gpiochip512. */
  name: string;
  label: string;
  base: number;
  ngpio: number;
}

export const SYSFS_GPIO = '/sys/class/gpio';

/** The GPIO chips under a sysfs root (a test passes a fake tree). */
export function gpioChips(root: string = SYSFS_GPIO): GpioChipInfo[] {
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => /^gpiochip[0-9]+$/.test(n));
  } catch (e) {
    throw new Error(`no GPIO sysfs at ${root} (${(e as Error).message}); is this a Raspberry Pi with CONFIG_GPIO_SYSFS?`);
  }
  const read = (chip: string, file: string) => readFileSync(join(root, chip, file), 'utf8').trim();
  return names
    .map((name) => ({ name, label: read(name, 'label'), base: Number(read(name, 'base')), ngpio: Number(read(name, 'ngpio')) }))
    .sort((a, b) => a.base - b.base);
}

/** The SoC's main GPIO chip: the one labelled `label`, else the pinctrl chip (bcm2835/bcm2711/rp1), else the only one. */
export function socChip(chips: GpioChipInfo[], label?: string): GpioChipInfo {
  const list = chips.map((c) => `${c.name} "${c.label}"`).join(', ') || 'none';
  if (label) {
    const c = chips.find((x) => x.label === label);
    if (!c) throw new Error(`no GPIO chip labelled "${label}" (chips: ${list})`);
    return c;
  }
  const pinctrl = chips.filter((c) => /^pinctrl-(bcm|rp1)/.test(c.label));
  if (pinctrl.length === 1) return pinctrl[0] as GpioChipInfo;
  if (chips.length === 1) return chips[0] as GpioChipInfo;
  throw new Error(`cannot tell which GPIO chip is the SoC's (chips: ${list}); set hardware.pihat.gpioChip to its label`);
}

/** The sysfs GPIO number of a line offset on the chip. */
export function sysfsNumber(chip: GpioChipInfo, line: number): number {
  if (!Number.isInteger(line) || line < 0 || line >= chip.ngpio) {
    throw new Error(`GPIO line ${line} is not on ${chip.name} "${chip.label}" (0..${chip.ngpio - 1})`);
  }
  return chip.base + line;
}

/** The part of onoff's API used here. */
export interface OnoffGpioCtor {
  new (
    gpio: number,
    direction: 'in' | 'out' | 'high' | 'low',
    edge?: 'none' | 'rising' | 'falling' | 'both',
    options?: { debounceTimeout?: number; activeLow?: boolean; reconfigureDirection?: boolean },
  ): OnoffPin;
  accessible: boolean;
}

interface OnoffPin {
  read(): Promise<0 | 1>;
  write(value: 0 | 1): Promise<void>;
  watch(cb: (err: Error | null | undefined, value: 0 | 1) => void): void;
  unwatch(cb?: (err: Error | null | undefined, value: 0 | 1) => void): void;
  unexport(): void;
}

export interface OnoffGpioOptions {
  /** sysfs root for the chip's base (default /sys/class/gpio; onoff itself always uses that). */
  root?: string;
  /** The label of the chip the HAT's lines are on (default: the SoC's pinctrl chip). */
  chipLabel?: string;
  /** Loads onoff (tests pass a fake). */
  load?: () => Promise<OnoffGpioCtor>;
}

const loadOnoff = async (): Promise<OnoffGpioCtor> => {
  const name = 'onoff'; // not a static import: the bundle and the type check do without it
  const mod = (await import(name)) as { Gpio: OnoffGpioCtor };
  return mod.Gpio;
};

export class OnoffGpio implements Gpio {
  private chip: GpioChipInfo | null = null;
  private ctor: OnoffGpioCtor | null = null;

  constructor(private readonly o: OnoffGpioOptions = {}) {}

  /** The sysfs number of a line (reads the chip once). */
  number(line: number): number {
    this.chip ??= socChip(gpioChips(this.o.root), this.o.chipLabel);
    return sysfsNumber(this.chip, line);
  }

  async input(line: number, opts: { debounceMs?: number; activeLow?: boolean } = {}): Promise<GpioPin> {
    const Ctor = await this.onoff();
    const pin = new Ctor(this.number(line), 'in', 'both', {
      activeLow: opts.activeLow ?? false,
      ...(opts.debounceMs ? { debounceTimeout: opts.debounceMs } : {}),
    });
    return wrap(line, pin);
  }

  async output(line: number, opts: { initial?: 0 | 1; activeLow?: boolean } = {}): Promise<GpioPin> {
    const Ctor = await this.onoff();
    const activeLow = opts.activeLow ?? false;
    // 'high'/'low' set the level glitch-free as the direction changes; they are physical levels.
    const level = activeLow ? 1 - (opts.initial ?? 0) : (opts.initial ?? 0);
    const pin = new Ctor(this.number(line), level ? 'high' : 'low', 'none', { activeLow });
    await pin.write(opts.initial ?? 0); // the logical value, whatever the kernel made of 'high'/'low'
    return wrap(line, pin);
  }

  private async onoff(): Promise<OnoffGpioCtor> {
    this.ctor ??= await (this.o.load ?? loadOnoff)();
    return this.ctor;
  }
}

function wrap(line: number, pin: OnoffPin): GpioPin {
  const watchers = new Set<(err: Error | null | undefined, value: 0 | 1) => void>();
  return {
    line,
    read: () => pin.read(),
    write: (v) => pin.write(v),
    watch(edge: Edge, fn: (v: 0 | 1) => void) {
      const cb = (err: Error | null | undefined, value: 0 | 1) => {
        if (err) return;
        if (edge === 'both' || (edge === 'rising' ? value === 1 : value === 0)) fn(value);
      };
      watchers.add(cb);
      pin.watch(cb);
      return () => {
        watchers.delete(cb);
        pin.unwatch(cb);
      };
    },
    async close() {
      for (const cb of watchers) pin.unwatch(cb);
      watchers.clear();
      pin.unexport();
    },
  };
}
