/** Phone sales: catalog and orders, the service contracts. Money is integer cents (分). */
import type { Actor, Page, PageQuery } from '../common/types.js';

export interface Product {
  id: string;
  sku: string | null;
  name: string;
  spec: string;
  costCents: number;
  priceCents: number;
  active: boolean;
  featured: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ProductInput {
  sku?: string | null;
  name: string;
  spec?: string;
  costCents: number;
  priceCents: number;
  active?: boolean;
  featured?: boolean;
}

/** Fields to change; with `version`, CONFLICT when the product moved on. */
export type ProductPatch = Partial<ProductInput> & { version?: number };

export interface ProductQuery extends PageQuery {
  /** Matches name, spec and sku. */
  q?: string;
  active?: boolean;
  featured?: boolean;
}

/**
 * Promotion kinds (促销), each with its rule (see sales/promotions.ts for the math):
 * - `percent_off` { pct }: pct % off the line (e.g. 9折 = 10).
 * - `amount_off` { amountCents }: so much off each unit (never below 0).
 * - `buy_n_percent` { n, pct }: buying at least n units takes pct % off the whole line (买2件9折).
 * - `buy_n_get_m` { n, m }: of every n + m units on the line, m are free (买二送一: order 3, pay 2).
 * - `gift` { giftProductId, giftQty }: a gift line (赠品) at price 0 whose cost counts.
 * Every rule may carry `minQty` (default 1): the line must have at least that many units.
 */
export type PromotionKind = 'percent_off' | 'amount_off' | 'buy_n_percent' | 'buy_n_get_m' | 'gift';

export interface PromotionRule {
  minQty?: number;
  pct?: number;
  amountCents?: number;
  n?: number;
  m?: number;
  giftProductId?: string;
  giftQty?: number;
}

export interface Promotion {
  id: string;
  name: string;
  kind: PromotionKind;
  rule: PromotionRule;
  /** null: every product. */
  productId: string | null;
  /** Valid from (inclusive) / until (exclusive); null is open. */
  startsAt: string | null;
  endsAt: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface PromotionInput {
  name: string;
  kind: PromotionKind;
  rule: PromotionRule;
  productId?: string | null;
  /** ISO times or epoch ms. */
  startsAt?: string | number | null;
  endsAt?: string | number | null;
  active?: boolean;
}

export type PromotionPatch = Partial<PromotionInput> & { version?: number };

export type OrderStatus = 'new' | 'paid' | 'shipped' | 'delivered' | 'returned' | 'cancelled';

/** 'retail': list price with promotions; 'distributor': the distributor supply price, no promotions. */
export type PriceList = 'retail' | 'distributor';

export interface OrderLine {
  productId: string | null;
  name: string;
  qty: number;
  unitPriceCents: number;
  unitCostCents: number;
  discountCents: number;
  gift: boolean;
  promotionId: string | null;
}

export interface Shipment {
  id: string;
  orderId: string | null;
  stockRequestId: string | null;
  carrier: string;
  trackingNo: string;
  shippedAt: string;
  deliveredAt: string | null;
  version: number;
}

export interface Order {
  id: string;
  /** Digits only, so a caller can key it in the IVR: YYMMDD (shop's local date) + 4-digit sequence. */
  number: string;
  customerId: string | null;
  callId: string | null;
  sellerId: string | null;
  status: OrderStatus;
  priceList: PriceList;
  lines: OrderLine[];
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  costCents: number;
  /** total − cost − refunds. */
  marginCents: number;
  refundCents: number;
  shipName: string | null;
  /** Masked (138****5678) for viewers without customers.phones. */
  shipPhone: string | null;
  shipAddress: string | null;
  note: string;
  paidAt: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  returnedAt: string | null;
  cancelledAt: string | null;
  shipments: Shipment[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface OrderInput {
  customerId?: string | null;
  /** Creates or finds the customer by phone when no customerId is given. */
  phone?: string | null;
  callId?: string | null;
  sellerId?: string | null;
  priceList?: PriceList;
  lines: Array<{ productId: string; qty: number }>;
  shipName?: string | null;
  shipPhone?: string | null;
  shipAddress?: string | null;
  note?: string;
}

/** A move of the workflow: new→paid→shipped→delivered, →returned from shipped/delivered, →cancelled from new/paid. */
export interface OrderStatusChange {
  status: OrderStatus;
  /** The version the caller read; CONFLICT when the order moved on. */
  version?: number;
  /** With 'shipped': the carrier (快递公司) and tracking number (运单号). */
  carrier?: string;
  trackingNo?: string;
  /** With 'returned': the refund (default: everything not yet refunded). */
  refundCents?: number;
  note?: string;
}

export interface OrderEvent {
  seq: number;
  orderId: string;
  ts: string;
  actor: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus | null;
  data: Record<string, unknown>;
}

export interface OrderQuery extends PageQuery {
  /** Matches the order number, customer name and phones, ship name/phone and tracking numbers. */
  q?: string;
  status?: OrderStatus;
  customerId?: string;
  /** The user who took the order (its `createdBy`: an agent's username). */
  createdBy?: string;
  /** Local days YYYY-MM-DD (shop time zone), inclusive, on the creation time. */
  from?: string;
  to?: string;
}

/** What the IVR tells a caller who keys in an order number. */
export interface OrderStatusInfo {
  number: string;
  status: OrderStatus;
  shippedAt: string | null;
  deliveredAt: string | null;
  carrier: string | null;
  trackingNo: string | null;
}

export interface MarginFigures {
  orders: number;
  totalCents: number;
  costCents: number;
  refundCents: number;
  marginCents: number;
}

/** Gross margin by local day of the order's creation (cancelled orders left out). */
export interface MarginsReport {
  from: string;
  to: string;
  timezone: string;
  days: Array<{ date: string } & MarginFigures>;
  total: MarginFigures;
}

export type StockRequestStatus = 'requested' | 'approved' | 'rejected' | 'shipped' | 'received';

/** 要货: stock asked of the head office. */
export interface StockRequest {
  id: string;
  productId: string;
  qty: number;
  status: StockRequestStatus;
  note: string;
  requestedBy: string;
  decidedBy: string | null;
  decidedAt: string | null;
  receivedAt: string | null;
  shipments: Shipment[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface StockRequestChange {
  status: StockRequestStatus;
  version?: number;
  carrier?: string;
  trackingNo?: string;
  note?: string;
}

/** A monthly sales target; personId null is the whole shop. Achieved = totals − refunds of the month's orders. */
export interface SalesTarget {
  month: string;
  personId: string | null;
  targetCents: number;
  achievedCents: number;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

export interface SalesSettings {
  /** Days after delivery for the after-sales return visit (回访). */
  returnVisitDays: number;
}

export interface ProductsService {
  create(actor: Actor, input: ProductInput): Product;
  get(actor: Actor, id: string): Product | null;
  search(actor: Actor, q: ProductQuery): Page<Product>;
  update(actor: Actor, id: string, patch: ProductPatch): Product;
  createPromotion(actor: Actor, input: PromotionInput): Promotion;
  getPromotion(actor: Actor, id: string): Promotion | null;
  /** Promotions, newest first; `activeAt` (epoch ms, or 'now' on the box's clock) keeps those in force then. */
  promotions(actor: Actor, q: { productId?: string; activeAt?: number | 'now' } & PageQuery): Page<Promotion>;
  updatePromotion(actor: Actor, id: string, patch: PromotionPatch): Promotion;
  requestStock(actor: Actor, input: { productId: string; qty: number; note?: string }): StockRequest;
  getStockRequest(actor: Actor, id: string): StockRequest | null;
  stockRequests(actor: Actor, q: { status?: StockRequestStatus } & PageQuery): Page<StockRequest>;
  /** requested→approved/rejected→(approved)shipped→received; anything else CONFLICT. */
  setStockRequestStatus(actor: Actor, id: string, change: StockRequestChange): StockRequest;
  /** Sets (upserts) a month's target for the shop (personId null) or a person. */
  setTarget(actor: Actor, input: { month: string; personId?: string | null; targetCents: number }): SalesTarget;
  targets(actor: Actor, month: string): SalesTarget[];
  settings(): SalesSettings;
  updateSettings(actor: Actor, patch: Partial<SalesSettings>): SalesSettings;
}

export interface OrdersService {
  /** Prices, costs and promotions come from the catalog at this moment. */
  create(actor: Actor, input: OrderInput): Order;
  get(actor: Actor, id: string): Order | null;
  search(actor: Actor, q: OrderQuery): Page<Order>;
  /** One workflow move; CONFLICT when not allowed from the current status. */
  setStatus(actor: Actor, id: string, change: OrderStatusChange): Order;
  events(actor: Actor, id: string): OrderEvent[];
  /** Gross margin per local day, from/to YYYY-MM-DD inclusive (at most 366 days). */
  margins(actor: Actor, q: { from: string; to: string }): MarginsReport;
  /** For the IVR (no actor): the order with this number, or null. */
  statusByNumber(number: string): OrderStatusInfo | null;
}
