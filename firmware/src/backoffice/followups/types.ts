/** Follow-up lists (outbound calling: 回访, surveys, order confirmations). The service contract. */
import type { Actor } from '../common/types.js';

export interface FollowupList {
  id: string;
  name: string;
}

export interface FollowupsService {
  lists(actor: Actor): FollowupList[];
}
