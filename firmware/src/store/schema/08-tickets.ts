/**
 * Step 8: tickets (工单, firmware/src/backoffice/tickets). The columns of `tickets` are a contract
 * that reports and the screen pop read: status, category, customer_id, created_at, resolved_at,
 * first_response_at, assignee, source. Categories are rows so the owner can add more; the eight
 * built-in ones are seeded here with their default SLA in hours. `ticket_events` is the history
 * (created, updated, transition, note, link, return_visit…), `ticket_notes` the notes (internal or
 * not), `ticket_links` the calls/recordings/voicemails/orders/SMS a ticket is about. Settings live
 * in `settings` under the key 'tickets.settings' (JSON).
 */
export const STEP_TICKETS = `
  CREATE TABLE ticket_categories (
    id TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sla_hours INTEGER,
    builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    sort INTEGER NOT NULL DEFAULT 100
  ) STRICT;
  INSERT INTO ticket_categories (id, name_zh, name_en, sla_hours, builtin, sort) VALUES
    ('inquiry', '咨询', 'Inquiry', 24, 1, 10),
    ('authenticity', '真伪查询', 'Authenticity check', 24, 1, 20),
    ('usage', '使用指导', 'Usage guidance', 24, 1, 30),
    ('adverse_reaction', '不良反应', 'Adverse reaction after use', 4, 1, 40),
    ('quality_complaint', '质量投诉', 'Quality complaint', 8, 1, 50),
    ('where_to_buy', '购买渠道', 'Where to buy', 24, 1, 60),
    ('order', '订单', 'Order', 24, 1, 70),
    ('return', '退货', 'Return', 48, 1, 80);

  CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL REFERENCES ticket_categories(id),
    priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    department TEXT,
    assignee TEXT,
    status TEXT NOT NULL CHECK (status IN ('new', 'assigned', 'in_progress', 'waiting_customer', 'resolved', 'closed')),
    source TEXT NOT NULL CHECK (source IN ('call', 'voicemail', 'missed_call', 'sms', 'manual', 'survey')),
    customer_id TEXT REFERENCES customers(id),
    phone TEXT,
    call_id TEXT,
    due_at INTEGER,
    first_response_at INTEGER,
    resolved_at INTEGER,
    closed_at INTEGER,
    reopen_count INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX tickets_status ON tickets(status, due_at);
  CREATE INDEX tickets_customer ON tickets(customer_id, created_at);
  CREATE INDEX tickets_assignee ON tickets(assignee, status);
  CREATE INDEX tickets_created_at ON tickets(created_at);
  CREATE INDEX tickets_call ON tickets(call_id) WHERE call_id IS NOT NULL;

  -- Status changes and notes, oldest first: the ticket's history.
  CREATE TABLE ticket_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    ts INTEGER NOT NULL,
    actor TEXT NOT NULL,
    type TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    body TEXT
  ) STRICT;
  CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, seq);

  -- Calls, recordings, voicemails, orders and SMS linked to a ticket.
  CREATE TABLE ticket_links (
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'recording', 'voicemail', 'order', 'sms')),
    ref_id TEXT NOT NULL,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, kind, ref_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX ticket_links_ref ON ticket_links(kind, ref_id);

  CREATE TABLE ticket_notes (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    internal INTEGER NOT NULL DEFAULT 1 CHECK (internal IN (0, 1)),
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX ticket_notes_ticket ON ticket_notes(ticket_id, created_at);
  CREATE INDEX tickets_phone ON tickets(phone, created_at) WHERE phone IS NOT NULL;
`;
