// The follow-up desk against a scripted phone system: offers only in calling hours, do-not-call
// skipped at offer time, assignee, offer expiry, accept/skip, outcomes (retry, max attempts,
// callback later, wrong number), dial results, restart recovery.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import { OFFER_TTL_MS, OUTCOME_GRACE_MS, SKIP_DELAY_MS, TICK_MS } from '../../../firmware/src/backoffice/followups/desk.js';
import { ScriptedPort } from './fixtures/port.js';
import { world } from './fixtures/world.js';

const A = SYSTEM_ACTOR;
/** Shanghai local time on Thursday 2026-11-26. */
const sh = (hh: number, mm = 0) => Date.UTC(2026, 10, 26, hh - 8, mm);

function setup(start = sh(10)) {
  const w = world(start);
  const f = w.bo.followups;
  const port = new ScriptedPort();
  f.attachDialer(port);
  const list = f.createList(A, { name: '回访', purpose: 'return_visit', maxAttempts: 2, retryDelayMin: 30 });
  const add = (phone = '13800000001', extra: Record<string, unknown> = {}) =>
    f.addItem(A, list.id, { phone, dueAt: w.clock.now(), ...extra });
  return { ...w, f, port, list, add };
}

t.test('offers only inside calling hours, in the shop time zone', async (t) => {
  const s = setup(sh(12, 30));
  const item = s.add();
  t.equal(s.f.tick(), 0, 'lunch break: nothing offered');
  s.clock.advance(90 * 60_000); // 14:00: the dialer's own timer offers it
  t.equal(s.f.offerFor(A, 'a1')?.item.id, item.id);
  s.config.shop.timezone = 'America/New_York'; // 01:00 there
  const other = s.add('13800000002');
  s.port.agents = ['a2'];
  t.equal(s.f.tick(), 0, 'the zone is read at use');
  t.equal(s.f.getItem(A, other.id)?.state, 'pending');
});

t.test('the dialer timer offers by itself; future items wait for their due time', async (t) => {
  const s = setup();
  const later = s.f.addItem(A, s.list.id, { phone: '13800000001', dueAt: s.clock.now() + 60 * 60_000 });
  s.clock.advance(TICK_MS);
  t.equal(s.f.offerFor(A, 'a1'), null);
  s.clock.advance(60 * 60_000);
  t.equal(s.f.offerFor(A, 'a1')?.item.id, later.id);
});

t.test('do-not-call set after scheduling: skipped at offer time with the reason', async (t) => {
  const s = setup();
  const item = s.add('13800000001');
  s.db.prepare("UPDATE customers SET do_not_call = 1 WHERE id = 'C1'").run();
  t.equal(s.f.tick(), 0);
  t.match(s.f.getItem(A, item.id), { state: 'skipped', outcome: 'do_not_call' });
});

t.test('one offer per agent; assignee respected; no offers without a free line', async (t) => {
  const s = setup();
  const i1 = s.add('13800000001');
  const i2 = s.add('13800000002', { assignee: 'a2' });
  const i3 = s.add('13800000003');
  s.port.line = false;
  t.equal(s.f.tick(), 0, 'no line free');
  s.port.line = true;
  t.equal(s.f.tick(), 1, 'a1 only; i2 waits for a2');
  t.equal(s.f.offerFor(A, 'a1')?.item.id, i1.id);
  s.port.agents = ['a1', 'a2'];
  t.equal(s.f.tick(), 1);
  t.equal(s.f.offerFor(A, 'a2')?.item.id, i2.id, 'the assignee gets their item');
  t.equal(s.f.getItem(A, i3.id)?.state, 'pending');
  const offer = s.f.offerFor({ username: 'a1', role: 'agent' }, 'a1');
  t.match(offer?.customer, { id: 'C1', name: '王女士', tags: ['vip'] });
  t.equal(offer?.item.phone, '138****0001', 'masked for agents');
  t.equal(Date.parse(offer?.expiresAt ?? '') - Date.parse(offer?.offeredAt ?? ''), OFFER_TTL_MS);
});

t.test('an offer not taken expires back to the list', async (t) => {
  const s = setup();
  const item = s.add();
  s.f.tick();
  s.port.agents = [];
  s.clock.advance(OFFER_TTL_MS + 1);
  s.f.tick();
  t.match(s.f.getItem(A, item.id), { state: 'pending', offeredTo: null });
});

t.test('accept: only the agent holding the offer; a refusing phone system leaves the offer', async (t) => {
  const s = setup();
  const item = s.add();
  s.f.tick();
  t.throws(() => s.f.accept(A, 'a2', item.id), { code: 'CONFLICT' });
  s.port.refuse = 'noLine';
  t.throws(() => s.f.accept(A, 'a1', item.id), { code: 'CONFLICT', details: { reason: 'noLine' } });
  t.equal(s.f.getItem(A, item.id)?.state, 'offered');
  s.port.refuse = null;
  const att = s.f.accept(A, 'a1', item.id);
  t.match(att, { n: 1, agent: 'a1', callId: null });
  t.match(s.port.requests[0], { agentId: 'a1', number: '13800000001', displayName: '王女士' });
  t.match(s.f.getItem(A, item.id), { state: 'dialing', attempts: 1 });
  t.throws(() => s.f.accept(A, 'a1', item.id), { code: 'CONFLICT' }, 'twice');
  t.throws(() => s.f.accept(A, 'a1', 'nope'), { code: 'NOT_FOUND' });
});

t.test('customer made do-not-call between offer and accept: refused and skipped', async (t) => {
  const s = setup();
  const item = s.add();
  s.f.tick();
  s.db.prepare("UPDATE customers SET do_not_call = 1 WHERE id = 'C1'").run();
  t.throws(() => s.f.accept(A, 'a1', item.id), { code: 'CONFLICT', details: { reason: 'do_not_call' } });
  t.equal(s.port.requests.length, 0, 'never dialled');
  t.match(s.f.getItem(A, item.id), { state: 'skipped', outcome: 'do_not_call' });
});

t.test('skip: back to the list after a delay, audited', async (t) => {
  const s = setup();
  const item = s.add();
  s.f.tick();
  const back = s.f.skip(A, 'a1', item.id, '客户在开会');
  t.match(back, { state: 'pending', offeredTo: null, attempts: 0 });
  t.equal(Date.parse(back.nextAt), s.clock.now() + SKIP_DELAY_MS);
  t.equal(s.f.tick(), 0, 'not offered again at once');
  t.equal(s.bo.audit.list({ entity: 'followup_item', entityId: item.id, limit: 5 })[0]?.action, 'followup.skip');
});

async function dialled(s: ReturnType<typeof setup>, itemId: string) {
  s.f.tick();
  s.f.accept(A, 'a1', itemId);
  const req = s.port.requests[s.port.requests.length - 1];
  if (!req) throw new Error('no dial request');
  req.onDialling('call-x', 'fxo1');
  return req;
}

const flush = () => new Promise((r) => setImmediate(r));

t.test('outcomes: busy retried at the next calling time, then failed at max attempts', async (t) => {
  const s = setup(sh(11, 45));
  const item = s.add();
  await dialled(s, item.id);
  const after = s.f.recordOutcome(A, item.id, { outcome: 'busy' });
  t.match(after, { state: 'pending', outcome: 'busy', attempts: 1, offeredTo: null });
  t.equal(Date.parse(after.nextAt), sh(14), 'retry in 30 min falls into lunch: moved to 14:00');
  s.clock.advance(sh(14) - s.clock.now());
  await dialled(s, item.id);
  t.match(s.f.recordOutcome(A, item.id, { outcome: 'no_answer', note: '无人接听' }), { state: 'failed', attempts: 2 });
  t.same(
    s.f.attempts(A, item.id).map((a) => [a.n, a.outcome, a.callId, a.line]),
    [
      [1, 'busy', 'call-x', 'fxo1'],
      [2, 'no_answer', 'call-x', 'fxo1'],
    ],
  );
  t.throws(() => s.f.recordOutcome(A, item.id, { outcome: 'reached' }), { code: 'CONFLICT' }, 'closed');
});

t.test('outcomes: reached / refused done, wrong number failed, callback later rescheduled', async (t) => {
  const s = setup();
  const cases = [
    ['reached', 'done'],
    ['refused', 'done'],
    ['wrong_number', 'failed'],
  ] as const;
  for (const [outcome, state] of cases) {
    const item = s.add(`1380000009${cases.findIndex((c) => c[0] === outcome)}`);
    await dialled(s, item.id);
    t.equal(s.f.recordOutcome(A, item.id, { outcome }).state, state, outcome);
  }
  const item = s.add('13800000099');
  await dialled(s, item.id);
  const at = sh(16);
  const cb = s.f.recordOutcome(A, item.id, { outcome: 'callback_later', callbackAt: at, note: '下午四点再打' });
  t.match(cb, { state: 'pending', outcome: 'callback_later', nextAt: new Date(at).toISOString() });
  t.throws(() => s.f.recordOutcome(A, item.id, { outcome: 'later' as never }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'outcome' },
  });
  t.throws(() => s.f.recordOutcome(A, item.id, { outcome: 'callback_later', callbackAt: sh(9) }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'callbackAt' },
  });
  const manual = s.add('13800000098');
  t.equal(s.f.recordOutcome(A, manual.id, { outcome: 'reached' }).attempts, 1, 'a call made by hand counts as an attempt');
});

t.test('dial results: no answer recorded by the dialer; agent not picking up is not an attempt', async (t) => {
  const s = setup();
  const item = s.add();
  const req = await dialled(s, item.id);
  req.onEnd('noAnswer', 'call-x');
  await flush();
  t.match(s.f.getItem(A, item.id), { state: 'pending', outcome: 'no_answer', attempts: 1 });
  t.match(s.f.attempts(A, item.id)[0], { dialResult: 'noAnswer', outcome: 'no_answer' });
  s.clock.advance(30 * 60_000);
  const req2 = await dialled(s, item.id);
  req2.onEnd('agentNoAnswer', null);
  await flush();
  t.match(s.f.getItem(A, item.id), { state: 'pending', attempts: 1 }, 'not counted');
  t.equal(s.f.attempts(A, item.id)[1]?.dialResult, 'agentNoAnswer');
});

t.test('answered call without an outcome: closed as reached after the grace time', async (t) => {
  const s = setup();
  const item = s.add();
  const req = await dialled(s, item.id);
  req.onEnd('answered', 'call-x');
  await flush();
  t.equal(s.f.getItem(A, item.id)?.state, 'dialing', 'waits for the agent');
  t.equal(s.f.offerFor(A, 'a1')?.item.id, item.id, 'the agent still holds it (to record the outcome)');
  s.clock.advance(OUTCOME_GRACE_MS + TICK_MS);
  t.match(s.f.getItem(A, item.id), { state: 'done', outcome: 'reached' });
});

t.test('restart: offers and calls in flight go back to the list', async (t) => {
  const s = setup();
  const a = s.add('13800000001');
  const b = s.add('13800000002');
  s.port.agents = ['a1', 'a2'];
  s.f.tick();
  s.f.accept(A, 'a1', a.id);
  s.f.attachDialer(null);
  s.f.attachDialer(new ScriptedPort());
  t.match(s.f.getItem(A, a.id), { state: 'pending', offeredTo: null });
  t.match(s.f.getItem(A, b.id), { state: 'pending', offeredTo: null });
  t.equal(s.f.attempts(A, a.id)[0]?.dialResult, 'failed');
  s.f.attachDialer(null);
});
