import type { ToneName, ToneRegion } from './tone-presets.js';
import { TONE_PRESETS } from './tone-presets.js';

/*
 * What the call-progress detector listens for, per region, built from the same tables the tone
 * generator plays (tone-presets.ts), plus the fax/modem tones every region shares:
 *   CNG 1100 Hz, 0.5 s on / 3 s off (ITU-T T.30, a calling fax);
 *   CED 2100 Hz, 2.6-4 s continuous (T.30 / V.25 answer tone, also modems' ANS and ANSam).
 *
 * A tone "class" is a set of frequencies sounding together (cn: 450 Hz; us: 350+440, 440+480,
 * 480+620); several tones may share a class and differ only in cadence. How a tone is recognised:
 *   continuous (dial, CED): on for continuousMs;
 *   cycles 0 (CNG): one burst of the right length has ended;
 *   cycles 1 (ringback): one burst of the right length, then silence long enough;
 *   cycles 2 (busy, congestion, reorder): burst, pause, burst of the right lengths, then silence
 *   long enough.
 */

export type ProgressToneName = ToneName | 'cng' | 'ced';
export type ProgressEventName = ProgressToneName | 'silence' | 'voice';

export interface ProgressClass {
  /** Frequencies that sound together, Hz. */
  readonly freqs: readonly number[];
}

export interface ProgressTone {
  readonly name: ProgressToneName;
  /** Index into the profile's classes. */
  readonly cls: number;
  /** Cadence (cadenced tones). */
  readonly onMs: number;
  readonly offMs: number;
  /** 0, 1 or 2 cycles to recognise a cadenced tone; -1 for a continuous tone. */
  readonly cycles: number;
  /** Continuous tones: how long before it is reported. */
  readonly continuousMs: number;
}

export interface ProgressProfile {
  readonly region: ToneRegion;
  /** Every frequency a class uses, Hz (the detector's Goertzel bank). */
  readonly freqs: readonly number[];
  readonly classes: readonly ProgressClass[];
  readonly tones: readonly ProgressTone[];
}

/** Cadence tolerance: the larger of this share of the nominal time and CADENCE_SLACK_MS. */
export const CADENCE_TOLERANCE = 0.2;
export const CADENCE_SLACK_MS = 50;
/** A continuous tone is reported after at least this long... */
export const MIN_CONTINUOUS_MS = 600;
/** ...and after the longest burst of any cadenced tone of its class (plus tolerance) is exceeded. */
const CONTINUOUS_MARGIN_MS = 200;

export const CNG_HZ = 1100;
export const CED_HZ = 2100;

/** Tones per region; 'congestion' in the US plan is the same tone as 'reorder' and is skipped. */
const NAMES: Record<ToneRegion, readonly ToneName[]> = {
  cn: ['dial', 'ringback', 'busy', 'congestion'],
  us: ['dial', 'ringback', 'busy', 'reorder'],
  etsi: ['dial', 'ringback', 'busy', 'congestion'],
};

export function cadenceTolerance(nominalMs: number): number {
  return Math.max(nominalMs * CADENCE_TOLERANCE, CADENCE_SLACK_MS);
}

export function cadenceMatches(measuredMs: number, nominalMs: number): boolean {
  return Math.abs(measuredMs - nominalMs) <= cadenceTolerance(nominalMs);
}

export function buildProfile(region: ToneRegion): ProgressProfile {
  const classes: ProgressClass[] = [];
  const classOf = (freqs: readonly number[]): number => {
    const key = [...freqs].sort((a, b) => a - b).join('+');
    let k = classes.findIndex((c) => c.freqs.join('+') === key);
    if (k < 0) k = classes.push({ freqs: [...freqs].sort((a, b) => a - b) }) - 1;
    return k;
  };
  const tones: ProgressTone[] = [];
  for (const name of NAMES[region]) {
    const spec = TONE_PRESETS[region][name];
    if (!spec) continue;
    const cls = classOf(spec.freqs);
    const cadence = spec.cadenceMs ?? [];
    if (cadence.length >= 2) {
      const cycles = name === 'ringback' ? 1 : 2;
      tones.push({ name, cls, onMs: cadence[0] as number, offMs: cadence[1] as number, cycles, continuousMs: 0 });
    } else tones.push({ name, cls, onMs: 0, offMs: 0, cycles: -1, continuousMs: 0 });
  }
  tones.push({ name: 'cng', cls: classOf([CNG_HZ]), onMs: 500, offMs: 3000, cycles: 0, continuousMs: 0 });
  tones.push({ name: 'ced', cls: classOf([CED_HZ]), onMs: 0, offMs: 0, cycles: -1, continuousMs: 500 });
  // A continuous tone must outlast every burst of its class.
  const resolved = tones.map((t) => {
    if (t.cycles >= 0 || t.continuousMs > 0) return t;
    const longest = Math.max(0, ...tones.filter((o) => o.cls === t.cls && o.cycles >= 0).map((o) => o.onMs));
    const tol = longest > 0 ? longest + cadenceTolerance(longest) + CONTINUOUS_MARGIN_MS : 0;
    return { ...t, continuousMs: Math.max(MIN_CONTINUOUS_MS, tol) };
  });
  const freqs = [...new Set(classes.flatMap((c) => c.freqs))].sort((a, b) => a - b);
  return { region, freqs, classes, tones: resolved };
}

export const PROGRESS_PROFILES: Readonly<Record<ToneRegion, ProgressProfile>> = {
  cn: buildProfile('cn'),
  us: buildProfile('us'),
  etsi: buildProfile('etsi'),
};
