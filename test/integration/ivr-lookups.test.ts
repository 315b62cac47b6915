// Self-service lookups in the IVR, in virtual time with real DTMF audio from the sim caller:
// order status (found with carrier, not found then found, hang up), authenticity codes (genuine,
// repeat with a warning, unknown then the queue), the where-to-buy message, VIP priority.
import t from 'tap';
import { encodeWav16 } from '../../hal/src/dsp/wav.js';
import { SYSTEM_ACTOR } from '../../firmware/src/backoffice/common/types.js';
import type { Config } from '../../firmware/src/config/schema.js';
import { lookupBox, seedOrder } from './fixtures/ivr-lookup-box.js';

t.test('order status: the caller keys the number, hears it, then asks for an agent', async (t) => {
  const b = await lookupBox(t);
  b.sql((db) => seedOrder(db, { id: 'o1', number: '2611270001', status: 'shipped', carrier: '顺丰速运' }));
  const callId = await b.call('fxo1', '13800138000', '2');
  t.same(await b.waitFor(callId, 'ivr.menu', 2), { menu: 'lookup:orderStatus' });
  await b.clock.run(500); // the caller's first key has ended
  b.box.hat!.callerPresses('fxo1', '2611270001#');
  t.same(await b.waitFor(callId, 'ivr.collect'), { menu: 'lookup:orderStatus', result: 'terminator', digits: 10 });
  t.same(await b.waitFor(callId, 'ivr.lookup'), { menu: 'lookup:orderStatus', outcome: 'found:shipped' });
  await b.clock.run(3000); // part of the answer, then 0 for an agent (barge-in)
  b.box.hat!.callerPresses('fxo1', '0');
  t.same(await b.waitFor(callId, 'ivr.done'), { menu: 'lookup:orderStatus', action: 'queue', target: 'main', reason: 'selected' });
  t.same(b.of(callId, 'ivr.key'), [
    { menu: 'main', digit: '2' },
    { menu: 'lookup:orderStatus', digit: '0' },
  ]);
  await b.waitFor(callId, 'queue.connect');
  await b.ended(callId);
  t.equal(b.box.service.calls.get(callId)?.outcome, 'answered');
});

t.test('order status: an unknown number is a failed try, the right one is found, 9 hangs up', async (t) => {
  const b = await lookupBox(t);
  b.sql((db) => seedOrder(db, { id: 'o2', number: '2611270002', status: 'delivered' }));
  const callId = await b.call('fxo1', '13800138000', '2');
  await b.waitFor(callId, 'ivr.menu', 2);
  await b.clock.run(500); // the caller's first key has ended
  b.box.hat!.callerPresses('fxo1', '99999#');
  t.same(await b.waitFor(callId, 'ivr.lookup'), { menu: 'lookup:orderStatus', outcome: 'notFound' });
  await b.clock.run(2000);
  b.box.hat!.callerPresses('fxo1', '2611270002#');
  t.same(await b.waitFor(callId, 'ivr.lookup', 2), { menu: 'lookup:orderStatus', outcome: 'found:delivered' });
  await b.clock.run(1000);
  b.box.hat!.callerPresses('fxo1', '9');
  await b.ended(callId);
  t.same(b.of(callId, 'ivr.done'), [{ menu: 'lookup:orderStatus', action: 'hangup', target: null, reason: 'selected' }]);
  t.equal(b.box.service.calls.get(callId)?.outcome, 'ivrHangup');
  t.equal(b.box.service.calls.get(callId)?.queue, null, 'never queued');
});

t.test('order status: with no key after the answer the options repeat, then the box hangs up', async (t) => {
  const b = await lookupBox(t);
  b.sql((db) => seedOrder(db, { id: 'o3', number: '2611270003', status: 'paid' }));
  const callId = await b.call('fxo1', '13800138000', '2');
  await b.waitFor(callId, 'ivr.menu', 2);
  await b.clock.run(500); // the caller's first key has ended
  b.box.hat!.callerPresses('fxo1', '2611270003#');
  t.same(await b.waitFor(callId, 'ivr.lookup'), { menu: 'lookup:orderStatus', outcome: 'found:paid' });
  await b.ended(callId);
  t.same(b.of(callId, 'ivr.done'), [{ menu: 'lookup:orderStatus', action: 'hangup', target: null, reason: 'timeout' }]);
});

t.test('authenticity: genuine on the first check, a warning on the next, unknown goes to an agent', async (t) => {
  const b = await lookupBox(t);
  const report = b.box.backOffice.selfService.importCodes(
    SYSTEM_ACTOR,
    Buffer.from('防伪码,产品,批次\n86001234567,蜂蜜礼盒,B2026-11\n86007654321,枸杞,B2026-10\n'),
  );
  t.match(report, { created: 2, duplicates: 0, bad: 0 });

  const first = await b.call('fxo1', '13800138000', '3');
  await b.waitFor(first, 'ivr.menu', 2);
  await b.clock.run(500); // the caller's first key has ended
  b.box.hat!.callerPresses('fxo1', '86001234567#');
  t.same(await b.waitFor(first, 'ivr.lookup'), { menu: 'lookup:authenticity', outcome: 'genuine' });
  b.box.hat!.callerPresses('fxo1', '9');
  await b.ended(first);

  const second = await b.call('fxo2', '13900139000', '3');
  await b.waitFor(second, 'ivr.menu', 2);
  await b.clock.run(500); // the caller's first key has ended
  b.box.hat!.callerPresses('fxo2', '86001234567#');
  t.same(await b.waitFor(second, 'ivr.lookup'), { menu: 'lookup:authenticity', outcome: 'repeat' });
  b.box.hat!.callerPresses('fxo2', '9');
  await b.ended(second);

  const checks = b.box.backOffice.selfService.checks(SYSTEM_ACTOR, { code: '86001234567' });
  t.equal(checks.total, 2);
  t.match(checks.items, [
    { verdict: 'repeat', caller: '13900139000', callId: second, source: 'ivr' },
    { verdict: 'genuine', caller: '13800138000', callId: first, source: 'ivr' },
  ]);
  t.match(b.box.backOffice.selfService.getCode(SYSTEM_ACTOR, '86001234567'), { checkCount: 2, product: '蜂蜜礼盒' });

  const third = await b.call('fxo1', '13700137000', '3');
  await b.waitFor(third, 'ivr.menu', 2);
  await b.clock.run(500); // the caller's first key has ended
  b.box.hat!.callerPresses('fxo1', '11112222#');
  t.same(await b.waitFor(third, 'ivr.lookup'), { menu: 'lookup:authenticity', outcome: 'unknown' });
  await b.clock.run(2000);
  b.box.hat!.callerPresses('fxo1', '33334444#');
  t.same(await b.waitFor(third, 'ivr.lookup', 2), { menu: 'lookup:authenticity', outcome: 'unknown' });
  t.same(await b.waitFor(third, 'ivr.done'), { menu: 'lookup:authenticity', action: 'queue', target: 'main', reason: 'invalid' });
  await b.waitFor(third, 'queue.connect');
  t.equal(
    b.box.backOffice.selfService.checks(SYSTEM_ACTOR, { code: '11112222' }).items[0]?.verdict,
    'unknown',
    'unknown checks are logged too',
  );
});

t.test('where to buy: the uploaded message plays, then the options', async (t) => {
  const b = await lookupBox(t);
  const none = await b.call('fxo1', '13800138000', '4');
  t.same(await b.waitFor(none, 'ivr.lookup'), { menu: 'lookup:whereToBuy', outcome: 'noMessage' });
  b.box.hat!.callerPresses('fxo1', '9');
  await b.ended(none);

  const tone = new Int16Array(16000);
  for (let i = 0; i < tone.length; i++) tone[i] = Math.round(4000 * Math.sin((2 * Math.PI * 440 * i) / 16000));
  b.box.backOffice.selfService.setWhereToBuyAudio(SYSTEM_ACTOR, 'zh-CN', encodeWav16(tone, 16000));
  const played = await b.call('fxo1', '13800138000', '4');
  t.same(await b.waitFor(played, 'ivr.lookup'), { menu: 'lookup:whereToBuy', outcome: 'message' });
  b.box.hat!.callerPresses('fxo1', '1');
  await b.clock.run(1500);
  b.box.hat!.callerPresses('fxo1', '0');
  t.same(await b.waitFor(played, 'ivr.done'), { menu: 'lookup:whereToBuy', action: 'queue', target: 'main', reason: 'selected' });
  t.same(
    b.of(played, 'ivr.key').map((k) => k.digit),
    ['4', '1', '0'],
  );
});

t.test('VIP: a caller the customers area ranks higher is answered before a normal caller who waited longer', async (t) => {
  const b = await lookupBox(t, (c) => {
    (c.queues[0] as Config['queues'][number]).members = ['a1'];
  });
  // the customers area (built in parallel) answers queuePriority(phone); until it lands, a stand-in
  Object.defineProperty(b.box.backOffice, 'customers', { value: { queuePriority: (p: string) => (p === '13900000008' ? 5 : null) } });
  b.box.service.sim!.setAgentSettings({ answerAfterS: 1, talkS: 40 });
  const busy = await b.call('fxo1', '13700000001', '1');
  await b.waitFor(busy, 'queue.connect');
  const normal = await b.call('fxo2', '13700000002', '1');
  t.match(await b.waitFor(normal, 'queue.enter'), { queue: 'main', priority: 0 });
  await b.clock.run(5000);
  const vip = await b.call('gsm1', '13900000008', '1');
  t.match(await b.waitFor(vip, 'queue.enter'), { queue: 'main', priority: 5 });
  await b.clock.runUntil(() => b.of(vip, 'queue.connect').length + b.of(normal, 'queue.connect').length > 0, 120_000);
  t.equal(b.of(vip, 'queue.connect').length, 1, 'the VIP is answered first');
  t.equal(b.of(normal, 'queue.connect').length, 0, 'the normal caller still waits');
});

t.test('order status from an order the sales service took (real OrdersService)', async (t) => {
  const b = await lookupBox(t);
  const bo = b.box.backOffice;
  const product = bo.products.create(SYSTEM_ACTOR, { name: '蜂蜜礼盒', costCents: 5000, priceCents: 12800 });
  const order = bo.orders.create(SYSTEM_ACTOR, {
    phone: '13800138000',
    lines: [{ productId: product.id, qty: 1 }],
    shipName: '王女士',
    shipAddress: '杭州市西湖区',
  });
  bo.orders.setStatus(SYSTEM_ACTOR, order.id, { status: 'paid' });
  bo.orders.setStatus(SYSTEM_ACTOR, order.id, { status: 'shipped', carrier: '中通快递', trackingNo: 'ZT100200300' });
  t.match(bo.orders.statusByNumber(order.number), { status: 'shipped', carrier: '中通快递' });
  const callId = await b.call('fxo1', '13800138000', '2');
  await b.waitFor(callId, 'ivr.menu', 2);
  await b.clock.run(500);
  b.box.hat!.callerPresses('fxo1', `${order.number}#`);
  t.same(await b.waitFor(callId, 'ivr.lookup'), { menu: 'lookup:orderStatus', outcome: 'found:shipped' });
});

t.test('after hours the where-to-buy message can be the whole flow', async (t) => {
  const b = await lookupBox(t, (c) => {
    // the virtual clock starts on Thursday 2026-01-01 09:00 in Shanghai: open only on Sundays
    c.hours = {
      weekly: { sun: [{ open: '09:00', close: '18:00' }] },
      holidays: [],
      afterHours: { action: 'lookup', lookup: 'whereToBuy', queue: 'main' },
    };
  });
  const callId = await b.call('fxo1', '13800138000', '');
  t.same(await b.waitFor(callId, 'ivr.lookup'), { menu: 'lookup:whereToBuy', outcome: 'noMessage' });
  t.same(
    b.of(callId, 'ivr.menu').map((m) => m.menu),
    ['_afterHours', 'lookup:whereToBuy'],
  );
  await b.clock.run(1000);
  b.box.hat!.callerPresses('fxo1', '9');
  await b.ended(callId);
  t.equal(b.box.service.calls.get(callId)?.outcome, 'ivrHangup');
});
