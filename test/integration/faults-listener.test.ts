// A channel event listener that throws (issue 11's fault suite), on the whole box in virtual time.
// Regression: TypedEmitter rethrew a listener's error in a microtask and the box set no hook, so
// the first ring ended the process (uncaughtException: listener bug) with every call in progress.
// Now the box hands it to ListenerFaults: logged, LISTENER_FAILED alarm, the other listeners (the
// call engine's) still run and the call completes.
import { Writable } from 'node:stream';
import t from 'tap';
import { createLogger } from '../../firmware/src/log.js';
import { virtualBox } from '../helpers/box.js';

t.test('a listener that throws at the first ring: the call completes, the fault is logged and shown', async (t) => {
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  // tap has its own handler; ours records what would have ended the box
  process.on('uncaughtException', onUncaught);
  t.teardown(() => {
    process.off('uncaughtException', onUncaught);
  });
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  const vb = await virtualBox({ log: createLogger({ level: 'warn', destination: sink }) });
  t.teardown(vb.close);
  const { box, clock } = vb;
  const sim = box.service.sim;
  if (!sim) throw new Error('sim control missing');
  sim.setAgentSettings({ answerAfterS: 1, talkS: 10 });
  const fxo1 = box.channels().find((c) => c.id === 'fxo1');
  if (!fxo1) throw new Error('no fxo1');
  let thrown = 0;
  fxo1.events.on('ring', () => {
    thrown++;
    throw new Error('listener bug');
  });
  t.equal(box.service.health().status, 'ok', 'healthy before');

  const { callId } = await sim.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 30 });
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 120_000);
  await clock.run(1_000);
  t.ok(thrown >= 1, `the listener threw ${thrown} time(s)`);
  t.same(uncaught, [], 'nothing escaped to the process');
  const cdr = box.service.calls.get(callId);
  t.match(cdr, { state: 'ended', outcome: 'answered' }, 'the call was answered, talked and ended');
  t.ok(
    cdr?.legs.some((l) => l.role === 'agent' && l.answeredAt),
    'an agent answered',
  );

  const health = box.service.health();
  t.equal(health.status, 'degraded', 'health degraded');
  t.match(
    health.alarms.find((a) => a.code === 'LISTENER_FAILED'),
    { severity: 'error', subject: 'fxo1', message: /'ring' events threw \d+ time\(s\): listener bug/ },
    'LISTENER_FAILED alarm names the channel, event and error',
  );
  t.match(
    lines.find((l) => l.ns === 'faults'),
    { level: 50, subject: 'fxo1', event: 'ring', msg: /listener of fxo1 'ring' events threw: listener bug/ },
    'logged as an error',
  );

  // the line still works: the next call on fxo1 is answered too
  const next = await sim.placeCall({ channel: 'fxo1', callerId: '13800138001', digits: '1', hangupAfterS: 30 });
  await clock.runUntil(() => box.service.calls.get(next.callId)?.state === 'ended', 120_000);
  t.equal(box.service.calls.get(next.callId)?.outcome, 'answered', 'the next call on fxo1 answered');

  // the alarm clears an hour after the last fault
  await clock.run(3_600_000 + 60_000);
  t.notOk(
    box.service.health().alarms.some((a) => a.code === 'LISTENER_FAILED'),
    'alarm cleared an hour after the last fault',
  );
});
