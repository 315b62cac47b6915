// Schema step 30: a ticket's link to a received SMS named the modem driver's id; after the step it
// names the message's inbox id (what GET /api/v1/sms/:id opens). Links to sent messages, links
// whose message is not in the inbox and links of other kinds are left as they were.
import path from 'node:path';
import t from 'tap';
import { openDatabase, SCHEMA_STEPS } from '../../../firmware/src/store/db.js';
import { STEP_SMS_TICKET_LINKS } from '../../../firmware/src/store/schema/30-sms-ticket-links.js';

t.test('links by modem id become links by inbox id', (t) => {
  const file = path.join(t.testdir({}), 'box.db');
  const at = SCHEMA_STEPS.indexOf(STEP_SMS_TICKET_LINKS);
  t.ok(at > 0, 'the step is listed');
  const old = openDatabase(file, SCHEMA_STEPS.slice(0, at));
  old
    .prepare(
      `INSERT INTO tickets (id, number, subject, category, priority, status, source, phone, created_by, created_at, updated_at)
       VALUES ('T1', 'GD1', '短信', 'inquiry', 'normal', 'new', 'sms', '13800138000', 'system', 1, 1)`,
    )
    .run();
  const received = old.prepare(
    `INSERT INTO sms_received (id, modem_id, phone, body, received_at, ticket_id) VALUES (?, ?, '13800138000', ?, 1, 'T1')`,
  );
  received.run('01IN1', '+8613800138000:261127093012:9f3a', '请问茶叶什么时候发货？');
  received.run('01IN2', '+8613800138000|8|42|3', '长短信');
  old
    .prepare(
      `INSERT INTO sms_messages (id, direction, phone, body, status, attempts, next_try_at, ticket_id, created_by, created_at)
       VALUES ('01OUT', 'out', '13800138000', '已发货', 'sent', 1, 0, 'T1', 'owner', 1)`,
    )
    .run();
  const link = old.prepare(`INSERT INTO ticket_links (ticket_id, kind, ref_id, linked_at) VALUES ('T1', ?, ?, 1)`);
  link.run('sms', '+8613800138000:261127093012:9f3a');
  link.run('sms', '+8613800138000|8|42|3');
  link.run('sms', '01OUT');
  link.run('sms', 'from-before-the-inbox');
  link.run('call', '+8613800138000|8|42|3'); // another kind with the same text: not an SMS link
  old.close();

  const db = openDatabase(file);
  t.same(
    db.prepare('SELECT kind, ref_id FROM ticket_links ORDER BY kind, ref_id').all(),
    [
      { kind: 'call', ref_id: '+8613800138000|8|42|3' },
      { kind: 'sms', ref_id: '01IN1' },
      { kind: 'sms', ref_id: '01IN2' },
      { kind: 'sms', ref_id: '01OUT' },
      { kind: 'sms', ref_id: 'from-before-the-inbox' },
    ],
    'received messages linked by their inbox ids; the rest unchanged',
  );
  db.close();
  t.end();
});
