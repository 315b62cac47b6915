/**
 * Step 7: customers (firmware/src/backoffice/customers). One customer, several phone numbers
 * (E.164-ish digits as normalized by common/phone.ts; a number belongs to one customer). Tags are
 * rows so "all VIPs" is an index lookup. An erased customer keeps its id and row (orders and
 * tickets still point at it) with every personal field cleared and `erased_at` set.
 */
export const STEP_CUSTOMERS = `
  CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    name TEXT,
    notes TEXT NOT NULL DEFAULT '',
    consent TEXT NOT NULL DEFAULT '{}',
    do_not_call INTEGER NOT NULL DEFAULT 0 CHECK (do_not_call IN (0, 1)),
    source TEXT NOT NULL CHECK (source IN ('callerId', 'manual', 'import', 'sms', 'order')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    erased_at INTEGER
  ) STRICT;
  CREATE INDEX customers_name ON customers(name);
  CREATE INDEX customers_updated_at ON customers(updated_at);

  CREATE TABLE customer_phones (
    phone TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    label TEXT,
    added_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX customer_phones_customer ON customer_phones(customer_id);

  CREATE TABLE customer_tags (
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (customer_id, tag)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX customer_tags_tag ON customer_tags(tag);
`;
