/** The sales area (catalog and orders): built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { Catalog } from './catalog.js';
import { marginsReport } from './margins.js';
import { OrderRecords } from './order-records.js';
import { OrderWorkflow } from './order-workflow.js';
import { Orders } from './orders.js';
import { Shipments } from './shipments.js';
import { StockRequests } from './stock-requests.js';
import { Targets } from './targets.js';
import type { OrdersService, ProductsService } from './types.js';

export function createProducts(deps: BackOfficeDeps): ProductsService {
  const catalog = new Catalog(deps);
  const stock = new StockRequests(deps);
  const targets = new Targets(deps);
  return {
    create: (actor, input) => catalog.createProduct(actor, input),
    get: (_actor, id) => catalog.product(id),
    search: (_actor, q) => catalog.searchProducts(q),
    update: (actor, id, patch) => catalog.updateProduct(actor, id, patch),
    createPromotion: (actor, input) => catalog.createPromotion(actor, input),
    getPromotion: (_actor, id) => catalog.promotion(id),
    promotions: (_actor, q) => catalog.promotions(q),
    updatePromotion: (actor, id, patch) => catalog.updatePromotion(actor, id, patch),
    requestStock: (actor, input) => stock.create(actor, input),
    getStockRequest: (_actor, id) => stock.get(id),
    stockRequests: (_actor, q) => stock.list(q),
    setStockRequestStatus: (actor, id, change) => stock.setStatus(actor, id, change),
    setTarget: (actor, input) => targets.set(actor, input),
    targets: (_actor, month) => targets.list(month),
    settings: () => targets.settings(),
    updateSettings: (actor, patch) => targets.updateSettings(actor, patch),
  };
}

export function createOrders(deps: BackOfficeDeps): OrdersService {
  const catalog = new Catalog(deps);
  const shipments = new Shipments(deps.db);
  const records = new OrderRecords(deps, shipments);
  const orders = new Orders(deps, catalog, records);
  const workflow = new OrderWorkflow(deps, records, shipments, new Targets(deps));
  return {
    create: (actor, input) => orders.create(actor, input),
    get: (actor, id) => orders.get(actor, id),
    search: (actor, q) => orders.search(actor, q),
    setStatus: (actor, id, change) => workflow.setStatus(actor, id, change),
    events: (actor, id) => orders.events(actor, id),
    margins: (_actor, q) => marginsReport(deps.db, deps.config().shop.timezone, q),
    statusByNumber: (number) => orders.statusByNumber(number),
  };
}
