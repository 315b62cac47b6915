// The console-work strings in English (the app's English chunk: text-en.ts); keys from console-work.ts.
import type { consoleWorkZh } from './console-work.js';

export const consoleWorkEn: Record<keyof typeof consoleWorkZh, string> = {
  'corder.title': 'Take an order',
  'corder.findProduct': 'Find a product',
  'corder.findHint': 'Name, spec or SKU',
  'corder.featured': 'Featured products',
  'corder.add': 'Add',
  'corder.lines': 'Order lines',
  'corder.noLines': 'No products added yet',
  'corder.qty': 'Quantity',
  'corder.remove': 'Remove',
  'corder.promotions': 'Promotions: {p}',
  'corder.promoNote': 'Promotions apply when the order is placed (each line gets the best one for the customer)',
  'corder.customerPhone': 'Customer phone',
  'corder.shipName': 'Recipient',
  'corder.shipPhone': 'Delivery phone (optional)',
  'corder.shipAddress': 'Delivery address',
  'corder.note': 'Note',
  'corder.submit': 'Place order',
  'corder.done': 'Order {n} placed: {total} to pay ({discount} off)',
  'corder.gift': 'Gift',
  'corder.subtotal': 'List price {v}',
  'cticket.title': 'Update an open ticket',
  'cticket.pick': 'Ticket',
  'cticket.none': 'The caller has no open tickets',
  'cticket.open': 'Open the ticket page',
};
