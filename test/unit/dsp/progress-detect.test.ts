// Call-progress tone detection: every tone of every profile, cadence and frequency tolerance on
// both sides, levels and noise, fax tones, silence and voice, call scenarios.
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { dbm0ToAmplitude, dbm0ToPower } from '../../../hal/src/dsp/level.js';
import type { ProgressEvent } from '../../../hal/src/dsp/progress-detect.js';
import { CallProgressDetector } from '../../../hal/src/dsp/progress-detect.js';
import { PROGRESS_PROFILES } from '../../../hal/src/dsp/progress-profiles.js';
import { loadWavAs8k } from '../../../hal/src/dsp/resample.js';
import type { ToneSpec } from '../../../hal/src/dsp/tone.js';
import { ToneGenerator } from '../../../hal/src/dsp/tone.js';
import type { ToneRegion } from '../../../hal/src/dsp/tone-presets.js';
import { TONE_PRESETS } from '../../../hal/src/dsp/tone-presets.js';
import { addNoise, concat, renderSource, silence, sines } from './fixtures/signals.js';

function events(region: ToneRegion, x: Int16Array, chunk = 160): ProgressEvent[] {
  const out: ProgressEvent[] = [];
  const d = new CallProgressDetector({ profile: region, onEvent: (e) => out.push(e) });
  for (let i = 0; i < x.length; i += chunk) d.process(x.subarray(i, i + chunk));
  d.finish();
  return out;
}
const names = (ev: ProgressEvent[]): string[] => ev.map((e) => e.tone);
const tone = (spec: ToneSpec, ms: number): Int16Array => renderSource(new ToneGenerator(spec, { durationMs: ms }), 8000 * 120);
const ms = (n: number): Int16Array => silence(n * 8);

const EXPECTED: Record<ToneRegion, [string, string][]> = {
  cn: [
    ['dial', 'dial'],
    ['ringback', 'ringback'],
    ['busy', 'busy'],
    ['congestion', 'congestion'],
  ],
  us: [
    ['dial', 'dial'],
    ['ringback', 'ringback'],
    ['busy', 'busy'],
    ['reorder', 'reorder'],
    ['congestion', 'reorder'],
  ],
  etsi: [
    ['dial', 'dial'],
    ['ringback', 'ringback'],
    ['busy', 'busy'],
    ['congestion', 'congestion'],
  ],
};

t.test('every preset tone of every region is named, with its start time, and ends', (t) => {
  for (const [region, list] of Object.entries(EXPECTED) as [ToneRegion, [string, string][]][]) {
    for (const [preset, want] of list) {
      const spec = TONE_PRESETS[region][preset as 'dial'] as ToneSpec;
      const ev = events(region, concat([ms(700), tone(spec, 12000), ms(500)]));
      t.same(names(ev), [want], `${region} ${preset}`);
      t.ok(Math.abs((ev[0]?.startMs ?? 0) - 700) <= 13, `starts where the tone starts (${ev[0]?.startMs})`);
      // It ends with its last burst: within one pause of the end of the signal.
      const pause = spec.cadenceMs?.[1] ?? 0;
      const end = ev[0]?.endMs ?? 0;
      t.ok(end <= 12700 + 13 && end >= 12700 - pause - (spec.cadenceMs?.[0] ?? 0), `ends by the end (${end})`);
    }
  }
  t.end();
});

t.test('cadence tolerance: ±15 % accepted, ±40 % is not that tone', (t) => {
  for (const region of ['cn', 'us', 'etsi'] as ToneRegion[]) {
    for (const name of ['busy', 'congestion', 'reorder', 'ringback'] as const) {
      const spec = TONE_PRESETS[region][name];
      if (!spec?.cadenceMs || (region === 'us' && name === 'congestion')) continue;
      const [on, off] = spec.cadenceMs as [number, number];
      for (const f of [0.85, 1.15]) {
        const ev = events(region, concat([ms(500), tone({ ...spec, cadenceMs: [on * f, off * f] }, 14000)]));
        t.same(names(ev), [name], `${region} ${name} ×${f}`);
      }
      for (const f of [0.6, 1.4]) {
        const ev = events(region, concat([ms(500), tone({ ...spec, cadenceMs: [on * f, off * f] }, 14000)]));
        t.notOk(names(ev).includes(name), `${region} ${name} ×${f}: ${JSON.stringify(names(ev))}`);
      }
    }
  }
  t.end();
});

t.test('frequency: ±2 % off still detected; another region’s tone is not', (t) => {
  for (const dev of [0.98, 1.02]) {
    const spec = TONE_PRESETS.us.busy as ToneSpec;
    t.same(names(events('us', tone({ ...spec, freqs: spec.freqs.map((f) => f * dev) }, 6000))), ['busy'], `us busy ×${dev}`);
    const cn = TONE_PRESETS.cn.busy as ToneSpec;
    t.same(names(events('cn', tone({ ...cn, freqs: [450 * dev] }, 6000))), ['busy'], `cn busy ×${dev}`);
  }
  // A US busy tone (480+620) is not a Chinese tone (450): heard as sound, not as busy.
  t.notOk(names(events('cn', tone(TONE_PRESETS.us.busy as ToneSpec, 6000))).includes('busy'));
  // 350+440 alone is US dial tone, not ringback (440+480).
  t.same(names(events('us', tone(TONE_PRESETS.us.dial as ToneSpec, 3000))), ['dial']);
  t.end();
});

t.test('levels from -10 to -38 dBm0 per tone, and 20 dB SNR in white noise', (t) => {
  for (const level of [-10, -25, -38]) {
    const spec = { ...(TONE_PRESETS.cn.busy as ToneSpec), levelDbm0: level };
    t.same(names(events('cn', tone(spec, 6000))), ['busy'], `cn busy at ${level} dBm0`);
  }
  t.same(
    names(events('cn', tone({ ...(TONE_PRESETS.cn.busy as ToneSpec), levelDbm0: -46 }, 6000))),
    ['silence'],
    '-46 dBm0 is under the floor',
  );
  for (const region of ['cn', 'us', 'etsi'] as ToneRegion[]) {
    const spec = { ...(TONE_PRESETS[region].busy as ToneSpec), levelDbm0: -20 };
    const x = tone(spec, 8000);
    const sigma = Math.sqrt((spec.freqs.length * dbm0ToPower(-20)) / 100);
    t.same(names(events(region, addNoise(x, sigma, 3))), ['busy'], `${region} busy at 20 dB SNR`);
  }
  t.end();
});

t.test('fax: CNG (1100 Hz 0.5 s / 3 s) and CED (2100 Hz, with phase reversals too)', (t) => {
  const a = dbm0ToAmplitude(-15);
  const cng = concat([ms(300), sines([[1100, a]], 4000), ms(3000), sines([[1100, a]], 4000), ms(3000)]);
  for (const region of ['cn', 'us', 'etsi'] as ToneRegion[]) t.same(names(events(region, cng)), ['cng'], `${region} CNG`);
  t.same(names(events('cn', concat([ms(300), sines([[1100, a]], 8000 * 2)]))), [], 'a 2 s 1100 Hz tone is not CNG');
  const ced = concat([ms(300), sines([[2100, a]], 8000 * 3), ms(500)]);
  const ev = events('etsi', ced);
  t.same(names(ev), ['ced']);
  t.equal(ev[0]?.startMs, 300);
  // ANS with phase reversals every 450 ms (V.25).
  const rev = Int16Array.from({ length: 8000 * 3 }, (_, i) =>
    Math.round(a * Math.sin((2 * Math.PI * 2100 * i) / 8000 + Math.PI * Math.floor(i / 3600))),
  );
  t.same(names(events('us', concat([ms(300), rev]))), ['ced'], 'phase reversals do not break it');
  t.same(names(events('us', concat([ms(300), sines([[2100, a]], 3000)]))), [], 'under 0.5 s is not CED');
  t.end();
});

t.test('silence after silenceMs; a silent cadence pause is not silence', (t) => {
  const ev = events('cn', concat([ms(6000)]));
  t.same(names(ev), ['silence']);
  t.equal(ev[0]?.startMs, 0);
  t.same(names(events('cn', ms(4000))), [], '4 s is not yet silence');
  t.same(names(events('cn', tone(TONE_PRESETS.cn.ringback as ToneSpec, 20000))), ['ringback'], 'ringback pauses are 4 s');
  const d = new CallProgressDetector({ profile: 'us', silenceMs: 1000, onEvent: () => {} });
  t.equal(d.profile.region, 'us');
  t.end();
});

const espeak = (() => {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

t.test(
  'outbound call: dial, ringback, then the callee speaks (voice); busy after hang-up',
  { skip: !espeak && 'espeak-ng not installed' },
  (t) => {
    for (const [region, voice, text] of [
      ['cn', 'cmn', '喂，您好，请问找哪位？'],
      ['us', 'en-us', 'Hello, this is Bob speaking, how can I help you?'],
      ['etsi', 'en', 'Hello, good morning, who is calling please?'],
    ] as const) {
      const speech = loadWavAs8k(execFileSync('espeak-ng', ['-v', voice, '--stdout', text]));
      const p = TONE_PRESETS[region];
      const x = concat([
        tone(p.dial as ToneSpec, 2500),
        ms(800),
        tone(p.ringback as ToneSpec, region === 'us' ? 12000 : 10000),
        speech,
        ms(1000),
        tone(p.busy as ToneSpec, 5000),
      ]);
      const ev = events(region, x);
      t.same(names(ev), ['dial', 'ringback', 'voice', 'busy'], `${region}: ${JSON.stringify(ev)}`);
      const voiceAt = ev.find((e) => e.tone === 'voice')?.startMs ?? 0;
      const speechAt = 3300 + (region === 'us' ? 12000 : 10000);
      t.ok(Math.abs(voiceAt - speechAt) < 300, `voice at ${voiceAt}, speech at ${speechAt}`);
    }
    t.end();
  },
);

t.test('speech alone gives voice and never a tone', { skip: !espeak && 'espeak-ng not installed' }, (t) => {
  for (const [voice, text] of [
    ['en', 'Thank you for calling. All our agents are busy, please hold the line, your call is important to us.'],
    ['cmn', '您好，欢迎致电。所有坐席正忙，请稍候，您的来电对我们很重要。'],
  ] as const) {
    const x = loadWavAs8k(execFileSync('espeak-ng', ['-v', voice, '--stdout', text]));
    for (const region of ['cn', 'us', 'etsi'] as ToneRegion[]) {
      const got = names(events(region, x)).filter((n) => n !== 'voice' && n !== 'silence');
      t.same(got, [], `${voice} in ${region}`);
    }
  }
  t.end();
});

t.test('chunking does not matter; profiles expose their tones', (t) => {
  const x = concat([ms(300), tone(TONE_PRESETS.etsi.busy as ToneSpec, 5000)]);
  for (const chunk of [1, 37, 160, 200, 1000]) t.same(names(events('etsi', x, chunk)), ['busy'], `chunks of ${chunk}`);
  t.same(
    PROGRESS_PROFILES.us.tones.map((x) => x.name),
    ['dial', 'ringback', 'busy', 'reorder', 'cng', 'ced'],
  );
  t.end();
});
