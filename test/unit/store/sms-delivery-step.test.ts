// Schema step 28 (delivery reports): a box with sent and queued messages from before the step
// migrates with every row and index intact; 'delivered' is a status now, nonsense still is not;
// the new columns start empty.
import path from 'node:path';
import t from 'tap';
import { openDatabase, SCHEMA_STEPS } from '../../../firmware/src/store/db.js';
import { STEP_SMS_DELIVERY } from '../../../firmware/src/store/schema/28-sms-delivery.js';

t.test('sms_messages rebuilt with its rows; delivered allowed', (t) => {
  const file = path.join(t.testdir({}), 'box.db');
  const at = SCHEMA_STEPS.indexOf(STEP_SMS_DELIVERY);
  t.ok(at > 0, 'the step is listed');
  const old = openDatabase(file, SCHEMA_STEPS.slice(0, at));
  const ins = old.prepare(
    `INSERT INTO sms_messages (id, direction, phone, body, status, attempts, next_try_at, refs, ticket_id, created_by, created_at, sent_at)
     VALUES (?, 'out', ?, ?, ?, 1, 0, ?, ?, 'owner', 1, ?)`,
  );
  ins.run('01A', '13800138000', '您好', 'sent', '[41,42]', 'T1', 5);
  ins.run('01B', '10086', 'CXLL', 'queued', null, null, null);
  t.throws(() => ins.run('01C', '10086', 'x', 'delivered', null, null, null), /CHECK constraint/, 'not yet a status');
  old.close();
  const db = openDatabase(file);
  t.same(db.prepare('SELECT id, phone, status, refs, ticket_id, sent_at, reports, delivered_at FROM sms_messages ORDER BY id').all(), [
    { id: '01A', phone: '13800138000', status: 'sent', refs: '[41,42]', ticket_id: 'T1', sent_at: 5, reports: null, delivered_at: null },
    { id: '01B', phone: '10086', status: 'queued', refs: null, ticket_id: null, sent_at: null, reports: null, delivered_at: null },
  ]);
  db.prepare(`UPDATE sms_messages SET status = 'delivered', delivered_at = 9 WHERE id = '01A'`).run();
  t.throws(() => db.prepare(`UPDATE sms_messages SET status = 'arrived' WHERE id = '01B'`).run(), /CHECK constraint/);
  const indexes = (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sms_messages' ORDER BY name`).all() as {
      name: string;
    }[]
  ).map((r) => r.name);
  t.same(
    indexes.filter((n) => !n.startsWith('sqlite_')),
    ['sms_messages_awaiting', 'sms_messages_customer', 'sms_messages_due', 'sms_messages_ticket'],
  );
  db.close();
  t.end();
});
