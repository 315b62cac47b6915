/**
 * Step 11: people who earn commission and the shop's money (firmware/src/backoffice/finance):
 * staff, salespeople and distributors (by application and owner approval, with their inviter),
 * monthly expenses and base salaries, commission entries and monthly settlements. `people` is a
 * contract (orders.seller_id points at it); the rest is the finance module's own.
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
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX people_inviter ON people(inviter_id);
  CREATE UNIQUE INDEX people_agent ON people(agent_id) WHERE agent_id IS NOT NULL;
`;
