/** The followups area: built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { FollowupsImpl } from './service.js';
import type { FollowupsService } from './types.js';

export function createFollowups(deps: BackOfficeDeps): FollowupsService {
  return new FollowupsImpl(deps);
}
