/**
 * Step 12: follow-up lists (outbound calling: 回访, satisfaction surveys, order confirmations;
 * firmware/src/backoffice/followups). `followup_items` is the contract other areas read (reports:
 * follow-ups done per day; tickets/orders: their 回访 items by ticket_id / order_id).
 * - `followup_lists`: a list with its purpose, calling hours (JSON, per weekday windows in the shop's
 *   time zone), max attempts and retry delay. `default_for` marks the list `schedule()` fills for a
 *   purpose (one per purpose).
 * - `followup_items`: one customer (phone) to call; `next_at` is when it may be offered next (due
 *   date, then retry / callback-later times); `offered_to` the agent holding the offer.
 * - `followup_attempts`: each offer accepted and dialled: agent, line, call id, dial result, the
 *   outcome the agent recorded.
 */
export const STEP_FOLLOWUPS = `
  CREATE TABLE followup_lists (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('return_visit', 'satisfaction', 'order_confirmation', 'other')),
    default_for TEXT UNIQUE,
    calling_hours TEXT NOT NULL,
    max_attempts INTEGER NOT NULL DEFAULT 3,
    retry_delay_min INTEGER NOT NULL DEFAULT 60,
    script TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;

  CREATE TABLE followup_items (
    id TEXT PRIMARY KEY,
    list_id TEXT NOT NULL REFERENCES followup_lists(id) ON DELETE CASCADE,
    customer_id TEXT,
    phone TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    next_at INTEGER NOT NULL,
    ticket_id TEXT,
    order_id TEXT,
    assignee TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'offered', 'dialing', 'done', 'failed', 'skipped', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    outcome TEXT,
    note TEXT NOT NULL DEFAULT '',
    offered_to TEXT,
    offered_at INTEGER,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX followup_items_due ON followup_items(state, next_at);
  CREATE INDEX followup_items_list ON followup_items(list_id, state);
  CREATE INDEX followup_items_customer ON followup_items(customer_id);
  CREATE INDEX followup_items_ticket ON followup_items(ticket_id) WHERE ticket_id IS NOT NULL;
  CREATE INDEX followup_items_order ON followup_items(order_id) WHERE order_id IS NOT NULL;
  CREATE INDEX followup_items_offered ON followup_items(offered_to) WHERE offered_to IS NOT NULL;

  CREATE TABLE followup_attempts (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES followup_items(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    agent TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    call_id TEXT,
    line TEXT,
    dial_result TEXT,
    outcome TEXT,
    note TEXT NOT NULL DEFAULT ''
  ) STRICT;
  CREATE INDEX followup_attempts_item ON followup_attempts(item_id, n);
  CREATE INDEX followup_attempts_call ON followup_attempts(call_id) WHERE call_id IS NOT NULL;
`;
