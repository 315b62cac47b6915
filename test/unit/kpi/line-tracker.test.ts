// Regression (found with the phones' own calls): a call that starts on an agent's phone — a SIP
// extension calling a colleague or out — is not a shop line, so it never makes "every line busy".
import t from 'tap';
import type { TypedEvent } from '../../../firmware/src/events/catalog.js';
import { LineTracker } from '../../../firmware/src/kpi/line-tracker.js';

let seq = 0;
const ringing = (callId: string, channel: string, kind: 'fxo' | 'sip', ts: number, phone?: true): TypedEvent<'call.ringing'> => ({
  seq: ++seq,
  ts,
  type: 'call.ringing',
  callId,
  data: { channel, kind, ...(phone ? { phone } : {}) },
});
const ended = (callId: string, ts: number): TypedEvent<'call.ended'> => ({
  seq: ++seq,
  ts,
  type: 'call.ended',
  callId,
  data: { outcome: 'answered', reason: 'callerHangup', durationMs: 0 },
});

t.test('two lines: a SIP extension’s own call does not count as the second busy line; a SIP trunk call does', (t) => {
  const periods: [number, number][] = [];
  const lines = new LineTracker(2, 0, 100_000, (a, b) => periods.push([a, b]));
  lines.ringing(ringing('c1', 'fxo1', 'fxo', 1_000));
  lines.ringing(ringing('c2', 'sip-101', 'sip', 2_000, true));
  lines.ended(ended('c2', 5_000));
  t.same(periods, [], 'the internal call of extension 101 is not a line');
  lines.ringing(ringing('c3', 'sip-trunk-1', 'sip', 6_000));
  lines.ended(ended('c3', 9_000));
  lines.ended(ended('c1', 10_000));
  t.same(periods, [[6_000, 9_000]], 'a call on the SIP trunk is');
  t.end();
});
