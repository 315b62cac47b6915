// N-digit collection in the IVR, in virtual time with real DTMF audio: a number ended by the
// terminator, by reaching maxDigits, by the inter-digit timeout; no first key (timeout prompt, then
// the queue when the tries run out); too few digits and a wrong key (invalid); onFail hang up.
import t from 'tap';
import type { Config } from '../../firmware/src/config/schema.js';
import { lookupBox, seedOrder } from './fixtures/ivr-lookup-box.js';

type Menu = Config['ivr']['menus'][string];
const orderLookup = (c: Config, collect: Record<string, unknown>, onFail?: 'queue' | 'hangup'): void => {
  (c.ivr.menus.main as Menu).options['2'] = {
    action: 'lookup',
    lookup: 'orderStatus',
    queue: 'main',
    collect: { minDigits: 4, maxDigits: 12, ...collect },
    ...(onFail ? { onFail } : {}),
  } as Menu['options'][string];
};

async function enterLookup(t: { teardown(fn: () => unknown): void }, collect: Record<string, unknown>, onFail?: 'queue' | 'hangup') {
  const b = await lookupBox(t, (c) => orderLookup(c, collect, onFail));
  b.sql((db) => {
    seedOrder(db, { id: 'o1', number: '261127', status: 'new' });
    seedOrder(db, { id: 'o2', number: '2611270001', status: 'returned' });
  });
  const callId = await b.call('fxo1', '13800138000', '2');
  await b.waitFor(callId, 'ivr.menu', 2);
  await b.clock.run(500);
  return { b, callId };
}

t.test('reaching maxDigits ends the number without the terminator', async (t) => {
  const { b, callId } = await enterLookup(t, { maxDigits: 6 });
  b.box.hat!.callerPresses('fxo1', '261127');
  t.same(await b.waitFor(callId, 'ivr.collect'), { menu: 'lookup:orderStatus', result: 'max', digits: 6 });
  t.same(await b.waitFor(callId, 'ivr.lookup'), { menu: 'lookup:orderStatus', outcome: 'found:new' });
  const node = b.box.service.kpis.ivr({ from: 0, to: b.clock.now() + 1 }).nodes.find((n) => n.menu === 'lookup:orderStatus');
  t.same(node?.lookups, { 'found:new': 1 }, 'IVR analytics count lookup outcomes');
});

t.test('with no terminator the inter-digit timeout ends a number of at least minDigits', async (t) => {
  const { b, callId } = await enterLookup(t, { terminator: 'none', interDigitTimeoutS: 3 });
  const pressedAt = b.clock.now();
  b.box.hat!.callerPresses('fxo1', '2611270001');
  const collect = await b.waitFor(callId, 'ivr.collect');
  t.same(collect, { menu: 'lookup:orderStatus', result: 'interDigitTimeout', digits: 10 });
  const at = b.events.find((e) => e.callId === callId && e.type === 'ivr.collect')?.ts ?? 0;
  t.ok(at - pressedAt >= 3000 + 9 * 200, 'ended 3 s after the last key');
  t.same(await b.waitFor(callId, 'ivr.lookup'), { menu: 'lookup:orderStatus', outcome: 'found:returned' });
});

t.test('no first key: the timeout prompt, another try, then the queue', async (t) => {
  const { b, callId } = await enterLookup(t, { firstDigitTimeoutS: 3, retries: 1 });
  const done = await b.waitFor(callId, 'ivr.done');
  t.same(b.of(callId, 'ivr.collect'), [
    { menu: 'lookup:orderStatus', result: 'timeout', digits: 0 },
    { menu: 'lookup:orderStatus', result: 'timeout', digits: 0 },
  ]);
  t.same(done, { menu: 'lookup:orderStatus', action: 'queue', target: 'main', reason: 'timeout' });
  await b.waitFor(callId, 'queue.connect');
  const stats = b.box.service.kpis.ivr({ from: 0, to: b.clock.now() + 1 });
  t.match(
    stats.nodes.find((n) => n.menu === 'lookup:orderStatus'),
    { entries: 1, collects: { timeout: 2 }, exits: { 'queue:main': 1 } },
    'IVR analytics count the lookup node and its tries',
  );
});

t.test('too few digits before the terminator, and a wrong key, are invalid tries; onFail hangup', async (t) => {
  const { b, callId } = await enterLookup(t, { retries: 1 }, 'hangup');
  b.box.hat!.callerPresses('fxo1', '26#');
  t.same(await b.waitFor(callId, 'ivr.collect'), { menu: 'lookup:orderStatus', result: 'invalid', digits: 2 });
  await b.clock.run(1000);
  b.box.hat!.callerPresses('fxo1', '26*');
  t.same(await b.waitFor(callId, 'ivr.collect', 2), { menu: 'lookup:orderStatus', result: 'invalid', digits: 2 });
  await b.ended(callId);
  t.same(b.of(callId, 'ivr.done'), [{ menu: 'lookup:orderStatus', action: 'hangup', target: null, reason: 'invalid' }]);
  t.same(b.of(callId, 'ivr.lookup'), [], 'nothing was looked up');
  t.equal(b.box.service.calls.get(callId)?.outcome, 'ivrHangup');
});

t.test('an inter-digit timeout below minDigits is invalid, the next try succeeds', async (t) => {
  const { b, callId } = await enterLookup(t, { interDigitTimeoutS: 2 });
  b.box.hat!.callerPresses('fxo1', '26');
  t.same(await b.waitFor(callId, 'ivr.collect'), { menu: 'lookup:orderStatus', result: 'invalid', digits: 2 });
  await b.clock.run(1000);
  b.box.hat!.callerPresses('fxo1', '261127#');
  t.same(await b.waitFor(callId, 'ivr.collect', 2), { menu: 'lookup:orderStatus', result: 'terminator', digits: 6 });
  t.same(await b.waitFor(callId, 'ivr.lookup'), { menu: 'lookup:orderStatus', outcome: 'found:new' });
});
