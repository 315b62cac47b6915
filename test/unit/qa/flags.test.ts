// Review flags from a call's event sequence (hold, transfers, CSAT), its talk time and the
// recording's silence, against the config thresholds (0 = off).
import t from 'tap';
import { measureSilence } from '../../../firmware/src/backoffice/qa/call-audio.js';
import { type CallEvent, factsFromEvents, flagsOf } from '../../../firmware/src/backoffice/qa/flags.js';
import { defaultQaConfig } from '../../../firmware/src/config/schema-qa.js';

const ev = (ts: number, type: string, data: Record<string, unknown> = {}): CallEvent => ({ ts, type, data });
const S = 1000;

t.test('hold time, transfers and CSAT from the events', async (t) => {
  const events = [
    ev(0, 'call.answered'),
    ev(10 * S, 'call.held'),
    ev(40 * S, 'call.unheld'),
    ev(50 * S, 'call.transferred', { from: 'fxs1', to: 'fxs2', agent: 'a1' }),
    ev(60 * S, 'call.held'),
    ev(61 * S, 'call.held'), // a second hold while held does not restart the count
    ev(150 * S, 'call.unheld'),
    ev(160 * S, 'call.transferred', { from: 'fxs2', to: 'fxs1', agent: 'a2' }),
    ev(200 * S, 'survey.score', { score: 2 }),
    ev(210 * S, 'call.ended'),
  ];
  t.same(factsFromEvents(events, 210 * S), { holdS: 120, transfers: 2, csat: 2 });
  t.same(
    factsFromEvents([ev(0, 'call.held'), ev(30 * S, 'call.ended')], 99 * S),
    { holdS: 30, transfers: 0, csat: null },
    'the end closes a hold',
  );
  t.same(factsFromEvents([ev(0, 'call.held')], 45 * S), { holdS: 45, transfers: 0, csat: null }, 'an open hold runs to the call end');
  t.same(factsFromEvents([ev(0, 'call.unheld'), ev(1, 'survey.noAnswer')], 5), { holdS: 0, transfers: 0, csat: null });
  t.same(factsFromEvents([ev(0, 'survey.score', { score: 5 }), ev(1, 'survey.score', { score: 1 })], 5).csat, 1, 'the last score counts');
});

t.test('flags against the thresholds', async (t) => {
  const th = defaultQaConfig().flags; // silence 30 s, hold 120 s, 2 transfers, CSAT ≤ 2, call < 10 s
  const quiet = { talkS: 200, holdS: 0, transfers: 0, csat: 4, longestSilenceS: 5 };
  t.same(flagsOf(quiet, th), []);
  t.same(flagsOf({ talkS: 9, holdS: 120, transfers: 2, csat: 2, longestSilenceS: 30 }, th), [
    { kind: 'longSilence', value: 30, threshold: 30 },
    { kind: 'longHold', value: 120, threshold: 120 },
    { kind: 'repeatedTransfer', value: 2, threshold: 2 },
    { kind: 'lowCsat', value: 2, threshold: 2 },
    { kind: 'shortCall', value: 9, threshold: 10 },
  ]);
  t.same(flagsOf({ talkS: 10, holdS: 119, transfers: 1, csat: 3, longestSilenceS: 29 }, th), [], 'just under each threshold');
  t.same(flagsOf({ ...quiet, talkS: null, csat: null, longestSilenceS: null }, th), [], 'unknown figures raise nothing');
  const off = { longSilenceS: 0, longHoldS: 0, transfersAtLeast: 0, csatAtMost: 0, shortCallS: 0 };
  t.same(flagsOf({ talkS: 0, holdS: 999, transfers: 9, csat: 1, longestSilenceS: 999 }, off), [], '0 turns every flag off');
});

t.test('silence measured on 20 ms frames', async (t) => {
  const samples = new Int16Array(8000 * 10); // 10 s
  const tone = (fromS: number, toS: number) => {
    for (let i = fromS * 8000; i < toS * 8000; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000));
  };
  tone(0, 2);
  tone(6, 7); // silence 2-6 s (4 s) and 7-10 s (3 s)
  const m = measureSilence(samples);
  t.equal(m.longestSilenceMs, 4000);
  t.equal(m.silenceMs, 7000);
  t.equal(m.talkMs, 3000);
  // low noise (-60 dBm0-ish) is silence at -45, talk at -70
  const noise = new Int16Array(8000).map((_, i) => (i % 2 ? 20 : -20));
  t.equal(measureSilence(noise).longestSilenceMs, 1000);
  t.equal(measureSilence(noise, -70).talkMs, 1000);
});
