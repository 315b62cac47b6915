/**
 * The shop's back office: customers, tickets, knowledge base, catalog and orders, the shop's money,
 * follow-up lists, reports and the IVR's self-service data. All local, in the records database,
 * behind the service API. Each area is built from the same deps and reaches the others through
 * `areas()` at use time.
 */
import { AuditLog } from './common/audit.js';
import type { BackOfficeDeps } from './common/deps.js';
import { Outbox } from './common/outbox.js';
import { ulidFactory } from './common/ulid.js';
import { createCustomers } from './customers/index.js';
import type { CustomersService } from './customers/types.js';
import { createFinance } from './finance/index.js';
import type { FinanceService } from './finance/types.js';
import { createFollowups } from './followups/index.js';
import type { FollowupsService } from './followups/types.js';
import { createKb } from './kb/index.js';
import type { KbService } from './kb/types.js';
import { createReports } from './reports/index.js';
import { ReportRollups } from './reports/rollup-job.js';
import type { ReportsService } from './reports/types.js';
import { createQa } from './qa/index.js';
import type { QaService } from './qa/types.js';
import { createOrders, createProducts } from './sales/index.js';
import type { OrdersService, ProductsService } from './sales/types.js';
import { createSelfService } from './selfservice/index.js';
import type { SelfServiceService } from './selfservice/types.js';
import { createTickets } from './tickets/index.js';
import type { TicketsService } from './tickets/types.js';

export interface BackOffice {
  readonly audit: AuditLog;
  readonly outbox: Outbox;
  readonly customers: CustomersService;
  readonly tickets: TicketsService;
  readonly kb: KbService;
  readonly products: ProductsService;
  readonly orders: OrdersService;
  readonly finance: FinanceService;
  readonly followups: FollowupsService;
  readonly reports: ReportsService;
  /** The job keeping the reports' hourly roll-ups current (start/stop with the box). */
  readonly reportRollups: ReportRollups;
  readonly selfService: SelfServiceService;
  readonly qa: QaService;
}

export type BackOfficeHost = Omit<BackOfficeDeps, 'newId' | 'audit' | 'outbox' | 'areas'>;

export function createBackOffice(host: BackOfficeHost): BackOffice {
  const now = () => host.clock.now();
  const audit = new AuditLog(host.db, now);
  const outbox = new Outbox(host.db, now);
  let built: BackOffice | null = null;
  const deps: BackOfficeDeps = {
    ...host,
    newId: ulidFactory(now),
    audit,
    outbox,
    areas: () => {
      if (!built) throw new Error('back-office areas reached during construction');
      return built;
    },
  };
  built = {
    audit,
    outbox,
    customers: createCustomers(deps),
    tickets: createTickets(deps),
    kb: createKb(deps),
    products: createProducts(deps),
    orders: createOrders(deps),
    finance: createFinance(deps),
    followups: createFollowups(deps),
    reports: createReports(deps),
    reportRollups: new ReportRollups(host),
    selfService: createSelfService(deps),
    qa: createQa(deps),
  };
  return built;
}
