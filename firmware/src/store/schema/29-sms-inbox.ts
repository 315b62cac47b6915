/**
 * Step 29: the SMS inbox (收件箱, firmware/src/sms/sms-inbox.ts): every text message the modem
 * received, stored before anything else happens to it (a ticket is made from it only after), so none
 * is lost whatever the ticket settings. `modem_id` is the driver's id of the message (sender + time
 * stamp + text hash, or the long message's reference): a message read again from the SIM after a
 * restart is the same row. `ticket_id` names the ticket it became (null with SMS tickets off);
 * `read_at` / `read_by` mark it read (shop-wide). A sibling of `sms_messages` (sent ones): the list
 * API shows both by their ULIDs, newest first. Owned by firmware/src/sms.
 */
export const STEP_SMS_INBOX = `
  CREATE TABLE sms_received (
    id TEXT PRIMARY KEY,
    modem_id TEXT NOT NULL UNIQUE,
    phone TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    customer_id TEXT,
    ticket_id TEXT,
    read_at INTEGER,
    read_by TEXT
  ) STRICT;
  CREATE INDEX sms_received_customer ON sms_received(customer_id) WHERE customer_id IS NOT NULL;
  CREATE INDEX sms_received_ticket ON sms_received(ticket_id) WHERE ticket_id IS NOT NULL;
  CREATE INDEX sms_received_unread ON sms_received(id) WHERE read_at IS NULL;
`;
