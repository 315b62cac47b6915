/** Shipments (发货: carrier 快递公司, tracking number 运单号) of orders and of stock requests. */
import type { Statement } from 'better-sqlite3';
import type { Database } from '../../store/db.js';
import type { Shipment } from './types.js';
import { iso, LIMITS, text } from './validate.js';

interface ShipmentRow {
  id: string;
  order_id: string | null;
  stock_request_id: string | null;
  carrier: string;
  tracking_no: string;
  shipped_at: number;
  delivered_at: number | null;
  created_at: number;
  version: number;
}

function toShipment(r: ShipmentRow): Shipment {
  return {
    id: r.id,
    orderId: r.order_id,
    stockRequestId: r.stock_request_id,
    carrier: r.carrier,
    trackingNo: r.tracking_no,
    shippedAt: new Date(r.shipped_at).toISOString(),
    deliveredAt: iso(r.delivered_at),
    version: r.version,
  };
}

export class Shipments {
  constructor(private readonly db: Database) {}

  /** Prepared once: a list page reads the shipments of 50 orders. */
  private byOrder?: Statement<[string], ShipmentRow>;

  ofOrder(orderId: string): Shipment[] {
    this.byOrder ??= this.db.prepare<[string], ShipmentRow>('SELECT * FROM shipments WHERE order_id = ? ORDER BY shipped_at, id');
    return this.byOrder.all(orderId).map(toShipment);
  }

  ofStockRequest(id: string): Shipment[] {
    return (this.db.prepare('SELECT * FROM shipments WHERE stock_request_id = ? ORDER BY shipped_at, id').all(id) as ShipmentRow[]).map(
      toShipment,
    );
  }

  /** Inside the caller's transaction. */
  add(id: string, owner: { orderId?: string; stockRequestId?: string }, carrier: unknown, trackingNo: unknown, now: number): void {
    const c = text(carrier, 'carrier', LIMITS.carrier);
    const t = text(trackingNo, 'trackingNo', LIMITS.trackingNo);
    this.db
      .prepare(
        `INSERT INTO shipments (id, order_id, stock_request_id, carrier, tracking_no, shipped_at, created_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1)`,
      )
      .run(id, owner.orderId ?? null, owner.stockRequestId ?? null, c, t, now, now);
  }

  /** Marks the open shipments of an order or stock request delivered (inside the caller's transaction). */
  delivered(owner: { orderId?: string; stockRequestId?: string }, now: number): void {
    const [col, id] = owner.orderId ? ['order_id', owner.orderId] : ['stock_request_id', owner.stockRequestId ?? ''];
    this.db.prepare(`UPDATE shipments SET delivered_at = ?, version = version + 1 WHERE ${col} = ? AND delivered_at IS NULL`).run(now, id);
  }
}
