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

export type OrderStatus = 'new' | 'paid' | 'shipped' | 'delivered' | 'returned' | 'cancelled';

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

export interface Order {
  id: string;
  /** Digits only, so a caller can key it in the IVR. */
  number: string;
  customerId: string | null;
  callId: string | null;
  sellerId: string | null;
  status: OrderStatus;
  lines: OrderLine[];
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  costCents: number;
  /** total − cost − refunds. */
  marginCents: number;
  refundCents: number;
  shipName: string | null;
  shipPhone: string | null;
  shipAddress: string | null;
  note: string;
  paidAt: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  returnedAt: string | null;
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
  lines: Array<{ productId: string; qty: number }>;
  shipName?: string | null;
  shipPhone?: string | null;
  shipAddress?: string | null;
  note?: string;
}

export interface ProductsService {
  create(actor: Actor, input: ProductInput): Product;
  get(actor: Actor, id: string): Product | null;
  search(actor: Actor, q: { q?: string } & PageQuery): Page<Product>;
}

export interface OrdersService {
  /** Prices, costs and promotions come from the catalog at this moment. */
  create(actor: Actor, input: OrderInput): Order;
  get(actor: Actor, id: string): Order | null;
  search(actor: Actor, q: { q?: string; status?: OrderStatus; customerId?: string } & PageQuery): Page<Order>;
}
