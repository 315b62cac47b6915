/**
 * The hardware description of a Pi telephony HAT (a device-tree-like map, from the box config's
 * `hardware.pihat` section): which GPIO line does what for each port, which ALSA device and channel
 * carries each port's audio, and the line profile (country cadences, debouncing, hook-flash timing).
 * Pure data; the firmware's config schema validates the same shape.
 */
import type { RingCadence } from '../../channel.js';

/** A GPIO line (the SoC's line offset on its chip, e.g. BCM 17), active high unless said otherwise. */
export interface GpioRef {
  line: number;
  activeLow?: boolean;
}

/** Where a port's audio is: an ALSA PCM (e.g. "hw:CARD=tdm,DEV=0", "plughw:1,0") and a channel of it (0-based). */
export interface AudioRef {
  device: string;
  channel: number;
}

/** An FXO port: a shop line. */
export interface HatFxoPort {
  id: string;
  kind: 'fxo';
  /** Opto-coupler output: active while ring voltage is on the line (pulses at the ring frequency). */
  ringDetect: GpioRef;
  /** Relay that seizes the line (off hook) when active. */
  hookRelay: GpioRef;
  /** Line polarity detector (optional): changes level when the exchange reverses the battery. */
  polarity?: GpioRef;
  led?: GpioRef;
  audio: AudioRef;
  /** How this line dials out when it differs from the profile's `dialMode` (an old exchange on one line). */
  dialMode?: 'dtmf' | 'pulse';
}

/** An FXS port: an agent's analog phone. */
export interface HatFxsPort {
  id: string;
  kind: 'fxs';
  /** Loop-current detector: active while the phone is off hook. */
  hookDetect: GpioRef;
  /** Switches the ring generator onto the port while active. */
  ringControl: GpioRef;
  led?: GpioRef;
  audio: AudioRef;
}

export type HatPort = HatFxoPort | HatFxsPort;

export type LineCountry = 'cn' | 'us' | 'etsi';

/** Timing of the lines and phones; defaults per country from lineProfile(). */
export interface LineProfile {
  country: LineCountry;
  /** Ring cadence, both what the exchange sends to FXO ports and what the box sends to FXS phones. */
  ringCadence: RingCadence;
  /** A ring burst ends after this long without ring-detect activity (bridges the ring frequency's half waves). */
  ringDebounceMs: number;
  /** Bursts shorter than this are noise, not a ring. */
  ringMinMs: number;
  /** Hook and polarity inputs count once stable this long. */
  hookDebounceMs: number;
  /** An on-hook break between these is a hook flash; longer is hanging up. */
  flashMinMs: number;
  flashMaxMs: number;
  /** Caller ID the box sends to FXS phones: FSK standard, or DTMF, or none. */
  callerId: 'bell202' | 'v23' | 'dtmf' | 'none';
  /** An FXO call the far end left is ended on a polarity reversal (most Chinese exchanges signal it). */
  polarityHangup: boolean;
  /** FXS pulse (rotary) dialling: a hook break up to this long is a dial pulse (must be below flashMinMs). */
  pulseBreakMaxMs: number;
  /** FXS pulse dialling: a make (off hook) this long after a pulse ends the digit (inter-digit pause ≥ 300 ms). */
  pulseDigitGapMs: number;
  /** How FXO ports dial out: DTMF tones, or pulses on the hook relay for exchanges without DTMF. */
  dialMode: 'dtmf' | 'pulse';
  /** Outbound pulses: break and make (10 pps), and the pause between digits. */
  pulseBreakMs: number;
  pulseMakeMs: number;
  pulseInterDigitMs: number;
}

export interface HatDescription {
  ports: HatPort[];
  /** Relay that puts the box in the line path while energised; released (box down, power fail), the first line goes straight to a phone. */
  bypassRelay?: GpioRef;
  /**
   * The HAT's hardware watchdog (optional): the bypass relay stays energised only while this line
   * toggles (every `periodMs`, default 100); no toggle for the chip's timeout (the box stopped,
   * crashed, hung or was killed) and the chip drops the relay. bypass.ts.
   */
  bypassHeartbeat?: GpioRef & { periodMs?: number };
  /** ALSA period and buffer (default 20 ms / 80 ms). */
  audio?: { periodMs?: number; bufferMs?: number };
  profile?: Partial<LineProfile>;
}

const CADENCES: Record<LineCountry, number[]> = { cn: [1000, 4000], us: [2000, 4000], etsi: [1000, 4000] };
const CALLER_ID: Record<LineCountry, LineProfile['callerId']> = { cn: 'bell202', us: 'bell202', etsi: 'v23' };
/** 10 pps break/make: China and ETSI 1.5-1.6 : 1 (YD/T 1277, ETS 300 001), US 61/39 (TIA-968). */
const PULSE: Record<LineCountry, [number, number]> = { cn: [61, 39], us: [61, 39], etsi: [60, 40] };

/** The line profile of a country with the given overrides. */
export function lineProfile(country: LineCountry, over: Partial<LineProfile> = {}): LineProfile {
  return {
    country,
    ringCadence: { pattern: CADENCES[country] },
    ringDebounceMs: 64,
    ringMinMs: 150,
    hookDebounceMs: 20,
    flashMinMs: 100,
    flashMaxMs: 1250,
    callerId: CALLER_ID[country],
    polarityHangup: true,
    pulseBreakMaxMs: 90,
    pulseDigitGapMs: 200,
    dialMode: 'dtmf',
    pulseBreakMs: PULSE[country][0],
    pulseMakeMs: PULSE[country][1],
    pulseInterDigitMs: 800,
    ...over,
  };
}

/** Problems of a description the schema cannot see: duplicate ids, GPIO lines used twice, audio slots shared. */
export function hatIssues(hat: HatDescription): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const ids = new Map<string, number>();
  const lines = new Map<number, string>();
  const slots = new Map<string, string>();
  const useLine = (ref: GpioRef | undefined, path: string) => {
    if (!ref) return;
    const prev = lines.get(ref.line);
    if (prev) issues.push({ path, message: `GPIO ${ref.line} is already used by ${prev}` });
    else lines.set(ref.line, path);
  };
  useLine(hat.bypassRelay, '/bypassRelay');
  useLine(hat.bypassHeartbeat, '/bypassHeartbeat');
  hat.ports.forEach((p, i) => {
    const at = `/ports/${i}`;
    if (ids.has(p.id)) issues.push({ path: `${at}/id`, message: `duplicate port id "${p.id}"` });
    ids.set(p.id, i);
    if (!new RegExp(`^${p.kind}[1-9][0-9]*$`).test(p.id))
      issues.push({ path: `${at}/id`, message: `an ${p.kind} port is named ${p.kind}1, ${p.kind}2, …` });
    if (p.kind === 'fxo') {
      useLine(p.ringDetect, `${at}/ringDetect`);
      useLine(p.hookRelay, `${at}/hookRelay`);
      useLine(p.polarity, `${at}/polarity`);
    } else {
      useLine(p.hookDetect, `${at}/hookDetect`);
      useLine(p.ringControl, `${at}/ringControl`);
    }
    useLine(p.led, `${at}/led`);
    const slot = `${p.audio.device}#${p.audio.channel}`;
    const prev = slots.get(slot);
    if (prev) issues.push({ path: `${at}/audio`, message: `${p.audio.device} channel ${p.audio.channel} is already ${prev}'s` });
    else slots.set(slot, p.id);
  });
  const p = hat.profile;
  if (p?.flashMinMs !== undefined && p.flashMaxMs !== undefined && p.flashMinMs >= p.flashMaxMs) {
    issues.push({ path: '/profile/flashMaxMs', message: 'must be above flashMinMs' });
  }
  // With lineProfile()'s defaults for what the description leaves out (the timing is the same in every country).
  const { pulseBreakMaxMs, flashMinMs, hookDebounceMs } = lineProfile('cn', p);
  if (pulseBreakMaxMs >= flashMinMs) issues.push({ path: '/profile/pulseBreakMaxMs', message: `must be below flashMinMs (${flashMinMs})` });
  if (pulseBreakMaxMs <= hookDebounceMs) issues.push({ path: '/profile/pulseBreakMaxMs', message: 'must be above hookDebounceMs' });
  return issues;
}
