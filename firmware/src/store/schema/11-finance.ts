/**
 * Step 11: people who earn commission and the shop's money (firmware/src/backoffice/finance):
 * staff, salespeople and distributors (by application and owner approval, with their inviter),
 * monthly expenses and base salaries, commission entries and monthly settlements. `people` is a
 * contract (orders.seller_id points at it); the rest is the finance module's own:
 * - `finance_salaries`: base salary of a person effective from a month (YYYY-MM) on;
 * - `finance_expenses`: the shop's expenses of a month (rent, ads, phone bills, …);
 * - `finance_rules`: the commission rules as JSON (one row; absent = the seed's defaults);
 * - `commission_entries`: referral commission per order, person and role; pending rows are
 *   recomputed from the orders until their month is closed (then settled and frozen);
 * - `commission_orders`: the order version each order's entries were last computed at (a sync
 *   reads again only the orders that moved on; emptied when rules, people or closed months change);
 * - `settlements` / `settlement_lines`: a closed month's frozen report and its per-person lines.
 */
export const STEP_FINANCE = `
  CREATE TABLE people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('staff', 'salesperson', 'distributor')),
    phone TEXT,
    agent_id TEXT,
    username TEXT,
    inviter_id TEXT REFERENCES people(id),
    status TEXT NOT NULL CHECK (status IN ('applied', 'approved', 'rejected', 'left')),
    base_salary_cents INTEGER NOT NULL DEFAULT 0,
    applied_at INTEGER NOT NULL,
    decided_at INTEGER,
    decided_by TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    bonus_cap_cents INTEGER CHECK (bonus_cap_cents IS NULL OR bonus_cap_cents >= 0),
    left_at INTEGER,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT ''
  ) STRICT;
  CREATE INDEX people_inviter ON people(inviter_id);
  CREATE UNIQUE INDEX people_agent ON people(agent_id) WHERE agent_id IS NOT NULL;
  CREATE UNIQUE INDEX people_username ON people(username) WHERE username IS NOT NULL;

  CREATE TABLE finance_salaries (
    person_id TEXT NOT NULL REFERENCES people(id),
    month TEXT NOT NULL,
    base_salary_cents INTEGER NOT NULL CHECK (base_salary_cents >= 0),
    set_by TEXT NOT NULL,
    set_at INTEGER NOT NULL,
    PRIMARY KEY (person_id, month)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE finance_expenses (
    id TEXT PRIMARY KEY,
    month TEXT NOT NULL,
    category TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX finance_expenses_month ON finance_expenses(month);

  CREATE TABLE finance_rules (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    body TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;

  CREATE TABLE commission_entries (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id),
    role TEXT NOT NULL CHECK (role IN ('seller', 'inviter')),
    kind TEXT NOT NULL CHECK (kind IN ('commission', 'adjustment')),
    base_cents INTEGER NOT NULL,
    pct_bp INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    month TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'settled', 'reversed')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX commission_entries_order ON commission_entries(order_id, person_id, role);
  CREATE INDEX commission_entries_person ON commission_entries(person_id, month);
  CREATE INDEX commission_entries_month ON commission_entries(month, status);

  CREATE TABLE commission_orders (
    order_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE settlements (
    month TEXT PRIMARY KEY,
    closed_at INTEGER NOT NULL,
    closed_by TEXT NOT NULL,
    body TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE settlement_lines (
    month TEXT NOT NULL REFERENCES settlements(month),
    person_id TEXT NOT NULL REFERENCES people(id),
    base_salary_cents INTEGER NOT NULL,
    sales_cents INTEGER NOT NULL,
    referral_cents INTEGER NOT NULL,
    rebate_cents INTEGER NOT NULL,
    bonus_cents INTEGER NOT NULL,
    total_cents INTEGER NOT NULL,
    PRIMARY KEY (month, person_id)
  ) STRICT, WITHOUT ROWID;
`;
