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
  t.same(numberPrompts(135), ['num-1', 'num-3', 'num-5']);
  t.same(codeVerdictPrompts({ verdict: 'repeat', previousChecks: 3 }), ['code-checked-before', 'num-3', 'code-times-warning']);
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
