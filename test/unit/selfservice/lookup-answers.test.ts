// What the IVR says for each lookup result (prompt names), carriers with prompts, numbers read back,
// a failing lookup answered "unavailable", and the VIP priority rule with a CallLookups of our own.
import t from 'tap';
import { answerLookup, type CallLookups, entryPriority } from '../../../firmware/src/calls/lookups.js';
import { carrierPrompt, codeVerdictPrompts, numberPrompts, orderStatusPrompts } from '../../../firmware/src/ivr/lookup-speech.js';

t.test('speech: order status, carriers, verdicts, numbers', async (t) => {
  t.same(orderStatusPrompts('2611', 'shipped', '顺丰速运'), [
    'order-number',
    'num-2',
    'num-6',
    'num-1',
    'num-1',
    'order-shipped',
    'carrier-is',
    'carrier-sf',
  ]);
  t.same(
    orderStatusPrompts('26', 'shipped', '某某快运'),
    ['order-number', 'num-2', 'num-6', 'order-shipped'],
    'no prompt for this carrier: not said',
  );
  t.same(
    orderStatusPrompts('26', 'delivered', '顺丰'),
    ['order-number', 'num-2', 'num-6', 'order-delivered'],
    'the carrier only when shipped',
  );
  t.equal(carrierPrompt('ZTO Express'), 'carrier-zto');
  t.equal(carrierPrompt('极兔速递'), 'carrier-jt');
  t.equal(carrierPrompt(null), null);
  t.same(numberPrompts(12), ['num-12']);
  t.same(numberPrompts(30), ['num-30']);
  t.same(numberPrompts(27), ['num-20', 'num-7']);
  t.same(numberPrompts(135), ['num-1', 'num-3', 'num-5']);
  const repeat = { verdict: 'repeat' as const, previousChecks: 3, firstCheckedAt: '2026-11-26T17:30:00.000Z' };
  t.same(
    codeVerdictPrompts(repeat, { timeZone: 'Asia/Shanghai', language: 'zh-CN' }),
    [
      'code-checked-before',
      'num-3',
      'code-times',
      'code-first-checked',
      'month-11',
      'num-20',
      'num-7',
      'day-suffix',
      'code-counterfeit-warning',
    ],
    'the first check date in the shop time zone (27th in Shanghai, 26th in UTC)',
  );
  t.same(codeVerdictPrompts(repeat, { timeZone: 'UTC', language: 'en' }).slice(3, 7), [
    'code-first-checked',
    'month-11',
    'num-20',
    'num-6',
  ]);
  t.same(codeVerdictPrompts({ verdict: 'genuine' }), ['code-genuine']);
});

function lookups(over: Partial<CallLookups> = {}): CallLookups {
  return {
    orderStatus: (n) => (n === '2611270001' ? { number: n, status: 'paid', carrier: null } : null),
    checkCode: () => ({ verdict: 'unknown' }),
    whereToBuy: () => null,
    callerPriority: (p) => (p === '13900000008' ? 7 : null),
    ...over,
  };
}
const said: string[] = [];
const ctx = {
  callId: 'c1',
  callerId: '13800138000',
  language: 'zh-CN' as const,
  timeZone: 'Asia/Shanghai',
  prompt: (name: string) => {
    said.push(name);
    return new Int16Array(1);
  },
  onError: () => {},
};

t.test('answers: found, not found, error, no data source', async (t) => {
  said.length = 0;
  t.match(answerLookup(lookups(), 'orderStatus', '2611270001', ctx), { outcome: 'found:paid', next: 'options' });
  t.equal(said.at(-1), 'order-paid');
  t.match(answerLookup(lookups(), 'orderStatus', '1', ctx), { outcome: 'notFound', next: 'retry' });
  const errors: string[] = [];
  const boom = lookups({
    orderStatus: () => {
      throw new Error('database is locked');
    },
  });
  t.match(answerLookup(boom, 'orderStatus', '1', { ...ctx, onError: (k, e) => errors.push(`${k}: ${String(e)}`) }), {
    outcome: 'unavailable',
    next: 'fail',
  });
  t.same(errors, ['orderStatus: Error: database is locked']);
  t.match(answerLookup(undefined, 'authenticity', '123456', ctx), { outcome: 'unavailable', next: 'fail' });
  t.match(answerLookup(lookups(), 'whereToBuy', '', ctx), { outcome: 'noMessage', next: 'options' });
  const audio = new Int16Array(10);
  t.same(answerLookup(lookups({ whereToBuy: () => audio }), 'whereToBuy', '', ctx), {
    outcome: 'message',
    clips: [audio],
    next: 'options',
  });
});

t.test('VIP priority: the higher of the action and the caller, clamped to 0..9, errors ignored', async (t) => {
  const none = () => {};
  t.equal(entryPriority(undefined, lookups(), '13900000008', none), 7);
  t.equal(entryPriority(9, lookups(), '13900000008', none), 9, 'the action may be higher');
  t.equal(entryPriority(2, lookups(), '13800138000', none), 2, 'not a VIP');
  t.equal(entryPriority(undefined, lookups(), null, none), 0, 'no caller id');
  t.equal(entryPriority(1, lookups({ callerPriority: () => 42 }), '1', none), 9);
  t.equal(entryPriority(1, lookups({ callerPriority: () => Number.NaN }), '1', none), 1);
  let err = '';
  const failing = lookups({
    callerPriority: () => {
      throw new Error('customers down');
    },
  });
  t.equal(
    entryPriority(3, failing, '1', (e) => {
      err = String(e);
    }),
    3,
  );
  t.equal(err, 'Error: customers down');
});

t.test('every prompt the lookups say is shipped in zh-CN and en (make audio)', async (t) => {
  const { existsSync } = await import('node:fs');
  const dir = new URL('../../../firmware/prompts/', import.meta.url).pathname;
  const statuses = ['new', 'paid', 'shipped', 'delivered', 'returned', 'cancelled'] as const;
  const carriers = ['顺丰', '中通', '圆通', '申通', '韵达', '京东', 'EMS', '极兔'];
  const names = new Set<string>([
    'enter-order-number',
    'enter-code',
    'lookup-options',
    'lookup-unavailable',
    'goodbye',
    'invalid',
    'no-input',
    'order-not-found',
    'code-unknown',
    'code-genuine',
    'where-to-buy-none',
    ...statuses.flatMap((s) => carriers.flatMap((c) => orderStatusPrompts('0123456789', s, c))),
    ...Array.from({ length: 60 }, (_, i) => numberPrompts(i)).flat(),
  ]);
  for (let m = 0; m < 12; m++) {
    for (const language of ['zh-CN', 'en'] as const) {
      const when = { timeZone: 'UTC', language };
      for (const n of codeVerdictPrompts(
        { verdict: 'repeat', previousChecks: 31, firstCheckedAt: new Date(Date.UTC(2026, m, 28)).toISOString() },
        when,
      )) {
        if (n !== 'day-suffix' || language === 'zh-CN') names.add(n);
      }
    }
  }
  const missing = [...names].flatMap((n) =>
    (['zh-CN', 'en'] as const).filter((l) => !existsSync(`${dir}${l}/${n}.wav`)).map((l) => `${l}/${n}`),
  );
  t.same(
    missing.filter((m) => m !== 'en/day-suffix'),
    [],
  );
  t.ok(existsSync(`${dir}zh-CN/day-suffix.wav`));
});
