// IVR analytics from hand-built event rows: entries, keys, exits and drop-offs per menu.
import t from 'tap';
import { computeIvrStats } from '../../../firmware/src/kpi/ivr-stats.js';

const row = (ts: number, type: string, call: string, data: object) => ({ ts, type, call_id: call, data: JSON.stringify(data) });

t.test('per-node entries, keys, exits and drop-offs', (t) => {
  const rows = [
    // c1: main -> 2 -> support -> 1 -> queue
    row(1, 'ivr.menu', 'c1', { menu: 'main' }),
    row(2, 'ivr.key', 'c1', { menu: 'main', digit: '2' }),
    row(3, 'ivr.menu', 'c1', { menu: 'support' }),
    row(4, 'ivr.key', 'c1', { menu: 'support', digit: '1' }),
    row(5, 'ivr.done', 'c1', { menu: 'support', action: 'queue', target: 'main', reason: 'selected' }),
    row(9, 'call.ended', 'c1', { outcome: 'answered', reason: 'agentHangup', durationMs: 9 }),
    // c2: hangs up in main
    row(10, 'ivr.menu', 'c2', { menu: 'main' }),
    row(11, 'call.ended', 'c2', { outcome: 'abandoned', reason: 'callerHangup', durationMs: 1 }),
    // c3: times out in main
    row(12, 'ivr.menu', 'c3', { menu: 'main' }),
    row(13, 'ivr.done', 'c3', { menu: 'main', action: 'hangup', target: null, reason: 'timeout' }),
    row(14, 'call.ended', 'c3', { outcome: 'ivrHangup', reason: 'ivrHangup', durationMs: 2 }),
    // c4: hangs up in support
    row(15, 'ivr.menu', 'c4', { menu: 'main' }),
    row(16, 'ivr.key', 'c4', { menu: 'main', digit: '2' }),
    row(17, 'ivr.menu', 'c4', { menu: 'support' }),
    row(18, 'call.ended', 'c4', { outcome: 'abandoned', reason: 'callerHangup', durationMs: 3 }),
  ];
  const s = computeIvrStats(rows, 0, 100);
  t.equal(s.calls, 4);
  t.same(s.nodes, [
    { menu: 'main', entries: 4, keys: { '2': 2 }, exits: { 'hangup:timeout': 1 }, dropOffs: 1, dropOffRate: 0.25 },
    { menu: 'support', entries: 2, keys: { '1': 1 }, exits: { 'queue:main': 1 }, dropOffs: 1, dropOffRate: 0.5 },
  ]);
  t.end();
});

t.test('a caller who leaves after the IVR handed the call on is not a drop-off', (t) => {
  const rows = [
    row(1, 'ivr.menu', 'c1', { menu: 'main' }),
    row(2, 'ivr.done', 'c1', { menu: 'main', action: 'queue', target: 'main', reason: 'selected' }),
    row(30, 'call.ended', 'c1', { outcome: 'abandoned', reason: 'callerHangup', durationMs: 29 }),
  ];
  t.equal(computeIvrStats(rows, 0, 100).nodes[0]?.dropOffs, 0);
  t.end();
});
