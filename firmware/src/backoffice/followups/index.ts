/** The followups area: built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { notBuilt } from '../common/not-built.js';
import type { FollowupsService } from './types.js';

export function createFollowups(_deps: BackOfficeDeps): FollowupsService {
  return notBuilt<FollowupsService>('followups');
}
