/** The tickets area: built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { notBuilt } from '../common/not-built.js';
import type { TicketsService } from './types.js';

export function createTickets(_deps: BackOfficeDeps): TicketsService {
  return notBuilt<TicketsService>('tickets');
}
