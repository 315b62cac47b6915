/**
 * Which driver the box runs, from the config and the environment: the sim driver (or `--sim`), or
 * the Pi telephony HAT (`hardware.driver: "pihat"`: onoff GPIO, arecord/aplay audio); with a GSM
 * modem on gsm1 when CALLBOX_MODEM or `hardware.modem` names one (the environment wins).
 */
import type { Driver } from '../../hal/src/channel.js';
import type { Clock } from '../../hal/src/clock.js';
import { AtModemDriver } from '../../hal/src/drivers/atmodem/modem-driver.js';
import { ModemOverlayDriver, type ModemEnv, withModemFromEnv } from '../../hal/src/drivers/atmodem/with-modem.js';
import type { HatDescription, LineCountry } from '../../hal/src/drivers/pihat/hat-types.js';
import type { Gpio } from '../../hal/src/gpio.js';
import type { AudioDeviceFactory } from '../../hal/src/drivers/pihat/audio-device.js';
import { PiHatDriver } from '../../hal/src/drivers/pihat/pihat-driver.js';
import type { Config } from './config/schema.js';
import type { SmsSender } from './sms/types.js';

export interface HatIo {
  gpio: Gpio;
  audio: AudioDeviceFactory;
}

const COUNTRY: Record<Config['shop']['country'], LineCountry> = { CN: 'cn', US: 'us', EU: 'etsi' };

/** The HAT description the driver takes, from the config section. */
export function hatFromConfig(c: Config): HatDescription | null {
  const h = c.hardware.pihat;
  if (!h) return null;
  const { ringCadenceMs, ...profile } = h.profile ?? {};
  return {
    ports: h.ports.map((p) => ({ ...p })),
    ...(h.bypassRelay ? { bypassRelay: h.bypassRelay } : {}),
    ...(h.bypassHeartbeat ? { bypassHeartbeat: h.bypassHeartbeat } : {}),
    ...(h.audio ? { audio: h.audio } : {}),
    profile: { ...profile, country: COUNTRY[c.shop.country], ...(ringCadenceMs ? { ringCadence: { pattern: ringCadenceMs } } : {}) },
  };
}

/** The Pi HAT driver on the box's real GPIO and ALSA (loaded only when the config asks for it). */
export async function piHatDriver(
  c: Config,
  clock: Clock,
  log: (msg: string, data?: Record<string, unknown>) => void,
  /** GPIO and audio to use instead of onoff and arecord/aplay (tests, a bench simulation). */
  io?: HatIo,
): Promise<PiHatDriver> {
  const hat = hatFromConfig(c);
  if (!hat) throw new Error('hardware.driver is "pihat" but hardware.pihat (the HAT wiring) is missing');
  if (io) return new PiHatDriver({ hat, clock, gpio: io.gpio, audio: io.audio, log });
  const { OnoffGpio } = await import('../../hal/src/gpio-onoff.js');
  const gpio: Gpio = new OnoffGpio(c.hardware.pihat?.gpioChip ? { chipLabel: c.hardware.pihat.gpioChip } : {});
  return new PiHatDriver({ hat, clock, gpio, audio: await alsaAudio(hat, log), log });
}

/** The box's audio devices: arecord/aplay on each ALSA PCM the HAT names (tests take it for a device they fail). */
export async function alsaAudio(
  hat: HatDescription,
  log: (msg: string, data?: Record<string, unknown>) => void,
): Promise<AudioDeviceFactory> {
  const { AlsaDevice } = await import('../../hal/src/drivers/pihat/alsa-device.js');
  return ({ device, channels }) =>
    new AlsaDevice({
      device,
      channels,
      ...(hat.audio?.periodMs ? { periodMs: hat.audio.periodMs } : {}),
      ...(hat.audio?.bufferMs ? { bufferMs: hat.audio.bufferMs } : {}),
      log,
    });
}

/** The environment with the config's modem filled in where CALLBOX_MODEM* are unset. */
export function modemEnv(c: Config, env: ModemEnv): ModemEnv {
  const m = c.hardware.modem;
  if (!m || env.CALLBOX_MODEM?.trim()) return env;
  return {
    ...env,
    CALLBOX_MODEM: m.path,
    ...(m.baudRate ? { CALLBOX_MODEM_BAUD: String(m.baudRate) } : {}),
    ...(m.pin ? { CALLBOX_MODEM_PIN: m.pin } : {}),
    ...(m.audioPath ? { CALLBOX_MODEM_AUDIO: m.audioPath } : {}),
  };
}

/** The base driver with the modem overlaid on gsm1 when the config or the environment names one. */
export async function withModem(
  base: Driver,
  c: Config,
  env: ModemEnv,
  clock: Clock,
  log: (msg: string, data?: Record<string, unknown>) => void,
): Promise<Driver> {
  return withModemFromEnv(base, modemEnv(c, env), clock, log);
}

/** The AT modem of a driver (directly, overlaid on gsm1, or inside a MultiDriver), if any. */
export function modemOf(driver: Driver & { drivers?: Driver[] }): AtModemDriver | null {
  const all = driver.drivers ?? [driver];
  const overlay = all.find((d): d is ModemOverlayDriver => d instanceof ModemOverlayDriver);
  return overlay?.modem ?? all.find((d): d is AtModemDriver => d instanceof AtModemDriver) ?? null;
}

/** The modem of a driver as the SMS outbox sends through it. */
export function smsSenderOf(driver: Driver & { drivers?: Driver[] }): SmsSender | null {
  const modem = modemOf(driver);
  if (!modem) return null;
  return {
    ready: () => modem.status().state === 'ready',
    send: (to, text) => modem.sendSms(to, text),
    onReport: (fn) => modem.events.on('smsReport', fn),
  };
}
