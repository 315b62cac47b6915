/**
 * Step 10: phone sales (firmware/src/backoffice/sales): catalog, promotions, orders with lines,
 * shipments, stock requests (要货), monthly targets. Money is integer cents (分) everywhere.
 * `orders` and `order_lines` are a contract that finance (commission), reports and the screen pop
 * read. `orders.number` is digits only, so a caller can key it in the IVR: the shop's local date
 * YYMMDD + a 4-digit sequence of the day (`order_number_seq`), e.g. 2611270001.
 * Promotions: `kind` + `rule` (JSON) as described in backoffice/sales/promotions.ts.
 */
export const STEP_SALES = `
  CREATE TABLE products (
    id TEXT PRIMARY KEY,
    sku TEXT UNIQUE,
    name TEXT NOT NULL,
    spec TEXT NOT NULL DEFAULT '',
    cost_cents INTEGER NOT NULL CHECK (cost_cents >= 0),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    featured INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;

  CREATE TABLE promotions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    rule TEXT NOT NULL,
    product_id TEXT REFERENCES products(id),
    starts_at INTEGER,
    ends_at INTEGER,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;

  CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_id TEXT REFERENCES customers(id),
    call_id TEXT,
    seller_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('new', 'paid', 'shipped', 'delivered', 'returned', 'cancelled')),
    subtotal_cents INTEGER NOT NULL,
    discount_cents INTEGER NOT NULL DEFAULT 0,
    total_cents INTEGER NOT NULL,
    cost_cents INTEGER NOT NULL,
    refund_cents INTEGER NOT NULL DEFAULT 0,
    ship_name TEXT,
    ship_phone TEXT,
    ship_address TEXT,
    note TEXT NOT NULL DEFAULT '',
    paid_at INTEGER,
    shipped_at INTEGER,
    delivered_at INTEGER,
    returned_at INTEGER,
    created_by TEXT NOT NULL,
    price_list TEXT NOT NULL DEFAULT 'retail' CHECK (price_list IN ('retail', 'distributor')),
    cancelled_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX orders_customer ON orders(customer_id, created_at);
  CREATE INDEX orders_created_at ON orders(created_at);
  CREATE INDEX orders_seller ON orders(seller_id, created_at);
  CREATE INDEX orders_status ON orders(status, updated_at);

  CREATE TABLE order_number_seq (
    day TEXT PRIMARY KEY,
    last INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    product_id TEXT REFERENCES products(id),
    name TEXT NOT NULL,
    qty INTEGER NOT NULL CHECK (qty > 0),
    unit_price_cents INTEGER NOT NULL,
    unit_cost_cents INTEGER NOT NULL,
    discount_cents INTEGER NOT NULL DEFAULT 0,
    gift INTEGER NOT NULL DEFAULT 0 CHECK (gift IN (0, 1)),
    promotion_id TEXT,
    PRIMARY KEY (order_id, idx)
  ) STRICT;
  CREATE INDEX order_lines_product ON order_lines(product_id);

  CREATE TABLE order_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    ts INTEGER NOT NULL,
    actor TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    data TEXT NOT NULL DEFAULT '{}'
  ) STRICT;
  CREATE INDEX order_events_order ON order_events(order_id, seq);

  CREATE TABLE shipments (
    id TEXT PRIMARY KEY,
    order_id TEXT REFERENCES orders(id) ON DELETE CASCADE,
    stock_request_id TEXT,
    carrier TEXT NOT NULL,
    tracking_no TEXT NOT NULL,
    shipped_at INTEGER NOT NULL,
    delivered_at INTEGER,
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX shipments_order ON shipments(order_id);
  CREATE INDEX shipments_stock_request ON shipments(stock_request_id);
  CREATE INDEX shipments_tracking ON shipments(tracking_no);

  CREATE TABLE stock_requests (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products(id),
    qty INTEGER NOT NULL CHECK (qty > 0),
    status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'shipped', 'received')),
    note TEXT NOT NULL DEFAULT '',
    requested_by TEXT NOT NULL,
    decided_by TEXT,
    decided_at INTEGER,
    received_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX stock_requests_status ON stock_requests(status, updated_at);

  -- Monthly sales targets: person_id '' is the whole shop.
  CREATE TABLE sales_targets (
    month TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    target_cents INTEGER NOT NULL CHECK (target_cents >= 0),
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (month, person_id)
  ) STRICT, WITHOUT ROWID;
`;
