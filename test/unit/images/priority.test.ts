import { getPriority, setPriority } from 'node:os';
import { pino } from 'pino';
import t from 'tap';
import { DEFAULT_NICE, raisePriority } from '../../../images/cli/priority.js';

function logger(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino({ level: 'warn' }, { write: (s: string) => lines.push(s) });
  return { log, lines };
}

t.test('CALLBOX_NICE: a bad value is refused with a warning naming it; 0 leaves the priority alone', (t) => {
  const before = getPriority(0);
  for (const bad of ['x', '-21', '20', '1.5']) {
    const { log, lines } = logger();
    t.equal(raisePriority(log, { CALLBOX_NICE: bad }), null, bad);
    t.match(lines.join(''), /CALLBOX_NICE must be an integer/);
  }
  t.equal(raisePriority(logger().log, { CALLBOX_NICE: '0' }), null);
  t.equal(getPriority(0), before, 'unchanged');
  t.end();
});

t.test('the default raises the priority when allowed, else warns and goes on', (t) => {
  const before = getPriority(0);
  t.teardown(() => {
    try {
      setPriority(0, before);
    } catch {}
  });
  const { log, lines } = logger();
  const got = raisePriority(log, {});
  if (got === null) t.match(lines.join(''), /could not raise the process priority/, 'not permitted here: a warning');
  else {
    t.equal(got, DEFAULT_NICE);
    t.equal(getPriority(0), DEFAULT_NICE, 'the process runs at nice -5');
  }
  t.end();
});
