// The call state machine refuses transitions a CDR could not explain.
import t from 'tap';
import { Call } from '../../../firmware/src/calls/call.js';

t.test('legal path and end', (t) => {
  const c = new Call('c1', 'inbound', 0);
  for (const s of ['ivr', 'queued', 'connecting', 'queued', 'connecting', 'talking'] as const) c.to(s);
  c.end('answered', 5000);
  t.equal(c.record.state, 'ended');
  t.equal(c.record.outcome, 'answered');
  t.equal(c.record.endedAt, '1970-01-01T00:00:05.000Z');
  t.end();
});

t.test('illegal transitions throw and leave the state alone', (t) => {
  const c = new Call('c2', 'inbound', 0);
  t.throws(() => c.to('talking'), /illegal transition ringing -> talking/);
  t.equal(c.state, 'ringing');
  c.end('missed', 1);
  t.throws(() => c.to('ivr'), /illegal transition ended -> ivr/);
  t.throws(() => c.end('failed', 2), /illegal transition ended -> ended/, 'an ended call cannot end again');
  t.end();
});
