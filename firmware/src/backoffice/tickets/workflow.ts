/**
 * The ticket workflow (工单流转), a pure graph:
 *
 *   new ──► assigned ──► in_progress ◄──► waiting_customer
 *    └──────────────────►    │                  │
 *   any open state ──────────┴──► resolved ──► closed
 *   resolved / closed ──reopen──► in_progress (reopen_count + 1)
 *
 * "Open" is new, assigned, in_progress, waiting_customer: any of them may be resolved at once (a
 * question answered on the call). Only a resolved ticket is closed. Anything else is CONFLICT.
 */
import { CallboxError } from '../../errors.js';
import type { TicketStatus } from './types.js';

const ALLOWED: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['assigned', 'in_progress', 'resolved'],
  assigned: ['in_progress', 'waiting_customer', 'resolved'],
  in_progress: ['waiting_customer', 'resolved'],
  waiting_customer: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
};

export function allowedFrom(from: TicketStatus): readonly TicketStatus[] {
  return ALLOWED[from];
}

/** True when going from resolved/closed back to work. */
export function isReopen(from: TicketStatus, to: TicketStatus): boolean {
  return (from === 'resolved' || from === 'closed') && to === 'in_progress';
}

/** Resolves 'reopen' to its target and checks the move; CONFLICT naming from and to. */
export function checkTransition(from: TicketStatus, requested: TicketStatus | 'reopen'): TicketStatus {
  const to: TicketStatus = requested === 'reopen' ? 'in_progress' : requested;
  if (requested === 'reopen' && from !== 'resolved' && from !== 'closed') {
    throw new CallboxError('CONFLICT', `cannot reopen a ticket that is ${from} (only resolved or closed tickets reopen)`, {
      from,
      to: 'reopen',
    });
  }
  if (!ALLOWED[from].includes(to)) {
    const allowed = ALLOWED[from].join(', ');
    throw new CallboxError('CONFLICT', `cannot move a ticket from ${from} to ${to} (allowed from ${from}: ${allowed})`, {
      from,
      to,
      allowed: ALLOWED[from],
    });
  }
  return to;
}
