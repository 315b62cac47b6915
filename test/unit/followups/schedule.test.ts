// schedule() as the tickets and sales areas call it (回访 after a ticket, order confirmation), lists,
// items by hand and by customer tag, do-not-call skipped with the reason, masking by role.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import { world } from './fixtures/world.js';

const A = SYSTEM_ACTOR;
const AGENT = { username: 'a1', role: 'agent' } as const;

t.test('schedule: the purpose list is made on first use, reused after', async (t) => {
  const w = world();
  const f = w.bo.followups;
  const due = Date.UTC(2026, 10, 27, 2);
  const item = f.schedule(A, {
    purpose: 'return_visit',
    phone: '138-0000-0001',
    dueAt: due,
    ticketId: 'T1',
    note: '工单已解决，回访满意度',
  });
  t.match(item, {
    state: 'pending',
    phone: '13800000001',
    customerId: 'C1',
    ticketId: 'T1',
    dueAt: new Date(due).toISOString(),
    attempts: 0,
    version: 1,
  });
  const again = f.schedule(A, { purpose: 'return_visit', phone: '+8613700000004', dueAt: due, orderId: 'O1' });
  t.equal(again.listId, item.listId, 'same list for the same purpose');
  t.equal(again.customerId, 'C4', 'customer found by phone (+86 form)');
  const conf = f.schedule(A, { purpose: 'order_confirmation', phone: '13500000005', dueAt: due, orderId: 'O2' });
  t.not(conf.listId, item.listId);
  t.equal(conf.customerId, null, 'unknown number: no customer');
  const lists = f.lists(A);
  t.same(
    lists.map((l) => [l.purpose, l.defaultFor, l.maxAttempts]),
    [
      ['return_visit', 'return_visit', 3],
      ['order_confirmation', 'order_confirmation', 3],
    ],
  );
  t.same(lists[0]?.callingHours.mon, ['09:00-12:00', '14:00-20:00']);
  t.equal(f.items(A, { ticketId: 'T1' }).total, 1, 'the tickets area finds its 回访 by ticket id');
  t.equal(f.items(A, { listId: item.listId }).total, 2);
  t.equal(f.getItem(AGENT, item.id)?.phone, '138****0001', 'agents see masked numbers');
});

t.test('schedule: do-not-call and erased customers are skipped with the reason', async (t) => {
  const w = world();
  const f = w.bo.followups;
  const dnc = f.schedule(A, { purpose: 'satisfaction', phone: '13900000002', dueAt: w.clock.now() });
  t.match(dnc, { state: 'skipped', outcome: 'do_not_call', customerId: 'C2' });
  const byId = f.schedule(A, { purpose: 'satisfaction', phone: '13800009999', customerId: 'C2', dueAt: w.clock.now() });
  t.match(byId, { state: 'skipped', outcome: 'do_not_call' }, 'the customer id decides even for another number');
  t.equal(f.items(A, { due: true }).total, 0, 'skipped items are never due');
});

t.test('schedule: bad requests name the field', async (t) => {
  const w = world();
  const f = w.bo.followups;
  const now = w.clock.now();
  const cases: [unknown, string][] = [
    [{ purpose: 'party', phone: '13800000001', dueAt: now }, 'purpose'],
    [{ purpose: 'return_visit', phone: 'abc', dueAt: now }, 'phone'],
    [{ purpose: 'return_visit', dueAt: now }, 'phone'],
    [{ purpose: 'return_visit', phone: '13800000001' }, 'dueAt'],
    [{ purpose: 'return_visit', phone: '13800000001', dueAt: 'tomorrow' }, 'dueAt'],
    [{ purpose: 'return_visit', phone: '13800000001', dueAt: now, customerId: 'nobody' }, 'customerId'],
    [{ purpose: 'return_visit', phone: '13800000001', dueAt: now, note: 5 }, 'note'],
  ];
  for (const [req, field] of cases) {
    t.throws(() => f.schedule(A, req as never), { code: 'VALIDATION_FAILED', details: { field } }, field);
  }
  t.equal(f.items(A, {}).total, 0, 'nothing half-written');
});

t.test('lists: create, update with version, import by tag, delete', async (t) => {
  const w = world();
  const f = w.bo.followups;
  const l = f.createList(A, {
    name: '双十一回访',
    purpose: 'return_visit',
    maxAttempts: 2,
    retryDelayMin: 30,
    callingHours: { mon: ['10:00-11:00'] },
  });
  t.same(l.callingHours.tue, [], 'days not given have no calling hours');
  t.equal(l.defaultFor, null);
  const r = f.importByTag(A, l.id, { tag: 'vip', note: '双十一' });
  t.same(r, {
    added: 1,
    skipped: [
      { customerId: 'C2', reason: 'do_not_call' },
      { customerId: 'C3', reason: 'no_phone' },
    ],
  });
  t.same(
    f.importByTag(A, l.id, { tag: 'vip' }).skipped.map((s) => s.reason),
    ['already_listed', 'do_not_call', 'no_phone'],
  );
  const byCustomer = f.addItem(A, l.id, { customerId: 'C4' });
  t.equal(byCustomer.phone, '+8613700000004', "the customer's first number");
  t.throws(() => f.addItem(A, l.id, { customerId: 'C3' }), { code: 'VALIDATION_FAILED', details: { field: 'phone' } });
  t.throws(() => f.addItem(A, 'nope', { phone: '13800000001' }), { code: 'NOT_FOUND' });
  const u = f.updateList(A, l.id, { name: '双十一回访（二）', version: 1 });
  t.equal(u.version, 2);
  t.throws(() => f.updateList(A, l.id, { name: 'x', version: 1 }), { code: 'CONFLICT' });
  t.throws(() => f.updateList(A, l.id, { callingHours: { mon: ['12:00-10:00'] } as never }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'callingHours.mon' },
  });
  t.throws(() => f.createList(A, { name: 'x', purpose: 'other', maxAttempts: 0 }), { details: { field: 'maxAttempts' } } as never);
  const item = f.items(A, { listId: l.id }).items[0];
  t.ok(item);
  const moved = f.updateItem(A, item?.id ?? '', { dueAt: Date.UTC(2026, 11, 1), note: '改期' });
  t.equal(moved.nextAt, new Date(Date.UTC(2026, 11, 1)).toISOString());
  t.equal(f.cancelItem(A, item?.id ?? '').state, 'cancelled');
  t.throws(() => f.cancelItem(A, item?.id ?? ''), { code: 'CONFLICT' });
  f.deleteList(A, l.id);
  t.equal(f.getList(A, l.id), null);
  t.equal(f.items(A, { listId: l.id }).total, 0, 'items go with the list');
});
