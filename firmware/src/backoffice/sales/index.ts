/** The sales area (catalog and orders): built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { notBuilt } from '../common/not-built.js';
import type { OrdersService, ProductsService } from './types.js';

export function createProducts(_deps: BackOfficeDeps): ProductsService {
  return notBuilt<ProductsService>('products');
}

export function createOrders(_deps: BackOfficeDeps): OrdersService {
  return notBuilt<OrdersService>('orders');
}
