// Schema step 29 (the SMS inbox): a box with sent messages from before the step migrates with them
// intact and an empty inbox; the driver's id is unique there (a message read again is one row).
import path from 'node:path';
import t from 'tap';
import { openDatabase, SCHEMA_STEPS } from '../../../firmware/src/store/db.js';
import { STEP_SMS_INBOX } from '../../../firmware/src/store/schema/29-sms-inbox.js';

t.test('sms_received added beside sms_messages; modem_id unique', (t) => {
  const file = path.join(t.testdir({}), 'box.db');
  const at = SCHEMA_STEPS.indexOf(STEP_SMS_INBOX);
  t.ok(at > 0, 'the step is listed');
  const old = openDatabase(file, SCHEMA_STEPS.slice(0, at));
  old
    .prepare(
      `INSERT INTO sms_messages (id, direction, phone, body, status, attempts, next_try_at, created_by, created_at)
       VALUES ('01A', 'out', '13800138000', '您好', 'sent', 1, 0, 'owner', 1)`,
    )
    .run();
  old.close();
  const db = openDatabase(file);
  t.same(db.prepare('SELECT id, body, status FROM sms_messages').all(), [{ id: '01A', body: '您好', status: 'sent' }]);
  t.equal(db.prepare('SELECT COUNT(*) FROM sms_received').pluck().get(), 0);
  const ins = db.prepare(`INSERT INTO sms_received (id, modem_id, phone, body, received_at) VALUES (?, ?, '10086', 'x', 1)`);
  ins.run('01B', '10086:261127:ab');
  t.throws(() => ins.run('01C', '10086:261127:ab'), /UNIQUE constraint failed: sms_received.modem_id/);
  t.throws(() => db.prepare(`INSERT INTO sms_received (id, modem_id, phone, body) VALUES ('01D', 'm', '1', 'x')`).run(), /NOT NULL/);
  db.close();
  t.end();
});
