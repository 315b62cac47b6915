/**
 * Stock requests (要货) to the head office: requested → approved / rejected, approved → shipped
 * (with a shipment: carrier and tracking number) → received. Each change bumps the version and
 * puts an outbox row (stream 'products', `type: 'stockRequest'`) in the same transaction.
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor, Page } from '../common/types.js';
import { Shipments } from './shipments.js';
import type { StockRequest, StockRequestChange, StockRequestStatus } from './types.js';
import { int, invalid, iso, LIMITS, oneOf, optionalText, paging, text, versionOf } from './validate.js';

export const STOCK_STATUSES: readonly StockRequestStatus[] = ['requested', 'approved', 'rejected', 'shipped', 'received'];

/** The legal moves from each status (the web app's stock-requests page offers the same: tested). */
export const STOCK_NEXT: Record<StockRequestStatus, readonly StockRequestStatus[]> = {
  requested: ['approved', 'rejected'],
  approved: ['shipped', 'rejected'],
  rejected: [],
  shipped: ['received'],
  received: [],
};

interface Row {
  id: string;
  product_id: string;
  qty: number;
  status: StockRequestStatus;
  note: string;
  requested_by: string;
  decided_by: string | null;
  decided_at: number | null;
  received_at: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export class StockRequests {
  private readonly shipments: Shipments;

  constructor(private readonly deps: BackOfficeDeps) {
    this.shipments = new Shipments(deps.db);
  }

  private toRecord(r: Row): StockRequest {
    return {
      id: r.id,
      productId: r.product_id,
      qty: r.qty,
      status: r.status,
      note: r.note,
      requestedBy: r.requested_by,
      decidedBy: r.decided_by,
      decidedAt: iso(r.decided_at),
      receivedAt: iso(r.received_at),
      shipments: this.shipments.ofStockRequest(r.id),
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
      version: r.version,
    };
  }

  get(id: string): StockRequest | null {
    const r = this.deps.db.prepare('SELECT * FROM stock_requests WHERE id = ?').get(id) as Row | undefined;
    return r ? this.toRecord(r) : null;
  }

  private emit(actor: Actor, action: string, s: StockRequest): void {
    this.deps.outbox.put('products', s.id, s.version, { type: 'stockRequest', ...s });
    this.deps.audit.record(actor.username, action, 'stock_request', s.id, { status: s.status, version: s.version });
  }

  create(actor: Actor, input: { productId: string; qty: number; note?: string }): StockRequest {
    if (typeof input !== 'object' || input === null) throw invalid('body', 'must be an object');
    const productId = text(input.productId, 'productId', 64);
    const qty = int(input.qty, 'qty', 1, 1_000_000);
    const note = optionalText(input.note, 'note', LIMITS.note) ?? '';
    const db = this.deps.db;
    return db.transaction(() => {
      if (!db.prepare('SELECT 1 FROM products WHERE id = ?').get(productId)) throw invalid('productId', 'is not a known product');
      const id = this.deps.newId();
      const now = this.deps.clock.now();
      db.prepare(
        `INSERT INTO stock_requests (id, product_id, qty, status, note, requested_by, created_at, updated_at, version)
         VALUES (?, ?, ?, 'requested', ?, ?, ?, ?, 1)`,
      ).run(id, productId, qty, note, actor.username, now, now);
      const s = this.get(id) as StockRequest;
      this.emit(actor, 'stock_request.create', s);
      return s;
    })();
  }

  list(q: { status?: StockRequestStatus; limit?: number; offset?: number }): Page<StockRequest> {
    const { limit, offset } = paging(q);
    const status = q.status === undefined ? undefined : oneOf(q.status, 'status', STOCK_STATUSES);
    const w = status ? 'WHERE status = ?' : '';
    const args = status ? [status] : [];
    const total = (this.deps.db.prepare(`SELECT COUNT(*) AS n FROM stock_requests ${w}`).get(...args) as { n: number }).n;
    const rows = this.deps.db
      .prepare(`SELECT * FROM stock_requests ${w} ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(...args, limit, offset) as Row[];
    return { items: rows.map((r) => this.toRecord(r)), total };
  }

  setStatus(actor: Actor, id: string, change: StockRequestChange): StockRequest {
    if (typeof change !== 'object' || change === null) throw invalid('body', 'must be an object');
    const to = oneOf(change.status, 'status', STOCK_STATUSES);
    const want = versionOf(change.version);
    const note = optionalText(change.note, 'note', LIMITS.note);
    const db = this.deps.db;
    return db.transaction(() => {
      const cur = this.get(id);
      if (!cur) throw new CallboxError('NOT_FOUND', `no stock request ${JSON.stringify(id)}`);
      if (want !== undefined && want !== cur.version) {
        throw new CallboxError('CONFLICT', `stock request ${id} is at version ${cur.version}, not ${want}`, { version: cur.version });
      }
      if (!STOCK_NEXT[cur.status].includes(to)) {
        throw new CallboxError('CONFLICT', `a stock request cannot go from ${cur.status} to ${to}`, { from: cur.status, to });
      }
      const now = this.deps.clock.now();
      if (to === 'shipped') this.shipments.add(this.deps.newId(), { stockRequestId: id }, change.carrier, change.trackingNo, now);
      if (to === 'received') this.shipments.delivered({ stockRequestId: id }, now);
      const decided = to === 'approved' || to === 'rejected';
      db.prepare(
        `UPDATE stock_requests SET status = ?, note = ?, decided_by = CASE WHEN ? THEN ? ELSE decided_by END,
           decided_at = CASE WHEN ? THEN ? ELSE decided_at END, received_at = CASE WHEN ? THEN ? ELSE received_at END,
           updated_at = ?, version = version + 1 WHERE id = ?`,
      ).run(to, note ?? cur.note, decided ? 1 : 0, actor.username, decided ? 1 : 0, now, to === 'received' ? 1 : 0, now, now, id);
      const s = this.get(id) as StockRequest;
      this.emit(actor, `stock_request.${to}`, s);
      return s;
    })();
  }
}
