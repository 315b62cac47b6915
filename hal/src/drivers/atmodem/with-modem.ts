/**
 * Composition: the real modem takes the place of one channel of another driver (the sim HAT
 * today, the Pi HAT later). `modemFromEnv` reads the contract variables:
 *   CALLBOX_MODEM=/dev/ttyUSB2 (or a udev by-id path)   the AT port
 *   CALLBOX_MODEM_BAUD=115200                            default 115200
 *   CALLBOX_MODEM_PIN=1234                               SIM PIN, entered once
 *   CALLBOX_MODEM_AUDIO=/dev/ttyUSB4                     USB PCM audio port (optional)
 */
import type { Channel, Driver } from '../../channel.js';
import type { Clock } from '../../clock.js';
import type { SerialFactory } from '../../serial.js';
import { AtModemDriver, type AtModemOptions } from './modem-driver.js';

const BAUDS = new Set([9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600]);

export type ModemEnv = Record<string, string | undefined>;

/** The modem options the environment asks for, or null when CALLBOX_MODEM is unset. Throws a clear Error on bad values. */
export function modemOptionsFromEnv(env: ModemEnv): Pick<AtModemOptions, 'path' | 'baudRate' | 'pin' | 'audioPath'> | null {
  const path = env.CALLBOX_MODEM?.trim();
  if (!path) return null;
  const baudText = env.CALLBOX_MODEM_BAUD?.trim() || '115200';
  const baudRate = Number(baudText);
  if (!BAUDS.has(baudRate)) throw new Error(`CALLBOX_MODEM_BAUD must be one of ${[...BAUDS].join(', ')} (got "${baudText}")`);
  const pin = env.CALLBOX_MODEM_PIN?.trim() || null;
  if (pin !== null && !/^[0-9]{4,8}$/.test(pin)) throw new Error('CALLBOX_MODEM_PIN must be 4-8 digits');
  return { path, baudRate, pin, audioPath: env.CALLBOX_MODEM_AUDIO?.trim() || null };
}

/** A driver whose channel `modem.channel.id` is the modem's, every other channel the base driver's. */
export class ModemOverlayDriver implements Driver {
  readonly name: string;

  constructor(
    readonly base: Driver,
    readonly modem: AtModemDriver,
  ) {
    this.name = `${base.name}+atmodem`;
  }

  channels(): Channel[] {
    const id = this.modem.channel.id;
    const list = this.base.channels();
    const at = list.findIndex((c) => c.id === id);
    if (at < 0) return [...list, this.modem.channel];
    return [...list.slice(0, at), this.modem.channel, ...list.slice(at + 1)];
  }

  async start(): Promise<void> {
    await this.base.start();
    // The modem may be absent or still starting: its channel shows 'error' with the reason until ready.
    await this.modem.start();
  }

  async stop(): Promise<void> {
    await this.modem.stop();
    await this.base.stop();
  }
}

/** The base driver, with the modem on gsm1 when CALLBOX_MODEM is set. */
export async function withModemFromEnv(
  base: Driver,
  env: ModemEnv,
  clock: Clock,
  log: (msg: string, data?: Record<string, unknown>) => void,
  serial?: SerialFactory,
): Promise<Driver> {
  const opts = modemOptionsFromEnv(env);
  if (!opts) return base;
  const factory = serial ?? (await import('../../serial-node.js')).nodeSerial;
  return new ModemOverlayDriver(base, new AtModemDriver({ ...opts, clock, serial: factory, channelId: 'gsm1', log }));
}
