// Joining by application and owner approval: applied → approved | rejected, approved → left; the
// inviter must be an approved person at application; no inviter cycles; unique usernames.
import t from 'tap';
import { CallboxError } from '../../../firmware/src/errors.js';
import { OWNER, Shop } from './fixtures/shop.js';

function errOf(fn: () => unknown): { code: string; field?: string } | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CallboxError)
      return {
        code: e.code,
        ...((e.details as { field?: string } | undefined)?.field ? { field: (e.details as { field: string }).field } : {}),
      };
    throw e;
  }
  return undefined;
}

const AGENT = { username: 'agent1', role: 'agent' as const };

t.test('apply (by an agent), approve, reject, leave', async (t) => {
  const shop = new Shop();
  const p = shop.finance.apply(AGENT, { name: '张三', kind: 'salesperson', phone: '13800138000', note: '老客户, 想做销售员' });
  t.match(p, { name: '张三', kind: 'salesperson', status: 'applied', createdBy: 'agent1', decidedAt: null, version: 1, inviterId: null });
  t.match(p.id, /^[0-9A-Z]{26}$/);
  const ok = shop.finance.approve(OWNER, p.id, 1);
  t.match(ok, { status: 'approved', decidedBy: 'owner', version: 2 });
  t.same(
    errOf(() => shop.finance.approve(OWNER, p.id)),
    { code: 'CONFLICT' },
    'approved once',
  );
  t.same(
    errOf(() => shop.finance.reject(OWNER, p.id)),
    { code: 'CONFLICT' },
    'an approved person is not rejected',
  );
  const q = shop.finance.apply(OWNER, { name: '李四', kind: 'distributor' });
  t.same(
    errOf(() => shop.finance.approve(OWNER, q.id, 7)),
    { code: 'CONFLICT' },
    'stale version',
  );
  t.equal(shop.finance.reject(OWNER, q.id).status, 'rejected');
  t.same(
    errOf(() => shop.finance.leave(OWNER, q.id)),
    { code: 'CONFLICT' },
  );
  const gone = shop.finance.leave(OWNER, p.id);
  t.equal(gone.status, 'left');
  t.ok(gone.leftAt);
  t.same(
    errOf(() => shop.finance.approve(OWNER, 'nope')),
    { code: 'NOT_FOUND' },
  );
  t.equal(shop.finance.listPeople(OWNER, { status: 'left' }).total, 1);
  t.equal(shop.finance.listPeople(OWNER, { q: '李' }).items[0]?.id, q.id);
  t.equal(shop.finance.people(OWNER).length, 2);
});

t.test('the inviter must be approved; unknown inviters and bad fields are named', async (t) => {
  const shop = new Shop();
  const pending = shop.finance.apply(OWNER, { name: '待审', kind: 'salesperson' });
  t.same(
    errOf(() => shop.finance.apply(OWNER, { name: 'X', kind: 'salesperson', inviterId: pending.id })),
    { code: 'VALIDATION_FAILED', field: 'inviterId' },
  );
  t.same(
    errOf(() => shop.finance.apply(OWNER, { name: 'X', kind: 'salesperson', inviterId: 'ghost' })),
    { code: 'VALIDATION_FAILED', field: 'inviterId' },
  );
  t.same(
    errOf(() => shop.finance.apply(OWNER, { name: '', kind: 'salesperson' })),
    { code: 'VALIDATION_FAILED', field: 'name' },
  );
  t.same(
    errOf(() => shop.finance.apply(OWNER, { name: 'X', kind: 'boss' as never })),
    { code: 'VALIDATION_FAILED', field: 'kind' },
  );
  t.same(
    errOf(() => shop.finance.apply(OWNER, { name: 'X', kind: 'staff', phone: 'call me' })),
    { code: 'VALIDATION_FAILED', field: 'phone' },
  );
  const a = shop.person('A', 'salesperson');
  const b = shop.finance.apply(OWNER, { name: 'B', kind: 'salesperson', inviterId: a.id });
  t.equal(b.inviterId, a.id);
  t.equal(shop.finance.people(OWNER).length, 3, 'failed applications left nothing');
});

t.test('no inviter cycles when the owner changes an inviter', async (t) => {
  const shop = new Shop();
  const a = shop.person('A', 'salesperson');
  const b = shop.person('B', 'salesperson', { inviterId: a.id });
  const c = shop.person('C', 'salesperson', { inviterId: b.id });
  t.same(
    errOf(() => shop.finance.updatePerson(OWNER, a.id, { inviterId: c.id })),
    { code: 'VALIDATION_FAILED', field: 'inviterId' },
    'A ← C ← B ← A',
  );
  t.same(
    errOf(() => shop.finance.updatePerson(OWNER, a.id, { inviterId: a.id })),
    { code: 'VALIDATION_FAILED', field: 'inviterId' },
  );
  const d = shop.person('D', 'salesperson');
  t.equal(shop.finance.updatePerson(OWNER, c.id, { inviterId: d.id }).inviterId, d.id);
  t.equal(shop.finance.updatePerson(OWNER, c.id, { inviterId: null }).inviterId, null);
});

t.test('usernames link people to sign-ins, one person each', async (t) => {
  const shop = new Shop();
  const a = shop.person('A', 'staff', { username: 'wang' });
  t.equal(shop.finance.personOf('wang')?.id, a.id);
  t.equal(shop.finance.personOf('li'), null);
  t.same(
    errOf(() => shop.finance.apply(OWNER, { name: 'B', kind: 'staff', username: 'wang' })),
    { code: 'CONFLICT', field: 'username' },
  );
  const b = shop.person('B', 'staff');
  t.same(
    errOf(() => shop.finance.updatePerson(OWNER, b.id, { username: 'wang' })),
    { code: 'CONFLICT', field: 'username' },
  );
  t.same(
    errOf(() => shop.finance.apply(AGENT, { name: 'C', kind: 'salesperson', username: 'li' })),
    { code: 'FORBIDDEN', field: 'username' },
    "an agent cannot link someone else's sign-in",
  );
  t.equal(
    shop.finance.apply(AGENT, { name: '坐席本人', kind: 'salesperson', username: 'agent1' }).username,
    'agent1',
    'but may link their own',
  );
  t.same(
    errOf(() => shop.finance.updatePerson(OWNER, b.id, { bonusCapCents: -1 })),
    { code: 'VALIDATION_FAILED', field: 'bonusCapCents' },
  );
  t.same(
    errOf(() => shop.finance.updatePerson(OWNER, b.id, { name: 'B2', version: 1 })),
    { code: 'CONFLICT' },
    'approval moved the version on',
  );
  t.equal(shop.finance.updatePerson(OWNER, b.id, { name: 'B2', version: 2 }).name, 'B2');
});
