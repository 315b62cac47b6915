/**
 * Step 21: text messages the box sends (firmware/src/sms): the outbox queue and the record of
 * what went out, linked to the customer and the ticket it was about. Owned by firmware/src/sms;
 * `sms_messages` is a contract for the ticket view (links of kind 'sms' name its id).
 */
export const STEP_SMS = `
  CREATE TABLE sms_messages (
    id TEXT PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('out')),
    phone TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try_at INTEGER NOT NULL,
    last_error TEXT,
    refs TEXT,
    customer_id TEXT,
    ticket_id TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
  ) STRICT;
  CREATE INDEX sms_messages_due ON sms_messages(status, next_try_at);
  CREATE INDEX sms_messages_customer ON sms_messages(customer_id) WHERE customer_id IS NOT NULL;
  CREATE INDEX sms_messages_ticket ON sms_messages(ticket_id) WHERE ticket_id IS NOT NULL;
`;
