import type { ToneSpec } from './tone.js';

/**
 * Call-progress tones as data, per region, for ToneGenerator (and, later, for call-progress tone
 * detection). Levels are per frequency component.
 *
 * Frequencies and cadences as listed for these networks in ITU-T E.180 Supplement 2 (China
 * 450 Hz; North American "precise tone plan"; the CEPT/ETSI 425 Hz plan). Levels are typical
 * values: China and ETSI -10 dBm0, US dial -13, ringback -19, busy/reorder -24 dBm0 per tone.
 * The call-progress detector (progress-profiles.ts) is built from these same tables.
 */
export type ToneName = 'dial' | 'ringback' | 'busy' | 'congestion' | 'reorder';
export type ToneRegion = 'cn' | 'us' | 'etsi';

export type TonePlan = Readonly<Partial<Record<ToneName, ToneSpec>>>;

const cn: TonePlan = {
  dial: { freqs: [450], levelDbm0: -10 },
  ringback: { freqs: [450], levelDbm0: -10, cadenceMs: [1000, 4000] },
  busy: { freqs: [450], levelDbm0: -10, cadenceMs: [350, 350] },
  congestion: { freqs: [450], levelDbm0: -10, cadenceMs: [700, 700] },
};

/** North America calls congestion "reorder"; both names give the same tone. */
const usReorder: ToneSpec = { freqs: [480, 620], levelDbm0: -24, cadenceMs: [250, 250] };

const us: TonePlan = {
  dial: { freqs: [350, 440], levelDbm0: -13 },
  ringback: { freqs: [440, 480], levelDbm0: -19, cadenceMs: [2000, 4000] },
  busy: { freqs: [480, 620], levelDbm0: -24, cadenceMs: [500, 500] },
  reorder: usReorder,
  congestion: usReorder,
};

const etsi: TonePlan = {
  dial: { freqs: [425], levelDbm0: -10 },
  ringback: { freqs: [425], levelDbm0: -10, cadenceMs: [1000, 4000] },
  busy: { freqs: [425], levelDbm0: -10, cadenceMs: [500, 500] },
  congestion: { freqs: [425], levelDbm0: -10, cadenceMs: [200, 200] },
};

/**
 * All presets, by region then tone name. Only the US plan has 'reorder' (its 'congestion' is the
 * same tone). ETSI congestion is the CEPT-recommended 425 Hz 200/200 ms; some countries differ.
 */
export const TONE_PRESETS: Readonly<Record<ToneRegion, TonePlan>> = { cn, us, etsi };

/** The preset for `region`/`name`; throws naming both when there is none. */
export function tonePreset(region: ToneRegion, name: ToneName): ToneSpec {
  const spec = TONE_PRESETS[region]?.[name];
  if (!spec) throw new Error(`no ${name} tone preset for region ${region}`);
  return spec;
}
