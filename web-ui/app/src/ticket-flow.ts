/**
 * The ticket workflow as the app shows it: which buttons a ticket in a status gets. A copy of
 * firmware/src/backoffice/tickets/workflow.ts (the app may import only types from the firmware);
 * test/unit/web-ui/app-pages.test.ts checks the two agree for every status. Pure data, no DOM.
 */
import type { TicketStatus } from '../../../firmware/src/service/types.js';

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'waiting_customer', 'resolved', 'closed'];

const NEXT: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['assigned', 'in_progress', 'resolved'],
  assigned: ['in_progress', 'waiting_customer', 'resolved'],
  in_progress: ['waiting_customer', 'resolved'],
  waiting_customer: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
};

/** The moves a ticket in `from` may make; in_progress from resolved/closed is a reopen. */
export function nextStatuses(from: TicketStatus): readonly TicketStatus[] {
  return NEXT[from];
}

/** The `to` to send: 'reopen' when work starts again on a resolved or closed ticket. */
export function transitionTarget(from: TicketStatus, to: TicketStatus): TicketStatus | 'reopen' {
  return (from === 'resolved' || from === 'closed') && to === 'in_progress' ? 'reopen' : to;
}

export function isOpen(s: TicketStatus): boolean {
  return s !== 'resolved' && s !== 'closed';
}
