/** The tickets area: built from the shared back-office deps; listens to the call engine for automatic tickets. */
import type { BackOfficeDeps } from '../common/deps.js';
import { AutoTickets } from './auto-tickets.js';
import { TicketsImpl } from './service.js';
import type { TicketsService } from './types.js';

export function createTickets(deps: BackOfficeDeps): TicketsService {
  const svc = new TicketsImpl(deps);
  const auto = new AutoTickets(deps, svc);
  svc.auto = auto;
  auto.attach();
  return svc;
}
