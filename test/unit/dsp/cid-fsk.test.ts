// FSK caller ID round trips, generator → receiver: Bell 202 and V.23, SDMF and MDMF, Chinese
// names, with noise, level changes, twist, clock and frequency errors; corrupted messages are
// reported with checksumOk false, never as good ones; speech and music give nothing.
import { execFileSync } from 'node:child_process';
import t from 'tap';
import type { CallerIdGeneratorOptions } from '../../../hal/src/dsp/cid-gen.js';
import { CallerIdGenerator } from '../../../hal/src/dsp/cid-gen.js';
import type { CallerIdInfo, CallerIdMessage } from '../../../hal/src/dsp/cid-message.js';
import { encodeCallerId } from '../../../hal/src/dsp/cid-message.js';
import type { CallerIdReceiverOptions } from '../../../hal/src/dsp/cid-receive.js';
import { CallerIdReceiver } from '../../../hal/src/dsp/cid-receive.js';
import { decodeUlaw, encodeUlaw } from '../../../hal/src/dsp/g711.js';
import { dbm0ToPower, rmsToDbm0 } from '../../../hal/src/dsp/level.js';
import { applyGain } from '../../../hal/src/dsp/mix.js';
import { loadWavAs8k } from '../../../hal/src/dsp/resample.js';
import { musicPieces, renderMusic } from './fixtures/music.js';
import { addNoise, concat, renderSource, rmsOf, silence } from './fixtures/signals.js';

function receive(x: Int16Array, opts: Partial<CallerIdReceiverOptions> = {}, chunk = 160): CallerIdMessage[] {
  const got: CallerIdMessage[] = [];
  const r = new CallerIdReceiver({ ...opts, onMessage: (m) => got.push(m) });
  const all = concat([x, silence(1600)]);
  for (let i = 0; i < all.length; i += chunk) r.process(all.subarray(i, i + chunk));
  r.flush();
  return got;
}

const cid = (info: CallerIdInfo, opts: CallerIdGeneratorOptions = {}): Int16Array =>
  renderSource(new CallerIdGenerator(info, { leadMs: 200, tailMs: 100, ...opts }));

const CN = { number: '13800138000', name: '张三丰', datetime: '03171656' };
const US = { number: '6095551212', name: 'SMITH JOHN', datetime: '09301224' };

t.test('round trip: Bell 202 and V.23 × SDMF and MDMF, the standard named right', (t) => {
  for (const standard of ['bell202', 'v23'] as const) {
    for (const format of ['sdmf', 'mdmf'] as const) {
      const got = receive(cid(US, { standard, format }));
      t.equal(got.length, 1, `${standard} ${format}: one message`);
      t.match(got[0], {
        format,
        standard,
        number: US.number,
        name: format === 'mdmf' ? US.name : null,
        datetime: '09-30 12:24',
        checksumOk: true,
        complete: true,
        seizure: true,
      });
      t.ok(Math.abs((got[0]?.startMs ?? 0) - 200) < 10, `starts at the seizure (${got[0]?.startMs} ms)`);
    }
  }
  t.end();
});

t.test('China (YD/T 1277.1): Bell 202 MDMF with a GB 2312 name, private and unavailable numbers', (t) => {
  t.match(receive(cid(CN)), [{ standard: 'bell202', number: CN.number, name: '张三丰', datetime: '03-17 16:56', checksumOk: true }]);
  for (const absence of ['private', 'unavailable'] as const) {
    t.match(receive(cid({ absence, datetime: '03171656' })), [{ number: null, absence, checksumOk: true }], absence);
  }
  t.end();
});

t.test('noise: exact at 20, 15 and 10 dB SNR (20 seeds each); never a wrong message passed as good', (t) => {
  for (const standard of ['bell202', 'v23'] as const) {
    for (const snr of [20, 15, 10]) {
      const x = cid(CN, { standard, levelDbm0: -20 });
      const sigma = Math.sqrt(dbm0ToPower(-20) / 10 ** (snr / 10));
      let ok = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const good = receive(addNoise(x, sigma, seed)).filter((m) => m.checksumOk);
        if (good.length === 1 && good[0]?.number === CN.number && good[0]?.name === CN.name) ok++;
      }
      t.equal(ok, 20, `${standard} at ${snr} dB: ${ok}/20`);
    }
  }
  // Down at 4 dB, bit errors are caught by the checksum: whatever passes as good is right.
  const x = cid(CN, { levelDbm0: -20 });
  const sigma = Math.sqrt(dbm0ToPower(-20) / 10 ** 0.4);
  for (let seed = 1; seed <= 30; seed++) {
    for (const m of receive(addNoise(x, sigma, seed))) {
      if (m.checksumOk) t.match(m, { number: CN.number, name: CN.name }, `seed ${seed}: a good checksum means a right message`);
    }
  }
  t.end();
});

t.test('levels -5 to -42 dBm0, a 12 dB level step mid-message, twist, ±1 % clock, ±1.5 % frequency', (t) => {
  for (const levelDbm0 of [-5, -13.5, -30, -42]) {
    t.match(receive(cid(US, { levelDbm0 })), [{ number: US.number, checksumOk: true }], `${levelDbm0} dBm0`);
  }
  t.same(receive(cid(US, { levelDbm0: -50 })), [], '-50 dBm0 is under the carrier threshold');
  const x = cid(US, { levelDbm0: -15 });
  const half = x.length >> 1;
  const stepped = concat([x.subarray(0, half), applyGain(x.subarray(half), -12, new Int16Array(x.length - half))]);
  t.match(receive(stepped), [{ number: US.number, checksumOk: true }], 'level drops 12 dB mid-message');
  for (const [what, opts] of [
    ['twist +10 dB', { twistDb: 10 }],
    ['twist -6 dB', { twistDb: -6 }],
    ['clock +1 %', { baudErrorPct: 1 }],
    ['clock -1 %', { baudErrorPct: -1 }],
    ['frequency +1.5 %', { freqErrorPct: 1.5 }],
    ['frequency -1.5 %', { freqErrorPct: -1.5 }],
    ['no channel seizure, 80 marks', { seizureBits: 0, markBits: 80 }],
  ] as const) {
    for (const standard of ['bell202', 'v23'] as const) {
      const got = receive(cid(CN, { standard, ...opts }));
      t.match(got, [{ number: CN.number, name: CN.name, checksumOk: true, standard }], `${standard} ${what}`);
    }
  }
  t.equal(receive(cid(US, { seizureBits: 0, markBits: 80 }))[0]?.seizure, false, 'seizure: false when there was none');
  t.end();
});

t.test('µ-law coded, any chunking, two messages in a row', (t) => {
  const x = cid(CN, { levelDbm0: -13.5 });
  const bytes = new Uint8Array(x.length);
  const y = new Int16Array(x.length);
  encodeUlaw(x, bytes);
  decodeUlaw(bytes, y);
  t.match(receive(y), [{ number: CN.number, checksumOk: true }], 'µ-law');
  for (const chunk of [1, 37, 1000]) t.match(receive(x, {}, chunk), [{ number: CN.number, checksumOk: true }], `chunks of ${chunk}`);
  const two = receive(concat([cid(CN), silence(4000), cid(US, { standard: 'v23' })]));
  t.same(
    two.map((m) => [m.standard, m.number]),
    [
      ['bell202', CN.number],
      ['v23', US.number],
    ],
  );
  t.end();
});

t.test('corrupted messages are reported with checksumOk false, never accepted', (t) => {
  const good = encodeCallerId(CN);
  const badSum = good.slice();
  badSum[badSum.length - 1] = ((badSum[badSum.length - 1] as number) ^ 0x10) & 0xff;
  const badBody = good.slice();
  badBody[12] = (badBody[12] as number) ^ 0x01;
  for (const [what, bytes] of [
    ['checksum byte', badSum],
    ['a body bit', badBody],
  ] as const) {
    const got = receive(cid(CN, { bytes }));
    t.equal(got.length, 1, `${what}: reported`);
    t.match(got[0], { checksumOk: false, complete: true }, `${what}: not accepted`);
  }
  // The carrier stops mid-message: reported as incomplete.
  const x = cid(CN);
  const cut = receive(x.subarray(0, Math.round(x.length * 0.8)));
  t.match(cut, [{ checksumOk: false, complete: false }], 'cut short');
  t.end();
});

t.test('speech and music give no caller ID', (t) => {
  const signals: [string, Int16Array][] = musicPieces().map((p) => [p.name, renderMusic(p.events, { timbre: 'organ', levelDbm0: -14 })]);
  try {
    for (const [voice, text] of [
      ['en', 'Hello, thank you for calling, please hold while we connect you.'],
      ['cmn', '您好，请稍候，正在为您转接。'],
    ]) {
      signals.push([voice as string, loadWavAs8k(execFileSync('espeak-ng', ['-v', voice as string, '--stdout', text as string]))]);
    }
  } catch {
    t.comment('espeak-ng not installed: music only');
  }
  for (const [what, x] of signals) t.same(receive(x), [], what);
  t.end();
});

t.test('generator: level, duration, seizure and marks as asked', (t) => {
  const g = new CallerIdGenerator(US, { levelDbm0: -13.5, leadMs: 0, tailMs: 0 });
  const bits = 300 + 180 + encodeCallerId(US).length * 10 + 5;
  t.ok(Math.abs(g.durationMs - (bits * 1000) / 1200) < 1, `${g.durationMs.toFixed(1)} ms for ${bits} bits`);
  const x = renderSource(g);
  t.ok(Math.abs(rmsToDbm0(rmsOf(x.subarray(0, g.samples.length))) + 13.5) < 0.2, 'carrier at -13.5 dBm0');
  const y = renderSource(new CallerIdGenerator(US, { leadMs: 500, tailMs: 250 }));
  t.equal(y.length % 160, 0);
  t.ok(
    y.subarray(0, 4000).every((v) => v === 0),
    '500 ms of silence first',
  );
  t.end();
});
