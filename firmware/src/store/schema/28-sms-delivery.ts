/**
 * Step 28: delivery reports on the text messages the box sent (firmware/src/sms/sms-delivery.ts):
 * `sms_messages.status` gains 'delivered' (a CHECK cannot be altered in SQLite, so the table is
 * rebuilt with its rows and indexes), `reports` (JSON: the network's report per part, by TP-MR) and
 * `delivered_at` (when the last part reached the phone). Owned by firmware/src/sms.
 */
export const STEP_SMS_DELIVERY = `
  CREATE TABLE sms_messages_next (
    id TEXT PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('out')),
    phone TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try_at INTEGER NOT NULL,
    last_error TEXT,
    refs TEXT,
    customer_id TEXT,
    ticket_id TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    reports TEXT,
    delivered_at INTEGER
  ) STRICT;
  INSERT INTO sms_messages_next (id, direction, phone, body, status, attempts, next_try_at, last_error, refs, customer_id,
      ticket_id, created_by, created_at, sent_at)
    SELECT id, direction, phone, body, status, attempts, next_try_at, last_error, refs, customer_id, ticket_id, created_by,
      created_at, sent_at FROM sms_messages;
  DROP TABLE sms_messages;
  ALTER TABLE sms_messages_next RENAME TO sms_messages;
  CREATE INDEX sms_messages_due ON sms_messages(status, next_try_at);
  CREATE INDEX sms_messages_customer ON sms_messages(customer_id) WHERE customer_id IS NOT NULL;
  CREATE INDEX sms_messages_ticket ON sms_messages(ticket_id) WHERE ticket_id IS NOT NULL;
  CREATE INDEX sms_messages_awaiting ON sms_messages(sent_at) WHERE status = 'sent';
`;
