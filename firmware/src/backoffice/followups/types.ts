/** Follow-up lists (outbound calling: 回访, satisfaction surveys, order confirmations). The service contract. */
import type { Actor } from '../common/types.js';

export type FollowupPurpose = 'return_visit' | 'satisfaction' | 'order_confirmation' | 'other';

export interface FollowupList {
  id: string;
  name: string;
  purpose: FollowupPurpose;
}

export type FollowupItemState = 'pending' | 'offered' | 'dialing' | 'done' | 'failed' | 'skipped' | 'cancelled';

export interface FollowupItem {
  id: string;
  listId: string;
  customerId: string | null;
  /** Masked for viewers without customers.phones. */
  phone: string;
  dueAt: string;
  ticketId: string | null;
  orderId: string | null;
  assignee: string | null;
  state: FollowupItemState;
  attempts: number;
  outcome: string | null;
  note: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A return visit (回访) or other follow-up asked for by another area (a resolved ticket, a delivered order). */
export interface ScheduleRequest {
  purpose: FollowupPurpose;
  phone: string;
  /** Epoch ms when the call should be made (not before). */
  dueAt: number;
  customerId?: string | null;
  ticketId?: string | null;
  orderId?: string | null;
  assignee?: string | null;
  note?: string;
}

export interface FollowupsService {
  lists(actor: Actor): FollowupList[];
  /** Adds an item to the shop's list for `purpose` (created on first use). Returns it. */
  schedule(actor: Actor, req: ScheduleRequest): FollowupItem;
}
