/**
 * Pure helpers of the products and orders pages (no DOM; unit-tested): yuan typed by a person ↔
 * the API's cents, the order workflow's and stock requests' legal moves (docs/api/sales.md), the orders list's query
 * string, and record ids in the address (/orders/<id>).
 */
import type { OrderStatus, StockRequestStatus } from '../../../../firmware/src/service/types.js';

export const ORDER_STATUSES: readonly OrderStatus[] = ['new', 'paid', 'shipped', 'delivered', 'returned', 'cancelled'];

/** "128", "128.5", "128.50", "¥1,280.00" → cents; null when it is not an amount of at most 2 decimals. */
export function parseYuan(text: string): number | null {
  const s = text
    .trim()
    .replace(/^[¥￥]\s*/, '')
    .replace(/,/g, '');
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Cents → the text of a yuan input ("128.00"). */
export function yuanText(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
}

/** The moves the workflow allows from a status (new → paid | cancelled, …); none from a closed order. */
export function nextStatuses(status: OrderStatus): OrderStatus[] {
  switch (status) {
    case 'new':
      return ['paid', 'cancelled'];
    case 'paid':
      return ['shipped', 'cancelled'];
    case 'shipped':
      return ['delivered', 'returned'];
    case 'delivered':
      return ['returned'];
    default:
      return [];
  }
}

/** A stock request's legal next steps (要货: the firmware's STOCK_NEXT, checked by test/unit/web-ui/record-values.test.ts). */
export function stockMoves(s: StockRequestStatus): StockRequestStatus[] {
  return s === 'requested' ? ['approved', 'rejected'] : s === 'approved' ? ['shipped', 'rejected'] : s === 'shipped' ? ['received'] : [];
}

export interface OrderFilters {
  q: string;
  status: OrderStatus | '';
  from: string;
  to: string;
  createdBy: string;
}

export const NO_FILTERS: OrderFilters = { q: '', status: '', from: '', to: '', createdBy: '' };

/** The orders list's query string: only the filters set, trimmed; paging. */
export function ordersQuery(f: OrderFilters, offset: number, limit: number): string {
  const p = new URLSearchParams();
  for (const k of ['q', 'status', 'from', 'to', 'createdBy'] as const) {
    const v = f[k].trim();
    if (v) p.set(k, v);
  }
  p.set('limit', String(limit));
  p.set('offset', String(offset));
  return p.toString();
}

/** The record id in a page's address: ('/orders/01JD…', 'orders') → '01JD…'; the list itself → null. */
export function recordId(pathname: string, page: string): string | null {
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] !== page || parts.length < 2) return null;
  return decodeURIComponent(parts[1] ?? '') || null;
}
