// DTMF caller ID (A/B/C/D delimiters, digits, #) round trips, and the whole per-line chain
// (LineMonitor) hearing caller ID, digits and tones in one stream.
import t from 'tap';
import { DtmfCallerIdParser, encodeDtmfCallerId, parseDtmfCallerId } from '../../../hal/src/dsp/cid-dtmf.js';
import { CallerIdGenerator } from '../../../hal/src/dsp/cid-gen.js';
import type { CallerIdMessage } from '../../../hal/src/dsp/cid-message.js';
import { CallerIdReceiver } from '../../../hal/src/dsp/cid-receive.js';
import { dbm0ToPower } from '../../../hal/src/dsp/level.js';
import { LineMonitor } from '../../../hal/src/dsp/line-monitor.js';
import type { ToneSpec } from '../../../hal/src/dsp/tone.js';
import { ToneGenerator } from '../../../hal/src/dsp/tone.js';
import { TONE_PRESETS } from '../../../hal/src/dsp/tone-presets.js';
import { dtmf } from './fixtures/dtmf.js';
import { addNoise, concat, renderSource, silence } from './fixtures/signals.js';

function receive(x: Int16Array): CallerIdMessage[] {
  const got: CallerIdMessage[] = [];
  const r = new CallerIdReceiver({ standards: ['dtmf'], onMessage: (m) => got.push(m) });
  r.process(concat([x, silence(1600)]));
  return got;
}

t.test('encoding: A<number>C / A<number>#, B00C B10C, D1# D3#', (t) => {
  t.equal(encodeDtmfCallerId({ number: '13800138000' }), 'A13800138000C');
  t.equal(encodeDtmfCallerId({ number: '4520' }, '#'), 'A4520#');
  t.equal(encodeDtmfCallerId({ absence: 'unavailable' }), 'B00C');
  t.equal(encodeDtmfCallerId({ absence: 'private' }), 'B10C');
  t.equal(encodeDtmfCallerId({ absence: 'private' }, '#'), 'D1#');
  t.equal(encodeDtmfCallerId({ absence: 'unavailable' }, '#'), 'D3#');
  t.throws(() => encodeDtmfCallerId({ number: '+86 138' }), /must be digits/);
  t.end();
});

t.test('parsing every form, including a redirecting number and unknown codes', (t) => {
  t.match(parseDtmfCallerId('A13800138000C'), { format: 'dtmf', number: '13800138000', checksumOk: true, complete: true });
  t.match(parseDtmfCallerId('A4520#'), { number: '4520', checksumOk: true });
  t.match(parseDtmfCallerId('B00C'), { number: null, absence: 'unavailable', absenceCode: '00' });
  t.match(parseDtmfCallerId('B10C'), { absence: 'private', absenceCode: '10' });
  t.match(parseDtmfCallerId('D1#'), { absence: 'private' });
  t.match(parseDtmfCallerId('D2#'), { absence: 'unavailable' });
  t.match(parseDtmfCallerId('D3#'), { absence: 'unavailable' });
  t.match(parseDtmfCallerId('B77C'), { absence: null, absenceCode: '77' });
  t.match(parseDtmfCallerId('A12345678D87654321C'), { number: '12345678' });
  t.match(parseDtmfCallerId('D87654321C'), { number: '87654321' }, 'only a redirecting number');
  t.match(parseDtmfCallerId('A1234'), { complete: false, checksumOk: false });
  t.end();
});

t.test('the parser needs a start delimiter, ends on C or #, and forgets after a 2 s gap', (t) => {
  const got: CallerIdMessage[] = [];
  const p = new DtmfCallerIdParser((m) => got.push(m));
  const push = (s: string, at: number, step = 120): void => {
    for (let i = 0; i < s.length; i++) p.push(s[i] as string, at + i * step);
  };
  push('1234#', 0);
  t.same(got, [], 'in-call digits without A/B/D are not caller ID');
  push('A1380', 1000);
  push('0138000C', 5000);
  t.same(got, [], 'a 3 s gap aborts the message');
  push('A13800138000C', 9000);
  t.match(got, [{ number: '13800138000', startMs: 9000 }]);
  t.end();
});

t.test('round trip through audio: clean, -30 dBm0, 15 dB SNR, short 45 ms digits', (t) => {
  for (const [what, info, opts] of [
    ['C terminated', { number: '13800138000' }, {}],
    ['# terminated', { number: '075512345678' }, { terminator: '#' }],
    ['private, B10C', { absence: 'private' }, {}],
    ['unavailable, D3#', { absence: 'unavailable' }, { terminator: '#' }],
    ['-30 dBm0', { number: '13800138000' }, { levelDbm0: -30 }],
    ['45 ms on / 45 ms off', { number: '13800138000' }, { dtmfOnMs: 45, dtmfOffMs: 45 }],
  ] as const) {
    const x = renderSource(new CallerIdGenerator(info, { standard: 'dtmf', leadMs: 300, ...opts }));
    const got = receive(x);
    t.equal(got.length, 1, what);
    t.match(got[0], { format: 'dtmf', standard: 'dtmf', checksumOk: true, number: info.number ?? null }, what);
    if ('absence' in info) t.equal(got[0]?.absence, info.absence);
  }
  const x = renderSource(new CallerIdGenerator({ number: '13800138000' }, { standard: 'dtmf', levelDbm0: -20 }));
  for (const seed of [1, 2, 3]) {
    const sigma = Math.sqrt((2 * dbm0ToPower(-20)) / 10 ** 1.5);
    t.match(receive(addNoise(x, sigma, seed)), [{ number: '13800138000', checksumOk: true }], `15 dB SNR, seed ${seed}`);
  }
  t.end();
});

t.test('LineMonitor: caller ID before the call, then digits and a busy tone, all from one detector', (t) => {
  for (const region of ['cn', 'us', 'etsi'] as const) {
    const digits: string[] = [];
    const ends: [string, number, number][] = [];
    const tones: string[] = [];
    const ids: CallerIdMessage[] = [];
    const mon = new LineMonitor({
      region,
      onDigit: (d) => digits.push(d),
      onDigitEnd: (d, s, e) => ends.push([d, s, e]),
      onTone: (e) => tones.push(e.tone),
      onCallerId: (m) => ids.push(m),
    });
    const standard = region === 'etsi' ? 'v23' : 'bell202';
    const x = concat([
      renderSource(new CallerIdGenerator({ number: '02087654321' }, { standard: 'dtmf', leadMs: 200 })),
      silence(4000),
      renderSource(new CallerIdGenerator({ number: '13800138000', name: 'Li' }, { standard, leadMs: 500 })),
      silence(8000),
      dtmf('2#', { levelDbm0: -15 }),
      renderSource(new ToneGenerator(TONE_PRESETS[region].busy as ToneSpec, { durationMs: 4000 })),
      silence(4000),
    ]);
    for (let i = 0; i < x.length; i += 160) mon.process(x.subarray(i, i + 160));
    mon.tones.finish();
    mon.callerId.flush();
    t.same(
      ids.map((m) => [m.format, m.number, m.checksumOk]),
      [
        ['dtmf', '02087654321', true],
        ['mdmf', '13800138000', true],
      ],
      `${region}: both caller IDs`,
    );
    t.equal(digits.join('').slice(-2), '2#', `${region}: the caller's digits after the caller ID digits`);
    t.ok(
      ends.every(([, s, e]) => e > s),
      'digit ends after it starts',
    );
    // The FSK burst is sound that is no tone: the tone detector calls it voice.
    t.same(
      tones.filter((n) => n !== 'voice'),
      ['busy'],
      `${region}: busy`,
    );
  }
  t.end();
});
