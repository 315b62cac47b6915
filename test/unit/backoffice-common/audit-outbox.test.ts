// The audit trail and the cloud outbox over a real database (schema step 6).
// Regressions: audit.list({ entity }) without an id ignored the filter and returned everything;
// a NaN limit reached SQLite; outbox.pending with a negative limit returned the whole backlog
// (SQLite reads LIMIT -1 as "no limit").
import t from 'tap';
import { AuditLog } from '../../../firmware/src/backoffice/common/audit.js';
import { Outbox } from '../../../firmware/src/backoffice/common/outbox.js';
import { openDatabase } from '../../../firmware/src/store/db.js';

t.test('audit: record in the caller transaction, filters, paging, append-only', async (t) => {
  const db = openDatabase(':memory:');
  let now = Date.UTC(2026, 10, 26, 2);
  const audit = new AuditLog(db, () => now++);
  db.transaction(() => {
    audit.record('boss', 'customer.erase', 'customer', 'C1', { reason: '客户要求' });
    audit.record('lead', 'customer.view', 'customer', 'C2', { via: 'get' });
    audit.record('boss', 'customers.export', 'customer', null, { count: 2 });
    audit.record('boss', 'settlement.close', 'settlement', '2026-11');
  })();
  t.throws(() =>
    db.transaction(() => {
      audit.record('boss', 'customer.view', 'customer', 'C3');
      throw new Error('the action failed');
    })(),
  );
  t.equal(audit.list({ limit: 100 }).length, 4, 'a rolled-back action leaves no audit row');
  t.same(
    audit.list({ entity: 'customer', limit: 10 }).map((a) => a.action),
    ['customers.export', 'customer.view', 'customer.erase'],
    'regression: entity alone filters',
  );
  t.same(
    audit.list({ entity: 'customer', entityId: 'C1', limit: 10 }).map((a) => a.detail),
    [{ reason: '客户要求' }],
  );
  t.same(
    audit.list({ actor: 'boss', action: 'customer.erase', limit: 10 }).map((a) => a.entityId),
    ['C1'],
  );
  const first = audit.list({ limit: 2 });
  t.same(
    first.map((a) => a.seq),
    [4, 3],
  );
  t.same(
    audit.list({ beforeSeq: 3, limit: 2 }).map((a) => a.seq),
    [2, 1],
    'paging backwards',
  );
  t.equal(audit.list({ limit: Number.NaN }).length, 4, 'regression: NaN limit falls back to 50');
  t.equal(audit.list({ limit: -5 }).length, 1, 'limits below 1 are 1');
  t.match(audit.list({ entityId: 'C2', limit: 1 })[0], { ts: '2026-11-26T02:00:00.001Z', actor: 'lead' });
  audit.record('boss', 'x', 'y', null, undefined);
  t.same(audit.list({ action: 'x', limit: 1 })[0]?.detail, {});
  t.throws(() => db.prepare('UPDATE audit SET actor = ?').run('someone'), /append-only/);
  t.throws(() => db.prepare('DELETE FROM audit').run(), /append-only/);
});

t.test('outbox: pending per stream in seq order, ack up to a seq, backlog; bad limits give nothing', async (t) => {
  const db = openDatabase(':memory:');
  const outbox = new Outbox(db, () => Date.UTC(2026, 10, 26, 2));
  outbox.put('customers', 'C1', 1, { name: '张三' });
  outbox.put('tickets', 'T1', 1, { subject: '投诉' });
  outbox.put('customers', 'C1', 2, { name: '张三丰' });
  outbox.put('customers', 'C2', 1, undefined);
  t.same(outbox.backlog(), { customers: 3, tickets: 1 });
  const pending = outbox.pending('customers', 10);
  t.same(
    pending.map((r) => [r.id, r.version]),
    [
      ['C1', 1],
      ['C1', 2],
      ['C2', 1],
    ],
  );
  t.same(pending[1]?.body, { name: '张三丰' });
  t.equal(pending[2]?.body, null, 'an undefined body is stored as null');
  t.same(
    outbox.pending('customers', 10, pending[0]?.seq).map((r) => r.version),
    [2, 1],
  );
  t.same(outbox.pending('customers', -1), [], 'regression: a negative limit is not "no limit"');
  t.same(outbox.pending('customers', Number.NaN), []);
  t.same(outbox.pending('customers', 0), []);
  t.equal(outbox.ack('customers', pending[1]?.seq as number), 2);
  t.same(
    outbox.pending('customers', 10).map((r) => r.id),
    ['C2'],
  );
  t.same(outbox.backlog(), { customers: 1, tickets: 1 });
  t.equal(outbox.ack('customers', pending[1]?.seq as number), 0, 'acking again changes nothing');
});
